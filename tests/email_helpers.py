"""Shared by the email tests: the sample issue in Spanish and hand-translated English, built with real engines.

The English edition comes from tests/fixtures/sample-en (a human translation), not from a
translation engine, so the email goldens do not move when the engines do.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest

from exporter.build import build, plan_from
from exporter.config import load_settings
from exporter.document import Document, split_front_matter, validate_metadata
from exporter.pandoc import markdown_to_ast
from exporter.translate import Translated, TranslationReport
from tests.conftest import FIXTURES, make_project

BASE_URL = "https://boletin.example.org/"
TAGS = ("{{ first_name }}", "*|FNAME|*", "%recipient%")  # ESP merge tags that must pass through untouched
CONFIG = """title = "Boletín de prueba"
base_url = "{base_url}"
jobs = 1

[email]
from = "Boletín <boletin@example.org>"
reply_to = "Equipo del boletín <equipo@example.org>"
unsubscribe_url = "https://boletin.example.org/baja?u=*|UNIQID|*"
postal_address = "Calle Ejemplo 1, 28001 Madrid"

[languages.es]

[languages.en]
cover = "source"  # the fixture's cover has no text: the English email keeps it
"""


def english_sample(document: Document) -> Document:
    """The sample issue's English edition, from the human translation in tests/fixtures/sample-en."""
    path = FIXTURES / "sample-en" / "index.md"
    text = path.read_text(encoding="utf-8")
    data, body, _ = split_front_matter(text, path)
    meta, _ = validate_metadata(data, path, text)
    edition = document.with_translation(meta, markdown_to_ast(body))
    return dataclasses.replace(edition, source_lang=document.meta.lang)


def fake_translate(document: Document, lang: str, settings=None, engine=None, *_, **__) -> Translated:
    """A deterministic stand-in for exporter.translate.translate_with_report."""
    if document.meta.slug == "sample" and lang == "en":
        edition = english_sample(document)
    else:
        edition = document.with_translation(document.meta.with_lang(lang), document.ast)
    return Translated(edition, TranslationReport(engine="human"), [], {})


def build_email_project(root: Path, base_url: str = BASE_URL, issues=("sample", "merge-tags"),
                        formats=("email",), embed_images: bool = False) -> Path:
    """Lay out a project in ``root``, build its email editions in es and en, return the output folder."""
    make_project(root, issues, CONFIG.format(base_url=base_url))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("exporter.translate.translate_with_report", fake_translate)
        settings = load_settings(root)
        plan = plan_from(settings, formats=list(formats), jobs=1,
                         format_options={"email": {"embed_images": True}} if embed_images else None)
        build(settings, plan)
    return root / "output"


def edition_file(output: Path, slug: str, lang: str, suffix: str) -> str:
    """The text of one built edition file."""
    return (output / slug / lang / f"{slug}{suffix}").read_text(encoding="utf-8")


def parse_html(text: str):
    """An lxml tree of an HTML document."""
    return lxml.html.document_fromstring(text)


def with_class(tree, name: str, tag: str = "*") -> list:
    """Elements having class ``name``."""
    return tree.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def text_of(element) -> str:
    """An element's text, whitespace collapsed."""
    return " ".join(element.text_content().split())


def content_headings(tree) -> list[str]:
    """The h2 headings of the issue body."""
    return [text_of(h) for content in with_class(tree, "content", "td") for h in content.iter("h2")]
