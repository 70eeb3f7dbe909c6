"""Fonts in built PDFs: every font a page uses is embedded (a reader may not have it), every letter has a glyph."""

from __future__ import annotations

from pathlib import Path

from exporter.check import Problem

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def font_is_embedded(font) -> bool:
    """True if a PDF font dictionary carries its font program (Type 3 fonts are drawn, so always are)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(font_is_embedded(descendant.get_object()) for descendant in font.get("/DescendantFonts", []))
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in FONT_FILES)


def fonts_of(resources, seen: set[int]) -> dict[str, object]:
    """Every font reachable from a resources dictionary (form XObjects included), by base name."""
    fonts: dict[str, object] = {}
    if resources is None:
        return fonts
    resources = resources.get_object()
    for reference in (resources.get("/Font") or {}).values():
        font = reference.get_object()
        fonts[str(font.get("/BaseFont", "?")).lstrip("/")] = font
    for reference in (resources.get("/XObject") or {}).values():
        xobject = reference.get_object()
        key = getattr(reference, "idnum", id(xobject))
        if xobject.get("/Subtype") == "/Form" and key not in seen:
            seen.add(key)
            fonts.update(fonts_of(xobject.get("/Resources"), seen))
    return fonts


def unembedded_fonts(path: Path) -> list[str]:
    """Base names of the fonts of ``path`` that are not embedded."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    fonts: dict[str, object] = {}
    seen: set[int] = set()
    for page in reader.pages:
        fonts.update(fonts_of(page.get("/Resources"), seen))
    return sorted(name for name, font in fonts.items() if not font_is_embedded(font))


def check_pdfs(paths: list[Path]) -> list[Problem]:
    """One problem per PDF font that is not embedded (or per PDF that cannot be read)."""
    from pypdf.errors import PyPdfError

    problems = []
    for path in paths:
        try:
            missing = unembedded_fonts(path)
        except (OSError, PyPdfError) as error:
            problems.append(Problem(path, None, "unreadable-pdf", f"cannot read the PDF: {error}"))
            continue
        problems.extend(Problem(path, None, "font-not-embedded", f"font '{name}' is not embedded") for name in missing)
        problems.extend(glyph_problems(path))
    return problems


def glyph_problems(path: Path) -> list[Problem]:
    """One problem if letters of the PDF's text are in no embedded font (drawn as empty boxes)."""
    import subprocess

    from exporter.check.glyphs import uncovered_characters

    try:
        missing = uncovered_characters(path)
    except (OSError, subprocess.SubprocessError) as error:
        return [Problem(path, None, "unreadable-pdf", f"cannot extract the PDF's text: {error}")]
    if not missing:
        return []
    shown = " ".join(f"{char} (U+{ord(char):04X})" for char in sorted(missing)[:8])
    return [Problem(path, None, "missing-glyph", f"{sum(missing.values())} letters have no glyph in any embedded font "
                                                  f"(install a font for their script): {shown}")]
