"""The email edition: the theme's MJML rendered by mjml-python, CSS inlined by css-inline, plus .txt and .eml."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from markupsafe import Markup

from exporter.builddate import build_datetime
from exporter.config import Option
from exporter.document import Document
from exporter.errors import ExportError, ThemeError
from exporter.formats.base import Exporter, missing_engine
from exporter.formats.email.aria import repaired_aria_label
from exporter.formats.email.body import email_body_html
from exporter.formats.email.images import DIAGRAM_BACKGROUND, EmailImage, email_images
from exporter.formats.email.links import email_links, published_url
from exporter.formats.email.message import (
    MessageHeaders,
    build_message,
    content_id,
    message_id,
)
from exporter.formats.text import render_text
from exporter.merge_tags import merge_tag_pattern, unescape_in_urls
from exporter.output import write_atomic
from exporter.render import template_context
from exporter.themes import Theme

log = logging.getLogger(__name__)
KB = 1000
GMAIL_CLIP_KB = 102


def email_size_problem(path: Path | str, limit_kb: int = GMAIL_CLIP_KB) -> str | None:
    """Why an email HTML file is too big for Gmail (which clips messages over 102 kB), or None if it fits."""
    size = Path(path).stat().st_size
    if size > limit_kb * KB:
        return f"{Path(path).name} is {size / KB:.1f} kB; Gmail clips email HTML over {limit_kb} kB"
    return None


def include_loader(theme: Theme):
    """An ``mj-include`` loader that reads only files inside the theme's folders."""

    def load(path: str) -> str:
        for folder in theme.dirs:
            candidate = (folder / path).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        raise ThemeError(f"mj-include '{path}' is not a file of theme '{theme.name}'")

    return load


@dataclass(frozen=True)
class EmailEdition:
    """One edition's email: the HTML file, the plain text, the message and the images to publish."""

    html: str
    text: str
    message: EmailMessage
    published_images: tuple[EmailImage, ...]


def without_at_rules(css: str) -> str:
    """The plain rules of a stylesheet: css-inline drops every rule when given @media blocks to inline."""
    return re.sub(r"@[a-z-]+[^{;]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)


class EmailExporter(Exporter):
    """``<slug>.email.html`` from ``email.mjml`` + ``email.css``, with ``<slug>.txt`` and ``<slug>.eml``."""

    name = "email"
    suffix = ".email.html"
    theme_files = ("email.mjml", "email.css")
    engine_packages = ("mjml-python", "css-inline", "typst")
    companion_suffixes = (".eml",)
    options_schema = {
        "embed_images": Option(bool, False, "Embed images as cid: parts of the .eml instead of linking them "
                                            "from base_url (also: newsletter build --embed-images)."),
    }

    def unavailable(self) -> str | None:
        """mjml-python, css-inline, lxml and typst (diagrams become PNG) are required."""
        return missing_engine({"mjml": "mjml-python", "css_inline": "css-inline", "lxml": "lxml", "typst": "typst"})

    @property
    def merge_tags(self) -> re.Pattern:
        """The merge-tag pattern: built-ins plus ``[email] merge_tags``."""
        return merge_tag_pattern(tuple(self.site.settings.get("merge_tags", ())))

    def render_mjml(self, document: Document, theme: Theme, body: str, images: dict[str, EmailImage],
                    image_src) -> str:
        """The issue as an MJML document, from the theme's template."""
        links = email_links(document, self.site)
        context = template_context(document, self.site, body=body)
        cover = images.get(document.meta.cover)
        context.update(editions=links.editions, links=links, css=Markup(theme.render("email.css")),
                       cover={"src": image_src(cover), "width": cover.display_width} if cover else None,
                       postal_address=self.site.settings.get("postal_address", ""))
        return theme.render("email.mjml", **context)

    def render(self, document: Document, theme: Theme) -> EmailEdition:
        """Build the HTML, text and message of one edition (nothing is written)."""
        import css_inline
        from mjml import mjml2html

        embed = self.options["embed_images"]
        images = email_images(document, theme.variables.get("diagram_background", DIAGRAM_BACKGROUND))

        def image_src(image: EmailImage) -> str:
            return f"cid:{content_id(image)}" if embed else published_url(document, self.site, image.name)

        body = email_body_html(document, images, image_src, self.merge_tags,
                               web_page=published_url(document, self.site, f"{document.meta.slug}.html"))
        mjml = self.render_mjml(document, theme, body, images, image_src)
        try:
            html = mjml2html(mjml, fonts=dict(theme.variables.get("email_fonts", {})), disable_comments=True,
                             include_loader=include_loader(theme))
        except Exception as error:
            raise ExportError(f"MJML rendering failed: {error}") from None
        html = repaired_aria_label(html, document.meta.title)
        # Only the theme's rules are inlined; MJML's own resets stay in <style> (inlining them onto every
        # cell would push a long issue past Gmail's clipping limit).
        inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=True,
                                        keep_link_tags=True, inline_style_tags=False,
                                        extra_css=without_at_rules(theme.render("email.css")))
        html = unescape_in_urls(inliner.inline(html), self.merge_tags)
        text = render_text(document, self.site, self.merge_tags)
        settings, meta = self.site.settings, document.meta
        headers = MessageHeaders(
            subject=meta.title, sender=settings.get("from", ""), reply_to=settings.get("reply_to", ""),
            date=build_datetime(meta.date), language=meta.lang, unsubscribe_url=settings.get("unsubscribe_url", ""),
            message_id=message_id(meta.slug, meta.lang, html + text, settings.get("from", ""),
                                  self.site.base_for(meta.lang)),
        )
        used = [image for image in images.values() if image_src(image) in html]
        message = build_message(headers, text, html, used if embed else [], self.merge_tags)
        return EmailEdition(html, text, message, () if embed else tuple(used))

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write ``<slug>.email.html``, ``<slug>.txt``, ``<slug>.eml`` and the images the HTML links to."""
        edition = self.render(document, theme)
        slug = document.meta.slug
        files = {self.filename(document): edition.html.encode(), f"{slug}.txt": edition.text.encode(),
                 f"{slug}.eml": edition.message.as_bytes(),
                 **{image.name: image.data for image in edition.published_images}}
        for name, data in files.items():
            write_atomic(out_dir / name, data)
        self.check_size(out_dir / self.filename(document))
        return [out_dir / name for name in files]

    def check_size(self, path: Path) -> None:
        """Warn when the HTML nears Gmail's clipping limit."""
        warn_kb = self.site.settings.get("size_warn_kb", 90)
        size = path.stat().st_size
        if size > warn_kb * KB:
            problem = email_size_problem(path, self.site.settings.get("size_limit_kb", GMAIL_CLIP_KB))
            log.warning("%s", problem or f"{path.name} is {size / KB:.1f} kB, near Gmail's {GMAIL_CLIP_KB} kB "
                                         f"clipping limit (warning from {warn_kb} kB)")
