"""The web page edition: one standalone, responsive HTML file (plus its images)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from exporter.document import Document
from exporter.formats.assets import copy_images
from exporter.formats.base import Exporter
from exporter.formats.web_images import responsive_images
from exporter.render import template_context
from exporter.site.social import page_meta
from exporter.themes import Theme


class HtmlExporter(Exporter):
    """Web page from the theme's ``page.html`` and ``page.css``."""

    name = "html"
    suffix = ".html"
    theme_files = ("page.html", "page.css")

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render the page and copy the images it shows (big ones as scaled copies offered through ``srcset``)."""
        context = template_context(document, self.site)
        page = theme.render("page.html", css=Markup(theme.read("page.css")), social=page_meta(document, self.site),
                            **context)
        page, scaled_copies, replaced = responsive_images(document, page, out_dir)
        target = out_dir / self.filename(document)
        target.write_text(page, encoding="utf-8")
        return [target, *copy_images(document, out_dir, skip=replaced), *scaled_copies]
