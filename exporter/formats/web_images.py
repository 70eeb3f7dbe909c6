"""The web page's images: a big raster image is published as a few smaller widths, offered through ``srcset``."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from exporter.document import Document, image_kind
from exporter.formats.assets import image_name, local_images
from exporter.formats.resize import WEB_WIDTHS, pixel_size, scaled, variant_name
from exporter.output import write_atomic

SIZES = "(max-width: 46rem) 100vw, 46rem"  # the page's text column


def responsive_images(document: Document, page: str, out_dir: Path) -> tuple[str, list[Path], set[str]]:
    """(page with ``srcset`` on big images, the scaled copies written, the srcs they replace)."""
    written, replaced = [], set()
    for src, path in local_images(document):
        if image_kind(path) not in ("png", "jpeg", "webp"):
            continue
        width, _ = pixel_size(path)
        candidates = []
        for limit in (w for w in WEB_WIDTHS if w < width):
            smaller = scaled(path, limit, 10 * limit)
            if smaller is None:
                continue
            name = variant_name(image_name(document, path), smaller.width)
            write_atomic(out_dir / name, smaller.data)
            written.append(out_dir / name)
            candidates.append((name, smaller.width))
        if not candidates:
            continue
        replaced.add(src)
        srcset = ", ".join(f"{escape(name)} {w}w" for name, w in candidates)
        attributes = f'src="{escape(candidates[-1][0])}" srcset="{srcset}" sizes="{SIZES}"'
        page = re.sub(rf'src="{re.escape(escape(src))}"', lambda _: attributes, page)
    return page, written, replaced
