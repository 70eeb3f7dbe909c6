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


def test_a_wide_table_scrolls_in_its_frame_and_the_page_fits_a_phone(project, browser):
    issue = project / "source" / "sample" / "index.md"
    header = "| " + " | ".join(f"Columna número {n}" for n in range(8)) + " |"
    rows = "\n".join([header, "|" + "---|" * 8, "| " + " | ".join(["valor_sin_espacios_largo"] * 8) + " |"])
    issue.write_text(issue.read_text(encoding="utf-8") + "\n\n" + rows + "\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "-f", "html"]).exit_code == 0
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto((project / "output" / "sample" / "es" / "sample.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        frames = page.eval_on_selector_all(".table-scroll", "all => all.map(f => [f.scrollWidth > f.clientWidth, "
                                                           "f.tabIndex])")
        assert [True, 0] in frames  # the wide table scrolls inside its frame, which the keyboard can reach
    finally:
        page.close()
