"""The offline draft's rules around Apertium: target-locale numbers, currencies and dates, capitals, quotations.

Each rule has a name (``translation.draft_rules`` in newsletter.toml lists those applied; all by default)
and works on unit text (escaped text with placeholders) before or after the engine:

* ``inline-notes``: footnote markers reach the engine as empty inline tags, not line breaks, so the
  sentence around them stays one sentence (applied in apertium.py);
* ``case``: no capital right after an inline placeholder unless the source has one there;
* ``numbers``: ``1.000``, ``0,002``, ``88 %`` rewritten in the target locale (Babel);
* ``currency``: ``10.000 millones de dólares`` becomes ``$10 billion``, ``4.100 millones`` ``4.1 billion``
  (Babel), replaced by numerals before the engine;
* ``dates``: ``30 November 2022`` rewritten in the target locale's long date, and ``abril de 2023``
  replaced before the engine by ``April 2023`` (Babel);
* ``quotes``: a quotation whose words the engine does not know (already in the target language) is
  kept as written;
* ``variant``: the target variant's Apertium mode (``spa-eng_US``) and Babel locale;
* ``inflections``: glossary terms also match their plural (applied in glossary.py);
* ``domain-terms``: computing vocabulary forced to its usual English (domain_terms.py, via glossary.py).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

RULES = ("inline-notes", "case", "numbers", "currency", "dates", "quotes", "variant", "inflections", "domain-terms")
DRAFT_VERSION = 1  # part of Apertium's key in the translation memory: raise it when a rule's output changes
DEFAULT_VARIANTS = {"en": "en_US"}  # the variant used when translation.variant is empty
VALUE_TOKEN = "9777"  # an amount replaced before the engine by 9777NN (a numeral to Apertium), put back after
VALUE = re.compile(r"(?<![\d.,])" + VALUE_TOKEN + r"(\d\d)(?![\d]|[.,]\d)")
ATOM_THEN_WORD = re.compile(r'(<x\s[^<>]*/>|</g>|<g id="\d+">)(\s*)([^\W\d_])(\w*)')
AFTER_COLON = re.compile(r"(?::\s+|\()([^\W\d_]\w*)")
NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)(?![\w]|[.,]\d)")
PERCENT = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s?%")
QUOTE = re.compile(r"«([^«»<>]+)»|“([^“”<>]+)”")
WORDS = re.compile(r"[^\W\d_][\w'-]*")
MONTH_YEAR_LINKS = {"es": "de", "ca": "de", "pt": "de", "gl": "de"}  # "abril de 2023"
PRONOUNS = {"ellos", "ellas", "los", "las", "estos", "estas", "esos", "esas", "aquellos", "aquellas"}
SOURCE_AMOUNTS = {  # per source language: multiplier words and currency names
    "es": ({"mil millones": Decimal(10**9), "millones": Decimal(10**6), "millón": Decimal(10**6),
            "mil": Decimal(1000)},
           {"dólares": "USD", "dólar": "USD", "euros": "EUR", "euro": "EUR", "libras": "GBP", "yenes": "JPY"}),
}


def target_locale(target: str, variant: str = "") -> str:
    """The Babel locale of the target edition: the configured variant, or the language's default one."""
    chosen = variant or DEFAULT_VARIANTS.get(target, target)
    return chosen if chosen.split("_")[0] == target else target


def source_value(text: str, source: str) -> Decimal | None:
    """A number written in the source locale (``1.000``, ``0,002``) as a Decimal."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return parse_decimal(text, locale=source, strict=False)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None


def decimal_text(value: Decimal, locale: str) -> str:
    """A number in the target locale, every decimal kept."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale, decimal_quantization=False)


def amount_text(value: Decimal, currency: str, locale: str) -> str:
    """An amount of money in the target locale: ``$0.002``, ``$5,000``, ``$10 billion``."""
    from babel.numbers import format_compact_decimal, format_currency

    if value >= 10**6:
        number = format_compact_decimal(value, format_type="long", locale=locale, fraction_digits=2)
    else:
        number = decimal_text(value, locale)
    template = format_currency(7, currency, locale=locale, currency_digits=False, format_type="standard")
    return re.sub(r"7(?:[.,]0+)?", lambda _: number, template, count=1)


def replace_amounts(text: str, source: str, locale: str) -> tuple[str, list[str]]:
    """Replace each amount (of money, or with a multiplier word) by a value token; return it and the amounts.

    ``10.000 millones de dólares`` becomes ``$10 billion``; ``100 millones de usuarios``, ``100 million
    usuarios`` for the engine to translate the noun (``de`` is kept before a pronoun: ``de ellos``).
    """
    if source not in SOURCE_AMOUNTS:
        return text, []
    multipliers, currencies = SOURCE_AMOUNTS[source]
    if VALUE_TOKEN in text:
        return text, []  # the text already holds something like a token: leave it alone
    pattern = re.compile(r"(?<![\w.,])(\d[\d.,]*\d|\d)(?:\s+(" + "|".join(multipliers) + r")(\s+de(?=\s+(\w+)))?)?"
                         r"(?:\s+(" + "|".join(currencies) + r"))?(?!\w)")
    amounts: list[str] = []

    def replace(match: re.Match) -> str:
        number, multiplier, of, next_word, currency = match.groups()
        value = source_value(number, source)
        if value is None or not (multiplier or currency) or (of and not currency and next_word in PRONOUNS):
            return match.group(0)
        value *= multipliers.get(multiplier or "", Decimal(1))
        if currency:
            amounts.append(amount_text(value, currencies[currency], locale))
        else:
            amounts.append(count_text(value, locale))
        return f"{VALUE_TOKEN}{len(amounts) - 1:02d}"

    return pattern.sub(replace, text), amounts


def count_text(value: Decimal, locale: str) -> str:
    """A large count in the target locale's words: ``100 million``, ``4.1 billion``."""
    from babel.numbers import format_compact_decimal

    if value < 10**6:
        return decimal_text(value, locale)
    return format_compact_decimal(value, format_type="long", locale=locale, fraction_digits=2)


def replace_month_years(text: str, source: str, locale: str, values: list[str]) -> str:
    """Replace each month and year without a day (``abril de 2023``) by a value token (``April 2023``)."""
    from babel.dates import format_skeleton, get_month_names

    if source not in MONTH_YEAR_LINKS:
        return text
    link = MONTH_YEAR_LINKS[source]
    months = {name.lower(): number for number, name in get_month_names("wide", locale=source).items()}
    pattern = re.compile(r"(?<!\w)(" + "|".join(months) + r")\s+" + link + r"\s+(\d{4})(?!\w)", re.IGNORECASE)

    def replace(match: re.Match) -> str:
        if re.search(r"\d\s+" + link + r"\s+$", text[:match.start()]):  # a full date: the engine's is fine
            return match.group(0)
        day = dt.date(int(match.group(2)), months[match.group(1).lower()], 1)
        values.append(format_skeleton("yMMMM", day, locale=locale))
        return f"{VALUE_TOKEN}{len(values) - 1:02d}"

    return pattern.sub(replace, text)


def restore_amounts(text: str, amounts: list[str]) -> str | None:
    """Put the formatted amounts back in place of their tokens; None when the engine lost one."""
    found = [int(m.group(1)) for m in VALUE.finditer(text)]
    if sorted(found) != list(range(len(amounts))):
        return None
    return VALUE.sub(lambda m: amounts[int(m.group(1))], text)


def localise_numbers(source_text: str, text: str, source: str, locale: str) -> str:
    """Rewrite the numbers and percentages the engine copied from the source in the target locale."""
    from babel.numbers import format_percent

    for match in PERCENT.finditer(source_text):
        value = source_value(match.group(1), source)
        if value is not None:
            text = text.replace(match.group(0), format_percent(value / 100, locale=locale,
                                                               decimal_quantization=False))
    for match in NUMBER.finditer(source_text):
        value = source_value(match.group(0), source)
        if value is not None:
            text = re.sub(r"(?<![\w.,])" + re.escape(match.group(0)) + r"(?![\w]|[.,]\d)",
                          lambda _: decimal_text(value, locale), text)
    return text


def localise_dates(text: str, locale: str) -> str:
    """Rewrite ``30 November 2022`` and ``30 November`` (as the engine writes them) in the locale's long form."""
    from babel.dates import format_date, format_skeleton, get_month_names

    months = {name: number for number, name in get_month_names("wide", locale=locale).items()}
    pattern = re.compile(r"\b(\d{1,2}) (" + "|".join(months) + r")(?: (\d{4}))?\b")

    def replace(match: re.Match) -> str:
        try:
            day = dt.date(int(match.group(3) or 2000), months[match.group(2)], int(match.group(1)))
        except ValueError:
            return match.group(0)
        if match.group(3):
            return format_date(day, "long", locale=locale)
        return format_skeleton("MMMMd", day, locale=locale)

    return pattern.sub(replace, text)


def fix_case(source_text: str, text: str, unknown: list[str] = ()) -> str:
    """Lower a capital the engine put right after a placeholder (or an unknown name) where the source has none.

    Apertium capitalises the word after an unknown capitalised word ("Anthropic Raised") as if a
    sentence started there; a placeholder reaches it as such a word.
    """
    after = {m.group(1): m.group(3) for m in ATOM_THEN_WORD.finditer(source_text)}

    def replace(match: re.Match) -> str:
        first, rest = match.group(3), match.group(4)
        source_first = after.get(match.group(1))
        if source_first and source_first.islower() and first.isupper() and (not rest or rest.islower()):
            first = first.lower()
        return match.group(1) + match.group(2) + first + rest

    text = ATOM_THEN_WORD.sub(replace, text)
    source_colons, colons = list(AFTER_COLON.finditer(source_text)), list(AFTER_COLON.finditer(text))
    if len(source_colons) == len(colons):  # Apertium capitalises after a colon or "(": follow the source
        for source_match, match in zip(source_colons, colons):
            word = match.group(1)
            if source_match.group(1)[:1].islower() and word[:1].isupper() and word[1:].islower():
                text = text[:match.start(1)] + word[:1].lower() + text[match.start(1) + 1:]
    for name in {word for word in unknown if word[:1].isupper()}:
        if re.search(r"(?<!\w)" + re.escape(name) + r" [^\W\d_A-ZÁÉÍÓÚÑ]", source_text):
            text = re.sub(r"(?<!\w)(" + re.escape(name) + r" )([A-Z])([a-z]+\b)",
                          lambda m: m.group(1) + m.group(2).lower() + m.group(3), text)
    return text


def keep_quotations(source_text: str, text: str, unknown: list[str]) -> str:
    """Keep as written each «quotation» whose words the engine did not know (already in the target language)."""
    sources, targets = list(QUOTE.finditer(source_text)), list(QUOTE.finditer(text))
    if not sources or len(sources) != len(targets):
        return text
    unknown_set = set(unknown)
    out, position = [], 0
    for source_match, target_match in zip(sources, targets):
        words = WORDS.findall(source_match.group(1) or source_match.group(2))
        foreign = sum(word in unknown_set for word in words)
        if len(words) >= 2 and foreign * 2 >= len(words):
            out.append(text[position:target_match.start()] + source_match.group(0))
            position = target_match.end()
    out.append(text[position:])
    return "".join(out)


def plural_es(word: str) -> str:
    """The plural of a Spanish noun or adjective (regular forms)."""
    if not word or not word[-1].isalpha() or word[-1] in "sx":
        return word
    if word[-1] in "aeiouáéó":
        return word + "s"
    if word[-1] == "z":
        return word[:-1] + "ces"
    accents = str.maketrans("áéíóú", "aeiou")
    if len(word) > 2 and word[-2] in "áéíóú":
        return word[:-2] + word[-2].translate(accents) + word[-1] + "es"
    return word + "es"


def plural_en(phrase: str) -> str:
    """The plural of an English noun phrase (its last word, regular forms)."""
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    elif last and last[-1].isalpha():
        last += "s"
    return f"{head} {last}" if head else last


def plural_terms(terms: dict[str, str]) -> dict[str, str]:
    """The plural of every forced Spanish term with the plural of its translation (those not listed already)."""
    linking = {"de", "del", "la", "el", "los", "las", "en", "para", "con", "a", "y"}
    lowered = {term.lower() for term in terms}
    out = {}
    for term, value in terms.items():
        words = term.split(" ")
        plural = " ".join(w if w.lower() in linking or w[:1].isupper() and len(words) > 1 else plural_es(w)
                          for w in words)
        if plural != term and plural.lower() not in lowered:
            out[plural] = plural_en(value)
    return out
