"""The email's ``aria-label``: mjml-python writes the title there Rust-escaped (``\\u{94d}``, ``\\"``), which
garbles Devanagari, Thai and Persian titles for screen readers and lets a quote end the attribute early."""

from __future__ import annotations

import re
from html import escape

ARIA_LABEL = re.compile(r'(<div [^>]*?aria-label=")(.*?)(" aria-roledescription="email")', re.S)


def repaired_aria_label(html: str, title: str) -> str:
    """The email HTML with its wrapper's ``aria-label`` set to the title, HTML-escaped."""
    return ARIA_LABEL.sub(lambda m: m.group(1) + escape(title, quote=True) + m.group(3), html, count=1)
