"""ESP merge tags ({{ first_name }}, *|FNAME|*, %recipient%…) kept intact through Markdown, HTML and text.

A merge tag is a placeholder the email service provider replaces per recipient. Markdown and
HTML tooling mangle some of them (``*|FNAME|*`` reads as emphasis, ``|`` is percent-encoded in
links), so the email editions repair them with the helpers below.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from exporter import ast as pandoc_ast
from exporter.errors import ConfigError

DEFAULT_PATTERNS = (
    r"\{\{.*?\}\}",  # Handlebars, Liquid, Jinja, Brevo, SendGrid: {{ first_name }}
    r"\{%.*?%\}",  # Liquid and Jinja tags: {% if vip %}
    r"\*\|[^|*\s][^|]*?\|\*",  # Mailchimp: *|FNAME|*
    r"%[A-Za-z_][\w.-]*%",  # Mailgun: %recipient%, %recipient.first_name%
)
PANDOC_URI_ESCAPED = ' <>|"{}[]^`'
KEEP_SPACE = "\ue000"  # stands for a space inside a tag while text is wrapped


@lru_cache(maxsize=16)
def merge_tag_pattern(extra: tuple[str, ...] = ()) -> re.Pattern:
    """One regular expression matching the built-in merge tags and ``extra`` patterns."""
    for pattern in extra:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(f"'email.merge_tags': {pattern!r} is not a regular expression ({error})") from None
    return re.compile("|".join(f"(?:{pattern})" for pattern in (*DEFAULT_PATTERNS, *extra)))


def restore_in_ast(ast: dict, pattern: re.Pattern) -> dict:
    """A copy of ``ast`` where ``*|TAG|*`` read as emphasis is a plain string again and URLs hold tags verbatim.

    ``fix`` builds every list and dict anew (strings are shared, being immutable): the copy is its result.
    """
    marks = {"Emph": "*", "Strong": "**"}

    def fix(node):
        if isinstance(node, list):
            return [fix(item) for item in node]
        if not isinstance(node, dict):
            return node
        kind = node.get("t")
        if kind in marks and all(item.get("t") in ("Str", "Space") for item in node["c"]):
            text = marks[kind] + pandoc_ast.stringify(node["c"]) + marks[kind]
            if pattern.fullmatch(text):
                return {"t": "Str", "c": text}
        if kind in ("Link", "Image"):
            attr, inlines, (url, title) = node["c"]
            return {"t": kind, "c": [fix(attr), fix(inlines), [repair_url(url, pattern), title]]}
        return {key: fix(value) for key, value in node.items()}

    return fix(ast)


def unescape_in_urls(html: str, pattern: re.Pattern) -> str:
    """Undo pandoc's percent-encoding of merge tags inside ``href`` and ``src`` attributes."""

    return re.sub(r'\b(href|src)="([^"]*)"', lambda m: f'{m.group(1)}="{repair_url(m.group(2), pattern)}"', html)


def repair_url(url: str, pattern: re.Pattern) -> str:
    """``url`` with every percent-encoded merge tag written verbatim again."""
    for tag in set(tags_in(decode_pandoc_uri(url), pattern)):
        url = url.replace(quote(tag, safe="".join(set(tag) - set(PANDOC_URI_ESCAPED))), tag)
    return url


def decode_pandoc_uri(value: str) -> str:
    """Decode only the characters pandoc percent-encodes in URLs."""
    for char in PANDOC_URI_ESCAPED:
        value = value.replace(quote(char, safe=""), char)
    return value


def protect_spaces(text: str, pattern: re.Pattern) -> str:
    """Replace spaces inside merge tags so a text wrapper never splits a tag across lines."""
    return pattern.sub(lambda match: match.group(0).replace(" ", KEEP_SPACE), text)


def restore_spaces(text: str) -> str:
    """Undo :func:`protect_spaces`."""
    return text.replace(KEEP_SPACE, " ")


def tags_in(text: str, pattern: re.Pattern) -> list[str]:
    """Every merge tag found in ``text``, in order."""
    return [match.group(0) for match in pattern.finditer(text)]
