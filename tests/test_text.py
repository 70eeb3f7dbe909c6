"""The plain-text edition: built from the AST, 78 columns, numbered link references, code kept verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import cli
from exporter.formats.plaintext import PlainText
from exporter.merge_tags import merge_tag_pattern
from exporter.pandoc import markdown_to_ast
from tests.email_helpers import TAGS, build_email_project, edition_file


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    return build_email_project(tmp_path_factory.mktemp("text") / "project")


def text_of(output: Path, slug: str = "sample", lang: str = "es") -> str:
    return edition_file(output, slug, lang, ".txt")


def render(markdown: str, width: int = 78) -> tuple[str, PlainText]:
    writer = PlainText("es", merge_tag_pattern(), width)
    return "\n".join(writer.blocks(markdown_to_ast(markdown)["blocks"], width)), writer


@pytest.mark.parametrize("lang", ["es", "en"])
def test_text_golden(output, assert_golden, lang):
    assert_golden(f"text/sample.{lang}.txt", text_of(output, lang=lang))


@pytest.mark.parametrize("slug", ["sample", "merge-tags"])
def test_lines_fit_78_columns_except_code_and_urls(output, slug):
    for line in text_of(output, slug).splitlines():
        if len(line) > 78:
            assert line.startswith("    ") or re.fullmatch(r"(\[\d+\] )?\S+", line), line


def test_sample_text_has_headings_links_notes_code_and_footer(output):
    text = text_of(output)
    assert "Introducción\n------------\n" in text and "Boletín de prueba\n=================\n" in text
    assert "la documentación de pandoc [1]" in text and "\n[1] https://pandoc.org/MANUAL.html\n" in text
    assert "una nota al pie.(1)" in text and "(1)  La nota al pie enlaza a https://pandoc.org/." in text
    assert '    def saludo(nombre: str) -> str:\n        return f"Hola, {nombre}"\n' in text
    assert "Formato  Motor       Salida\n-------  ----------  -----------\nPDF      WeasyPrint  .pdf\n" in text
    assert "Un párrafo en HTML crudo." in text and "<p" not in text  # raw HTML read for its text
    assert "Ver en el navegador: https://boletin.example.org/sample/es/sample.html" in text
    assert "Read in English: https://boletin.example.org/sample/en/sample.html" in text
    assert text.rstrip().endswith("Darse de baja: https://boletin.example.org/baja?u=*|UNIQID|*\n"
                                  "Calle Ejemplo 1, 28001 Madrid")


def test_merge_tags_stay_whole_and_unescaped(output):
    text = text_of(output, "merge-tags")
    for tag in TAGS:
        assert text.count(tag) >= 3, tag  # title, body and the code block
    assert "[1] https://example.org/perfil?id=*|UNIQID|*&n=%recipient.id%" in text
    assert "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen," in text  # never split


def test_wide_table_becomes_one_line_per_cell(output):
    text = text_of(output, "merge-tags")
    assert "Columna con un texto bastante largo: Internacionalización\nOtra columna: Configuración\n" in text


def test_wrapping_never_splits_a_merge_tag():
    text, _ = render("palabra " * 7 + "{{ first_name }} y {{ una etiqueta con espacios }} " + "fin " * 10, 60)
    assert "{{ first_name }}" in text and "{{ una etiqueta con espacios }}" in text
    assert all(len(line) <= 60 for line in text.splitlines())


def test_lists_quotes_and_unsafe_links():
    text, writer = render("1. uno\n2. dos\n   - anidado con un texto\n\n> cita *con* [enlace](https://a.example/)\n\n"
                          "[malo](javascript:alert(1)) y [interno](#x) y [otro](https://a.example/)\n")
    assert "1. uno\n2. dos\n   - anidado con un texto" in text
    assert "> cita con enlace [1]" in text
    assert "malo y interno y otro [1]" in text and writer.links == ["https://a.example/"]


def test_text_format_builds_alone(tmp_path):
    root = tmp_path / "p"
    build_email_project(root, issues=("sample",), formats=("html",))
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "-f", "text", "-l", "es"])
    assert result.exit_code == 0, result.output
    assert (root / "output" / "sample" / "es" / "sample.txt").read_text().startswith("Boletín de prueba · Número 0")
