"""The web page edition: golden file, structure and responsiveness markers."""

from __future__ import annotations

from click.testing import CliRunner

from exporter.cli import cli


def test_web_page_matches_golden(project, assert_golden):
    result = CliRunner().invoke(cli, ["build", "-f", "html"])
    assert result.exit_code == 0, result.output
    page = (project / "output" / "sample" / "es" / "sample.html").read_text()
    assert_golden("web/sample.es.html", page)


def test_web_page_structure(project):
    CliRunner().invoke(cli, ["build", "-f", "html"])
    page = (project / "output" / "sample" / "es" / "sample.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="es" dir="ltr">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<h1 class=\"title\">Boletín de prueba</h1>" in page
    assert 'href="sample.pdf"' in page and 'href="sample.epub"' in page
    assert 'id="introduccion"' in page and 'href="#introduccion"' in page  # table of contents
    assert 'role="doc-endnotes"' in page  # footnotes
    assert '<img src="figure.svg"' in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # no remote requests
