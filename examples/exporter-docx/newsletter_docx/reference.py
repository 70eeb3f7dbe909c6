"""Write a theme's ``reference.docx``: pandoc's default reference document in the theme's fonts and accent.

    python -m newsletter_docx.reference themes/minimal

reads ``theme.toml`` of that folder (and its ``extends`` parents) and writes ``reference.docx`` into it.
The zip is written with fixed timestamps, so the same theme always gives the same bytes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def first_family(css_font_family: str) -> str:
    """The first family of a CSS font-family list: ``'DejaVu Serif', Georgia, serif`` → ``DejaVu Serif``."""
    return css_font_family.split(",")[0].strip().strip("'\"")


def hex_colour(css_colour: str) -> str:
    """A ``#rrggbb`` (or ``#rgb``) colour as OOXML's ``RRGGBB``."""
    value = css_colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        raise ValueError(f"not a #rrggbb colour: {css_colour!r}")
    return value.upper()


def pandoc_default_reference() -> bytes:
    """pandoc's own reference.docx."""
    from exporter.pandoc import pandoc_binary

    return subprocess.run([pandoc_binary(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout


def restyle(part: str, text: str, variables: dict) -> str:
    """Put the theme's fonts and accent into one XML part of the reference document."""
    if part == "word/theme/theme1.xml":
        body, heading = first_family(variables["body_font"]), first_family(variables["heading_font"])
        text = re.sub(r'(<a:majorFont>\s*)<a:latin [^>]*/>', rf'\g<1><a:latin typeface="{heading}"/>', text)
        text = re.sub(r'(<a:minorFont>\s*)<a:latin [^>]*/>', rf'\g<1><a:latin typeface="{body}"/>', text)
        text = re.sub(r'(<a:accent1>\s*<a:srgbClr val=")[^"]*', rf"\g<1>{hex_colour(variables['accent'])}", text)
    elif part == "word/styles.xml":
        # Headings and the title are drawn in accent1 shaded darker; use the accent itself, unshaded.
        text = re.sub(r'<w:color w:val="[0-9A-Fa-f]{6}" w:themeColor="accent1"\s+w:themeShade="[0-9A-Fa-f]+"\s*/>',
                      f'<w:color w:val="{hex_colour(variables["accent"])}" w:themeColor="accent1" />', text)
    return text


def make_reference(variables: dict, target: Path, template: bytes | None = None) -> Path:
    """Write ``target`` from pandoc's reference document (or ``template``) restyled with ``variables``."""
    import io

    source = zipfile.ZipFile(io.BytesIO(template or pandoc_default_reference()))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in ("word/theme/theme1.xml", "word/styles.xml"):
                data = restyle(item.filename, data.decode("utf-8"), variables).encode("utf-8")
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    return target


def main(argv: list[str]) -> int:
    """Command line: write reference.docx into each theme folder given."""
    from exporter.themes import load_theme

    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for folder in map(Path, argv):
        folder = folder.resolve()
        theme = load_theme(folder.name, folder.parent.parent)
        print(make_reference(theme.variables, folder / "reference.docx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
