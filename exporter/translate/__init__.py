"""Translation: a Document → Document transform per target language.

``translate_document`` is what the build calls; ``translate_with_report`` also says what was
reused from memory and what was sent. Engines implement :class:`Translator` (see engines.py).
"""

from __future__ import annotations

from exporter.document import Document
from exporter.translate.engines import (
    FakeTranslator,
    Translator,
    create_translator,
    engine_names,
)
from exporter.translate.memory import TranslationMemory
from exporter.translate.pipeline import (
    Translated,
    TranslationReport,
    translate_with_report,
)

__all__ = [
    "FakeTranslator",
    "Translated",
    "TranslationMemory",
    "TranslationReport",
    "Translator",
    "create_translator",
    "engine_names",
    "translate_document",
    "translate_with_report",
]


def translate_document(document: Document, target_lang: str, settings, engine: str | None = None,
                       translator: Translator | None = None, memory: TranslationMemory | None = None) -> Document:
    """The edition of ``document`` in ``target_lang`` (slug, dates and tags unchanged)."""
    if target_lang == document.meta.lang:
        return document
    return translate_with_report(document, target_lang, settings, engine, translator, memory).document
