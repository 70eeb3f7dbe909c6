"""Glyph coverage of a PDF: every character of its text is in the cmap of a font it embeds (no empty boxes)."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

# characters a PDF text extractor may report that no font draws: spacing, joiners, marks of direction
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


@lru_cache(maxsize=1)
def fontconfig_fonts() -> list[tuple[str, str, str, str, int]]:
    """Fontconfig's fonts, once per process: (family, style, PostScript name, file, index in the file)."""
    out = subprocess.run(["fc-list", "--format", "%{family[0]}|%{style[0]}|%{postscriptname}|%{file}|%{index}\n"],
                         capture_output=True, text=True, timeout=60).stdout
    fonts = []
    for line in out.splitlines():
        family, style, name, file, index = (line.split("|") + ["", "", "", "", "0"])[:5]
        fonts.append((family, style, name, file, int(index or 0)))
    return fonts


@lru_cache(maxsize=1)
def installed_fonts() -> dict[tuple[str, str], tuple[str, int]]:
    """Fontconfig's fonts by (family, style), lower-cased: their file and index in it."""
    fonts = {}
    for family, style, _, file, index in fontconfig_fonts():
        fonts.setdefault((family.lower(), style.lower()), (file, index))
    return fonts


@lru_cache(maxsize=1)
def installed_by_postscript_name() -> dict[str, tuple[str, int]]:
    """Fontconfig's fonts by PostScript name: their file and index in it."""
    fonts = {}
    for _, _, name, file, index in fontconfig_fonts():
        if name and file:
            fonts.setdefault(name, (file, index))
    return fonts


def named_cmap(font_name: str) -> set[int]:
    """The cmap of the installed font a subset's PostScript name (``ABCDEF+Name``) names (empty if not found).

    For bare CFF programs (``/FontFile3``, as Typst embeds OpenType CFF faces), which carry no cmap of their own.
    """
    found = installed_by_postscript_name().get(font_name.split("+", 1)[-1])
    return set(font_file_cmap(*found)) if found else set()


def original_cmap(program, installed: dict) -> set[int]:
    """The cmap of the installed font an embedded subset was cut from (empty if it is not found).

    A subset's own cmap lists only characters drawn by their default glyph: an Arabic letter drawn
    only in its joined forms, or a Devanagari vowel sign drawn only inside a conjunct, is not in it.
    """
    names = program["name"] if "name" in program else None
    if names is None:
        return set()
    family = str(names.getDebugName(16) or names.getDebugName(1) or "").lower()
    style = str(names.getDebugName(17) or names.getDebugName(2) or "regular").lower()
    found = installed.get((family, style)) or installed.get((family, "regular"))
    return font_file_cmap(*found) if found else set()


@lru_cache(maxsize=64)
def font_file_cmap(file: str, index: int) -> frozenset[int]:
    """The code points an installed font file maps (read once per process)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(file, fontNumber=index, lazy=True).getBestCmap() or {})


def embedded_fonts(pdf: Path) -> dict[str, set[int]]:
    """Every font program the PDF embeds, by its /BaseFont name, with the code points its font maps.

    That is the subset's cmap plus the cmap of the installed font it was cut from.
    """
    from fontTools.ttLib import TTFont, TTLibError
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    installed = installed_fonts()
    fonts: dict[str, set[int]] = {}
    seen: set[int] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for reference in (resources.get("/Font") or {}).values():
            font = reference.get_object()
            if getattr(reference, "idnum", None) in seen:
                continue
            seen.add(getattr(reference, "idnum", id(font)))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            key = next((k for k in ("/FontFile2", "/FontFile3") if k in descriptor), None)
            if key is None:
                continue
            try:
                program = TTFont(io.BytesIO(descriptor[key].get_object().get_data()), lazy=True)
                cmap = set(program.getBestCmap() or {}) | original_cmap(program, installed)
            except (TTLibError, AssertionError, KeyError, ValueError):  # a bare CFF program: known by its name
                cmap = named_cmap(str(descriptor.get("/FontName", "")).lstrip("/"))
            fonts.setdefault(str(font["/BaseFont"]).lstrip("/"), set()).update(cmap)
    return fonts


def pdf_text(pdf: Path) -> str:
    """The PDF's text as ``pdftotext`` (poppler) extracts it."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")


def uncovered_characters(pdf: Path) -> dict[str, int]:
    """Characters of the PDF's text that no embedded font's cmap holds, with how often each occurs."""
    covered = set().union(*embedded_fonts(pdf).values())
    missing: dict[str, int] = {}
    for character in unicodedata.normalize("NFC", pdf_text(pdf)):
        if unicodedata.category(character) in INVISIBLE_CATEGORIES or character.isspace():
            continue
        if ord(character) not in covered:
            missing[character] = missing.get(character, 0) + 1
    return missing
