"""The print edition read back with pypdf: pages, outline, tags, metadata, text, fonts, images, links, footnotes.

The parity suite: every test runs against both PDF engines (Typst and WeasyPrint), each building the
shared editions once per session.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf  # noqa: E402
import pytest

from exporter import ast as pandoc_ast
from exporter.check.pdf import check_pdfs
from exporter.document import load_document
from exporter.formats.pdf import PdfExporter, note_inlines
from exporter.formats.pdf_engine import ENGINES
from exporter.themes import load_theme
from tests.conftest import REPO, SITE, english_edition

pytestmark = pytest.mark.slow


def export_pdf(document, out_dir: Path, engine: str, **options) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return PdfExporter({"engine": engine, **options}, SITE).export(document, load_theme("default", REPO), out_dir)[0]


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """Each PDF engine in turn: the parity suite."""
    return request.param


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory, sample, epoch, engine):
    """The sample's Spanish and English editions, and the LLM-boom issue (109 footnotes), built once per engine."""
    out = tmp_path_factory.mktemp(f"pdf-{engine}")
    llm = load_document(REPO / "source" / "llm-boom-2023" / "index.md")
    return {
        "es": export_pdf(sample, out / "es", engine),
        "en": export_pdf(english_edition(sample), out / "en", engine),
        "llm": export_pdf(llm, out / "llm", engine),
        "llm_document": llm,
        "engine": engine,
    }


def reader(path: Path):
    return pypdf.PdfReader(path)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in reader(path).pages]


def squash(text: str) -> str:
    """Text without whitespace or hyphens, so words broken across lines still match."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, depth first."""
    pdf = reader(path)
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 1)
    return found


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on a page, in PDF points from the bottom left."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_page_count_is_cover_contents_and_body(pdfs):
    assert len(reader(pdfs["es"]).pages) == 3
    assert len(reader(pdfs["llm"]).pages) >= 10


def test_outline_is_the_title_plus_every_heading(pdfs, sample):
    headings = pandoc_ast.headings(sample.blocks)
    expected = [(1, sample.meta.title)] + [(h.level - 1, h.text) for h in headings]
    assert [(level, title) for level, title, _ in outline(pdfs["es"])] == expected
    assert "Índice" not in [title for _, title, _ in outline(pdfs["es"])]


def test_outline_nests_subsections_and_points_at_their_pages(pdfs):
    document = pdfs["llm_document"]
    entries = outline(pdfs["llm"])
    assert [(level, title) for level, title, _ in entries] == [(1, document.meta.title)] + [
        (h.level - 1, h.text) for h in pandoc_ast.headings(document.blocks)]
    texts = page_texts(pdfs["llm"])
    for _, title, page in entries[1:]:
        assert squash(title) in squash(texts[page - 1]), f"bookmark {title!r} does not point at its page"


def test_language_tags_and_metadata(pdfs, sample):
    pdf = reader(pdfs["es"])
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert reader(pdfs["en"]).trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    meta = pdf.metadata
    assert meta.title == sample.meta.title
    assert meta.author == sample.meta.author
    assert meta.subject == sample.meta.summary
    assert meta["/Keywords"] == ", ".join(sample.meta.tags)
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20231114221320Z"  # SOURCE_DATE_EPOCH


def test_title_and_every_heading_in_order(pdfs, sample):
    text = squash(" ".join(page_texts(pdfs["es"])[2:]))  # the body, after cover and contents
    assert squash(sample.meta.title) in squash(page_texts(pdfs["es"])[0])
    position = 0
    for heading in pandoc_ast.headings(sample.blocks):
        found = text.find(squash(heading.text), position)
        assert found >= 0, f"heading {heading.text!r} missing or out of order"
        position = found


def test_contents_page_lists_sections_with_page_numbers(pdfs):
    contents = page_texts(pdfs["es"])[1]
    assert "Índice" in contents
    for section in ("Introducción", "Una tabla", "Código", "Definiciones", "Conclusión"):
        assert re.search(rf"{section}\W*\.*\s*3\b", contents), f"{section} without its page number"
    assert "Contents" in page_texts(pdfs["en"])[1]


def test_localised_page_numbers_and_running_headers(pdfs):
    body = reader(pdfs["es"]).pages[2]
    runs = positioned_text(body)
    height = float(body.mediabox.height)
    top = [text for x, y, text in runs if y > height - 60]
    bottom = [text for x, y, text in runs if y < 40]
    assert "Boletín de prueba" in top and "Introducción" in top
    assert "Página 3 de 3" in bottom
    assert "Page 3 of 3" in page_texts(pdfs["en"])[2]
    assert "Página" not in page_texts(pdfs["es"])[0]  # no footer on the cover


def test_fonts_are_embedded_and_come_from_the_theme(pdfs):
    for name in ("es", "llm"):
        assert check_pdfs([pdfs[name]]) == []
    fonts = subprocess.run(["pdffonts", str(pdfs["es"])], capture_output=True, text=True, check=True).stdout
    fonts = fonts.replace("-", "")  # WeasyPrint names DejaVu-Serif, Typst DejaVuSerif
    assert "DejaVuSerif" in fonts and "DejaVuSans" in fonts


def test_images_are_present(pdfs):
    pdf = reader(pdfs["es"])
    kinds = {}  # by object number: pages may share their resources
    for page in pdf.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            kinds[xobject.idnum] = xobject.get_object()["/Subtype"]
    assert list(kinds.values()).count("/Image") == 1  # the PNG cover; the SVG figure is not rasterised...
    assert "Markdown → PDF · EPUB · email" in pdf.pages[2].extract_text()  # ...but drawn as vectors and text
    cover = positioned_text(pdf.pages[0])
    assert any("Boletín de prueba" in text for _, _, text in cover)


def test_links_are_clickable(pdfs):
    pdf = reader(pdfs["es"])
    uris, internal = set(), 0
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            action = annotation.get("/A", {})
            if "/URI" in action:
                uris.add(action["/URI"])
            elif "/Dest" in annotation or action.get("/S") == "/GoTo":
                internal += 1
    assert {"https://pandoc.org/MANUAL.html", "https://pandoc.org/"} <= uris
    assert internal >= 5  # the contents page links to every section


def test_footnote_sits_at_the_foot_of_its_page(pdfs):
    page = reader(pdfs["es"]).pages[2]
    runs = positioned_text(page)
    note_y = min(y for x, y, text in runs if text.startswith("La nota al pie enlaza"))
    body_y = min(y for x, y, text in runs if "Gracias por leer" in text)
    assert note_y < body_y and note_y < 120


def test_every_footnote_of_a_long_issue_is_printed_once_in_order(pdfs):
    document = pdfs["llm_document"]
    notes = [pandoc_ast.stringify(note_inlines(n["c"])) for n in pandoc_ast.walk(document.blocks) if n["t"] == "Note"]
    texts = page_texts(pdfs["llm"])
    whole = squash("".join(texts))
    missing = [note[:60] for note in notes if squash(note)[:50] not in whole]
    assert not missing, f"footnotes lost: {missing[:3]}"
    numbers = [int(n) for text in texts for n in re.findall(r"^(\d+)\. ", text, re.M)]
    assert numbers == list(range(1, len(notes) + 1))


def test_hyphenation_follows_the_edition_language(pdfs):
    text = "\n".join(page_texts(pdfs["llm"]))
    broken = re.findall(r"([a-záéíóúñ]+)[\u2010-]\n([a-záéíóúñ]+)", text)
    assert broken, "no word was hyphenated at a line end"


@pytest.fixture(scope="session")
def wide_pdf(tmp_path_factory, epoch, engine):
    """An issue made to overflow: a long code line, a long URL, a wide table, a tall image."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("wide")
    Image.new("RGB", (300, 2400), "navy").save(folder / "tall.png")
    token = "x" * 40 + "".join(f"segment{i}" for i in range(40))
    columns = " | ".join(f"Columna {i}" for i in range(9))
    (folder / "index.md").write_text(f"""---
title: Ancho
lang: es
date: 2023-10-16
---
## Código largo

```
{token}
```

Enlace: <https://example.org/{'a' * 150}>

| {columns} |
|{'---|' * 9}
| {' | '.join(['celda con bastante texto'] * 9)} |

![Una imagen muy alta](tall.png)
""", encoding="utf-8")
    return export_pdf(load_document(folder / "index.md"), folder / "out", engine), token


def test_code_tables_and_images_fit_the_text_width(wide_pdf):
    path, token = wide_pdf
    pdf = reader(path)
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for x, y, text in positioned_text(page):
            assert 0 <= x < width - 50 and 0 <= y <= height, f"{text!r} starts outside the text area at ({x}, {y})"
    code_lines = [line for page in pdf.pages for line in page.extract_text().splitlines() if "segment" in line]
    assert len(code_lines) >= 2, "the long code line did not wrap"
    assert squash(token) in squash("".join(p.extract_text() for p in pdf.pages))


def test_rebuild_under_source_date_epoch_is_byte_identical(tmp_path, sample, epoch, pdfs, engine):
    again = export_pdf(sample, tmp_path / "again", engine)
    assert again.read_bytes() == pdfs["es"].read_bytes()


@pytest.mark.parametrize(("variant", "marker"),
                         [("pdf/ua-1", r'pdfuaid:part(="|>)1'), ("pdf/a-3b", r'pdfaid:part(="|>)3')])
def test_variants_declare_themselves(tmp_path, sample, epoch, variant, marker, engine):
    pdf = reader(export_pdf(sample, tmp_path, engine, variant=variant))
    root = pdf.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(marker, xmp)  # XMP as an attribute (WeasyPrint) or an element (Typst)
    assert "/StructTreeRoot" in root and root["/Lang"] == "es"
    if variant == "pdf/a-3b":
        assert re.search(r'pdfaid:conformance(="|>)B', xmp) and "/OutputIntents" in root
    else:
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_cli_pdf_variant_reaches_the_exporter(project):
    from click.testing import CliRunner

    from exporter.cli import cli

    result = CliRunner().invoke(cli, ["build", "-f", "pdf", "--pdf-variant", "pdf/a-3b", "-j", "1"])
    assert result.exit_code == 0, result.output
    pdf = reader(project / "output" / "sample" / "es" / "sample.pdf")
    assert re.search(r'pdfaid:part(="|>)3', pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode())


def test_typographic_cover_without_an_image(tmp_path, sample, epoch, engine):
    plain = sample.with_translation(sample.meta.with_lang("es", cover=""), sample.ast)
    pdf = reader(export_pdf(plain, tmp_path, engine))
    kinds = {x.get_object()["/Subtype"] for page in pdf.pages for x in page["/Resources"].get("/XObject", {}).values()}
    assert "/Image" not in kinds  # no cover image: the title page is typographic
    assert "Boletín de prueba" in pdf.pages[0].extract_text()
    assert len(pdf.pages) == 3


def test_pages_rendered_for_review(pdfs, artifacts):
    """Render cover, contents, body and footnote pages to PNG in tests/artifacts/ for a human to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is not installed")
    for name in ("es", "en", "llm"):
        prefix = artifacts / f"pdf-{pdfs['engine']}-{name}"
        for old in artifacts.glob(f"{prefix.name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-l", "6", str(pdfs[name]), str(prefix)], check=True)
        pngs = sorted(artifacts.glob(f"{prefix.name}-*.png"))
        assert len(pngs) == min(6, len(reader(pdfs[name]).pages))
        assert all(png.stat().st_size > 2000 for png in pngs)  # not blank
