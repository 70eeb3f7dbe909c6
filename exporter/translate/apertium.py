"""Apertium, offline: every unit of a batch goes through one ``apertium -u -f html`` process per hop.

A pair with no installed mode is translated through intermediate languages (see apertium_routes.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from exporter.errors import TranslationError
from exporter.translate.apertium_routes import ISO_639_3, installed_modes, missing_pair_message, mode_for, route
from exporter.translate.engines import Translator
from exporter.translate.placeholders import ATTRIBUTE, PLACEHOLDER

__all__ = ["ISO_639_3", "ApertiumTranslator", "installed_pairs", "mode_for"]
WORD_TOKEN = "Zzq"  # an unknown word: Apertium keeps it, and the sentence around it stays whole
UNIT = re.compile(r'<p data-u="(\d+)">(.*?)</p>', re.S)
ATOM = re.compile(r'<br data-x="(\d+)"\s*/?>|\b' + WORD_TOKEN + r'([a-j]+)\b')
MARK = re.compile(r"(?<![\w#@*])[#@*](\w+)")  # Apertium's marks: # cannot inflect, @ not in dictionary


def installed_pairs() -> frozenset[str]:
    """The language pairs (modes) this Apertium can translate."""
    return installed_modes()


class ApertiumTranslator(Translator):
    """Translate with the Apertium command (Debian packages ``apertium`` and ``apertium-eng-spa``)."""

    name = "apertium"
    processes = 0  # how many apertium processes this class has started (one per batch)

    def __init__(self, timeout: float = 120.0):
        self.timeout = timeout

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
        path = route(source, target)
        for hop_source, hop_target in zip(path, path[1:]):
            texts = self.translate_direct(texts, hop_source, hop_target)
        return texts

    def translate_direct(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate every text in one apertium process with an installed pair."""
        document = "".join(f'<p data-u="{index}">{to_html(text)}</p>\n' for index, text in enumerate(texts))
        type(self).processes += 1
        try:
            result = subprocess.run(["apertium", "-u", "-f", "html", mode_for(source, target)], input=document,
                                    capture_output=True, text=True, encoding="utf-8", timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise TranslationError(f"apertium: took longer than {self.timeout:.0f} s on {len(texts)} units") from None
        except OSError as error:
            raise TranslationError(f"apertium: cannot run: {error.strerror}") from None
        if result.returncode != 0:
            detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise TranslationError(f"apertium failed ({mode_for(source, target)}): {detail}")
        found = {int(index): body for index, body in UNIT.findall(result.stdout)}
        # a unit Apertium lost comes back empty: the caller's placeholder check retries it, then keeps its source
        return [from_html(found[index], text) if index in found else "" for index, text in enumerate(texts)]


def to_html(text: str) -> str:
    """A unit as Apertium's HTML: wrappers as inline spans, atoms as unknown words or blanks."""
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

    def atom(match: re.Match) -> str:
        number = match.group(1) or "".join(str(ord(letter) - ord("a")) for letter in match.group(2))
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
