"""The issue body as email-safe HTML: sanitised, tables that scroll, images with absolute or cid: sources."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from exporter.document import Document
from exporter.formats.email.images import EmailImage
from exporter.merge_tags import restore_in_ast, unescape_in_urls
from exporter.pandoc import ast_to
from exporter.sanitize import sanitize_html

log = logging.getLogger(__name__)
PANDOC_ARGS = ["--mathml", "--syntax-highlighting=none"]
RENAMED_TAGS = {"section": "div", "figure": "div", "figcaption": "p"}


def fix_images(root, images: dict[str, EmailImage], image_src: Callable[[EmailImage], str]) -> None:
    """Point local images at their published or embedded copies, give each a width and an alt text."""
    for img in root.iter("img"):
        src = img.get("src", "")
        image = images.get(src)
        # a blocked image keeps its box: at most its width and never wider than the column (no sideways scroll)
        fit = "max-width:100%"
        if image is not None:
            img.set("src", image_src(image))
            img.set("width", str(image.display_width))  # Outlook reads the attribute, browsers the style
            fit = f"width:100%;max-width:{image.display_width}px"
        if not img.get("alt", "").strip():
            img.set("alt", "")  # the build has warned once, with file and line; a file name is no alt text
        img.set("style", f"{fit};height:auto;border:0")


def fix_tables(root) -> None:
    """Drop pandoc's column widths; each table scrolls in a fixed-layout frame that never widens the email."""
    import lxml.html

    for element in list(root.iter("colgroup", "col")):
        element.getparent().remove(element)
    for table in list(root.iter("table")):
        frame = lxml.html.fragment_fromstring(
            '<table role="presentation" class="table-frame" width="100%" cellpadding="0" cellspacing="0" border="0">'
            '<tr><td><div class="table-scroll"></div></td></tr></table>')
        table.addprevious(frame)
        frame.find(".//div").append(table)  # moves the table (and its tail text) into the frame
        frame.tail, table.tail = table.tail, None


def media_as_links(root) -> None:
    """Video and audio play in almost no mail client: each becomes a link to its first source."""
    import lxml.html

    for media in list(root.iter("video", "audio")):
        sources = [media.get("src")] + [source.get("src") for source in media.iter("source")]
        href = next((src for src in sources if src), None)
        label = "▶ " + ("video" if media.tag == "video" else "audio")
        replacement = lxml.html.fragment_fromstring('<p class="media"><a></a></p>')
        link = replacement.find("a")
        link.text = label
        if href:
            link.set("href", href)
        replacement.tail = media.tail
        media.getparent().replace(media, replacement)


def compact_notes(root) -> None:
    """Footnote calls become plain superscripts and back-links go: in-page anchors fail in most mail clients."""
    for link in list(root.iter("a")):
        classes = link.get("class", "").split()
        if "footnote-back" in classes:
            link.drop_tree()
        elif "footnote-ref" in classes:
            link.drop_tag()
    for element in root.iter():
        if element.get("id") is not None:
            del element.attrib["id"]
        if element.get("role") in ("doc-noteref", "doc-backlink", "doc-endnotes"):
            del element.attrib["role"]


def anchors_to_web_page(root, web_page: str) -> None:
    """In-document links (``#checklist``) point at that anchor of the web edition: mail clients drop the ids."""
    if not web_page:
        return
    for link in root.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and len(href) > 1:
            link.set("href", web_page + href)


def rename_tags(root) -> None:
    """HTML5 sectioning tags some clients drop become div/p, keeping their classes."""
    for element in root.iter(*RENAMED_TAGS):
        element.set("class", " ".join(filter(None, [element.tag, element.get("class", "")])))
        element.tag = RENAMED_TAGS[element.tag]


VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def close_empty_elements(root) -> None:
    """Give empty elements empty text: lxml writes an empty ``<li>`` without its end tag, which MJML cannot parse."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag not in VOID_TAGS and element.text is None and not len(element):
            element.text = ""


def email_body_html(document: Document, images: dict[str, EmailImage],
                    image_src: Callable[[EmailImage], str], merge_tags: re.Pattern, web_page: str = "") -> str:
    """Render the body for email: pandoc, the allow-list sanitiser, then the email fixes above."""
    import lxml.html

    html = sanitize_html(ast_to(restore_in_ast(document.ast, merge_tags), "html5", PANDOC_ARGS))
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    fix_tables(root)
    fix_images(root, images, image_src)
    media_as_links(root)
    compact_notes(root)
    anchors_to_web_page(root, web_page)
    rename_tags(root)
    close_empty_elements(root)
    inner = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return unescape_in_urls(inner, merge_tags)
