"""Apertium, offline: every unit of a batch goes through one ``apertium -f html`` process per hop, with the draft rules.

A pair with no installed mode is translated through intermediate languages (see apertium_routes.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from exporter.errors import TranslationError
from exporter.translate.draft import (
    RULES,
    fix_case,
    keep_quotations,
    localise_dates,
    localise_numbers,
    VALUE_TOKEN,
    replace_amounts,
    replace_month_years,
    restore_amounts,
    target_locale,
)
from exporter.translate.apertium_routes import ISO_639_3, installed_modes, missing_pair_message, mode_for, route
from exporter.translate.engines import Translator
from exporter.translate.placeholders import ATTRIBUTE, PLACEHOLDER

__all__ = ["ISO_639_3", "ApertiumTranslator", "mode_for"]
WORD_TOKEN = "Zzq"  # an unknown word: Apertium keeps it, and the sentence around it stays whole
UNIT = re.compile(r'<p data-u="(\d+)">(.*?)</p>', re.S)
ATOM = re.compile(r'<br data-x="(\d+)"\s*/?>|<span data-x="(\d+)"></span>|\b' + WORD_TOKEN + r'([a-j]+)\b')
UNKNOWN = re.compile(r"(?<![\w#@*])\*(\w[\w'’-]*)")  # a word Apertium did not know, as it marks it
MARK = re.compile(r"(?<![^\W\d_]|[#@*])[#@*](\w+)")  # Apertium's marks: # cannot inflect, @ not in dictionary


class ApertiumTranslator(Translator):
    """Translate with the Apertium command (Debian packages ``apertium`` and ``apertium-eng-spa``)."""

    name = "apertium"
    processes = 0  # how many apertium processes this class has started (one per batch)

    def __init__(self, timeout: float = 120.0, rules=RULES, variant: str = ""):
        self.timeout = timeout
        self.rules = frozenset(rules)  # the draft rules applied (see draft.py)
        self.variant = variant  # e.g. "en_US": Apertium mode spa-eng_US, Babel locale en_US
        self.unknown_words: dict[str, list[str]] = {}  # unit text → the words Apertium marked unknown

    def locale(self, target: str) -> str:
        """The Babel locale of the target edition."""
        return target_locale(target, self.variant) if "variant" in self.rules else target

    def mode(self, source: str, target: str) -> str:
        """The Apertium mode: the variant's (``spa-eng_US``) when installed, else the pair's."""
        base = mode_for(source, target)
        locale = self.locale(target)
        if "_" in locale and f"{base}_{locale.split('_', 1)[1]}" in installed_modes():
            return f"{base}_{locale.split('_', 1)[1]}"
        return base

    def unavailable(self, source: str, target: str) -> str | None:
        """Why this pair cannot be translated here, or None."""
        if shutil.which("apertium") is None:
            return "the 'apertium' command is not installed (Debian: apt-get install apertium apertium-eng-spa)"
        if route(source, target) is None:
            return missing_pair_message(source, target)
        return None

    def describe_route(self, source: str, target: str) -> str:
        """The route a translation takes, e.g. ``en→es→it`` (``en→es`` for a direct pair)."""
        path = route(source, target)
        return "→".join(path) if path else ""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate every text, one apertium process per hop of the route (a direct pair: one hop)."""
        if not texts:
            return []
        reason = self.unavailable(source, target)
        if reason:
            raise TranslationError(f"apertium: {reason}")
        locale = self.locale(target)
        sent = [self.prepare(text, source, locale) for text in texts]
        inline = "inline-notes" in self.rules
        document = "".join(f'<p data-u="{index}">{to_html(text, inline)}</p>\n' for index, (text, _) in enumerate(sent))
        hops = list(zip(route(source, target), route(source, target)[1:]))
        for number, (hop_source, hop_target) in enumerate(hops, 1):
            # only the last hop marks unknown words: an intermediate language passes clean text on
            document = self.run(document, self.mode(hop_source, hop_target), len(texts), marks=number == len(hops))
        found = {int(index): body for index, body in UNIT.findall(document)}
        # a unit Apertium lost comes back empty: the caller's placeholder check retries it, then keeps its source
        return [self.finish(found[index], text, *sent[index], source, locale) if index in found else ""
                for index, text in enumerate(texts)]

    def run(self, document: str, mode: str, count: int, marks: bool = True) -> str:
        """One apertium process over the whole batch's HTML."""
        type(self).processes += 1
        command = ["apertium", "-f", "html", mode] if marks else ["apertium", "-u", "-f", "html", mode]
        try:
            result = subprocess.run(command, input=document, capture_output=True, text=True, encoding="utf-8",
                                    timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise TranslationError(f"apertium: took longer than {self.timeout:.0f} s on {count} units") from None
        except OSError as error:
            raise TranslationError(f"apertium: cannot run: {error.strerror}") from None
        if result.returncode != 0:
            detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise TranslationError(f"apertium failed ({mode}): {detail}")
        return result.stdout

    def prepare(self, text: str, source: str, locale: str) -> tuple[str, list[str]]:
        """A unit as sent to Apertium: amounts and months replaced by numerals; the values they stand for."""
        values: list[str] = []
        if VALUE_TOKEN in text:  # something that reads like a token already: leave the unit alone
            return text, values
        if "currency" in self.rules:
            text, values = replace_amounts(text, source, locale)
        if "dates" in self.rules:
            text = replace_month_years(text, source, locale, values)
        return text, values

    def finish(self, body: str, text: str, sent: str, amounts: list[str], source: str, locale: str) -> str:
        """One unit's Apertium HTML back into unit text, its unknown words noted and the draft rules applied."""
        unknown = [w for w in UNKNOWN.findall(body) if not w.startswith("Zzq") and f"*{w}" not in sent]
        self.unknown_words[text] = list(dict.fromkeys(unknown))
        if locale.startswith("en"):  # Apertium writes "an" before a vowel, but not before a marked word
            body = re.sub(r"\b([Aa]) (?=\*[AEIOUaeiou])", r"\1n ", body)
        out = from_html(body, sent)
        if "case" in self.rules:
            out = fix_case(text, out, unknown)
        if "numbers" in self.rules:
            out = localise_numbers(text, out, source, locale)
        if amounts:
            out = restore_amounts(out, amounts)
            if out is None:  # the engine lost a value: the caller retries the unit in safe mode
                return ""
        if "dates" in self.rules:
            out = localise_dates(out, locale)
        if "quotes" in self.rules:
            out = keep_quotations(text, out, unknown)
        return out


def to_html(text: str, inline_notes: bool = True) -> str:
    """A unit as Apertium's HTML: wrappers as inline spans, atoms as unknown words or blanks.

    A footnote marker is an empty inline span (the sentence goes on) or, without ``inline_notes``,
    a line break like ``ctype="lb"`` (which Apertium takes as a sentence end).
    """
    pieces = []
    glue = glue_of(text)
    for match_or_text in split_keep(text):
        if isinstance(match_or_text, str):
            pieces.append(match_or_text)
        elif match_or_text.group(1):
            pieces.append(f'<span data-g="{match_or_text.group(1)}">')
        elif match_or_text.group(0).startswith("</"):
            pieces.append("</span>")
        else:
            attrs = dict(ATTRIBUTE.findall(match_or_text.group(2)))
            sides = glue[attrs["id"]]
            if attrs.get("ctype") == "x-note" and inline_notes:
                blank = f'<span data-x="{attrs["id"]}"></span>'
            else:
                blank = f'<br data-x="{attrs["id"]}">' if attrs.get("ctype") else word_token(attrs["id"])
            pieces.append((" " if "l" in sides else "") + blank + (" " if "r" in sides else ""))
    return "".join(pieces)


def word_token(number: str) -> str:
    """The unknown word standing for atom ``number`` (digits spelt as letters: 12 → Zzqbc)."""
    return WORD_TOKEN + "".join(chr(ord("a") + int(digit)) for digit in number)


def glue_of(text: str) -> dict[str, str]:
    """For each atom, the sides (``l``, ``r``) where it touches a word with no space between."""
    glue = {}
    for match in PLACEHOLDER.finditer(text):
        if match.group(2) is None:
            continue
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        number = dict(ATTRIBUTE.findall(match.group(2)))["id"]
        touches = before and not before.isspace() and (before != ">" or text.endswith("/>", 0, match.start()))
        glue[number] = ("l" if touches else "") + (
            "r" if after.isalnum() else "")
    return glue


def split_keep(text: str) -> list:
    """The text between placeholders (strings) and the placeholder matches, in order."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            out.append(text[position:match.start()])
        out.append(match)
        position = match.end()
    if position < len(text):
        out.append(text[position:])
    return out


def from_html(body: str, source_text: str) -> str:
    """Apertium's HTML for one unit back into unit text."""
    ctypes = {attrs["id"]: attrs.get("ctype", "") for attrs in
              (dict(ATTRIBUTE.findall(m.group(2))) for m in PLACEHOLDER.finditer(source_text) if m.group(2))}
    glue = glue_of(source_text)

    body = re.sub(r"[*#@](?=Zzq)", "", body)  # tokens are unknown words: drop Apertium's mark
    body = re.sub(r"(?<![\w#@])([#@])\*(?=\w)", r"\1", body)  # "@*pepe": a handle Apertium did not know

    def atom(match: re.Match) -> str:
        number = match.group(1) or match.group(2) or "".join(str(ord(c) - ord("a")) for c in match.group(3))
        ctype = ctypes.get(number, "")
        marker = f'<x id="{number}"' + (f' ctype="{ctype}"' if ctype else "") + "/>"
        sides = glue.get(number, "")
        return ("\x01" if "l" in sides else "") + marker + ("\x02" if "r" in sides else "")

    text = ATOM.sub(atom, body)
    text = re.sub(r'<span data-g="(\d+)">', r'<g id="\1">', text).replace("</span>", "</g>")
    text = re.sub(r"\s*\x01", "", re.sub(r"\x02\s*", "", text))
    text = MARK.sub(lambda m: m.group(0) if m.group(0) in source_text else m.group(1), text)
    text = re.sub(r"[ \t\n]+", " ", text).strip()
    # a pronoun Apertium dropped ("se") leaves "processing ." where the source had no space
    return re.sub(r" ([.,;:!?)])", lambda m: m.group(0) if m.group(0) in source_text else m.group(1), text)
