"""Find exporters by name through the ``exporter.formats`` entry-point group, lazily.

A broken plug-in only loses its own format: two plug-ins claiming one name, a failing import or
a class that is not an :class:`Exporter` make that one name fail with a one-line
:class:`ExportError` naming the plug-in, while every other format still loads.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from exporter.config import validate_options
from exporter.errors import ExportError, NewsletterError, UsageError
from exporter.formats.base import Exporter, Site

GROUP = "exporter.formats"


def plugin_label(entry: EntryPoint) -> str:
    """Name a plug-in by its distribution and object, e.g. ``newsletter-docx (newsletter_docx:DocxExporter)``."""
    dist = getattr(entry, "dist", None)
    return f"{dist.name} ({entry.value})" if dist is not None else entry.value


@lru_cache(maxsize=1)
def scan_entry_points() -> tuple[dict[str, EntryPoint], dict[str, str]]:
    """Every registered format by name, and the names two different plug-ins claim (with the message).

    Read once per process (as the interpreter sees its installed distributions once): a build asks many times.
    """
    found: dict[str, EntryPoint] = {}
    claims: dict[str, list[EntryPoint]] = {}
    for entry in entry_points(group=GROUP):
        claimants = claims.setdefault(entry.name, [])
        if all(entry.value != other.value for other in claimants):
            claimants.append(entry)
        found.setdefault(entry.name, entry)
    duplicates = {
        name: f"two plug-ins register the format '{name}': "
              f"{' and '.join(plugin_label(entry) for entry in claimants)}; uninstall one of them"
        for name, claimants in claims.items() if len(claimants) > 1
    }
    return dict(sorted(found.items())), duplicates


def format_entry_points() -> dict[str, EntryPoint]:
    """Every registered format by name (a name claimed twice maps to its first claimant and fails to load)."""
    return scan_entry_points()[0]


def format_names() -> list[str]:
    """Names of every registered format."""
    return list(format_entry_points())


def load_exporter_class(name: str) -> type[Exporter]:
    """Import the exporter class registered as ``name``; a broken plug-in raises a one-line ExportError."""
    entries, duplicates = scan_entry_points()
    if name not in entries:
        raise UsageError(f"unknown format '{name}' (available: {', '.join(entries) or 'none'})")
    if name in duplicates:
        raise ExportError(duplicates[name])
    entry = entries[name]
    try:
        cls = entry.load()
    except Exception as error:  # a broken plug-in must not take the other formats down
        raise ExportError(
            f"plug-in {plugin_label(entry)} failed to import: {type(error).__name__}: {error}"
        ) from None
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise ExportError(f"plug-in {plugin_label(entry)} is not an Exporter subclass")
    if cls.name != name:
        raise ExportError(f"plug-in {plugin_label(entry)} is registered as '{name}' but its class says '{cls.name}'")
    return cls


def exporter_or_reason(name: str, options: dict | None = None, site: Site | None = None,
                       config_path: Path | None = None) -> tuple[Exporter | None, str | None]:
    """The exporter for ``name`` and None, or None and one sentence saying why it cannot be built here."""
    try:
        exporter = create_exporter(name, options, site, config_path)
        reason = exporter.unavailable()
    except ExportError as error:
        return None, error.message
    except NewsletterError:  # a bad option in newsletter.toml: the user's to fix, not a missing engine
        raise
    except Exception as error:  # a plug-in's own bug must not take the other formats down
        return None, f"the plug-in for format '{name}' failed: {type(error).__name__}: {error}"
    return (None, reason) if reason else (exporter, None)


def create_exporter(name: str, options: dict | None = None, site: Site | None = None,
                    config_path: Path | None = None) -> Exporter:
    """Instantiate the exporter registered as ``name`` with its validated options."""
    cls = load_exporter_class(name)
    values = validate_options(f"formats.{name}", cls.options_schema, options or {}, config_path)
    try:
        return cls(values, site)
    except NewsletterError:  # the plug-in's own one-line message (a bad option, say)
        raise
    except Exception as error:  # a plug-in's constructor is its own code: name it, keep the others going
        raise ExportError(
            f"plug-in {plugin_label(format_entry_points()[name])} failed to start: {type(error).__name__}: {error}"
        ) from None
