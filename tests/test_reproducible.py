"""The same sources built in two different folders give byte-identical outputs (SOURCE_DATE_EPOCH set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EPOCH, make_project

pytestmark = pytest.mark.slow
CONFIG = """title = "Boletín de prueba"
base_url = "https://boletin.example.org/"
languages = ["es", "en"]

[email]
from = "Boletín <boletin@example.org>"

[translation]
engine = "apertium"
"""


def build_in(root: Path, *args: str) -> Path:
    """Build the sample project laid out in ``root`` in a fresh process; return its output folder."""
    make_project(root, ("sample", "merge-tags"), CONFIG)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "exporter", "-q", "build", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return root / "output"


def published(output: Path) -> dict[str, bytes]:
    """Every published file (not the build's private state) by its path in output/."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(output).parts)}


def test_two_folders_give_identical_bytes_for_every_output(tmp_path):
    first = published(build_in(tmp_path / "a", "--jobs", "2"))
    second = published(build_in(tmp_path / "somewhere" / "much" / "deeper", "--jobs", "1"))
    assert len(first) > 20 and {"sample/es/sample.pdf", "sample/en/sample.eml", "en/feed.atom"} <= set(first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
