"""The plain-text edition (the text part of the email), built from the document's AST, not from HTML."""

from __future__ import annotations

import re
from pathlib import Path

from exporter.document import Document
from exporter.formats.base import Exporter, Site
from exporter.formats.email.links import email_links
from exporter.formats.plaintext import WIDTH, PlainText
from exporter.i18n import format_date, strings
from exporter.merge_tags import merge_tag_pattern, restore_in_ast
from exporter.output import write_atomic
from exporter.themes import Theme



def labelled(label: str, url: str) -> list[str]:
    """``Label: URL`` on one line when it fits in 78 columns, else the URL on the next line."""
    return [f"{label}: {url}"] if len(label) + len(url) + 2 <= WIDTH else [f"{label}:", url]


def render_text(document: Document, site: Site, merge_tags: re.Pattern | None = None) -> str:
    """The whole plain-text email: header, title, body, notes, link references and footer."""
    merge_tags = merge_tags or merge_tag_pattern(tuple(site.settings.get("merge_tags", ())))
    meta, t = document.meta, strings(document.meta.lang)
    links = email_links(document, site)
    writer = PlainText(meta.lang, merge_tags)
    masthead = site.title + (f" · {t['issue_number'].format(number=meta.number)}" if meta.number is not None else "")
    lines = [*writer.wrap(masthead, WIDTH), *labelled(t["view_in_browser"], links.web)]
    for edition in links.editions:
        if not edition.current:
            lines += labelled(edition.label, edition.href)
    lines += ["", *writer.heading(1, meta.title, WIDTH)]
    if meta.subtitle:
        lines += ["", *writer.wrap(meta.subtitle, WIDTH)]
    byline = (f"{t['by']} {meta.author} · " if meta.author else "") + format_date(meta.date, meta.lang)
    lines += ["", *writer.wrap(byline, WIDTH)]
    if document.is_translation:
        lines += ["", f"({document.translation_note()})"]
    lines += ["", *writer.blocks(restore_in_ast(document.ast, merge_tags)["blocks"], WIDTH)]
    if writer.notes:
        lines += ["", "", *writer.heading(2, t["notes"], WIDTH)]
        for number, note in enumerate(writer.notes, 1):
            marker = f"({number})".ljust(5)
            lines += ["", marker + (note[0] if note else "")] + ["     " + line if line else "" for line in note[1:]]
    if writer.links:
        lines += ["", "", *writer.heading(2, t["links"], WIDTH), ""]
        lines += [f"[{number}] {url}" for number, url in enumerate(writer.links, 1)]
    lines += ["", "", "-- ", *labelled(t["download_pdf"], links.pdf), *labelled(t["download_epub"], links.epub)]
    if links.unsubscribe:
        lines += labelled(t["unsubscribe"], links.unsubscribe)
    address = site.settings.get("postal_address", "")
    if address:
        lines += writer.wrap(address, WIDTH)
    return "\n".join(line.rstrip() if line != "-- " else line for line in lines) + "\n"


class TextExporter(Exporter):
    """``<slug>.txt``: the plain-text edition (also the text part of the email)."""

    name = "text"
    suffix = ".txt"

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write the plain text."""
        target = out_dir / self.filename(document)
        write_atomic(target, render_text(document, self.site))
        return [target]
