"""Repair an EPUB's XHTML files that raw HTML from the source left malformed (unclosed tags, ``<br>``, ``&nbsp;``).

pandoc copies raw HTML into the EPUB's XHTML as written; one ``<br>`` makes the file invalid XML.
A broken file is re-parsed the way a browser reads HTML and written back as XHTML. Files that are
already well-formed are left byte for byte as pandoc wrote them, and the archive keeps its order
and timestamps, so rebuilds stay identical.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

XHTML = "http://www.w3.org/1999/xhtml"
NAMESPACES = {"epub": "http://www.idpf.org/2007/ops", "xml": "http://www.w3.org/XML/1998/namespace"}
PREFIXES = {"": XHTML, "epub": NAMESPACES["epub"], "svg": "http://www.w3.org/2000/svg",
            "m": "http://www.w3.org/1998/Math/MathML", "xlink": "http://www.w3.org/1999/xlink"}


def is_well_formed(data: bytes) -> bool:
    """True if ``data`` parses as XML."""
    try:
        ET.fromstring(data)
    except ET.ParseError:
        return False
    return True


def to_xhtml(data: bytes) -> bytes:
    """Parse HTML leniently and serialise it as an XHTML document."""
    import tinyhtml5

    root = tinyhtml5.parse(data.decode("utf-8"))
    for element in root.iter():
        element.attrib.pop("xmlns", None)
        for key in [key for key in element.attrib if ":" in key and not key.startswith("{")]:
            value = element.attrib.pop(key)
            prefix, _, local = key.partition(":")  # xmlns:* declarations go: ElementTree writes its own
            if prefix in NAMESPACES:
                element.set(f"{{{NAMESPACES[prefix]}}}{local}", value)
    for prefix, uri in PREFIXES.items():
        ET.register_namespace(prefix, uri)
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n{body}\n'.encode()


def rewrite_epub(path: Path, transform: Callable[[str, bytes], bytes]) -> list[str]:
    """Pass every member of the EPUB at ``path`` through ``transform``; rewrite the archive if any changed.

    Members keep their order, timestamps and compression, so the result is as reproducible as the input.
    """
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    changed = {info.filename: new for info, data in members if (new := transform(info.filename, data)) != data}
    if not changed:
        return []
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for info, data in members:
                archive.writestr(info, changed.get(info.filename, data))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sorted(changed)


def repaired(name: str, data: bytes) -> bytes:
    """An XHTML member made well-formed (anything else, and well-formed XHTML, unchanged)."""
    return to_xhtml(data) if name.endswith(".xhtml") and not is_well_formed(data) else data
