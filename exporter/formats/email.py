"""The email edition: the theme's MJML template rendered by mjml-python, CSS inlined."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from exporter.document import Document
from exporter.errors import ExportError
from exporter.formats.base import Exporter
from exporter.render import edition_links, template_context
from exporter.themes import Theme


class EmailExporter(Exporter):
    """One self-contained HTML file ready for an ESP, from ``email.mjml`` and ``email.css``."""

    name = "email"
    suffix = ".email.html"
    theme_files = ("email.mjml", "email.css")

    def unavailable(self) -> str | None:
        """mjml-python and css-inline are required."""
        try:
            import css_inline  # noqa: F401
            import mjml  # noqa: F401
        except ImportError as error:
            return f"{error.name} is not installed (pip install mjml-python css-inline)"
        return None

    def engine_version(self) -> str:
        """mjml-python's and css-inline's versions."""
        from importlib.metadata import version

        return f"mjml-python {version('mjml-python')} css-inline {version('css-inline')}"

    def links(self, document: Document) -> dict[str, str]:
        """Absolute (when a base URL is set) links to the web page, downloads and unsubscribe page."""
        meta = document.meta
        folder = f"{meta.slug}/{meta.lang}/{meta.slug}"
        return {
            "web": self.site.url(folder + ".html") if self.site.base_url else f"{meta.slug}.html",
            "pdf": self.site.url(folder + ".pdf") if self.site.base_url else f"{meta.slug}.pdf",
            "epub": self.site.url(folder + ".epub") if self.site.base_url else f"{meta.slug}.epub",
            "unsubscribe": self.site.settings.get("unsubscribe_url", ""),
        }

    def render_mjml(self, document: Document, theme: Theme) -> str:
        """The issue as an MJML document, from the theme's template."""
        context = template_context(document, self.site)
        context["editions"] = [
            link if not self.site.base_url else link.__class__(link.lang, link.label, self.site.url(
                f"{document.meta.slug}/{link.lang}/{document.meta.slug}.html"), link.current)
            for link in edition_links(document, self.site, ".html")
        ]
        return theme.render(
            "email.mjml",
            css=Markup(theme.read("email.css")),
            links=self.links(document),
            postal_address=self.site.settings.get("postal_address", ""),
            **context,
        )

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Render MJML to HTML, inline the CSS and write one file."""
        import css_inline
        from mjml import mjml2html

        try:
            html = mjml2html(self.render_mjml(document, theme), fonts={}, disable_comments=True)
        except Exception as error:
            raise ExportError(f"MJML rendering failed: {error}") from None
        inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=True, keep_at_rules=True)
        target = out_dir / self.filename(document)
        target.write_text(inliner.inline(html), encoding="utf-8")
        return [target]
