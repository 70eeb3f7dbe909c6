"""The Translator seam: one batch method every engine implements, a fake for tests, lookup by name."""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable

from exporter.errors import TranslationError
from exporter.translate.placeholders import PLACEHOLDER, escape


class Translator:
    """The contract every translation engine implements (the seam, like an httpx transport).

    An engine translates a batch of unit texts from one language to another::

        translate(texts: list[str], source: str, target: str) -> list[str]

    * ``texts`` are translation units: escaped plain text (``&amp;``, ``&lt;``, ``&gt;``) holding
      XLIFF-style placeholders, ``<g id="N">…</g>`` around words that keep their markup and
      ``<x id="N"/>`` for things never translated (``ctype="lb"``: a line break, ``ctype="x-note"``:
      a footnote reference). Return one text per input, in order, with every placeholder
      preserved; the caller checks them and retries a unit whose placeholders were lost in
      *safe mode* (its text runs alone, without placeholders), then keeps the source text.
    * ``source`` and ``target`` are ISO 639-1 codes such as ``"es"`` and ``"en"``.
    * Raise :class:`exporter.errors.TranslationError` (one line, naming the engine) when the engine
      fails after its own retries; never let a library's exception escape. Never log or return
      an API key.
    * ``max_chars`` is the most characters the caller hands over in one call (None: the whole
      document at once); results are committed to the translation memory after each call, so an
      engine that fails halfway loses at most one call's work.
    * ``name`` is the engine's name in ``newsletter.toml`` and on the command line, and part of
      the translation memory's key.

    Engines are created by :func:`create_translator` from their name.
    """

    name: str = "translator"
    max_chars: int | None = None

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate a batch of unit texts; one result per text, in order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release processes or connections (optional)."""


class FakeTranslator(Translator):
    """A Translator that calls ``function(text, source, target)`` (or ``function(text)``) on each text.

    It records every batch in ``calls`` and counts ``chars``, for tests that check what was sent.
    """

    def __init__(self, function: Callable[..., str], name: str = "fake", max_chars: int | None = None):
        self.function = function
        try:
            self.arity = len(inspect.signature(function).parameters)
        except (TypeError, ValueError):
            self.arity = 1
        self.name = name
        self.max_chars = max_chars
        self.calls: list[list[str]] = []

    @property
    def chars(self) -> int:
        """Characters received so far."""
        return sum(len(text) for batch in self.calls for text in batch)

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Apply the function to each text."""
        self.calls.append(list(texts))
        if self.arity >= 3:
            return [self.function(text, source, target) for text in texts]
        return [self.function(text) for text in texts]


def outside_placeholders(function: Callable[[str], str]) -> Callable[[str], str]:
    """Wrap a str → str function so it only sees the (unescaped) text between placeholders."""

    def apply(text: str) -> str:
        pieces = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            pieces.append(escape(function(html.unescape(text[position:match.start()]))) if match.start() > position else "")
            pieces.append(match.group(0))
            position = match.end()
        if position < len(text):
            pieces.append(escape(function(html.unescape(text[position:]))))
        return "".join(pieces)

    return apply


def engine_names() -> list[str]:
    """Every engine name: apertium, the neural engines (deepl, openai) and the deep-translator services."""
    from exporter.translate.services import SERVICES

    return ["apertium", *SERVICES, "deepl", "openai"]


def create_translator(name: str, settings=None) -> Translator:
    """The engine called ``name``, configured from ``[translation]`` in newsletter.toml."""
    options = settings.section("translation") if settings is not None else {}
    if name == "apertium":
        from exporter.translate.apertium import ApertiumTranslator

        from exporter.translate.draft import RULES

        return ApertiumTranslator(timeout=max(60.0, float(options.get("timeout", 20)) * 3),
                                  rules=options.get("draft_rules", RULES), variant=options.get("variant", ""))
    if name in ("deepl", "openai"):
        return neural_translator(name, settings, options)
    from exporter.translate.services import SERVICES, ServiceTranslator

    if name not in SERVICES:
        raise TranslationError(f"unknown translation engine '{name}' (available: {', '.join(engine_names())})")
    translator = ServiceTranslator(
        name,
        url=options.get("url", ""),
        timeout=float(options.get("timeout", 20)),
        retries=int(options.get("retries", 3)),
        backoff=float(options.get("backoff", 0.5)),
    )
    if options.get("max_chars"):
        translator.max_chars = min(translator.max_chars, int(options["max_chars"]))
    return translator


def neural_translator(name: str, settings, options: dict) -> Translator:
    """DeepL (official SDK) or an OpenAI-compatible chat endpoint, configured from ``[translation]``."""
    common = {"url": options.get("url", ""), "retries": int(options.get("retries", 3)),
              "backoff": float(options.get("backoff", 0.5)),
              "cost_notice_chars": int(options.get("cost_notice_chars", 20000))}
    if name == "deepl":
        from exporter.translate.deepl_engine import DeeplTranslator

        translator = DeeplTranslator(settings, timeout=float(options.get("timeout", 20)),
                                     formality=options.get("formality", "default"), variant=options.get("variant", ""),
                                     **common)
        if options.get("max_chars"):
            translator.max_chars = min(translator.max_chars, int(options["max_chars"]))
        return translator
    from exporter.translate.chat_engine import ChatTranslator

    return ChatTranslator(settings, model=options.get("model", "") or "gpt-4o-mini",
                          key_variable=options.get("api_key_env", ""),
                          timeout=float(options.get("timeout", 20)), **common)
