"""Raw HTML from sources is untrusted: an allow-list for web and email, confinement for engines."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nh3

from exporter.document import resolve_local

MATHML_TAGS = {"math", "mi", "mn", "mo", "ms", "mrow", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
               "mtext", "mspace", "mtable", "mtr", "mtd", "mover", "munder", "munderover", "semantics",
               "annotation", "mstyle", "mpadded", "mphantom", "menclose"}
ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption", "nav", "header", "footer", "main",
                                          "article", "aside", "details", "summary", "mark", "time", "dl", "dt",
                                          "dd", "colgroup", "col", "caption", "picture", "source", "video", "audio",
                                          "kbd", "samp", "var", "sup", "sub", "s", "u", "small"} | MATHML_TAGS) - {"script", "style"}
GLOBAL_ATTRIBUTES = {"class", "id", "lang", "dir", "title", "role", "hidden", "aria-label", "aria-hidden",
                     "aria-describedby", "data-lang"}
TAG_ATTRIBUTES = {
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "source": {"src", "type", "srcset", "media"},
    "video": {"src", "controls", "poster", "width", "height"},
    "audio": {"src", "controls"},
    "col": {"style", "span"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "mo": {"stretchy", "fence", "form", "accent"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "mspace": {"width"},
    "mtd": {"columnalign"},
    "mtable": {"columnalign"},
}
URL_ATTRIBUTES = re.compile(r"""\b(src|href|data|poster|srcset|xlink:href)\s*=\s*(["']?)([^"'\s>]*)\2""", re.I)
SAFE_URL = re.compile(r"^(https?:|mailto:|#|[^:/]*$|[^:]*/)", re.I)


def drop_unsafe_style(tag: str, attribute: str, value: str) -> str | None:
    """Keep only inline styles that cannot fetch anything."""
    if attribute == "style" and re.search(r"url\s*\(|expression|@import|\\", value, re.I):
        return None
    return value


def sanitize_html(html: str) -> str:
    """Clean rendered HTML with an allow-list: no script, iframe, object, handlers or javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"*": GLOBAL_ATTRIBUTES, **TAG_ATTRIBUTES},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=drop_unsafe_style,
    )


def confine_urls(html: str, base_dir: Path) -> str:
    """Neutralise URLs in raw HTML that point at local files outside ``base_dir``."""

    def replace(match: re.Match) -> str:
        value = match.group(3)
        if SAFE_URL.match(value) and (not value or value.startswith(("#", "http", "mailto"))
                                      or resolve_local(base_dir, value) is not None):
            return match.group(0)
        return f'{match.group(1)}="#"'

    html = re.sub(r"<link\b[^>]*>", "", html, flags=re.I)
    return URL_ATTRIBUTES.sub(replace, html)


def confine_raw_html(ast: dict, base_dir: Path) -> dict:
    """Return a copy of ``ast`` whose raw HTML cannot make an engine read outside ``base_dir``."""
    ast = copy.deepcopy(ast)
    stack = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("t") in ("RawBlock", "RawInline"):
                fmt, text = node["c"]
                node["c"] = [fmt, confine_urls(text, base_dir)] if fmt.lower() in ("html", "html5") else ["html", ""]
                continue
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return ast
