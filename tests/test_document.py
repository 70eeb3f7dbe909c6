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


@pytest.mark.parametrize("missing", ["title", "lang", "date"])
def test_missing_required_key_is_an_error(tmp_path, missing):
    text = "---\n" + "".join(line + "\n" for line in ["title: T", "lang: es", "date: 2023-10-16"]
                              if not line.startswith(missing)) + "---\nHola\n"
    with pytest.raises(SourceError, match=f"required key '{missing}'"):
        load_document(write(tmp_path, text))


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "---\ntitle: T\nlang: es\ndate: [2023\n---\nHola\n")
    with pytest.raises(SourceError) as info:
        load_document(path)
    assert str(info.value).startswith(f"{path}:")
    assert info.value.line in (4, 5)
    assert "\n" not in str(info.value)


def test_unknown_key_is_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        doc = load_document(write(tmp_path, HEADER.replace("---\n", "---\ncolour: red\n", 1) + "Hola\n"))
    assert "unknown front matter key 'colour'" in caplog.text
    assert doc.warnings


@pytest.mark.parametrize("line, message", [
    ("date: mañana", "not a date"),
    ("number: uno", "whole number"),
    ("slug: ../etc", "lowercase letters"),
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


def test_missing_image_names_file_and_line(tmp_path):
    path = write(tmp_path, HEADER + "\nTexto.\n\n![alt](nada.png)\n")
    with pytest.raises(SourceError, match="image 'nada.png' not found") as info:
        load_document(path)
    assert info.value.line == 9


@pytest.mark.parametrize("src", ["../secret.png", "/etc/passwd", "file:///etc/passwd"])
def test_images_outside_the_issue_folder_are_refused(tmp_path, src):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = tmp_path / "issue"
    folder.mkdir()
    with pytest.raises(SourceError, match="outside the issue's folder"):
        load_document(write(folder, HEADER + f"\n![alt]({src})\n"))


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    (tmp_path / "fake.png").write_text("not an image")
    with pytest.raises(SourceError, match="not a PNG"):
        load_document(write(tmp_path, HEADER + "\n![alt](fake.png)\n"))


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
