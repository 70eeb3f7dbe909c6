"""Copy an edition's local images next to the files that show them."""

from __future__ import annotations

import shutil
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.document import Document, resolve_local


def local_images(document: Document) -> list[tuple[str, Path]]:
    """(src as written, file on disk) for every local image of the body and the cover."""
    sources = [image.src for image in pandoc_ast.images(document.blocks)]
    if document.meta.cover:
        sources.append(document.meta.cover)
    found = {}
    for src in sources:
        path = resolve_local(document.base_dir, src)
        if path is not None and path.is_file():
            found[src] = path
    return list(found.items())


def copy_images(document: Document, out_dir: Path) -> list[Path]:
    """Copy local images into ``out_dir`` under their relative paths; return the copies."""
    copies = []
    base = document.base_dir.resolve()
    for _, path in local_images(document):
        target = out_dir / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(target)
    return copies
