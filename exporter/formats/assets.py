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
        path = resolve_local(document.image_dirs, src)
        if path is not None and path.is_file():
            found[src] = path
    return list(found.items())


def image_name(document: Document, path: Path) -> str:
    """An image's path relative to the folder that holds it (the issue's, or the static folder)."""
    for folder in document.image_dirs:
        base = folder.resolve()
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def copy_images(document: Document, out_dir: Path, skip: set[str] = frozenset()) -> list[Path]:
    """Copy local images (but those whose src is in ``skip``) into ``out_dir`` under their relative paths."""
    copies = []
    for src, path in local_images(document):
        if src in skip:
            continue
        target = out_dir / image_name(document, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(target)
    return copies
