"""The CLI is the package exporter.cli, one module per command; nothing else in exporter knows click."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import exporter

PACKAGE = Path(exporter.__file__).parent
CLICK_IMPORT = re.compile(r"^\s*(import click|from click\b)", re.MULTILINE)
CLI_MODULES = {"cli", "clidoc"}  # the package exporter/cli/ and the reference generated from it


def test_only_the_cli_package_imports_click():
    importers = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                       if path.relative_to(PACKAGE).parts[0].removesuffix(".py") not in CLI_MODULES
                       and CLICK_IMPORT.search(path.read_text(encoding="utf-8")))
    assert importers == []
    assert CLICK_IMPORT.search((PACKAGE / "cli" / "__init__.py").read_text(encoding="utf-8"))  # the grep works


def test_importing_the_core_loads_no_click():
    core = ["exporter.build", "exporter.config", "exporter.document", "exporter.translate.pipeline",
            "exporter.translate.review", "exporter.formats.registry", "exporter.formats.email",
            "exporter.formats.pdf", "exporter.formats.epub", "exporter.check.runner", "exporter.send"]
    code = (f"import sys, importlib\nfor name in {core!r}: importlib.import_module(name)\n"
            "print('click' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"
    code = "import sys, exporter.cli\nprint('click' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "True"


def test_every_command_has_its_module_in_the_cli_package_and_loads_lazily():
    from exporter.cli import LazyGroup

    for name, target in LazyGroup.lazy_commands.items():
        module = target.split(":")[0]
        assert module.startswith("exporter.cli."), name
        assert (PACKAGE / "cli" / f"{module.rsplit('.', 1)[1]}.py").is_file()
    code = "import sys, exporter.cli\nprint(sorted(m for m in sys.modules if m.startswith('exporter.cli.')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"
