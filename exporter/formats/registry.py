"""Find exporters by name through the ``exporter.formats`` entry-point group, lazily."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from exporter.config import validate_options
from exporter.errors import ExportError, UsageError
from exporter.formats.base import Exporter, Site

GROUP = "exporter.formats"


def format_entry_points() -> dict[str, EntryPoint]:
    """Every registered format by name; two plug-ins claiming one name is an error."""
    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=GROUP):
        previous = found.get(entry.name)
        if previous is not None and previous.value != entry.value:
            raise UsageError(
                f"two plug-ins register the format '{entry.name}': {previous.value} and {entry.value}; "
                "uninstall one of them"
            )
        found[entry.name] = entry
    return dict(sorted(found.items()))


def format_names() -> list[str]:
    """Names of every registered format."""
    return list(format_entry_points())


def load_exporter_class(name: str) -> type[Exporter]:
    """Import the exporter class registered as ``name``."""
    entries = format_entry_points()
    if name not in entries:
        raise UsageError(f"unknown format '{name}' (available: {', '.join(entries) or 'none'})")
    try:
        cls = entries[name].load()
    except Exception as error:  # a broken plug-in must not take the other formats down
        raise ExportError(f"the plug-in for format '{name}' ({entries[name].value}) failed to import: {error}") from None
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise ExportError(f"the plug-in for format '{name}' ({entries[name].value}) is not an Exporter subclass")
    return cls


def create_exporter(name: str, options: dict | None = None, site: Site | None = None,
                    config_path: Path | None = None) -> Exporter:
    """Instantiate the exporter registered as ``name`` with its validated options."""
    cls = load_exporter_class(name)
    return cls(validate_options(f"formats.{name}", cls.options_schema, options or {}, config_path), site)
