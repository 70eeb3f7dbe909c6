"""Font stacks per script: the theme's base stacks, with a real face for the edition's script put first.

A theme names its base stacks (``body_font``, ``heading_font``, ``code_font``, ``email_font``,
``epub_body_font``) and, in ``[variables.script_fonts.serif]`` / ``.sans`` / ``.mono``, one face per
ISO 15924 script (``Arab``, ``Hebr``, ``Deva``, ``Thai``, ``Jpan``, ``Kore``, ``Hans``, ``Hant``…).
For an edition in a language of another script than Latin, its script's face comes first (except in code,
which is mostly Latin) (so that
Arabic is drawn by an Arabic face, Japanese kanji by the Japanese CJK face, not the Chinese one); every
other script face follows the base stack, so a word in another script still gets a real glyph.
"""

from __future__ import annotations

from exporter.i18n import script_of

GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                    "ui-sans-serif", "ui-monospace"}
# which script_fonts table serves which stack
ROLES = {"body": ("body_font", "serif"), "heading": ("heading_font", "sans"), "code": ("code_font", "mono"),
         "email": ("email_font", "sans"), "epub_body": ("epub_body_font", "serif")}
DEFAULT_STACKS = {"body_font": "serif", "heading_font": "sans-serif", "code_font": "monospace",
                  "email_font": "Helvetica, Arial, sans-serif", "epub_body_font": "serif"}


def split_stack(stack: str) -> list[str]:
    """The families of a CSS ``font-family`` value, quotes kept."""
    return [family.strip() for family in stack.split(",") if family.strip()]


def quoted(face: str) -> str:
    """A family name as CSS wants it (quoted when it holds spaces)."""
    face = face.strip()
    return face if face[:1] in "'\"" or " " not in face else f"'{face}'"


def font_stack(base: str, script_faces: dict[str, str], lang: str, lead: bool = True) -> str:
    """``base`` with the face of ``lang``'s script first and every other script's face before the generic family.

    With ``lead`` false (code, which is mostly Latin whatever the language) the script's face follows the base stack.
    """
    families = split_stack(base)
    generic = [families.pop()] if families and families[-1].strip("'\"") in GENERIC_FAMILIES else []
    script = script_of(lang)
    own = [quoted(script_faces[script])] if script in script_faces else []
    others = [quoted(face) for name, face in script_faces.items() if name != script]
    ordered = (own + families if lead else families + own) + others + generic
    return ", ".join(dict.fromkeys(ordered))


def font_stacks(variables: dict, lang: str) -> dict[str, str]:
    """Every stack a template uses: ``fonts.body``, ``.heading``, ``.code``, ``.email`` and ``.epub_body``."""
    tables = variables.get("script_fonts", {}) or {}
    return {role: font_stack(str(variables.get(key, DEFAULT_STACKS[key])), dict(tables.get(kind, {})), lang,
                             lead=kind != "mono")
            for role, (key, kind) in ROLES.items()}
