"""Images for the email edition: local files read once, SVG rasterised to PNG (mail clients show no SVG)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from exporter.document import Document, image_kind, parse_svg
from exporter.errors import ExportError
from exporter.formats.assets import image_name, local_images

CONTENT_WIDTH = 552  # the 600 px email body less its 24 px side padding
RETINA_SCALE = 2
MAX_SVG_BYTES = 2 * 1024 * 1024
DIAGRAM_BACKGROUND = "#ffffff"  # the theme's ``diagram_background`` variable overrides it
SVG_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class EmailImage:
    """One local image as the email shows it: its file name next to the email, bytes, type and size."""

    src: str
    name: str
    data: bytes
    subtype: str
    width: int
    height: int

    @property
    def display_width(self) -> int:
        """The width the email gives it: natural size (halved for rasterised SVG), at most the column."""
        natural = self.width // RETINA_SCALE if self.name.endswith(".svg.png") else self.width
        return min(natural, CONTENT_WIDTH)


def svg_size(data: bytes) -> tuple[float, float]:
    """The natural size of an SVG from its root's width/height (or viewBox); the column width if unknown."""
    root = re.search(rb"<svg\b[^>]*>", data[:8192], re.S)
    tag = root.group(0).decode("utf-8", "replace") if root else ""
    attrs = dict(re.findall(r'(?<![\w-])(width|height|viewBox)\s*=\s*["\']([^"\']*)["\']', tag))
    box = [float(n) for n in re.findall(r"-?[0-9.]+", attrs.get("viewBox", ""))[:4]]
    width = SVG_LENGTH.match(attrs.get("width", ""))
    height = SVG_LENGTH.match(attrs.get("height", ""))
    w = float(width.group(1)) if width else (box[2] if len(box) == 4 else CONTENT_WIDTH)
    h = float(height.group(1)) if height else (box[3] if len(box) == 4 else w / 2)
    if not width and height and len(box) == 4 and box[3]:
        w = h * box[2] / box[3]
    return (w or CONTENT_WIDTH), (h or CONTENT_WIDTH / 2)


def rasterise_svg(data: bytes, source: Path | str = "SVG", background: str | None = DIAGRAM_BACKGROUND) -> bytes:
    """Render an SVG to a PNG twice its display width on ``background``, with no external fetches (Typst).

    An opaque background keeps a diagram's dark strokes and labels readable when the mail client is in dark mode.
    Typst draws the SVG with the fonts the PDF uses; it reads nothing but the SVG's own bytes (an empty root
    folder; images the SVG links to are left out).
    """
    import tempfile

    from exporter.formats.typst_compile import compile_typst

    if len(data) > MAX_SVG_BYTES:
        raise ExportError(f"{source}: SVG larger than {MAX_SVG_BYTES // 1024 // 1024} MB")
    text = self_contained_svg(data, source)
    width, _ = svg_size(data)
    fill = typst_color(background) if background else "none"
    page = (f"#set page(width: auto, height: auto, margin: 0pt, fill: {fill})\n"
            f'#image(bytes(sys.inputs.svg), format: "svg", width: {min(width, CONTENT_WIDTH):.3f}pt)\n')
    with tempfile.TemporaryDirectory(prefix="newsletter-svg-") as root:
        try:
            return compile_typst({"source": page, "root": root, "format": "png", "ppi": 72.0 * RETINA_SCALE,
                                  "inputs": {"svg": text}})
        except ExportError as error:
            raise ExportError(f"{source}: cannot rasterise SVG for email ({error.message})") from None


def self_contained_svg(data: bytes, source: Path | str) -> str:
    """The SVG as text without the images it links to (only ``data:`` images stay): nothing else is read."""
    from lxml import etree

    try:
        root = parse_svg(data)
    except etree.XMLSyntaxError as error:
        raise ExportError(f"{source}: cannot rasterise SVG for email (not well-formed: {error})") from None
    for element in list(root.iter("{*}image", "{*}feImage")):
        href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
        if not href.strip().startswith("data:"):
            element.getparent().remove(element)
    return etree.tostring(root, encoding="unicode")


def typst_color(css: str) -> str:
    """A CSS colour (``#rrggbb``, ``rgb(…)``, a CSS name) as a Typst colour expression."""
    from PIL import ImageColor

    try:
        channels = ImageColor.getrgb(css.strip())
    except ValueError:
        raise ExportError(f"diagram_background: '{css}' is not a CSS colour") from None
    return "rgb(" + ", ".join(str(value) for value in channels) + ")"


def pixel_size(data: bytes) -> tuple[int, int]:
    """The pixel size of a raster image."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def email_images(document: Document, background: str | None = DIAGRAM_BACKGROUND) -> dict[str, EmailImage]:
    """Every local image of the body and cover, by ``src`` as written; SVG becomes ``<path>.svg.png`` on ``background``."""
    from exporter.formats.resize import EMAIL_MAX_WIDTH, scaled, variant_name

    found = {}
    for src, path in local_images(document):
        kind = image_kind(path)
        name = image_name(document, path)
        smaller = scaled(path, EMAIL_MAX_WIDTH, 8 * EMAIL_MAX_WIDTH) if kind != "svg" else None
        if smaller is not None:  # a big photo: a copy at most twice the column wide, recompressed
            data, kind, name = smaller.data, smaller.kind, variant_name(name, smaller.width)
        else:
            data = path.read_bytes()
        if kind == "svg":
            data, kind, name = rasterise_svg(data, path, background), "png", name + ".png"
        width, height = pixel_size(data)
        found[src] = EmailImage(src, name, data, kind, width, height)
    return found
