"""Quality flags: cheap checks that say which machine-translated units need a human look, and why."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

PLACEHOLDER_TAG = re.compile(r'<g\s+id="\d+"\s*>|</g\s*>|<x\s+[^<>]*?/?\s*>')
NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
TOKEN = re.compile(r"\w+(?:[-'’.+]\w+)*")
SENTENCE_START = re.compile(r"(^|[.!?¿¡:;\"«“(\[—–-]\s*)$")
MIN_RATIO, MAX_RATIO = 0.5, 2.0  # target length / source length outside this: implausible
MIN_RATIO_CHARS = 20  # shorter units vary too much for a ratio to mean anything
NEGATIONS = {
    "en": {"no", "not", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot", "nowhere"},
    "es": {"no", "ni", "nunca", "jamás", "ningún", "ninguno", "ninguna", "ningunos", "ningunas", "nada", "nadie",
           "tampoco", "sin"},
    "ca": {"no", "ni", "mai", "cap", "res", "ningú", "tampoc", "sense"},
    "fr": {"ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "personne", "sans", "ni", "non"},
    "it": {"non", "mai", "nessuno", "nessuna", "niente", "nulla", "né", "senza"},
    "pt": {"não", "nunca", "nenhum", "nenhuma", "nada", "ninguém", "nem", "sem", "jamais"},
    "de": {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "nichts", "niemand", "ohne",
           "weder"},
}
NOT_NEGATIONS = re.compile(r"\b(sin embargo|no obstante|no solo|no sólo|not only|sense dubte|non seulement|"
                           r"non solo|não só)\b")  # idioms with a negation word that negate nothing


@dataclass(frozen=True)
class Flag:
    """Why a unit needs a human look: a stable code and a sentence."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def plain(unit_text: str) -> str:
    """The words of a unit text, placeholders removed, entities decoded, apostrophes made straight."""
    return " ".join(html.unescape(PLACEHOLDER_TAG.sub(" ", unit_text)).replace("’", "'").split())


def unit_flags(source: str, target: str, source_lang: str, target_lang: str, unknown_words=(),
               known_names=frozenset()) -> list[Flag]:
    """Every quality flag of one translated unit (unit texts with placeholders, or plain text).

    ``known_names``: words known to be names even at the start of a sentence (see document_names).
    """
    source, target = plain(source), plain(target)
    flags = []
    unknown = list(dict.fromkeys(word for word in unknown_words if word))
    if unknown:
        flags.append(Flag("unknown-words", f"the engine did not know {', '.join(unknown[:5])}"
                          + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")))
    names_in = partial(names_missing, known_names=known_names)
    for check in (numbers_differ, names_in, left_in_source_language, implausible_length, negation_mismatch):
        flag = check(source, target, source_lang, target_lang)
        if flag is not None:
            flags.append(flag)
    return flags


def number_value(token: str, lang: str) -> Decimal:
    """A number written in ``lang``'s format (``1.000,5`` in Spanish, ``1,000.5`` in English) as a Decimal."""
    decimal, group = separators(lang)
    text = token.replace("\u00a0", group if group.isspace() else "\u00a0")
    if group in text and decimal in text:
        text = text.replace(group, "").replace(decimal, ".")
    elif decimal in text and text.count(decimal) == 1:
        text = text.replace(decimal, ".")
    elif group in text and re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", text):
        text = text.replace(group, "")
    text = re.sub(r"[^\d.]", "", text) if text.count(".") <= 1 else re.sub(r"\D", "", text)
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return Decimal(0)


@lru_cache(maxsize=32)
def separators(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of a language, from the CLDR (English's if unknown)."""
    try:
        return get_decimal_symbol(lang), get_group_symbol(lang)
    except (UnknownLocaleError, ValueError):
        return ".", ","


def numbers_differ(source: str, target: str, source_lang: str, target_lang: str) -> Flag | None:
    """Flag a unit whose numbers (read in each side's locale format) are not the same."""
    ours = {token: number_value(token, source_lang) for token in NUMBER.findall(source)}
    theirs = {token: number_value(token, target_lang) for token in NUMBER.findall(target)}
    if Counter(ours.values()) == Counter(theirs.values()):
        return None
    missing = [token for token, value in ours.items() if value not in theirs.values()]
    extra = [token for token, value in theirs.items() if value not in ours.values()]
    message = f"numbers differ: {', '.join(missing) or 'none'} in the source, {', '.join(extra) or 'none'} in the " \
              "translation"
    try:
        written = [format_decimal(ours[token], locale=target_lang, group_separator=len(token) > 4) for token in missing]
        message += f" (in '{target_lang}': {', '.join(written)})" if written else ""
    except (UnknownLocaleError, ValueError):
        pass
    return Flag("numbers", message)


def names(text: str, known_names=frozenset()) -> list[str]:
    """Words that look like names: capitalised mid-sentence, inner capitals (LangChain, GPT), letters and digits,
    or capitalised words of ``known_names`` anywhere."""
    found = []
    for match in TOKEN.finditer(text):
        word = match.group()
        if not re.search(r"[^\W\d_]", word):
            continue
        inner_capital = any(c.isupper() for c in word[1:])
        mixed_digits = bool(re.search(r"\d", word))
        capitalised = word[0].isupper()
        mid_sentence = capitalised and not SENTENCE_START.search(text[: match.start()])
        if inner_capital or mixed_digits or mid_sentence or (capitalised and word in known_names):
            found.append(word)
    return found


def document_names(texts) -> frozenset[str]:
    """Capitalised words of a document that recur, are never written in lower case, and at least once
    lead another name or a number (``Meta AI``, ``Llama 2``): names even at the start of a sentence."""
    capitalised, lower, leading = Counter(), set(), set()
    for text in texts:
        words = TOKEN.findall(plain(text))
        for word, after in zip(words, [*words[1:], ""]):
            if word[0].isupper() and word[1:].islower():
                capitalised[word] += 1
                if after[:1].isupper() or after[:1].isdigit():
                    leading.add(word)
            elif word.islower():
                lower.add(word)
    return frozenset(word for word, count in capitalised.items()
                     if count >= 2 and word in leading and word.lower() not in lower)


def stem(word: str) -> str:
    """The first four letters of a word, without accents, lower-cased: París and Paris, Europa and Europe."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()[:4].lower()


def names_missing(source: str, target: str, source_lang: str, target_lang: str,
                  known_names=frozenset()) -> Flag | None:
    """Flag a unit whose names in the source do not all appear in the translation."""
    words = TOKEN.findall(target)
    acronyms = {"".join(sorted(word)) for word in words if word.isupper()}
    stems = {stem(word) for word in words if word[0].isupper() and len(word) > 4}
    missing = [name for name in dict.fromkeys(names(source, known_names))
               if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", target) and not (name.isupper() and "".join(sorted(name)) in acronyms)
               and not (len(name) > 4 and not name.isupper() and stem(name) in stems)]
    if not missing:
        return None
    return Flag("names", f"names missing from the translation: {', '.join(missing[:5])}")


@lru_cache(maxsize=1)
def language_model():
    """py3langid's model, loaded once (about a second)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=16)
def language_identifier(candidates: tuple[str, ...]):
    """An identifier restricted to ``candidates`` (None unless it knows two of them); one per pair."""
    import copy

    model = language_model()
    known = [lang for lang in candidates if lang in model.nb_classes]
    if len(known) < 2:
        return None
    identifier = copy.copy(model)  # shares the big arrays; set_languages rebinds its own restricted copies
    identifier.set_languages(known)
    return identifier


def detected_language(text: str, candidates: tuple[str, ...]) -> tuple[str, float]:
    """The more likely of ``candidates`` for ``text``, with its probability."""
    identifier = language_identifier(tuple(candidates))
    if identifier is None:
        return "", 0.0
    lang, probability = identifier.classify(text)
    return lang, float(probability)


def left_in_source_language(source: str, target: str, source_lang: str, target_lang: str) -> Flag | None:
    """Flag a translation that is still (or mostly) in the source language."""
    lowercase = re.findall(r"\b[^\W\d_A-Z]*[a-zß-ÿ][^\W\d_]*\b", target)
    if len(lowercase) < 2 or source_lang == target_lang:
        return None  # names and titles only: nothing to tell a language by
    lang, probability = detected_language(target, (source_lang.split("-")[0], target_lang.split("-")[0]))
    if lang != source_lang.split("-")[0] or probability < 0.9:
        return None
    if target.casefold() == source.casefold():
        return Flag("source-language", "the translation is the source text")
    return Flag("source-language", f"the translation reads as '{lang}', the source language")


def implausible_length(source: str, target: str, source_lang: str, target_lang: str) -> Flag | None:
    """Flag a translation much shorter or longer than its source."""
    if len(source) < MIN_RATIO_CHARS:
        return None
    ratio = len(target) / len(source)
    if MIN_RATIO <= ratio <= MAX_RATIO:
        return None
    return Flag("length", f"the translation is {ratio:.1f}× as long as the source")


def negated(text: str, words: set[str]) -> bool:
    """Whether a text holds one of the negation ``words`` (or an English n't), idioms aside."""
    lowered = NOT_NEGATIONS.sub(" ", text.casefold())
    if re.search(r"\w+n[’']t\b", lowered):
        return True
    return any(word in words for word in re.findall(r"[^\W\d_]+", lowered))


def negation_mismatch(source: str, target: str, source_lang: str, target_lang: str) -> Flag | None:
    """Flag a unit with a negation on one side only (a meaning reversed)."""
    lists = NEGATIONS.get(source_lang.split("-")[0]), NEGATIONS.get(target_lang.split("-")[0])
    if None in lists:
        return None
    words = lists[0] | lists[1]  # both sides: quotations in the other language are common
    ours, theirs = negated(source, words), negated(target, words)
    if ours == theirs:
        return None
    side = "source" if ours else "translation"
    return Flag("negation", f"a negation in the {side} only")


def needs_look_summary(flags: dict[str, list[Flag]], units: int) -> str:
    """The summary line: how many units need a human look, and the most frequent reasons."""
    counts = Counter(flag.code for unit_flags_ in flags.values() for flag in unit_flags_)
    reasons = ", ".join(f"{code} {count}" for code, count in sorted(counts.items(), key=lambda item: -item[1]))
    flagged = sum(1 for unit_flags_ in flags.values() if unit_flags_)
    return f"{flagged} of {units} units need a human look" + (f" ({reasons})" if reasons else "")
