"""The Typst engine's own seams: forked workers, the theme's engine list, what the source may not do."""

from __future__ import annotations

import multiprocessing
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdf
import pytest

from exporter.document import load_document
from exporter.errors import ConfigError
from exporter.formats.pdf import PdfExporter
from exporter.formats.pdf_engine import choose_engine, theme_pdf_engines
from exporter.formats.typst_compile import font_list
from exporter.formats.typst_pdf import print_image_files, typst_body
from exporter.themes import load_theme
from tests.conftest import REPO, SITE
from tests.test_epub import CORPUS_DOCUMENTS, RAW_HTML_ISSUE, as_issue

pytestmark = pytest.mark.slow


def build(document, out: Path, **options) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return PdfExporter({"engine": "typst", **options}, SITE).export(document, load_theme("default", REPO), out)[0]


def test_a_worker_forked_after_typst_ran_still_compiles(tmp_path, sample, epoch):
    first = build(sample, tmp_path / "parent")  # Typst's runtime now lives in this process
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        second = pool.submit(build, sample, tmp_path / "child").result(timeout=120)
    assert second.read_bytes() == first.read_bytes()


def test_theme_declares_its_engines(tmp_path):
    assert theme_pdf_engines(load_theme("default", REPO)) == ("typst", "weasyprint")
    assert theme_pdf_engines(load_theme("minimal", REPO)) == ("typst", "weasyprint")  # inherited
    folder = tmp_path / "themes" / "htmlonly"
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text('extends = "default"\npdf_engines = ["weasyprint"]\n')
    theme = load_theme("htmlonly", tmp_path)
    assert choose_engine("", theme) == "weasyprint"
    with pytest.raises(ConfigError, match="supports the PDF engines weasyprint, not 'typst'"):
        choose_engine("typst", theme)
    css_only = tmp_path / "themes" / "restyled"
    css_only.mkdir()
    (css_only / "theme.toml").write_text('extends = "default"\n')
    (css_only / "print.css").write_text("body { color: red; }\n")
    assert choose_engine("", load_theme("restyled", tmp_path)) == "weasyprint"  # its print.css is honoured
    (css_only / "print.typ").write_text("#let edition(body) = body\n")
    assert choose_engine("", load_theme("restyled", tmp_path)) == "typst"  # both files: the parent's order


def test_source_cannot_inject_typst_or_fetch_images(tmp_path, epoch):
    (tmp_path / "index.md").write_text("""---
title: Hostil
lang: es
date: 2023-10-16
---
## Uno

`#read("/etc/passwd")` y *#emph[no]*.

```{=typst}
#read("index.md")
```

![Remota](https://example.org/x.png)

[Peligro](javascript:alert(1)), [fichero](../secret.txt), [ancla rota](#nada), [arriba](#uno),
<style>@import url("file:///etc/passwd");</style> fin.
""", encoding="utf-8")
    document = load_document(tmp_path / "index.md")
    body = typst_body(document, print_image_files(document))
    assert "#read(\\\"" not in body and "\n#read(" not in body  # raw Typst of the source is dropped
    pdf = pypdf.PdfReader(build(document, tmp_path / "out"))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert '#read("/etc/passwd")' in text and "Remota" in text  # code shown as code; a remote image is its alt text
    assert "Peligro" in text and "fichero" in text and "ancla rota" in text and "@import" not in text
    uris = [a.get_object().get("/A", {}).get("/URI") for page in pdf.pages for a in page.get("/Annots", [])]
    assert [uri for uri in uris if uri] == []  # no javascript: or file link survives; #uno stays internal


def test_theme_fonts_keep_installed_faces_only():
    assert font_list("'DejaVu Serif', Georgia, serif") == ["DejaVu Serif"]
    assert font_list('"Noto Sans", "No Such Face", sans-serif') == ["Noto Sans"]


def test_pdf_ua_refuses_an_image_without_alt_text(tmp_path, sample, epoch):
    import shutil

    from exporter.errors import ExportError

    shutil.copy(sample.base_dir / "cover.png", tmp_path / "cover.png")
    front = "---\ntitle: Sin alt\nlang: es\ndate: 2023-10-16\n---\n"
    (tmp_path / "index.md").write_text(front + "Texto.\n\n![](cover.png)\n", encoding="utf-8")
    document = load_document(tmp_path / "index.md")
    assert build(document, tmp_path / "tagged").stat().st_size > 1000  # a tagged PDF is written
    with pytest.raises(ExportError, match=r"index\.md: typst: PDF/UA-1 error: missing alt text"):
        build(document, tmp_path / "ua", variant="pdf/ua-1")
    assert not (tmp_path / "ua" / "index.pdf").exists()


@pytest.mark.parametrize("relative", CORPUS_DOCUMENTS)
def test_every_corpus_document_builds(tmp_path, epoch, relative):
    pdf = pypdf.PdfReader(build(load_document(as_issue(relative, tmp_path / "src")), tmp_path / "out"))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 2 and len(text) > 200


def test_raw_html_issue(tmp_path, epoch):
    (tmp_path / "index.md").write_text(RAW_HTML_ISSUE, encoding="utf-8")
    pdf = pypdf.PdfReader(build(load_document(tmp_path / "index.md"), tmp_path / "out"))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Fin." in text and "enlace al ancla" in text and "imagen remota" not in text  # raw <img> dropped
    uris = {a.get_object().get("/A", {}).get("/URI") for page in pdf.pages for a in page.get("/Annots", [])}
    assert "falta.md" not in uris


def test_a_wide_cover_is_printed_whole_at_the_text_width(tmp_path, epoch):
    """The first issue's 1200×630 cover fits under 110 mm at the 170 mm text width: it must not be cropped."""
    document = load_document(REPO / "source" / "llm-boom-2023" / "index.md")
    pdf = build(document, tmp_path / "out")
    listing = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    (cover,) = [line.split() for line in listing if line.split()[3:5] == ["1200", "630"]]
    x_ppi, y_ppi = int(cover[12]), int(cover[13])
    assert x_ppi == y_ppi and abs(x_ppi - 1200 / (170 / 25.4)) < 3  # 1200 px over 170 mm, not blown up to 110 mm high
