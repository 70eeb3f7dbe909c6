"""The interface catalogs: ``python -m exporter.catalogs`` brings every ``messages.po`` in line with ``STRINGS["en"]``.

Each key of the English table is one message: ``msgctxt`` is the key, ``msgid`` its English text.
A new key is added to every catalog untranslated (English shows until it is translated); a key that
no longer exists is dropped; a changed English text marks the translation fuzzy (not used until reviewed).
"""

from __future__ import annotations

import datetime
import sys

from exporter.i18n import LOCALE_DIR, STRINGS, catalog_languages, catalog_path

PROJECT = "newsletter-exporter"
STABLE_DATE = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone.utc)


def template_catalog():
    """The catalog template (``messages.pot``): every key of ``STRINGS["en"]``, untranslated."""
    from babel.messages.catalog import Catalog

    template = Catalog(project=PROJECT, fuzzy=False)
    for key, text in STRINGS["en"].items():
        template.add(text, context=key, auto_comments=[f"key: {key}"])
    return template


def read_catalog(lang: str):
    """The catalog of ``lang`` as Babel reads it (a new empty one if it has none)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, project=PROJECT, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def write_catalog(lang: str, catalog) -> None:
    """Write ``lang``'s catalog (sorted by key, no dates, so rewrites are stable)."""
    from babel.messages.pofile import write_po

    path = catalog_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.creation_date = catalog.revision_date = STABLE_DATE
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False, ignore_obsolete=True)


def update_catalogs(languages: list[str] | None = None,
                    translations: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Add new keys to (and drop removed ones from) each catalog; ``translations`` fills messages in."""
    template = template_catalog()
    updated = []
    for lang in languages or catalog_languages():
        catalog = read_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
        for key, text in (translations or {}).get(lang, {}).items():
            message = catalog.get(STRINGS["en"][key], context=key)
            message.string, message.flags = text, set()
        write_catalog(lang, catalog)
        updated.append(lang)
    return updated


def main(argv: list[str] | None = None) -> int:
    """Update every catalog under exporter/locale (or those of the languages named)."""
    languages = (argv if argv is not None else sys.argv[1:]) or None
    for lang in update_catalogs(languages):
        print(f"updated {LOCALE_DIR / lang / 'LC_MESSAGES' / 'messages.po'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
