"""Every installed Apertium pair by ISO code, pivoting where no direct pair exists, and a missing pair failing alone."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from exporter.cli import cli
from exporter.pandoc import ast_to
from exporter.translate import TranslationMemory, translate_with_report
from exporter.translate.apertium_routes import installed_modes, installed_pairs, missing_pair_message, route
from tests.conftest import FIXTURES, make_project
from tests.translate_support import SAMPLE, corpus_document, settings_for


def translated(path, target, tmp_path):
    """The document at ``path`` translated by the real Apertium, and its report."""
    result = translate_with_report(corpus_document(path), target, settings_for(tmp_path),
                                   memory=TranslationMemory(":memory:"))
    return ast_to(result.document.ast, "plain"), result


def test_installed_pairs_are_listed_by_iso_code():
    pairs = installed_pairs()
    expected = {("es", "en"), ("en", "es"), ("es", "ca"), ("ca", "es"), ("en", "ca"), ("es", "it"), ("fr", "ca")}
    assert expected <= set(pairs)
    assert all(len(a) == 2 and len(b) == 2 for a, b in pairs)


def test_routes_pivot_through_an_intermediate_language():
    assert route("es", "ca") == ["es", "ca"]
    assert route("en", "it") == ["en", "es", "it"]
    assert route("fr", "es") == ["fr", "ca", "es"]
    assert route("es", "de") is None
    assert "no Apertium pair spa-deu" in missing_pair_message("es", "de")


def test_spanish_to_catalan_on_the_sample(tmp_path):
    text, result = translated(SAMPLE, "ca", tmp_path)
    assert result.report.route == "es→ca"
    assert "Introducció" in text and "prova" in result.document.meta.title.lower()


def test_english_to_spanish(tmp_path):
    text, result = translated(FIXTURES / "sample-en" / "index.md", "es", tmp_path)
    assert result.report.route == "en→es"
    assert result.document.meta.lang == "es" and " de " in f" {text} " and "Introducción" in text


def test_english_to_italian_pivots_through_spanish_and_the_stats_say_so(tmp_path):
    text, result = translated(FIXTURES / "sample-en" / "index.md", "it", tmp_path)
    assert result.report.stats()["route"] == "en→es→it"
    assert "Introduzione" in text and " il " in f" {text} "


def test_the_pairs_command_lists_direct_and_pivot_routes():
    result = CliRunner().invoke(cli, ["translate", "pairs"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "es → ca  (spa-cat)" in lines and "en → it  via es  (eng-spa + spa-ita)" in lines
    direct = CliRunner().invoke(cli, ["translate", "pairs", "--direct"]).output
    assert "via" not in direct and "es → en  (spa-eng)" in direct


def test_a_missing_pair_fails_only_its_editions(tmp_path, monkeypatch):
    root = make_project(tmp_path / "project", config='title = "B"\nlanguages = ["es", "ca", "de"]\njobs = 1\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["build", "-f", "html", "--stats", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(stats["built"]) == ["sample/ca/html", "sample/es/html"]
    assert list(stats["failed"]) == ["sample/de"] and "spa-deu" in stats["failed"]["sample/de"]
    assert (root / "output/sample/ca/sample.html").is_file() and not (root / "output/sample/de").exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "spa-deu" in errors[0] and "Debian" in errors[0]
    again = CliRunner().invoke(cli, ["build", "-f", "html"], catch_exceptions=False)
    assert again.exit_code == 1  # a failed edition is not recorded as up to date


def test_the_installed_modes_are_what_apertium_lists():
    listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=True).stdout.split()
    assert installed_modes() == frozenset(listed) and "spa-eng" in listed
