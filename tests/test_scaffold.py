"""`newsletter init` and `newsletter new`: from an empty folder to built editions."""

from __future__ import annotations

import datetime as dt
import os
import tomllib

import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.config import SCHEMA, load_settings
from exporter.document import load_document


@pytest.mark.slow
def test_init_then_new_then_build_works_in_an_empty_folder(tmp_path):
    runner = CliRunner()
    project = tmp_path / "letter"
    result = runner.invoke(cli, ["init", str(project), "--title", "Field notes"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in project.iterdir()} == {"newsletter.toml", ".gitignore", "source"}
    result = runner.invoke(cli, ["--project", str(project), "new", "Second issue: ¿qué tal?", "--date", "2024-05-02"])
    assert result.exit_code == 0, result.output
    issue = project / "source" / "second-issue-que-tal" / "index.md"
    assert result.output.strip() == str(issue)
    result = runner.invoke(cli, ["--project", str(project), "build", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    for slug in ("welcome", "second-issue-que-tal"):
        for suffix in ("html", "pdf", "epub", "email.html", "txt", "eml"):
            assert (project / "output" / slug / "en" / f"{slug}.{suffix}").stat().st_size > 0
    index = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert "Field notes" in index and "Second issue: ¿qué tal?" in index and "Welcome" in index


def test_init_writes_a_commented_valid_configuration_and_refuses_an_existing_project(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path), "--lang", "es", "--translate-to", "en"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "newsletter.toml").read_text(encoding="utf-8")
    for key, option in SCHEMA[""].items():
        assert f"# {option.doc}\n{key} = " in text
    assert "# [translation]" in text and "# engine = " in text
    settings = load_settings(tmp_path)
    assert settings.languages == ["es", "en"] and tomllib.loads(text)["title"] == "My newsletter"
    assert "output/" in (tmp_path / ".gitignore").read_text()
    sample = load_document(tmp_path / "source" / "bienvenida" / "index.md")
    assert (sample.meta.lang, sample.meta.number, sample.meta.cover) == ("es", 1, "cover.svg")
    again = runner.invoke(cli, ["init", str(tmp_path)])
    assert again.exit_code == 2 and again.output.count("\n") == 1 and "already exists" in again.output
    bad = runner.invoke(cli, ["init", str(tmp_path / "other"), "--lang", "English"])
    assert bad.exit_code == 2 and "language" in bad.output


def test_new_numbers_the_next_issue_and_fills_its_front_matter(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        first = runner.invoke(cli, ["new", "Rust & WebAssembly", "--date", "2024-06-01"])
        second = runner.invoke(cli, ["new", "Tercera entrega", "--lang", "es"])
        duplicate = runner.invoke(cli, ["new", "Rust & WebAssembly"])
        empty = runner.invoke(cli, ["new", "  "])
    finally:
        os.chdir(old)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    document = load_document(tmp_path / "source" / "rust-webassembly" / "index.md")
    meta = document.meta
    assert (meta.title, meta.slug, meta.number, meta.lang, meta.date) == (
        "Rust & WebAssembly", "rust-webassembly", 2, "en", dt.date(2024, 6, 1))
    third = load_document(tmp_path / "source" / "tercera-entrega" / "index.md").meta
    assert (third.number, third.lang, third.date) == (3, "es", dt.date.today())
    assert duplicate.exit_code == 2 and "already exists" in duplicate.output
    assert empty.exit_code == 2 and "title" in empty.output
