"""The print edition: paged PDF rendered by WeasyPrint from the theme's print CSS."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

from markupsafe import Markup

from exporter.builddate import build_datetime
from exporter.config import Option
from exporter.document import Document
from exporter.formats.assets import local_images
from exporter.formats.base import Exporter
from exporter.render import body_html, template_context
from exporter.themes import Theme


def notes_as_spans(ast: dict) -> dict:
    """Turn each pandoc Note into an inline ``span.footnote`` (WeasyPrint floats it to the page foot)."""
    ast = copy.deepcopy(ast)

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if isinstance(node, dict):
            if node.get("t") == "Note":
                inlines = []
                for block in node["c"]:
                    if block["t"] in ("Para", "Plain"):
                        if inlines:
                            inlines.append({"t": "Space"})
                        inlines.extend(convert(block["c"]))
                return {"t": "Span", "c": [["", ["footnote"], []], inlines]}
            return {key: convert(value) for key, value in node.items()}
        return node

    return convert(ast)


class PdfExporter(Exporter):
    """PDF from the theme's ``print.html`` and ``print.css`` (tagged, with real footnotes)."""

    name = "pdf"
    suffix = ".pdf"
    theme_files = ("print.html", "print.css")
    options_schema = {
        "page_size": Option(str, "A4", "Page size: A4 or Letter.", choices=("A4", "Letter")),
        "variant": Option(str, "", "PDF variant: empty (tagged PDF), pdf/ua-1 or pdf/a-3b.",
                          choices=("", "pdf/ua-1", "pdf/a-3b")),
    }

    def unavailable(self) -> str | None:
        """WeasyPrint needs Pango; say so if it cannot be imported."""
        try:
            import weasyprint  # noqa: F401
        except Exception as error:  # OSError when Pango is missing
            return f"WeasyPrint cannot start ({str(error).splitlines()[0]}); install Pango (apt install libpango-1.0-0)"
        return None

    def engine_version(self) -> str:
        """WeasyPrint's version."""
        import weasyprint

        return f"weasyprint {weasyprint.__version__}"

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render the print HTML and write the PDF."""
        import weasyprint

        from exporter.fetcher import ConfinedFetcher

        rendered = document.with_translation(document.meta, notes_as_spans(document.ast))
        covers = dict(local_images(document))
        context = template_context(document, self.site, body=body_html(rendered))
        html = theme.render(
            "print.html",
            css=Markup(theme.read("print.css")),
            page_size=self.options["page_size"],
            created=build_datetime(document.meta.date).strftime("%Y-%m-%dT%H:%M:%SZ"),
            cover=covers[document.meta.cover].as_uri() if document.meta.cover in covers else "",
            **context,
        )
        fetcher = ConfinedFetcher([document.base_dir, *theme.dirs])
        target = out_dir / self.filename(document)
        identifier = hashlib.sha256(f"{document.meta.slug}/{document.meta.lang}".encode()).hexdigest()[:32]
        options = {"pdf_tags": True, "pdf_identifier": identifier.encode(), "uncompressed_pdf": False}
        variant = self.options.get("variant")
        if variant:
            options["pdf_variant"] = variant
        weasyprint.HTML(
            string=html, base_url=document.base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(target, **options)
        return [target]
