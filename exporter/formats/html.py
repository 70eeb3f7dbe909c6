"""The web page edition: one standalone, responsive HTML file (plus its images)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from exporter import ast as pandoc_ast
from exporter.document import Document
from exporter.formats.assets import copy_images
from exporter.formats.base import Exporter
from exporter.formats.web_images import responsive_images
from exporter.render import body_html, template_context
from exporter.site.social import page_meta
from exporter.themes import Theme


class HtmlExporter(Exporter):
    """Web page from the theme's ``page.html`` and ``page.css``."""

    name = "html"
    suffix = ".html"
    theme_files = ("page.html", "page.css")

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render the page and copy the images it shows (big ones as scaled copies offered through ``srcset``)."""
        context = template_context(document, self.site, body_html(scrollable_tables(document)))
        page = theme.render("page.html", css=Markup(theme.read("page.css")), social=page_meta(document, self.site),
                            **context)
        page, scaled_copies, replaced = responsive_images(document, page, out_dir)
        target = out_dir / self.filename(document)
        target.write_text(page, encoding="utf-8")
        return [target, *copy_images(document, out_dir, skip=replaced), *scaled_copies]


def scrollable_tables(document: Document) -> Document:
    """The document with each table, wherever it sits, in a ``table-scroll`` frame: a wide table scrolls, the
    page never does. The frame is focusable, so that keyboard users can scroll it too."""
    ast = pandoc_ast.copied(document.ast)
    for table in [element for element in pandoc_ast.walk(ast["blocks"]) if element["t"] == "Table"]:
        frame = {"t": "Div", "c": [["", ["table-scroll"], [["tabindex", "0"]]], [dict(table)]]}
        table.clear()
        table.update(frame)
    return replace(document, ast=ast)
