"""What the neural engines share: keys from the environment, bounded retries, cost estimates, a language check."""

from __future__ import annotations

import logging
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from exporter.errors import TranslationError
from exporter.translate.services import remember_secret

log = logging.getLogger("exporter.translate")
MAX_WAIT = 30.0  # seconds: the longest pause between two attempts, whatever the server asks
STOPWORDS = {
    "es": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "con", "para", "es", "no",
           "se", "su", "al", "lo", "como", "más", "pero", "sus", "este", "esta", "son", "ya", "muy", "sin"},
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was", "on", "are", "by",
           "this", "be", "from", "or", "an", "not", "but", "which", "its", "has", "have", "their", "they"},
    "ca": {"el", "la", "els", "les", "de", "del", "que", "i", "en", "un", "una", "per", "amb", "és", "no", "es"},
    "fr": {"le", "la", "les", "de", "des", "du", "que", "et", "en", "un", "une", "pour", "avec", "est", "pas"},
    "it": {"il", "la", "le", "di", "del", "che", "e", "in", "un", "una", "per", "con", "è", "non", "gli"},
    "pt": {"o", "a", "os", "as", "de", "do", "da", "que", "e", "em", "um", "uma", "por", "com", "para", "não"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "von", "für", "auf", "den"},
}
WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Attempt:
    """What went wrong with one request: a message for the user and whether another try may help."""

    problem: str
    retry: bool
    wait: float | None = None  # seconds the server asked for (Retry-After)


def api_key(engine: str, variables: tuple[str, ...], required: bool = True) -> str:
    """The first of these environment variables that is set (remembered so no log line shows it)."""
    for variable in variables:
        value = os.environ.get(variable, "")
        if value:
            return remember_secret(value)
    if required:
        raise TranslationError(f"{engine}: set the environment variable {variables[0]}")
    return ""


def with_retries(engine: str, request: Callable[[], object], classify: Callable[[Exception], Attempt],
                 retries: int, backoff: float) -> object:
    """Call ``request`` until it succeeds, at most ``retries`` times more; raise a one-line TranslationError."""
    for attempt in range(retries + 1):
        try:
            return request()
        except TranslationError:
            raise
        except Exception as error:  # the SDKs' own exceptions stop here, their text never shown
            failure = classify(error)
        if not failure.retry or attempt == retries:
            tries = f" after {attempt + 1} attempts" if attempt else ""
            raise TranslationError(f"{engine}: {failure.problem}{tries}")
        wait = backoff * (2**attempt) * (1 + random.random() / 4)
        if failure.wait:
            wait = max(wait, min(failure.wait, MAX_WAIT))
        log.info("%s: %s, retrying in %.1f s", engine, failure.problem, wait)
        time.sleep(wait)
    raise AssertionError("unreachable")


def announce_cost(engine: str, texts: list[str], threshold: int, unit_price: str = "") -> dict:
    """Log the size of a run before it starts when it is large: characters and an estimate of tokens."""
    characters = sum(len(text) for text in texts)
    estimate = {"engine": engine, "units": len(texts), "characters": characters, "tokens": (characters + 3) // 4}
    if threshold and characters >= threshold:
        log.warning("%s: about to send %d units, %d characters (about %d tokens)%s", engine, len(texts),
                    characters, estimate["tokens"], unit_price)
    return estimate


def in_language(text: str, expected: str, other: str) -> bool:
    """False when ``text`` reads as ``other`` rather than ``expected`` (short texts always pass)."""
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) < 4 or expected not in STOPWORDS or other not in STOPWORDS:
        return True
    hits_expected = sum(w in STOPWORDS[expected] for w in words)
    hits_other = sum(w in STOPWORDS[other] - STOPWORDS[expected] for w in words)
    return hits_expected >= hits_other
