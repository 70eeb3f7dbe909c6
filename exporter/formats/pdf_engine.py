"""Which engine lays out the print edition: ``[formats.pdf] engine``, within what the theme supports.

A theme declares the PDF engines its print files are written for in its ``theme.toml``
(``pdf_engines = ["typst", "weasyprint"]``, most preferred first; a theme that ``extends`` another
inherits its list unless it ships one engine's print files only). ``engine = ""`` takes the theme's
first engine.
"""

from __future__ import annotations

from exporter.errors import ConfigError
from exporter.themes import Theme, read_theme_toml

ENGINES = ("typst", "weasyprint")
DEFAULT_ENGINE = "typst"
ENGINE_FILES = {"typst": ("print.typ",), "weasyprint": ("print.html", "print.css")}


def theme_pdf_engines(theme: Theme) -> tuple[str, ...]:
    """The PDF engines a theme supports, most preferred first.

    The most specific theme of the stack that says decides: by ``pdf_engines`` in its theme.toml, or
    by shipping one engine's print files only (a theme overriding ``print.css`` alone is a WeasyPrint
    theme, so its look is not silently dropped). Both engines, Typst first, when none says.
    """
    for folder in theme.dirs:
        declared = read_theme_toml(folder).get("pdf_engines")
        if declared is not None:
            engines = tuple(name for name in declared if name in ENGINES) if isinstance(declared, list) else ()
            if not engines:
                raise ConfigError(f"pdf_engines must list some of: {', '.join(ENGINES)}", folder / "theme.toml")
            return engines
        shipped = [engine for engine, files in ENGINE_FILES.items() if any((folder / f).is_file() for f in files)]
        if len(shipped) == 1:
            return (shipped[0],)
    return (DEFAULT_ENGINE, *(name for name in ENGINES if name != DEFAULT_ENGINE))


def choose_engine(requested: str, theme: Theme) -> str:
    """The engine for this build: the one asked for if the theme supports it, else the theme's first."""
    supported = theme_pdf_engines(theme)
    if not requested:
        return supported[0]
    if requested not in supported:
        raise ConfigError(f"theme '{theme.name}' supports the PDF engines {', '.join(supported)}, "
                          f"not '{requested}' ([formats.pdf] engine)")
    return requested
