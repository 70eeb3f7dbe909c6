"""Ten real documents in ten scripts (tests/corpus/scripts): PDF, EPUB, email and web page in their own language.

All ten are built in one build (a session fixture); each test reads what it needs from that build.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest

from exporter.build import build, plan_from
from exporter.check.glyphs import pdf_text, uncovered_characters
from exporter.config import load_settings
from exporter.document import load_document
from exporter.i18n import format_date, strings
from tests.conftest import TESTS

pytestmark = pytest.mark.slow
SCRIPTS = TESTS / "corpus" / "scripts"
DOCUMENTS = {path.name.split("-")[0]: path for path in sorted(SCRIPTS.glob("*.md"))}
RTL = {"ar", "he", "fa"}
CONFIG = """title = "Scripts"
base_url = "{base_url}"
languages = []
jobs = 2

[formats.pdf]
engine = "weasyprint"  # the glyph check reads WeasyPrint's font embedding; test_pdf_scripts covers both engines
"""


@pytest.fixture(scope="session")
def scripts_build(tmp_path_factory):
    """Every script document built once in PDF, EPUB, email and web page, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("scripts") / "project"
    for lang, path in DOCUMENTS.items():
        (root / "source" / path.stem).mkdir(parents=True)
        shutil.copy(path, root / "source" / path.stem / "index.md")
    (root / "output").mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    (root / "newsletter.toml").write_text(CONFIG.format(base_url=base_url), encoding="utf-8")
    settings = load_settings(root)
    build(settings, plan_from(settings, formats=["pdf", "epub", "email", "html"]))
    yield root / "output", base_url
    server.shutdown()


def output(scripts_build, lang: str, suffix: str) -> Path:
    """One built file of the document in ``lang``."""
    slug = DOCUMENTS[lang].stem
    return scripts_build[0] / slug / lang / f"{slug}{suffix}"


def squeezed(text: str) -> str:
    """Text without spaces and invisible format characters (pdftotext wraps RTL runs in bidi embeddings)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@pytest.mark.parametrize("lang", sorted(DOCUMENTS))
def test_pdf_draws_every_letter_with_a_glyph(scripts_build, lang):
    pdf = output(scripts_build, lang, ".pdf")
    assert len(pdf_text(pdf)) > 1000
    assert uncovered_characters(pdf) == {}


@pytest.mark.parametrize("lang", sorted(DOCUMENTS))
def test_pdf_interface_text_is_in_the_edition_language(scripts_build, lang):
    pdf = output(scripts_build, lang, ".pdf")
    text = pdf_text(pdf)
    flat = squeezed(text)
    t = strings(lang)
    document = load_document(DOCUMENTS[lang])
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout).group(1))
    assert squeezed(format_date(document.meta.date, lang)) in flat
    assert squeezed(t["page_of"].format(page=2, pages=pages)) in flat
    assert f"Page 2 of {pages}" not in text and "Contents" not in text
    assert t["page_of"] != strings("en")["page_of"] and t["contents"] != "Contents"


def test_japanese_pdf_uses_the_japanese_catalog_and_cldr_date(scripts_build, artifacts):
    pdf = output(scripts_build, "ja", ".pdf")
    text = pdf_text(pdf)
    assert "ページ" in text and "Page" not in text
    assert "2026年2月12日" in text  # the date of the document as CLDR writes it in Japanese
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", str(pdf), str(artifacts / "scripts-ja-pdf")],
                   check=True)


def test_epubs_pass_epubcheck_with_rtl_spine_and_dir_on_every_document(scripts_build):
    from exporter.check.epub import check_epubs

    epubs = {lang: output(scripts_build, lang, ".epub") for lang in DOCUMENTS}
    assert [str(problem) for problem in check_epubs(list(epubs.values()))] == []
    for lang, epub in epubs.items():
        expected = "rtl" if lang in RTL else "ltr"
        with zipfile.ZipFile(epub) as archive:
            opf = archive.read("EPUB/content.opf").decode()
            assert f'page-progression-direction="{expected}"' in opf, lang
            documents = [name for name in archive.namelist() if name.endswith(".xhtml")]
            assert len(documents) >= 3
            for name in documents:
                root_tag = re.search(r"<html[^>]*>", archive.read(name).decode()).group(0)
                assert f'dir="{expected}"' in root_tag, (lang, name)


PARAGRAPH_DIRECTIONS_JS = """selector => [...document.querySelectorAll(selector)]
  .filter(p => p.innerText.trim().length > 20 && !p.closest('pre, code'))
  .map(p => getComputedStyle(p).direction)"""


def test_web_page_and_email_paragraphs_run_in_the_script_direction_without_overflow(scripts_build, browser,
                                                                                   artifacts):
    base_url = scripts_build[1]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    failures = []
    try:
        for lang, path in DOCUMENTS.items():
            expected = "rtl" if lang in RTL else "ltr"
            for suffix, selector in ((".html", "main p"), (".email.html", "td p, div p")):
                page.goto(f"{base_url}{path.stem}/{lang}/{path.stem}{suffix}", wait_until="load")
                where = f"{lang}{suffix}"
                directions = page.evaluate(PARAGRAPH_DIRECTIONS_JS, selector)
                if len(directions) < 3:
                    failures.append(f"{where}: only {len(directions)} paragraphs found")
                wrong = [d for d in directions if d != expected]
                if wrong:
                    failures.append(f"{where}: {len(wrong)} of {len(directions)} paragraphs are {wrong[0]}")
                if page.evaluate("document.documentElement.dir") != expected:
                    failures.append(f"{where}: <html dir> is not {expected}")
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                if scroll > inner:
                    failures.append(f"{where}: page is {scroll}px wide at {inner}px")
                if lang in ("ar", "ja"):
                    page.screenshot(path=str(artifacts / f"scripts-{lang}{suffix.replace('.', '-')}.png"))
    finally:
        context.close()
    assert failures == []
