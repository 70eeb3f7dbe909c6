# Set-up and everyday commands. `make demo` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-dejavu-extra \
	fonts-noto-core fonts-noto-cjk default-jdk-headless openssl apertium apertium-eng-spa apertium-spa-cat \
	apertium-eng-cat apertium-spa-ita apertium-fra-cat apertium-por-cat chromium poppler-utils
INSTALLED := $(VENV)/.installed

.PHONY: setup system-packages demo test bench clean golden

setup: system-packages $(INSTALLED)

# Installs the Debian packages the engines need, when run as root and only if one is missing.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else echo "warning: missing Debian packages (run as root to install):$$missing" >&2; fi; \
	fi

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dask]'
	$(BIN)/python -m compileall -q exporter >/dev/null
	touch $@

demo: setup
	$(BIN)/newsletter build

test: setup
	$(BIN)/python -m pytest -q

golden: setup
	$(BIN)/python -m pytest -q --update-golden -k golden

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output .pytest_cache
