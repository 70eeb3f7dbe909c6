"""Raster images sized for each format with Pillow: the email, web, print and ebook copies; originals untouched.

A photo straight from a camera (4000×3000, tens of MB) is scaled down to what the format can show
and recompressed: at most twice the email column for the email, ``srcset`` widths for the web page,
print resolution for the PDF and a sane size for the EPUB. Images already small enough are used as
they are. Encoding is deterministic, so rebuilds stay byte-identical.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EMAIL_MAX_WIDTH = 2 * 552  # twice the email column (retina screens)
WEB_WIDTHS = (640, 1280)  # srcset candidates below the original's width
PRINT_MAX_SIDE = 2400  # ≈ 300 dpi across an A4 page's 8 inches
EPUB_MAX_SIDE = 1600
RESIZABLE = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}  # GIFs may be animated: left alone
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Resized:
    """A scaled copy: its bytes, Pillow format name and pixel size."""

    data: bytes
    kind: str
    width: int
    height: int


def pixel_size(path: Path) -> tuple[int, int]:
    """The width and height of a raster image file (0×0 if Pillow cannot read it)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except Exception:  # not a raster image Pillow reads: nothing to resize
        return 0, 0


@lru_cache(maxsize=32)
def _scaled(path: str, stamp: tuple[int, int], max_width: int, max_height: int) -> Resized | None:
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        kind = image.format
        if kind not in RESIZABLE or (image.width <= max_width and image.height <= max_height):
            return None
        image = ImageOps.exif_transpose(image)  # a camera's rotation, applied before the EXIF block goes
        image.thumbnail((max_width, max_height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if kind == "JPEG":
            image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        elif kind == "WEBP":
            image.save(buffer, "WEBP", quality=JPEG_QUALITY, method=4)
        else:
            image.save(buffer, "PNG", optimize=True)
        return Resized(buffer.getvalue(), RESIZABLE[kind], image.width, image.height)


def scaled(path: Path, max_width: int, max_height: int | None = None) -> Resized | None:
    """``path`` scaled to fit ``max_width`` × ``max_height`` (aspect kept), or None if it already fits."""
    stat = path.stat()
    try:
        return _scaled(str(path.resolve()), (stat.st_mtime_ns, stat.st_size), max_width, max_height or max_width)
    except Exception:  # a truncated or odd file: the original is used as it is
        return None


def variant_name(name: str, width: int) -> str:
    """The file name of a scaled copy: ``photo.jpg`` at 1104 px is ``photo.w1104.jpg``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.w{width}.{suffix}" if dot else f"{name}.w{width}"


def data_uri(resized: Resized) -> str:
    """A scaled copy as a ``data:`` URI (how the EPUB and PDF take it in)."""
    import base64

    return f"data:image/{resized.kind};base64,{base64.b64encode(resized.data).decode('ascii')}"
