"""The ebook edition: EPUB 3 written by pandoc, with metadata, cover, nav and the theme's CSS."""

from __future__ import annotations

import uuid
from pathlib import Path

from exporter.builddate import source_date_epoch
from exporter.document import Document, resolve_local
from exporter.formats.base import Exporter
from exporter.i18n import strings
from exporter.pandoc import run_pandoc
from exporter.sanitize import confine_raw_html
from exporter.themes import Theme

IDENTIFIER_NAMESPACE = uuid.UUID("6f1c7a52-4d8e-4c39-9a3e-8f4c2b1d0e77")


def meta_string(value: str) -> dict:
    """A pandoc MetaString."""
    return {"t": "MetaString", "c": value}


def epub_identifier(slug: str, lang: str) -> str:
    """A stable identifier for one edition: the same slug and language always give the same URN."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, f'{slug}/{lang}')}"


def epub_metadata(document: Document) -> dict:
    """The pandoc metadata block for the EPUB writer."""
    meta = document.meta
    fields = {
        "title": meta_string(meta.title),
        "lang": meta_string(meta.lang),
        "date": meta_string(meta.date.isoformat()),
        "identifier": meta_string(epub_identifier(meta.slug, meta.lang)),
        "toc-title": meta_string(strings(meta.lang)["contents"]),
    }
    if meta.subtitle:
        fields["subtitle"] = meta_string(meta.subtitle)
    if meta.author:
        fields["author"] = {"t": "MetaList", "c": [meta_string(meta.author)]}
    if meta.summary:
        fields["description"] = meta_string(meta.summary)
    if meta.tags:
        fields["subject"] = {"t": "MetaList", "c": [meta_string(tag) for tag in meta.tags]}
    return fields


class EpubExporter(Exporter):
    """EPUB 3 from pandoc's writer and the theme's ``epub.css``."""

    name = "epub"
    suffix = ".epub"
    theme_files = ("epub.css",)

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write the EPUB with pandoc."""
        import json

        target = out_dir / self.filename(document)
        ast = {**confine_raw_html(document.ast, document.base_dir), "meta": epub_metadata(document)}
        args = ["-f", "json", "-t", "epub3", "-o", str(target), "--toc", "--toc-depth=2", "--split-level=2",
                f"--css={theme.find('epub.css')}"]
        cover = resolve_local(document.base_dir, document.meta.cover) if document.meta.cover else None
        if cover is not None and cover.suffix.lower() != ".svg":
            args.append(f"--epub-cover-image={cover}")
        run_pandoc(
            args,
            json.dumps(ast),
            resource_path=[document.base_dir],
            sandbox=False,
            env={"SOURCE_DATE_EPOCH": source_date_epoch(document.meta.date)},
            what="pandoc (writing EPUB)",
        )
        return [target]
