"""The ebook edition: EPUBCheck 5 with 0 errors and 0 warnings, metadata, nav, footnotes, reproducible builds."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml

from exporter import ast as pandoc_ast
from exporter.check.epub import check_epubs, unavailable
from exporter.document import load_document, resolve_local, split_front_matter
from exporter.formats.epub import EpubExporter, ebook_images, epub_identifier
from exporter.formats.xhtml import ebook_raw_html, repaired, unique_ids
from exporter.pandoc import markdown_to_ast
from exporter.themes import load_theme
from tests.conftest import FIXTURES, REPO, SITE, TESTS, english_edition

pytestmark = pytest.mark.slow
CORPUS = TESTS / "corpus"
# Every corpus document. The corpus ships no images: a document's site-root image paths (/images/…)
# are made relative and a placeholder PNG stands at each local image path (see ``as_issue``).
CORPUS_DOCUMENTS = [
    "newsletters/en-lwkd-2019-01-13.md",
    "newsletters/en-this-week-in-neovim-2022-08-29.md",
    "es/k8s-what-is-kubernetes.md",
    "edge/github-docs-organizing-information-with-tables.md",
    "edge/gfm-extensions-tests.txt",
    "edge/pandoc-testsuite.txt",
    "parallel/js-array-tosorted/es.md",
    "parallel/js-array-tosorted/en.md",
    "parallel/react-importing-and-exporting-components/es.md",
    "parallel/react-importing-and-exporting-components/en.md",
    "newsletters/es-esta-semana-en-rust-1-2023-10-11.md",
    "es/k8s-components.md",
    "es/laravel-docs-es-csrf.md",
    "es/mdn-css-flex-direction.md",
    "es/mdn-html-dialog.md",
    "es/mdn-http-cache-control.md",
    "es/mdn-js-array-map.md",
]
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
RAW_HTML_ISSUE = """---
title: HTML crudo
lang: es
date: 2023-10-16
---
## Uno

Salto<br>de línea&nbsp;y <a name="ancla"></a>un [enlace al ancla](#ancla), otro [roto](#nowhere) y [un archivo](falta.md).

<div class="nota"><p>Sin cerrar<br>
<img src="https://example.org/remota.png" alt="imagen remota">

![Remota en Markdown](https://example.org/b.png)

## Dos

Fin.
"""

UNHOLDABLE_ISSUE = """---
title: Lo que un libro no puede llevar
lang: es
date: 2023-10-16
---
## Notas {#footnotes}

<Intro>

Un componente MDX[^1] y un [enlace a las notas](#footnotes).

</Intro>

<video controls>
  <source src="https://example.org/clip.mp4">
</video>

![Captura sin extensión](captura)

<hr id="repetido"><hr id="repetido"> Texto <tt>fijo</tt>.

[^1]: Una nota.
"""


def as_issue(relative: str, folder: Path) -> Path:
    """A corpus document as an issue, with the front matter an issue needs and placeholder images."""
    text = (CORPUS / relative).read_text(encoding="utf-8")
    meta, body = {}, text
    if text.startswith("---\n"):
        meta, body, _ = split_front_matter(text, CORPUS / relative)
    name = re.sub(r"[^a-z0-9]+", "-", str(Path(relative).with_suffix("")).lower()).strip("-")
    english = Path(relative).stem == "en" or Path(relative).stem.startswith("en-") or relative.startswith("edge/")
    date = meta.get("date")
    date = date.date() if isinstance(date, dt.datetime) else date if isinstance(date, dt.date) else dt.date(2023, 1, 1)
    front = {"title": str(meta.get("title") or name), "lang": "en" if english else "es",
             "date": date.isoformat(), "slug": name}
    source = folder / name / "index.md"
    source.parent.mkdir(parents=True)
    body = re.sub(r"(!\[[^\]]*\]\()/", r"\1", body)  # site-root image paths, relative to the issue
    source.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    for image in pandoc_ast.images(markdown_to_ast(body)):
        local = resolve_local(source.parent, image.src)
        if local is not None and not re.match(r"^[a-z][a-z0-9+.-]*:", image.src):
            write_placeholder(local)
    return source


def write_placeholder(path: Path) -> None:
    """A tiny image of the kind the path's suffix names."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".svg":
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/>'
                        "</svg>")
    else:
        kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP"}.get(path.suffix.lower(), "PNG")
        Image.new("RGB", (8, 8), (29, 78, 216)).save(path, format=kind)


def export_epub(document, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return EpubExporter({}, SITE).export(document, load_theme("default", REPO), out_dir)[0]


@pytest.fixture(scope="session")
def epubs(tmp_path_factory, sample, epoch) -> dict[str, Path]:
    """Both editions of the sample, the LLM-boom issue, the corpus documents and a raw-HTML torture issue."""
    out = tmp_path_factory.mktemp("epub")
    english = english_edition(sample)
    built = {
        "es": export_epub(sample, out / "es"),
        "en": export_epub(english, out / "en"),
        "llm": export_epub(load_document(REPO / "source" / "llm-boom-2023" / "index.md"), out / "llm"),
    }
    raw = out / "src" / "raw-html" / "index.md"
    raw.parent.mkdir(parents=True)
    raw.write_text(RAW_HTML_ISSUE, encoding="utf-8")
    built["raw-html"] = export_epub(load_document(raw), out / "raw")
    unholdable = out / "src" / "unholdable" / "index.md"
    unholdable.parent.mkdir(parents=True)
    unholdable.write_text(UNHOLDABLE_ISSUE, encoding="utf-8")
    write_placeholder(unholdable.parent / "captura")
    built["unholdable"] = export_epub(load_document(unholdable), out / "unholdable")
    for relative in CORPUS_DOCUMENTS:
        built[relative] = export_epub(load_document(as_issue(relative, out / "src")), out / "corpus")
    return built


@pytest.fixture(scope="session")
def epubcheck_problems(epubs) -> list:
    """EPUBCheck on every EPUB above, in one Java process."""
    if unavailable():
        pytest.fail(unavailable())
    return check_epubs(list(epubs.values()))


def read(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name).decode("utf-8")


def package(epub: Path) -> ET.Element:
    return ET.fromstring(read(epub, "EPUB/content.opf"))


def test_epubcheck_reports_nothing_for_both_sample_editions(epubs, epubcheck_problems):
    mine = [str(p) for p in epubcheck_problems if p.path in (epubs["es"], epubs["en"], epubs["llm"])]
    assert mine == []


@pytest.mark.parametrize("relative", CORPUS_DOCUMENTS + ["raw-html", "unholdable"])
def test_epubcheck_reports_nothing_for_corpus_documents(epubs, epubcheck_problems, relative):
    assert [str(p) for p in epubcheck_problems if p.path == epubs[relative]] == []


def test_metadata_language_date_identifier_and_accessibility(epubs, sample):
    opf = package(epubs["es"])
    metadata = opf.find("opf:metadata", OPF)
    assert metadata.findtext("dc:language", namespaces=OPF) == "es"
    assert metadata.findtext("dc:date", namespaces=OPF) == "2023-10-16"
    assert metadata.findtext("dc:title", namespaces=OPF) == sample.meta.title
    assert metadata.findtext("dc:publisher", namespaces=OPF) == "Boletín técnico"
    identifier = metadata.findtext("dc:identifier", namespaces=OPF)
    assert identifier == epub_identifier("sample", "es") and uuid.UUID(identifier.removeprefix("urn:uuid:"))
    assert package(epubs["en"]).find("opf:metadata", OPF).findtext("dc:identifier", namespaces=OPF) != identifier
    properties = {}
    for meta in metadata.findall("opf:meta", OPF):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["dcterms:modified"] == ["2023-11-14T22:13:20Z"]  # SOURCE_DATE_EPOCH
    assert properties["schema:accessMode"] == ["textual", "visual"]
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"alternativeText", "tableOfContents", "structuralNavigation"} <= set(properties["schema:accessibilityFeature"])
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert "texto alternativo" in properties["schema:accessibilitySummary"][0]
    assert "alternative text" in package(epubs["en"]).find("opf:metadata", OPF).find(
        "opf:meta[@property='schema:accessibilitySummary']", OPF).text


def test_cover_nav_and_landmarks(epubs):
    opf = package(epubs["es"])
    covers = [item for item in opf.iter("{http://www.idpf.org/2007/opf}item") if item.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
    nav = ET.fromstring(read(epubs["es"], "EPUB/nav.xhtml"))
    toc = [a.text for a in nav.iter(f"{XHTML}a") if a.get("href", "").startswith("text/ch")
           and a.get(EPUB_TYPE) is None]
    assert toc == ["Introducción", "Una tabla", "Código", "Definiciones", "Conclusión"]
    landmarks = {a.get(EPUB_TYPE): a.text for a in nav.iter(f"{XHTML}a") if a.get(EPUB_TYPE)}
    assert landmarks == {"cover": "Cubierta", "titlepage": "Portada", "toc": "Índice", "bodymatter": "Comienzo"}
    english = ET.fromstring(read(epubs["en"], "EPUB/nav.xhtml"))
    assert {a.get(EPUB_TYPE): a.text for a in english.iter(f"{XHTML}a") if a.get(EPUB_TYPE)}["toc"] == "Contents"


def test_every_xhtml_file_has_lang_and_the_theme_css(epubs):
    with zipfile.ZipFile(epubs["es"]) as archive:
        pages = [name for name in archive.namelist() if name.endswith(".xhtml")]
        css = [name for name in archive.namelist() if name.endswith(".css")]
    assert len(pages) >= 7
    for name in pages:
        html = ET.fromstring(read(epubs["es"], name))
        assert html.get("lang") == "es", name
    assert "aside.footnote" in read(epubs["es"], css[0])


def test_footnotes_are_epub_footnotes_and_images_have_alt_text(epubs):
    chapter = ET.fromstring(read(epubs["es"], "EPUB/text/ch001.xhtml"))
    refs = [a for a in chapter.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
    notes = [aside for aside in chapter.iter(f"{XHTML}aside") if aside.get(EPUB_TYPE) == "footnote"]
    assert len(refs) == len(notes) == 1
    assert refs[0].get("href") == "#" + notes[0].get("id")
    images = list(chapter.iter(f"{XHTML}img"))
    assert [image.get("alt") for image in images] == ["Diagrama: de Markdown a PDF, EPUB y correo"]


def test_raw_html_is_repaired_and_links_an_ebook_cannot_follow_become_text(epubs):
    chapter = read(epubs["raw-html"], "EPUB/text/ch001.xhtml")
    ET.fromstring(chapter)  # well-formed XHTML again
    assert "<br />" in chapter and "&nbsp;" not in chapter
    assert 'id="ancla"' in chapter and 'href="ch001.xhtml#ancla"' in chapter
    assert "nowhere" not in chapter and "falta.md" not in chapter
    assert "example.org/remota.png" not in chapter and "imagen remota" in chapter
    assert 'href="https://example.org/b.png"' in chapter  # a remote image is a link to it, never fetched


def test_rebuild_under_source_date_epoch_is_byte_identical(tmp_path, sample, epubs, epoch):
    assert export_epub(sample, tmp_path).read_bytes() == epubs["es"].read_bytes()
    with zipfile.ZipFile(epubs["es"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED


def test_svg_cover_is_kept(tmp_path, epoch):
    folder = tmp_path / "svg-cover"
    folder.mkdir()
    (folder / "cover.svg").write_text((FIXTURES / "sample" / "figure.svg").read_text(), encoding="utf-8")
    (folder / "index.md").write_text("---\ntitle: T\nlang: en\ndate: 2023-10-16\ncover: cover.svg\n---\n## A\n\nText.\n")
    epub = export_epub(load_document(folder / "index.md"), tmp_path / "out")
    assert re.search(r'properties="cover-image"[^>]*media-type="image/svg\+xml"', read(epub, "EPUB/content.opf"))


def test_what_an_ebook_cannot_hold_is_made_valid(epubs):
    chapter = read(epubs["unholdable"], "EPUB/text/ch001.xhtml")
    ET.fromstring(chapter)
    assert "intro" not in chapter.lower() and "<p></p>" not in chapter and "<p />" not in chapter
    assert '<a href="https://example.org/clip.mp4">' in chapter and "<video" not in chapter
    assert re.search(r'<img src="../media/file0.png" alt="Captura sin extensión"', chapter)  # a PNG by content
    assert 'id="repetido"' in chapter and 'id="repetido-1"' in chapter and "<code>fijo</code>" in chapter
    assert 'id="footnotes-1"' in chapter and 'href="ch001.xhtml#footnotes-1"' in chapter


def test_repeated_ids_are_renamed_and_links_follow_a_renamed_first(tmp_path):
    ast = markdown_to_ast('# Footnotes\n\n[a](#footnotes) [b](#bar)\n\n::: {#bar}\n:::\n\n'
                          '## Bar {#bar}\n\n<b id="bar">x</b> <a href="#footnotes">c</a>\n')
    ast = unique_ids(ast)
    ids = [attr[0] for attr in (e["c"][1] if e["t"] == "Header" else e["c"][0]
                                for e in pandoc_ast.walk(ast["blocks"]) if e["t"] in ("Header", "Div"))]
    assert ids == ["footnotes-1", "bar", "bar-1"]  # "footnotes" is the id of pandoc's own notes section
    links = [e["c"][2][0] for e in pandoc_ast.walk(ast["blocks"]) if e["t"] == "Link"]
    assert links == ["#footnotes-1", "#bar"]  # a repeat's first keeps its id, as a browser resolves it
    raw = "".join(e["c"][1] for e in pandoc_ast.walk(ast["blocks"]) if e["t"] == "RawInline")
    assert 'id="bar-2"' in raw and 'href="#footnotes-1"' in raw


def test_images_go_in_by_their_media_type_or_become_their_alt_text(tmp_path):
    for name in ("foto.png", "dibujo.bmp", "captura", "![image](roto.png)"):
        write_placeholder(tmp_path / name)  # a PNG, a BMP, and two PNGs whose names say no core media type
    (tmp_path / "texto.png").write_text("no soy una imagen")
    ast = ebook_images(markdown_to_ast("![Foto](foto.png)\n\n![Dibujo](dibujo.bmp)\n\n![Captura](captura)\n\n"
                                       "Un ![mal](![image](roto.png)), ![falta](falta.png) y ![texto](texto.png).\n"),
                       tmp_path)
    assert [e["t"] for e in ast["blocks"]] == ["Figure", "Div", "Figure", "Para"]  # no caption repeated as text
    assert pandoc_ast.stringify(ast["blocks"][1]) == "Dibujo"
    assert pandoc_ast.stringify(ast["blocks"][3]) == "Un mal, falta y texto."
    sources = [image.src for image in pandoc_ast.images(ast["blocks"])]
    assert sources[0] == "foto.png" and sources[1].startswith("data:image/png;base64,iVBOR")
    assert len(sources) == 3 and sources[2].startswith("data:image/png;base64,")


def test_raw_media_become_links_and_unknown_tags_go():
    ast = ebook_raw_html(markdown_to_ast(
        "<Sandpack>\n\nTexto con <Hint>pista</Hint>.\n\n</Sandpack>\n\n"
        "<video controls src=\"https://example.org/a.webm\"><track src=\"https://example.org/a.vtt\"></video>\n\n"
        "<audio><source src=\"local.mp3\"><source src=\"http://127.0.0.1/x.mp3\"></audio>\n\n"
        "<picture><source srcset=\"a.webp\"><img src=\"a.png\" alt=\"A\"></picture>\n"))
    assert pandoc_ast.stringify(ast["blocks"]) == "Texto con pista."  # no paragraph left for <Sandpack>
    raw = "".join(e["c"][1] for e in pandoc_ast.walk(ast["blocks"]) if e["t"] in ("RawBlock", "RawInline"))
    # the video is a link; a local or private audio source has nothing to link to; a picture is its <img>
    assert raw == '<a href="https://example.org/a.webm">https://example.org/a.webm</a><img src="a.png" alt="A">'


def test_xhtml_is_made_to_conform_after_pandoc():
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
    good = f"{head}<head><title>t</title></head><body><p id=\"a\">x</p></body></html>".encode()
    assert repaired("EPUB/text/ch001.xhtml", good) == good  # conforming files keep pandoc's bytes
    bad = (f"{head}<head><title>t</title></head><body><p id=\"a\">1</p><Gallery><p id=\"a\">2 <tt>t</tt>"
           f"<Profile/></p></Gallery><source src=\"../#\"/><p id=\"a-1\">3</p></body></html>").encode()
    fixed = ET.fromstring(repaired("EPUB/text/ch001.xhtml", bad))
    body = fixed.find(f"{XHTML}body")
    assert [child.tag.removeprefix(XHTML) for child in body] == ["p", "p", "p"]
    assert [p.get("id") for p in body] == ["a", "a-2", "a-1"]
    assert body[1].find(f"{XHTML}code").text == "t"
