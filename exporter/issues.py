"""Load every issue of a build: each parsed once, a failure stopping only its own issue."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from exporter.config import Settings
from exporter.document import Document, load_document
from exporter.errors import NewsletterError

log = logging.getLogger(__name__)


def load_or_fail(path: Path, settings: Settings) -> Document | NewsletterError:
    """The parsed source, or the error that stops this one issue (the others still build)."""
    from exporter.check.sources import source_warnings
    from exporter.document import read_source_text

    try:
        document = load_document(path, settings)
    except NewsletterError as error:
        return error
    for warning in source_warnings(document, read_source_text(path)):
        log.warning("%s", warning)  # what ``newsletter check`` would report about this source
    return document


def load_documents(paths: list[Path], jobs: int, settings: Settings | None = None,
                   result=None) -> list[Document]:
    """Parse every source once (pandoc runs as a subprocess, so threads parallelise it); failures go to ``result``."""
    if jobs <= 1 or len(paths) <= 1:
        loaded = [load_or_fail(path, settings) for path in paths]
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            loaded = list(pool.map(lambda path: load_or_fail(path, settings), paths))
    documents = []
    for path, item in zip(paths, loaded):
        if isinstance(item, NewsletterError):
            if result is None:
                raise item
            result.failed[str(path)] = str(item)
        else:
            documents.append(item)
    return documents
