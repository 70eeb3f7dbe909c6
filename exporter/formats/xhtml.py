"""Raw HTML and ids in an EPUB: what an ebook cannot hold changed before pandoc, XHTML repaired after it.

Before pandoc, raw video, audio and iframes become a link to what they would play, tags that are no
element of HTML, SVG or MathML (MDX components like ``<Sandpack>``) go (``ebook_raw_html``), and
every id is given to one element (``unique_ids``).
pandoc copies raw HTML into the EPUB's XHTML as written; one ``<br>`` makes the file invalid XML.
A broken file is re-parsed the way a browser reads HTML and written back as XHTML. Every file is
also made to conform: elements XHTML does not have are unwrapped (their content stays), obsolete
ones renamed, ``<source>``/``<track>`` outside media dropped and repeated ids renamed. Files that
need none of this are left byte for byte as pandoc wrote them, and the archive keeps its order
and timestamps, so rebuilds stay identical.
"""

from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from html import escape, unescape
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.check.links import RAW_LINK, element_ids
from exporter.check.sources import RAW_SRC
from exporter.sanitize import MATHML_TAGS, is_private_url, is_remote

XHTML = "http://www.w3.org/1999/xhtml"
NAMESPACES = {"epub": "http://www.idpf.org/2007/ops", "xml": "http://www.w3.org/XML/1998/namespace"}
PREFIXES = {"": XHTML, "epub": NAMESPACES["epub"], "svg": "http://www.w3.org/2000/svg",
            "m": "http://www.w3.org/1998/Math/MathML", "xlink": "http://www.w3.org/1999/xlink"}
# The elements of HTML's XHTML syntax that an EPUB 3 content document may hold.
HTML_ELEMENTS = frozenset("""
    a abbr address area article aside audio b bdi bdo blockquote body br button canvas caption cite code col
    colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark
    menu meta meter nav object ol optgroup option output p picture pre progress q rp rt ruby s samp script search
    section select slot small source span strong style sub summary sup table tbody td template textarea tfoot th
    thead time title tr track u ul var video wbr""".split())
OBSOLETE = {"acronym": "abbr", "strike": "s", "tt": "code"}  # obsolete elements with a current equivalent
MEDIA_PARENTS = {"source": ("video", "audio", "picture"), "track": ("video", "audio")}
SVG_TAGS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "defs",
            "use", "symbol", "title", "desc", "lineargradient", "radialgradient", "stop", "clippath", "mask", "image"}
MEDIA_TAGS = {"video", "audio", "source", "iframe"}  # an ebook links to what they would play
MEDIA_WRAPPERS = {"picture", "track"}  # a picture's <img> is enough; a track subtitles a video no longer there
KNOWN_TAGS = (HTML_ELEMENTS | set(OBSOLETE) | MATHML_TAGS | SVG_TAGS) - MEDIA_WRAPPERS
RAW_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)[^>]*>")
RAW_ID = re.compile(r"""((?<![\w:-])id\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
ATTR_AT = {"Header": 1, "CodeBlock": 0, "Div": 0, "Span": 0, "Code": 0, "Link": 0, "Image": 0, "Table": 0, "Figure": 0}
PANDOC_IDS = re.compile(r"^(footnotes|fn\d+|fnref\d+(-\d+)?|cb\d+(-\d+)?)$")  # ids pandoc's writer gives itself


def ebook_tag(match: re.Match) -> str:
    """One raw HTML tag as an ebook holds it: media become a link to their remote source, unknown tags go."""
    closing, name = match.group(1), match.group(2).lower()
    if name in MEDIA_TAGS:
        src = RAW_SRC.search(match.group(0))
        url = unescape(src.group(1)) if src and not closing else ""
        return f'<a href="{escape(url)}">{escape(url)}</a>' if is_remote(url) and not is_private_url(url) else ""
    return match.group(0) if name in KNOWN_TAGS else ""


def ebook_raw_html(ast: dict) -> dict:
    """A copy of ``ast`` whose raw HTML tags are rewritten by ``ebook_tag``, without paragraphs left empty.

    Runs before ``confine_raw_html``, which would turn the media sources into ``#``.
    """
    ast = pandoc_ast.copied(ast)
    rewritten = set()
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] in ("RawInline", "RawBlock") and element["c"][0].lower() in ("html", "html5"):
            html = RAW_TAG.sub(ebook_tag, element["c"][1])
            if html != element["c"][1]:
                element["c"][1] = html
                rewritten.add(id(element))

    def blank(block: dict) -> bool:  # a paragraph that only held tags that went
        return block.get("t") == "Para" and any(id(item) in rewritten for item in block["c"]) and all(
            item["t"] in ("Space", "SoftBreak") or (item["t"] == "RawInline" and not item["c"][1].strip())
            for item in block["c"])

    def prune(node):
        if isinstance(node, list):
            return [prune(item) for item in node if not (isinstance(item, dict) and blank(item))]
        if isinstance(node, dict):
            return {key: prune(value) for key, value in node.items()}
        return node

    return {**ast, "blocks": prune(ast["blocks"])}


def unique_ids(ast: dict) -> dict:
    """Give every id to one element: a repeat, or an id pandoc's writer uses itself, is renamed.

    The first element keeps a repeated id, so links still reach it as they do in a browser; links to an
    id renamed where it first appears (one of pandoc's own) follow it to its new name.
    """
    taken, seen, moved = set(element_ids(ast)), set(), {}

    def claim(ident: str) -> str:
        if not ident or (ident not in seen and not PANDOC_IDS.match(ident)):
            seen.add(ident)
            return ident
        number = 1
        while f"{ident}-{number}" in taken:
            number += 1
        new = f"{ident}-{number}"
        if ident not in seen:
            moved[ident] = new
        taken.add(new)
        seen.update((ident, new))
        return new

    def follow(url: str) -> str:
        return "#" + moved[url[1:]] if url.startswith("#") and url[1:] in moved else url

    def raw_ids(tag: re.Match) -> str:
        return RAW_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}{claim(m.group(3))}{m.group(2)}", tag.group(0), 1)

    elements = list(pandoc_ast.walk(ast["blocks"]))
    for element in elements:
        if element["t"] in ATTR_AT:
            attr = element["c"][ATTR_AT[element["t"]]]
            attr[0] = claim(attr[0])
        elif element["t"] in ("RawInline", "RawBlock"):
            element["c"][1] = RAW_TAG.sub(raw_ids, element["c"][1])
    for element in elements:
        if element["t"] == "Link":
            element["c"][2][0] = follow(element["c"][2][0])
        elif element["t"] in ("RawInline", "RawBlock"):
            element["c"][1] = RAW_LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}{follow(m.group(3))}{m.group(2)}",
                                           element["c"][1])
    return ast


def parse_html(data: bytes) -> ET.Element:
    """Parse HTML leniently, the way a browser does, into an XHTML tree."""
    import tinyhtml5

    root = tinyhtml5.parse(data.decode("utf-8"))
    for element in root.iter():
        element.attrib.pop("xmlns", None)
        for key in [key for key in element.attrib if ":" in key and not key.startswith("{")]:
            value = element.attrib.pop(key)
            prefix, _, local = key.partition(":")  # xmlns:* declarations go: ElementTree writes its own
            if prefix in NAMESPACES:
                element.set(f"{{{NAMESPACES[prefix]}}}{local}", value)
    return root


def to_xhtml(data: bytes) -> bytes:
    """Parse HTML leniently and serialise it as an XHTML document."""
    return serialize(parse_html(data))


def serialize(root: ET.Element) -> bytes:
    """An XHTML tree as an XHTML document with its XML declaration and doctype."""
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


def unwrap(parent: ET.Element, element: ET.Element, parents: dict, keep: bool = True) -> None:
    """Replace ``element`` in ``parent`` by its text and children (or by nothing), keeping its tail."""
    index, children = list(parent).index(element), list(element) if keep else []
    previous = parent[index - 1] if index else None
    text, tail = (element.text or "") if keep else "", element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
        parents[child] = parent
    last = children[-1] if children else previous
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def conform(root: ET.Element) -> bool:
    """Make an XHTML tree valid for an EPUB in place (see the module docstring); True if anything changed."""
    parents = {child: parent for parent in root.iter() for child in parent}
    changed = False
    for element in reversed(list(root.iter())):  # descendants before their ancestors
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{XHTML}}}") or element is root:
            continue
        local, parent = element.tag.split("}", 1)[1], parents[element]
        parent_local = parent.tag.split("}", 1)[-1] if isinstance(parent.tag, str) else ""
        if local not in HTML_ELEMENTS and (local.lower() in HTML_ELEMENTS or local.lower() in OBSOLETE):
            element.tag = f"{{{XHTML}}}{OBSOLETE.get(local.lower(), local.lower())}"
        elif local not in HTML_ELEMENTS:
            unwrap(parent, element, parents)
        elif local in MEDIA_PARENTS and parent_local not in MEDIA_PARENTS[local]:
            unwrap(parent, element, parents, keep=False)
        else:
            continue
        changed = True
    return unique_element_ids(root) or changed


def unique_element_ids(root: ET.Element) -> bool:
    """Rename every repeat of an id (the first keeps it, so links still reach it); True if any was renamed."""
    taken = {element.get("id") for element in root.iter()}
    seen, changed = set(), False
    for element in root.iter():
        ident = element.get("id")
        if ident is None:
            continue
        if ident in seen:
            number = 1
            while f"{ident}-{number}" in taken:
                number += 1
            ident = f"{ident}-{number}"
            element.set("id", ident)
            taken.add(ident)
            changed = True
        seen.add(ident)
    return changed


def repaired(name: str, data: bytes) -> bytes:
    """An XHTML member made well-formed and conforming (anything else, and conforming XHTML, unchanged)."""
    if not name.endswith(".xhtml"):
        return data
    try:
        root, broken = ET.fromstring(data), False
    except ET.ParseError:
        root, broken = parse_html(data), True
    return serialize(root) if conform(root) or broken else data
