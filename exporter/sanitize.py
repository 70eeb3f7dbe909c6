"""Raw HTML from sources is untrusted: an allow-list for web and email, confinement for engines."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

import nh3

from exporter import ast as pandoc_ast
from exporter.document import resolve_local

MATHML_TAGS = {"math", "mi", "mn", "mo", "ms", "mrow", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
               "mtext", "mspace", "mtable", "mtr", "mtd", "mover", "munder", "munderover", "semantics",
               "annotation", "mstyle", "mpadded", "mphantom", "menclose"}
ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption", "nav", "header", "footer", "main",
                                          "article", "aside", "details", "summary", "mark", "time", "dl", "dt",
                                          "dd", "colgroup", "col", "caption", "picture", "source", "video", "audio",
                                          "kbd", "samp", "var", "sup", "sub", "s", "u", "small"} | MATHML_TAGS) - {"script", "style"}
GLOBAL_ATTRIBUTES = {"class", "id", "lang", "dir", "title", "role", "tabindex", "hidden", "aria-label", "aria-hidden",
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
SAFE_LINK = re.compile(r"^\s*(https?:|mailto:|#|[^:]*$)", re.I)
SAFE_URL = re.compile(r"^(https?:|mailto:|#|[^:/]*$|[^:]*/)", re.I)


def is_private_url(url: str) -> bool:
    """True for URLs aimed at loopback, private or link-local hosts (never fine in a published edition)."""
    host = (urlsplit(url.strip()).hostname or "") if is_remote(url) else ""
    if host in ("localhost",) or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def drop_unsafe_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop inline styles that could fetch something, and URLs aimed at private hosts."""
    if attribute == "style" and re.search(r"url\s*\(|expression|@import|\\", value, re.I):
        return None
    if attribute in ("src", "href", "poster", "srcset") and is_private_url(value):
        return None
    return value


IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.I)


def sanitize_html(html: str) -> str:
    """Clean rendered HTML with an allow-list: no script, iframe, object, handlers or javascript: URLs.

    Every ``<img>`` keeps its alt text or gets ``alt=""``: never no ``alt`` at all.
    """
    return IMG_WITHOUT_ALT.sub('<img alt=""', nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"*": GLOBAL_ATTRIBUTES, **TAG_ATTRIBUTES},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=drop_unsafe_attribute,
    ))


ACTIVE_TAG = re.compile(r"<\s*/?\s*(script|iframe|object|embed|link|style|meta|base|form|input|button|textarea)\b[^>]*>",
                        re.I)
EVENT_ATTRIBUTE = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def strip_active_tags(html: str) -> str:
    """Remove active tags and event handlers from a single raw inline tag (it may be unbalanced)."""
    html = EVENT_ATTRIBUTE.sub("", ACTIVE_TAG.sub("", html))
    return re.sub(r"""(href|src)\s*=\s*(["']?)\s*javascript:[^"'\s>]*\2""", r'\1="#"', html, flags=re.I)


def is_remote(url: str) -> bool:
    """True for URLs an engine would fetch over the network."""
    return bool(re.match(r"^\s*(https?:)?//", url, re.I))


def confine_urls(html: str, base_dir: Path) -> str:
    """Neutralise URLs in raw HTML that an engine would fetch: remote ones, and files outside ``base_dir``."""

    def replace(match: re.Match) -> str:
        attribute, value = match.group(1).lower(), match.group(3)
        if attribute == "href" and (value.startswith(("#", "mailto:")) or is_remote(value)):
            return match.group(0)
        if SAFE_URL.match(value) and not is_remote(value) and resolve_local(base_dir, value) is not None:
            return match.group(0)
        return f'{match.group(1)}="#"'

    html = re.sub(r"<link\b[^>]*>", "", html, flags=re.I)
    return URL_ATTRIBUTES.sub(replace, html)


def confine_raw_html(ast: dict, base_dir: Path) -> dict:
    """A copy of ``ast`` that cannot make an unsandboxed engine read outside ``base_dir`` or fetch a URL."""
    ast = pandoc_ast.copied(ast)
    stack = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("t") == "Image" and is_remote(node["c"][2][0]):
                attr, alt, (src, _title) = node["c"]
                node["t"], node["c"] = "Link", [attr, alt, [src, ""]]  # shown as a link, never fetched
                continue
            if node.get("t") == "Link" and not SAFE_LINK.match(node["c"][2][0]):
                node["c"][2][0] = "#"
            if node.get("t") in ("RawBlock", "RawInline"):
                fmt, text = node["c"]
                if fmt.lower() not in ("html", "html5"):
                    node["c"] = ["html", ""]
                    continue
                text = sanitize_html(text) if node["t"] == "RawBlock" else strip_active_tags(text)
                node["c"] = [fmt, confine_urls(text, base_dir)]
                continue
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return ast
