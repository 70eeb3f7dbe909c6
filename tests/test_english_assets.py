"""The English edition of the first issue is English all through: cover, diagram, newsletter name and author."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from exporter.build import build, plan_from
from exporter.check.glyphs import pdf_text
from exporter.config import load_settings
from exporter.edition_assets import svg_strings
from tests.conftest import REPO

pytestmark = pytest.mark.slow
ISSUE = REPO / "source" / "llm-boom-2023"


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """The repository's sample project, its English edition built with the real Apertium."""
    root = tmp_path_factory.mktemp("sample") / "project"
    shutil.copytree(ISSUE, root / "source" / ISSUE.name)
    shutil.copy(REPO / "newsletter.toml", root / "newsletter.toml")
    settings = load_settings(root)
    result = build(settings, plan_from(settings, formats=["pdf", "epub", "email", "html"], languages=["en"]))
    assert result.failed == {}
    return root / "output" / ISSUE.name / "en"


def test_newsletter_name_and_author_are_english(english):
    text = pdf_text(english / "llm-boom-2023.pdf")
    page = (english / "llm-boom-2023.html").read_text(encoding="utf-8")
    for shown in (text, page):
        assert "Editorial team" in shown and "Redacción" not in shown and "Boletín técnico" not in shown
    assert "TECH BULLETIN · ISSUE 1" in text and "October 16, 2023" in text
    assert '<a class="site-title" href="../../en/index.html">Tech bulletin · Issue 1</a>' in page
    eml = (english / "llm-boom-2023.eml").read_text(encoding="utf-8")
    assert "From: Tech bulletin <boletin@example.org>" in eml


def test_cover_is_the_english_cover(english):
    with zipfile.ZipFile(english / "llm-boom-2023.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
        images = {name: book.read(name) for name in book.namelist() if name.endswith(".png")}
        assert (ISSUE / "cover.en.png").read_bytes() in images.values() and 'properties="cover-image"' in opf
        assert (ISSUE / "cover.png").read_bytes() not in images.values()
    email = (english / "llm-boom-2023.email.html").read_text(encoding="utf-8")
    assert "/cover.en.w1104.png" in email and "/cover.png" not in email and "/cover.w1104.png" not in email


def test_diagram_text_is_translated(english):
    source = svg_strings((ISSUE / "stack.svg").read_bytes())
    texts = svg_strings((english / "stack.en.svg").read_bytes())
    assert len(texts) == len(source) and "Application" in texts and "Orchestration" in texts
    assert "Aplicación" not in texts and "Orquestación" not in texts
    assert texts[0].startswith("Typical stack of an LLM application")  # the glossary applies to diagrams too
    assert 'src="stack.en.svg"' in (english / "llm-boom-2023.html").read_text(encoding="utf-8")
    assert (english / "stack.en.svg.png").is_file()  # rasterised for the email
