"""The ebook edition: EPUB 3 written by pandoc, valid for EPUBCheck with no errors and no warnings.

Every edition gets a cover (the issue's cover image, raster or SVG), a title page, a nav with
landmarks, ``lang``, ``dc:date``, a stable ``urn:uuid`` identifier, schema.org accessibility metadata,
footnotes as EPUB footnotes (``aside epub:type="footnote"``), images with their alt text and the
theme's ``epub.css``. Before pandoc sees the document, what an EPUB cannot hold is made safe: remote
images are links (``confine_raw_html``), so are remote video, audio and iframes in raw HTML, tags
that are no HTML element (MDX components) go, links to files outside the book or to anchors that do
not exist become plain text, images go in by a name of their core media type (a data URI if only
their content gives it) or become their alt text, empty ``<a name>`` anchors in raw HTML become real
ids and every id is made unique. Raw HTML that is not valid XHTML is repaired after pandoc has
written the book (``xhtml.repaired``).
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
import uuid
from html import escape, unescape
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.builddate import source_date_epoch
from exporter.check.links import RAW_LINK, broken_link, element_ids, is_external
from exporter.check.sources import RAW_ALT, RAW_IMAGE, RAW_SRC
from exporter.document import Document, image_kind, resolve_local
from exporter.formats.base import Exporter, Site
from exporter.formats.resize import EPUB_MAX_SIDE, data_uri, scaled
from exporter.formats.headings import name_empty_headings, shift_headings
from exporter.formats.xhtml import ebook_raw_html, repaired, rewrite_epub, unique_ids
from exporter.i18n import strings, text_direction
from exporter.pandoc import run_pandoc
from exporter.sanitize import confine_raw_html
from exporter.themes import Theme

IDENTIFIER_NAMESPACE = uuid.UUID("6f1c7a52-4d8e-4c39-9a3e-8f4c2b1d0e77")
EMPTY_ANCHOR = re.compile(r"""^<a\s+(?:name|id)\s*=\s*["']([^"']+)["']\s*/?>$""", re.I)
LANDMARK_KEYS = {"cover": "cover", "titlepage": "title_page", "toc": "contents", "bodymatter": "start_of_content"}
LANDMARK_LINK = re.compile(r'(<a href="[^"]*" epub:type="(cover|titlepage|toc)">)[^<]*(</a>)')
CORE_IMAGE_TYPES = {".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                    ".svg": "image/svg+xml", ".webp": "image/webp"}


def meta_string(value: str) -> dict:
    """A pandoc MetaString."""
    return {"t": "MetaString", "c": value}


def meta_list(values: list[str]) -> dict:
    """A pandoc MetaList of strings."""
    return {"t": "MetaList", "c": [meta_string(value) for value in values]}


def epub_identifier(slug: str, lang: str) -> str:
    """A stable identifier for one edition: the same slug and language always give the same URN."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, f'{slug}/{lang}')}"


def accessibility_metadata(ast: dict, lang: str) -> dict:
    """schema.org accessibility metadata (access modes, features, hazards, summary) for pandoc."""
    images = [element for element in pandoc_ast.walk(ast["blocks"]) if element["t"] == "Image"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if images:
        features.append("alternativeText")
    if any(element["t"] == "Math" for element in pandoc_ast.walk(ast["blocks"])):
        features.append("MathML")
    return {
        "accessModes": meta_list(["textual", "visual"] if images else ["textual"]),
        "accessModeSufficient": meta_list(["textual"]),
        "accessibilityFeatures": meta_list(features),
        "accessibilityHazards": meta_list(["none"]),
        "accessibilitySummary": meta_string(strings(lang)["accessibility_summary"]),
    }


def epub_metadata(document: Document, site: Site | None = None, ast: dict | None = None) -> dict:
    """The pandoc metadata block for the EPUB writer."""
    meta = document.meta
    fields = {
        "title": meta_string(meta.title),
        "lang": meta_string(meta.lang),
        "date": meta_string(meta.date.isoformat()),
        "identifier": meta_string(epub_identifier(meta.slug, meta.lang)),
        "toc-title": meta_string(strings(meta.lang)["contents"]),
        "dir": meta_string(text_direction(meta.lang)),
        "page-progression-direction": meta_string(text_direction(meta.lang)),
        **accessibility_metadata(ast or document.ast, meta.lang),
    }
    if meta.subtitle:
        fields["subtitle"] = meta_string(meta.subtitle)
    if meta.author:
        fields["author"] = meta_list([meta.author])
    if meta.summary:
        fields["description"] = meta_string(meta.summary)
    if meta.tags:
        fields["subject"] = meta_list(list(meta.tags))
    if site is not None and site.title:
        fields["publisher"] = meta_string(site.title)
    return fields


def raw_anchors_as_spans(ast: dict) -> dict:
    """Replace ``<a name="x"></a>`` pairs of raw HTML inlines by an empty Span with id ``x``."""

    def convert(inlines: list) -> list:
        result, index = [], 0
        while index < len(inlines):
            item = inlines[index]
            following = inlines[index + 1] if index + 1 < len(inlines) else None
            if (item.get("t") == "RawInline" and following and following.get("t") == "RawInline"
                    and EMPTY_ANCHOR.match(item["c"][1].strip()) and following["c"][1].strip().lower() == "</a>"):
                result.append({"t": "Span", "c": [[EMPTY_ANCHOR.match(item["c"][1].strip()).group(1), [], []], []]})
                index += 2
                continue
            result.append(walk(item))
            index += 1
        return result

    def walk(node):
        if isinstance(node, list):
            if node and all(isinstance(item, dict) and "t" in item for item in node):
                return convert(node)
            return [walk(item) for item in node]
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        return node

    return {**ast, "blocks": walk(ast["blocks"])}


def ebook_links(ast: dict, base_dir: Path) -> dict:
    """Links an EPUB cannot follow become text; raw ``<img>`` whose file is not in the book becomes its alt text.

    Runs after ``confine_raw_html``, which has already turned remote images into links and
    neutralised remote or escaping URLs in raw HTML.
    """
    ids = element_ids(ast)

    def keeps(url: str) -> bool:
        return is_external(url) or (url.startswith("#") and broken_link(url, ids, base_dir) is None)

    def local_image(tag: str) -> str:
        src = RAW_SRC.search(tag)
        held = ebook_image_src(src.group(1), base_dir) if src and not is_external(src.group(1)) else None
        return raw_alt(tag) if held is None else tag[:src.start(1)] + held + tag[src.end(1):]

    def convert(node: dict) -> dict:
        if node["t"] == "Link" and not keeps(node["c"][2][0]):
            return {"t": "Span", "c": [node["c"][0], node["c"][1]]}
        if node["t"] in ("RawInline", "RawBlock") and node["c"][0].lower() in ("html", "html5"):
            html = RAW_IMAGE.sub(lambda m: local_image(m.group(0)), node["c"][1])
            html = RAW_LINK.sub(lambda m: m.group(0) if keeps(m.group(3)) else f'{m.group(1)}"#"', html)
            return {"t": node["t"], "c": [node["c"][0], html]}
        return node

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, dict):
            if "t" in node:
                node = convert(node)
            return {key: walk(value) for key, value in node.items()}
        return node

    return {**ast, "blocks": walk(ast["blocks"])}


def ebook_image_src(src: str, base_dir: Path) -> str | None:
    """The source the EPUB holds an image by, or None if it cannot hold it.

    That is ``src`` if its name gives its core media type, a data URI if only its content does (pandoc
    then names the file by it).
    """
    if src.lower().startswith("data:"):
        return src if src[5:].split(";")[0].split(",")[0].lower() in CORE_IMAGE_TYPES.values() else None
    target = resolve_local(base_dir, src)
    kind = image_kind(target) if target is not None and target.is_file() else None
    if kind is None:
        return None
    media_type = "image/svg+xml" if kind == "svg" else f"image/{kind}"
    smaller = scaled(target, EPUB_MAX_SIDE) if kind in ("png", "jpeg", "webp") else None
    if smaller is not None:  # a camera photo: a sane size for a reader, not the original
        return data_uri(smaller)
    if CORE_IMAGE_TYPES.get(target.suffix.lower()) == media_type:
        return src
    return f"data:{media_type};base64,{base64.b64encode(target.read_bytes()).decode('ascii')}"


def ebook_images(ast: dict, base_dir: Path) -> dict:
    """Images go in by a name of their media type (``ebook_image_src``); any other becomes its alt text.

    A figure of nothing but such images becomes a plain block, without its caption if that repeats the alt text.
    """
    for element in pandoc_ast.walk(ast["blocks"]):
        if element["t"] == "Figure":
            attr, (_, caption), body = element["c"]
            images = [item for item in pandoc_ast.walk(body) if item["t"] == "Image"]
            if images and all(ebook_image_src(image["c"][2][0], base_dir) is None for image in images):
                same = pandoc_ast.stringify(caption).strip() == pandoc_ast.stringify(body).strip()
                element["t"], element["c"] = "Div", [attr, body + ([] if same else caption)]
        elif element["t"] == "Image":
            held = ebook_image_src(element["c"][2][0], base_dir)
            if held is None:
                (ident, classes, _), alt = element["c"][0], element["c"][1]
                element["t"], element["c"] = "Span", [[ident, classes, []], alt]
            else:
                element["c"][2][0] = held
    return ast


def raw_alt(tag: str) -> str:
    """The alt text of a raw ``<img>`` tag, escaped (empty if it has none)."""
    match = RAW_ALT.search(tag)
    return escape(unescape(match.group(2))) if match else ""


def finish_nav(nav: bytes, lang: str) -> bytes:
    """Landmarks in the edition's language, plus a ``bodymatter`` landmark at the first chapter."""
    t = strings(lang)
    labels = {landmark: t[key] for landmark, key in LANDMARK_KEYS.items()}
    text = LANDMARK_LINK.sub(lambda m: f"{m.group(1)}{labels[m.group(2)]}{m.group(3)}", nav.decode("utf-8"))
    first = re.search(r'<nav epub:type="toc".*?href="(text/ch\d+\.xhtml)', text, re.S)
    if first and 'epub:type="bodymatter"' not in text:
        entry = f'<li>\n      <a href="{first.group(1)}" epub:type="bodymatter">{labels["bodymatter"]}</a>\n    </li>\n  '
        head, landmarks = text.split('<nav epub:type="landmarks"', 1)
        text = head + '<nav epub:type="landmarks"' + landmarks.replace("</ol>", entry + "</ol>", 1)
    return text.encode("utf-8")


def with_direction(xhtml: bytes, direction: str) -> bytes:
    """An XHTML document whose root ``<html>`` carries ``dir`` (every document of the book, nav included).

    In a right-to-left book, code runs left to right: ``<pre>`` and ``<code>`` get ``dir="ltr"`` (EPUB
    style sheets may not set ``direction``).
    """
    head, found, rest = xhtml.partition(b"<html ")
    if not found or re.match(rb"[^>]*\bdir=", rest):
        return xhtml
    if direction == "rtl":
        rest = re.sub(rb"<(pre|code)(?![^>]*\bdir=)(?=[\s>])", rb'<\1 dir="ltr"', rest)
    return head + b'<html dir="' + direction.encode("ascii") + b'" ' + rest


def without_direction_wrappers(ast: dict) -> dict:
    """Top-level ``<div dir="…">`` wrappers are unwrapped: every document of the book carries ``dir``, and
    headings inside a wrapper would not start chapters (the book would have an empty contents list)."""
    blocks = []
    for block in ast["blocks"]:
        if block["t"] == "Div" and not block["c"][0][0] and not block["c"][0][1] \
                and [key for key, _ in block["c"][0][2]] == ["dir"]:
            blocks.extend(block["c"][1])
        else:
            blocks.append(block)
    return {**ast, "blocks": blocks}


def ebook_ast(document: Document) -> dict:
    """The document as the EPUB holds it: confined raw HTML, headings from 1, followable links, unique ids."""
    ast = without_direction_wrappers(ebook_raw_html(document.ast))
    ast = raw_anchors_as_spans(confine_raw_html(ast, document.image_dirs))
    ast = ebook_links(name_empty_headings(shift_headings(ast, 1), document.meta.lang), document.image_dirs)
    return unique_ids(ebook_images(ast, document.image_dirs))


class EpubExporter(Exporter):
    """EPUB 3 from pandoc's writer and the theme's ``epub.css``."""

    name = "epub"
    suffix = ".epub"
    theme_files = ("epub.css",)

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write the EPUB with pandoc, then finish the landmarks and repair raw HTML that is not XHTML."""
        target = out_dir / self.filename(document)
        ast = ebook_ast(document)
        ast["meta"] = epub_metadata(document, self.site, ast)
        with tempfile.TemporaryDirectory() as folder:
            stylesheet = Path(folder) / "epub.css"  # the theme's template, rendered with its variables
            stylesheet.write_text(theme.render("epub.css", lang=document.meta.lang), encoding="utf-8")
            args = ["-f", "json", "-t", "epub3", "-o", str(target), "--toc", "--toc-depth=2", "--split-level=1",
                    "--epub-title-page=true", f"--css={stylesheet}"]
            cover = resolve_local(document.image_dirs, document.meta.cover) if document.meta.cover else None
            if cover is not None and cover.is_file():
                args.append(f"--epub-cover-image={cover}")
            run_pandoc(
                args,
                json.dumps(ast),
                resource_path=list(document.image_dirs),
                sandbox=False,
                env={"SOURCE_DATE_EPOCH": source_date_epoch(document.meta.date)},
                what="pandoc (writing EPUB)",
            )
        lang = document.meta.lang

        def finish(name: str, data: bytes) -> bytes:
            data = finish_nav(data, lang) if name == "EPUB/nav.xhtml" else repaired(name, data)
            return with_direction(data, text_direction(lang)) if name.endswith(".xhtml") else data

        rewrite_epub(target, finish)
        return [target]
