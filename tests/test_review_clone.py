"""A review survives a fresh clone: it lives in the repository, not in the (git-ignored) translation cache."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import make_project
from tests.test_translate_review import REVIEWED, edit_po, edit_xliff, run, texts_of_edition

FOREWORD = "A foreword by the reviewer"


def git(*args, cwd):
    """Run git with a throw-away identity; fail the test on error."""
    command = ["git", "-c", "user.name=Reviewer", "-c", "user.email=reviewer@example.org", *args]
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_a_review_survives_a_fresh_clone_and_a_deleted_cache(tmp_path, monkeypatch):
    origin = make_project(tmp_path / "origin")
    config = origin / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    (origin / ".gitignore").write_text(".newsletter-cache/\noutput/\n")
    git("init", "-q", cwd=origin)

    monkeypatch.chdir(origin)  # a reviewer exports PO and XLIFF together, edits one unit in each, imports both
    exports = tmp_path / "exports"
    exports.mkdir()
    assert run("translate", "export", "source/sample", "--to", "en", "-o", str(exports / "r.po")).exit_code == 0
    assert run("translate", "export", "source/sample", "--to", "en", "--format", "xliff",
               "-o", str(exports / "r.xliff")).exit_code == 0
    edit_po(exports / "r.po", {"Gracias por leer.": REVIEWED})
    assert run("translate", "import", str(exports / "r.po")).exit_code == 0
    edit_xliff(exports / "r.xliff", "Introducción", FOREWORD)
    assert run("translate", "import", str(exports / "r.xliff")).exit_code == 0
    assert (origin / ".newsletter-cache" / "translations.sqlite").exists()
    git("add", "-A", cwd=origin)
    git("commit", "-q", "-m", "Review of the English edition", cwd=origin)
    committed = subprocess.run(["git", "ls-files"], cwd=origin, capture_output=True, text=True).stdout.split()
    assert "source/sample/sample.en.po" in committed and not any(".newsletter-cache" in f for f in committed)

    clone = tmp_path / "clone"
    git("clone", "-q", str(origin), str(clone), cwd=tmp_path)
    assert not (clone / ".newsletter-cache").exists()
    monkeypatch.chdir(clone)
    assert run("build", "--lang", "en").exit_code == 0
    edition = clone / "output" / "sample" / "en"
    for name, text in texts_of_edition(edition).items():
        assert REVIEWED in text, f"the PO edit is missing from the {name} edition of the clone"
        assert FOREWORD in text, f"the XLIFF edit is missing from the {name} edition of the clone"

    shutil.rmtree(clone / ".newsletter-cache")
    shutil.rmtree(clone / "output")
    assert run("build", "--lang", "en").exit_code == 0
    for name, text in texts_of_edition(edition).items():
        assert REVIEWED in text and FOREWORD in text, f"an edit is lost from the {name} edition without the cache"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    assert "sample.en.po" not in status  # building never rewrites the review file
