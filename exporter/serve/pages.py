"""The preview server's own pages (email preview, PDF/EPUB, review) and what it injects into served pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
EMAIL_WIDTHS = (320, 375, 600)
DARK_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)", re.IGNORECASE)
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class EditionRef:
    """An edition named in a URL: its slug, language, and whether it is a translation."""

    slug: str
    lang: str
    translated: bool


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of the server's templates."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def render(template: str, **context) -> str:
    """One of the server's templates, rendered."""
    return environment().get_template(template).render(**context)


def bar(edition: EditionRef | None, watch: str, generation: int, previews: list[EditionRef] = ()) -> Markup:
    """The serve-mode bar (links, review link for translations; every edition's previews) and live reload."""
    return Markup(render("bar.html", edition=edition, watch=watch, generation=generation, previews=previews))


def inject(html: str, snippet: str) -> str:
    """``html`` with ``snippet`` added just before ``</body>`` (or at the end)."""
    snippet = str(snippet)  # plain text: adding Markup to a str would escape the page itself
    match = None
    for match in BODY_END.finditer(html):
        pass
    if match is None:
        return html + snippet
    return html[:match.start()] + snippet + html[match.start():]


def with_scheme(html: str, scheme: str) -> str:
    """An email's HTML forced into light or dark mode: its colour-scheme media queries made always/never true."""
    def replace(match: re.Match) -> str:
        return "(min-width: 0px)" if match.group(1).lower() == scheme else "(max-width: 0px)"

    return DARK_QUERY.sub(replace, html)


def email_page(edition: EditionRef, title: str, email_url: str | None, plain_text: str, width: int, scheme: str,
               generation: int) -> str:
    """The email preview: the message in a frame of the chosen width and colours, and its plain-text part."""
    return render("email.html", title=f"Email · {title}", bar=bar(edition, f"{edition.slug}/{edition.lang}/email",
                                                                      generation),
                  widths=EMAIL_WIDTHS, width=width, scheme=scheme, email_url=email_url, plain_text=plain_text)


def edition_page(edition: EditionRef, title: str, links: list[tuple[str, str]], pdf_url: str | None,
                 generation: int) -> str:
    """The PDF and EPUB page of one edition."""
    watch = f"{edition.slug}/{edition.lang}/pdf {edition.slug}/{edition.lang}/epub"
    return render("edition.html", title=f"PDF and EPUB · {title}", bar=bar(edition, watch, generation), links=links,
                  pdf_url=pdf_url)


def review_page(edition: EditionRef, title: str, data, source: str, source_lang: str, token: str,
                generation: int) -> str:
    """The review page of a translated edition (``data``: a serve.reviews.ReviewPage)."""
    return render("review.html", title=f"Review · {title}", bar=bar(edition, f"{edition.slug}/{edition.lang}/html",
                                                                        generation),
                  units=data.units, flagged=data.flagged, summary=data.summary, review_file=data.review_file,
                  source=source, source_lang=source_lang, lang=edition.lang, token=token)
