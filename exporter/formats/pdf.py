"""The print edition: paged PDF rendered by WeasyPrint from the theme's print HTML and CSS.

What the theme's ``print.html`` + ``print.css`` give every edition: a cover page (the cover image or a
typographic title page), a contents page with page numbers, running headers (issue and section
title), "Página 3 de 12" footers in the edition's language, hyphenation by ``lang``, footnotes at
the foot of the page, clickable links, and bookmarks equal to the title plus the body's headings.
The PDF is tagged by default; ``variant`` asks WeasyPrint for PDF/UA-1 or PDF/A-3b.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

from markupsafe import Markup

from exporter import ast as pandoc_ast
from exporter.builddate import build_datetime
from exporter.config import Option
from exporter.document import Document
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter, missing_engine
from exporter.formats.headings import shift_headings
from exporter.render import body_html, template_context
from exporter.themes import Theme

# pandoc numbers every line of a highlighted code block with an empty self-link; in a PDF these
# would be dozens of empty link annotations (and untagged links in PDF/UA), so they are dropped.
CODE_LINE_ANCHOR = re.compile(r'<a href="#cb\d+-\d+"[^>]*></a>')
VARIANTS = ("", "pdf/ua-1", "pdf/a-3b")
# WeasyPrint sees the issue's folder at this fixed path (the fetcher maps it back), so no build folder reaches
# the PDF: image names inside it are hashes of their URLs.
ISSUE_ROOT = "/newsletter-issue/"


def issue_url(path: Path, document: Document) -> str:
    """The location-independent URL of a file of the issue's folder, as WeasyPrint is given it."""
    return f"file://{ISSUE_ROOT}{path.relative_to(document.base_dir.resolve()).as_posix()}"


def note_inlines(blocks: list) -> list:
    """The inlines of a note's blocks, in order: paragraphs joined, code as code, lists item by item."""
    inlines: list = []

    def add(items: list) -> None:
        if inlines and items:
            inlines.append({"t": "Space"})
        inlines.extend(items)

    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            add(content)
        elif kind == "LineBlock":
            add([inline for line in content for inline in [*line, {"t": "LineBreak"}]][:-1])
        elif kind == "CodeBlock":
            add([{"t": "Code", "c": content}])
        elif kind in ("BulletList", "OrderedList"):
            for item in content if kind == "BulletList" else content[1]:
                add(note_inlines(item))
        elif kind in ("BlockQuote", "Div", "Figure"):
            add(note_inlines(content if kind == "BlockQuote" else content[-1]))
        else:
            text = pandoc_ast.stringify(block).strip()
            if text:
                add([{"t": "Str", "c": text}])
    return inlines


def notes_as_spans(ast: dict) -> dict:
    """Turn each pandoc Note into an inline ``span.footnote`` (WeasyPrint floats it to the page foot)."""

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if isinstance(node, dict):
            if node.get("t") == "Note":
                return {"t": "Span", "c": [["", ["footnote"], []], convert(note_inlines(node["c"]))]}
            return {key: convert(value) for key, value in node.items()}
        return node

    return convert(copy.deepcopy(ast))


def print_edition(document: Document) -> Document:
    """The edition as the print template shows it: body headings from level 2 (the title is the h1), notes inline."""
    return document.with_translation(document.meta, notes_as_spans(shift_headings(document.ast, 2)))


def print_body(document: Document) -> str:
    """The print edition's body HTML, without pandoc's per-line code anchors."""
    return CODE_LINE_ANCHOR.sub("", body_html(document))


def pdf_identifier(document: Document) -> bytes:
    """The PDF's /ID: the same for every rebuild of one edition."""
    return hashlib.sha256(f"{document.meta.slug}/{document.meta.lang}".encode()).hexdigest()[:32].encode()


class PdfExporter(Exporter):
    """PDF from the theme's ``print.html`` and ``print.css`` (tagged, with real footnotes)."""

    name = "pdf"
    suffix = ".pdf"
    theme_files = ("print.html", "print.css")
    engine_packages = ("weasyprint",)
    options_schema = {
        "page_size": Option(str, "A4", "Page size: A4 or Letter.", choices=("A4", "Letter")),
        "variant": Option(str, "", "PDF variant: empty (tagged PDF), pdf/ua-1 or pdf/a-3b.", choices=VARIANTS),
    }

    def unavailable(self) -> str | None:
        """WeasyPrint needs its package, Pango and HarfBuzz (checked without importing it)."""
        return missing_engine({"weasyprint": "weasyprint"},
                              {"pango-1.0": "libpango-1.0-0", "harfbuzz-subset": "libharfbuzz-subset0"})

    def render_html(self, document: Document, theme: Theme) -> str:
        """The print HTML WeasyPrint lays out (the theme's ``print.html`` with ``print.css`` inlined)."""
        edition = print_edition(document)
        covers = dict(local_images(document))
        return theme.render(
            "print.html",
            css=Markup(theme.read("print.css")),
            page_size=self.options["page_size"],
            created=build_datetime(document.meta.date).strftime("%Y-%m-%dT%H:%M:%SZ"),
            cover=issue_url(covers[document.meta.cover], document) if document.meta.cover in covers else "",
            **template_context(edition, self.site, body=print_body(edition)),
        )

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render the print HTML and write the PDF."""
        import weasyprint

        from exporter.fetcher import ConfinedFetcher

        fetcher = ConfinedFetcher([document.base_dir, *theme.dirs], mounts={ISSUE_ROOT: document.base_dir})
        target = out_dir / self.filename(document)
        options = {"pdf_tags": True, "pdf_identifier": pdf_identifier(document), "uncompressed_pdf": False}
        if self.options.get("variant"):
            options["pdf_variant"] = self.options["variant"]
        weasyprint.HTML(
            string=self.render_html(document, theme),
            base_url=f"file://{ISSUE_ROOT}",
            url_fetcher=fetcher,
        ).write_pdf(target, **options)
        return [target]
