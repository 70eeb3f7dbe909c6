"""Shared fixtures: a throw-away project with the sample issue, golden-file comparison."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
ARTIFACTS = TESTS / "artifacts"
REPO = TESTS.parent
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z: SOURCE_DATE_EPOCH for reproducible-build tests


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace and drop whitespace between tags, for golden comparison."""
    text = re.sub(r">\s+<", "><", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def assert_golden(update_golden):
    """Compare text with tests/golden/<name>, whitespace-insensitively (rewrite with --update-golden)."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update_golden or not path.exists():
            if not update_golden:
                pytest.fail(f"golden file {path} is missing: run pytest --update-golden and review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert normalise_whitespace(actual) == normalise_whitespace(expected), f"{name} differs from its golden file"

    return check


def make_project(root: Path, issues=("sample",), config: str | None = None) -> Path:
    """Lay out a project in ``root``: newsletter.toml and the named fixture issues in source/."""
    (root / "source").mkdir(parents=True, exist_ok=True)
    for issue in issues:
        shutil.copytree(FIXTURES / issue, root / "source" / issue)
    (root / "newsletter.toml").write_text(config if config is not None else (FIXTURES / "newsletter.toml").read_text())
    return root


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A fresh project holding the sample issue; the working directory is its root."""
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """A folder for files worth looking at after a run (screenshots, renders)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def site():
    """The Site the print and ebook tests render with."""
    from exporter.formats.base import Site

    return Site(title="Boletín técnico", languages=("es", "en"))


SITE = site()


def english_edition(document):
    """The English edition through the real translation pipeline, with a fake engine at its seam."""
    from exporter.config import load_settings
    from exporter.translate import FakeTranslator, translate_document
    from exporter.translate.memory import TranslationMemory

    translator = FakeTranslator(lambda text: text.replace("Boletín de prueba", "Test bulletin"))
    return translate_document(document, "en", load_settings(FIXTURES), translator=translator,
                              memory=TranslationMemory(":memory:"))


@pytest.fixture(scope="session")
def epoch():
    """SOURCE_DATE_EPOCH set for the whole session's reproducible-build tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield EPOCH


@pytest.fixture(scope="session")
def sample():
    """The sample issue, parsed."""
    from exporter.document import load_document

    return load_document(FIXTURES / "sample" / "index.md")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.serve_support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed (make system-packages installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
