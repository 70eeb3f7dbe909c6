"""Which Apertium pairs are installed, by ISO 639-1 code, and the route between two languages (pivoting if needed).

Apertium names a mode by ISO 639-3 codes (``spa-cat``); a mode with a suffix (``spa-cat_valencia``) is a
variety and is not used. When no direct pair exists, the route goes through one or more intermediate
languages (``en → es → it`` with eng-spa and spa-ita), shortest first, then by the order of ``PIVOT_PREFERENCE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import deque
from functools import lru_cache
from pathlib import Path

ISO_639_3 = {"es": "spa", "en": "eng", "ca": "cat", "fr": "fra", "pt": "por", "gl": "glg", "it": "ita",
             "de": "deu", "oc": "oci", "eu": "eus", "ro": "ron", "an": "arg", "ast": "ast", "nl": "nld",
             "af": "afr", "nb": "nob", "nn": "nno", "sv": "swe", "da": "dan", "is": "isl", "fo": "fao",
             "br": "bre", "cy": "cym", "ga": "gle", "gd": "gla", "eo": "epo", "mt": "mlt", "ar": "ara",
             "he": "heb", "hi": "hin", "ur": "urd", "ru": "rus", "uk": "ukr", "be": "bel", "bg": "bul",
             "mk": "mkd", "sl": "slv", "hr": "hrv", "sr": "srp", "bs": "bos", "cs": "ces", "sk": "slk",
             "pl": "pol", "kk": "kaz", "tt": "tat", "tr": "tur", "ky": "kir", "se": "sme", "fi": "fin",
             "et": "est", "id": "ind", "ms": "msa", "sc": "srd", "lb": "ltz", "el": "ell", "ja": "jpn",
             "zh": "zho", "ko": "kor", "fa": "fas", "th": "tha"}
ISO_639_1 = {three: two for two, three in ISO_639_3.items()}
PIVOT_PREFERENCE = ("es", "ca", "en", "fr", "pt", "it")
MAX_HOPS = 3


def iso3(lang: str) -> str:
    """Apertium's (ISO 639-3) code for a language code such as ``es`` or ``pt-BR``."""
    base = lang.replace("_", "-").split("-")[0].lower()
    return ISO_639_3.get(base, base)


def iso1(code: str) -> str:
    """The ISO 639-1 code of an ISO 639-3 code (itself when there is none)."""
    return ISO_639_1.get(code, code)


@lru_cache(maxsize=1)
def installed_modes() -> frozenset[str]:
    """The modes (``spa-cat``, ``spa-cat_valencia``…) that ``apertium -l`` lists on this machine.

    Read from the mode files as the ``apertium`` script itself lists them (no process to start), else asked.
    """
    if shutil.which("apertium") is None:
        return frozenset()
    modes = Path(os.environ.get("APERTIUM_DATADIR") or "/usr/share/apertium") / "modes"
    if modes.is_dir():
        return frozenset(path.name[: -len(".mode")] for path in modes.glob("*.mode"))
    try:
        out = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines() if line.strip())


def installed_pairs() -> list[tuple[str, str]]:
    """Every usable direct pair as (source, target) language codes (ISO 639-1 where one exists), sorted."""
    pairs = set()
    for mode in installed_modes():
        if "_" in mode or mode.count("-") != 1:
            continue
        source, target = mode.split("-")
        pairs.add((iso1(source), iso1(target)))
    return sorted(pairs)


def route(source: str, target: str) -> list[str] | None:
    """The languages a translation passes through, ``[source, …, target]``, or None if no route is installed."""
    start, goal = iso1(iso3(source)), iso1(iso3(target))
    graph: dict[str, list[str]] = {}
    for a, b in installed_pairs():
        graph.setdefault(a, []).append(b)
    rank = {lang: index for index, lang in enumerate(PIVOT_PREFERENCE)}
    queue = deque([[start]])
    seen = {start}
    while queue:
        path = queue.popleft()
        if path[-1] == goal:
            return path
        if len(path) > MAX_HOPS:
            continue
        for following in sorted(graph.get(path[-1], []), key=lambda lang: (lang != goal, rank.get(lang, 99), lang)):
            if following not in seen:
                seen.add(following)
                queue.append([*path, following])
    return None


def mode_for(source: str, target: str) -> str:
    """Apertium's mode name for one direct pair, e.g. ``spa-eng``."""
    return f"{iso3(source)}-{iso3(target)}"


def debian_package(source: str, target: str) -> str | None:
    """The Debian package of the pair (named in either order: apt-cache tells which), None if it knows neither."""
    names = [f"apertium-{iso3(source)}-{iso3(target)}", f"apertium-{iso3(target)}-{iso3(source)}"]
    if not shutil.which("apt-cache"):
        return names[0]
    for name in names:
        try:
            found = subprocess.run(["apt-cache", "show", "--no-all-versions", name], capture_output=True,
                                   timeout=20).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return names[0]
        if found:
            return name
    return None


def missing_pair_message(source: str, target: str) -> str:
    """One line saying that no route exists and which Debian package provides the pair."""
    package = debian_package(source, target)
    advice = (f"Debian: apt-get install {package}" if package else
              f"Debian has no apertium-{iso3(source)}-{iso3(target)} or apertium-{iso3(target)}-{iso3(source)} "
              "package; 'newsletter translate pairs' lists the pairs usable here")
    return f"no Apertium pair {mode_for(source, target)} is installed, directly or through another language ({advice})"


def usable_routes() -> list[list[str]]:
    """Every route between two languages of the installed pairs: direct ones, then those through a pivot."""
    languages = sorted({lang for pair in installed_pairs() for lang in pair})
    routes = [route(a, b) for a in languages for b in languages if a != b]
    return sorted((r for r in routes if r), key=lambda r: (len(r), r))
