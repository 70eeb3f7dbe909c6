"""Front matter validation and parsing into the pandoc AST."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from exporter import ast as pandoc_ast
from exporter.document import discover_sources, load_document
from exporter.errors import SourceError
from tests.conftest import FIXTURES

HEADER = "---\ntitle: T\nlang: es\ndate: 2023-10-16\n---\n"


def write(tmp_path, text, name="issue.md"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_sample_parses_with_every_markdown_feature():
    doc = load_document(FIXTURES / "sample" / "index.md")
    assert doc.meta.title == "Boletín de prueba"
    assert doc.meta.date == dt.date(2023, 10, 16)
    assert doc.meta.slug == "sample"
    assert doc.meta.tags == ("prueba", "markdown")
    kinds = {element["t"] for element in pandoc_ast.walk(doc.blocks)}
    assert {"Note", "Table", "CodeBlock", "Figure", "DefinitionList", "RawBlock", "Code", "Link"} <= kinds
    assert [h.text for h in pandoc_ast.headings(doc.blocks)] == [
        "Introducción", "Una tabla", "Código", "Definiciones", "Conclusión"]
    assert pandoc_ast.images(doc.blocks)[0].alt.startswith("Diagrama")


def test_no_title_anywhere_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="no title") as info:
        load_document(write(tmp_path, "---\nlang: es\ndate: 2023-10-16\n---\nHola\n"))
    assert info.value.line == 1


def test_a_missing_title_comes_from_the_first_heading_with_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, "---\nlang: es\ndate: 2023-10-16\n---\n# Protección CSRF\n\nHola\n"))
    assert doc.meta.title == "Protección CSRF"
    assert "issue.md:1: no 'title' in the front matter: using 'Protección CSRF'" in caplog.text


def test_missing_lang_and_date_are_warnings_with_sensible_values(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, "---\ntitle: T\n---\nHola\n"))
        dated = load_document(write(tmp_path, "---\ntitle: T\n---\nHola\n", "2019-01-13-update.md"))
    assert (doc.meta.lang, doc.meta.date) == ("en", dt.date(2023, 11, 14))  # no settings: English, the epoch
    assert dated.meta.date == dt.date(2019, 1, 13)  # from the file name, as Jekyll does
    assert "no 'lang' in the front matter" in caplog.text
    assert "using 2019-01-13 (from the file name)" in caplog.text


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "---\ntitle: T\nlang: es\ndate: [2023\n---\nHola\n")
    with pytest.raises(SourceError) as info:
        load_document(path)
    assert str(info.value).startswith(f"{path}:")
    assert info.value.line in (4, 5)
    assert "\n" not in str(info.value)


def test_unknown_keys_are_kept_and_ignored_and_a_likely_typo_is_named(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, HEADER.replace("---\n", "---\ncolour: red\nsumary: S\n", 1) + "Hola\n"))
    assert "colour" not in caplog.text
    assert "issue.md:3: unknown front matter key 'sumary' ignored (did you mean 'summary'?)" in caplog.text
    assert len(doc.warnings) == 1


@pytest.mark.parametrize("line, message", [
    ("date: mañana", "not a date"),
    ("number: uno", "whole number"),
    ("lang: Spanish!", "language code"),
    ("tags: {a: 1}", "list of words"),
])
def test_wrong_types_name_the_key_and_line(tmp_path, line, message):
    key = line.split(":")[0]
    text = HEADER.replace(f"{key}:", "#", 1).replace("---\n", f"---\n{line}\n", 1) + "Hola\n"
    with pytest.raises(SourceError, match=message) as info:
        load_document(write(tmp_path, text))
    assert info.value.line == 2
    assert f"'{key}'" in str(info.value)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
    (HEADER.encode() + "Espa\u00f1a".encode("latin-1"), "UTF-8"),
    (b"no front matter here\n", "front matter"),
    (b"---\ntitle: T\n", "never closed"),
])
def test_unreadable_sources(tmp_path, content, message):
    with pytest.raises(SourceError, match=message):
        load_document(write(tmp_path, content))


def placeholders(doc) -> list[str]:
    """The text of every missing-image placeholder of a document."""
    return [pandoc_ast.stringify(element["c"][1]) for element in pandoc_ast.walk(doc.blocks)
            if element["t"] == "Span" and "image-missing" in element["c"][0][1]]


def test_a_figure_caption_is_not_repeated_in_its_placeholder(tmp_path):
    doc = load_document(write(tmp_path, HEADER + "\n![Ventas](nada.png)\n\n![Ventas](nada.png \"Otro texto\")\n"))
    figures = [element for element in pandoc_ast.walk(doc.blocks) if element["t"] == "Figure"]
    assert len(figures) == 2 and pandoc_ast.stringify(figures[0]["c"][1][1]) == "Ventas"
    assert placeholders(doc)[0] == "Imagen no disponible"


def test_a_missing_image_is_a_warning_with_file_and_line_and_a_placeholder(tmp_path, caplog):
    path = write(tmp_path, HEADER + "\nTexto.\n\n![Un gráfico](nada.png) y ![Un gráfico](nada.png)\n")
    with caplog.at_level(logging.WARNING):
        doc = load_document(path)
    assert caplog.text.count(f"{path}:9: image 'nada.png' not found: shown as its alt text") == 1
    assert placeholders(doc) == ["Imagen no disponible: Un gráfico"] * 2
    assert not pandoc_ast.images(doc.blocks)


@pytest.mark.parametrize("src", ["../secret.png", "/etc/passwd", "file:///etc/passwd"])
def test_images_outside_the_issue_folder_are_never_read(tmp_path, src, caplog):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = tmp_path / "issue"
    folder.mkdir()
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(folder, HEADER + f"\n![alt]({src})\n"))
    assert "outside the issue's folder" in caplog.text or "site-root path" in caplog.text
    assert placeholders(doc) == ["Imagen no disponible"]  # the figure caption says "alt"


def test_a_file_that_is_not_an_image_becomes_a_placeholder(tmp_path, caplog):
    (tmp_path / "fake.png").write_text("not an image")
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, HEADER + "\n![alt](fake.png)\n"))
    assert "not a PNG" in caplog.text
    assert placeholders(doc) == ["Imagen no disponible"]  # the figure caption says "alt"


def test_translation_does_not_look_at_images(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, HEADER + "\n![alt](nada.png)\n"), images=False)
    assert caplog.text == ""
    assert [image.src for image in pandoc_ast.images(doc.blocks)] == ["nada.png"]


def test_discover_sources_finds_files_and_folders(tmp_path):
    (tmp_path / "a.md").write_text(HEADER)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.md").write_text(HEADER)
    (tmp_path / "README.md").write_text("# readme")
    assert [p.relative_to(tmp_path).as_posix() for p in discover_sources(tmp_path)] == ["a.md", "b/index.md"]


def test_a_slug_derived_from_the_file_name_is_made_url_safe(tmp_path):
    folder = tmp_path / "Número 3_Especial"
    folder.mkdir()
    assert load_document(write(folder, HEADER + "Hola\n", "index.md")).meta.slug == "numero-3-especial"
