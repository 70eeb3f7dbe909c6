"""The Exporter contract: what a format plug-in implements.

An exporter turns one edition (a :class:`~exporter.document.Document` in one language) into
files. To add a format, subclass :class:`Exporter`, set ``name`` and ``suffix``, implement
``export`` (and ``unavailable`` if it needs an engine that may be missing), and register the
class under the entry-point group ``exporter.formats``::

    [project.entry-points."exporter.formats"]
    docx = "my_package.docx:DocxExporter"

The built-in formats register through the very same group.

Contract:

- ``name``: the format's name on the command line (``--format NAME``) and in the entry point.
- ``suffix``: the suffix of the main file, written as ``<slug><suffix>`` (``.pdf``, ``.email.html``).
- ``theme_files``: the theme files the output depends on (a change rebuilds it).
- ``companion_suffixes``: suffixes of other main files it writes beside ``<slug><suffix>``
  (the email format's ``.eml``), so the manifest names their format.
- ``engine_packages``: the Python distributions of its engines; their versions are part of
  the rebuild key (``engine_version()``), read without importing them.
- ``options_schema``: ``{key: exporter.config.Option(type, default, doc)}`` for the
  ``[formats.<name>]`` table of ``newsletter.toml``; unknown keys and wrong types are
  reported with the key's name and line before anything is built.
- ``__init__(options, site)``: ``options`` is that table, validated, defaults filled in;
  ``site`` is a :class:`Site` (title, base URL, languages). An exporter never receives a
  global application object.
- ``unavailable() -> str | None``: None when the format can be built, else one sentence
  saying why not (for example, which engine is missing and how to install it). It must be cheap
  and must not raise.
- ``export(document, theme, out_dir) -> list[Path]``: write the edition into ``out_dir`` (a
  private staging folder: the build moves the files into ``output/<slug>/<lang>/`` atomically
  once every exporter has succeeded) and return every file written, the main file first.
  Raise :class:`~exporter.errors.ExportError` with a one-line message on failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from exporter.document import Document
from exporter.themes import Theme


@dataclass(frozen=True)
class Site:
    """What an exporter may know about the site: title, public URL and the editions' languages."""

    title: str = "Newsletter"
    base_url: str = ""
    languages: tuple[str, ...] = ("es", "en")
    settings: dict = field(default_factory=dict)
    editions: dict = field(default_factory=dict)  # [languages.<code>] settings by language

    def for_language(self, lang: str) -> Site:
        """The Site as editions in ``lang`` see it (title, email from and unsubscribe text of that language)."""
        from exporter.language_settings import localized_site

        return localized_site(self, lang)

    def base_for(self, lang: str | None = None) -> str:
        """Where ``lang``'s editions are published: its ``[languages.<lang>] base_url``, else the top-level one."""
        table = self.editions.get(lang) if lang else None
        return (table or {}).get("base_url") or self.base_url

    def url(self, relative: str, lang: str | None = None) -> str:
        """An absolute URL for a path relative to the output folder (relative if no base URL).

        ``lang`` names the language the path belongs to, whose own base URL then applies.
        """
        base = self.base_for(lang)
        if not base:
            return relative
        return base.rstrip("/") + "/" + relative.lstrip("/")


def installed_version(distribution: str) -> str:
    """The installed version of a Python distribution, or "missing"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "missing"


def missing_engine(modules: dict[str, str] | None = None, libraries: dict[str, str] | None = None) -> str | None:
    """Why an engine cannot run, checked cheaply: ``{module: pip package}``, ``{C library: Debian package}``."""
    import ctypes.util
    import importlib.util

    for module, package in (modules or {}).items():
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install {package})"
    for library, package in (libraries or {}).items():
        if ctypes.util.find_library(library) is None:
            return f"the {library} library is missing (apt install {package})"
    return None


class Exporter:
    """Base class of every output format (see the module docstring for the contract)."""

    name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    theme_files: ClassVar[tuple[str, ...]] = ()
    options_schema: ClassVar[dict] = {}
    engine_packages: ClassVar[tuple[str, ...]] = ()
    companion_suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: dict | None = None, site: Site | None = None):
        defaults = {key: option.default for key, option in self.options_schema.items()}
        self.options = {**defaults, **(options or {})}
        self.site = site or Site()

    def unavailable(self) -> str | None:
        """Why this format cannot be built here, or None if it can."""
        return None

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write this format's files for ``document`` into ``out_dir``; return them."""
        raise NotImplementedError

    def for_language(self, lang: str) -> Exporter:
        """This exporter with the Site of ``lang``'s editions (itself when that language changes nothing)."""
        import copy

        site = self.site.for_language(lang)
        if site is self.site:
            return self
        localized = copy.copy(self)
        localized.site = site
        return localized

    def filename(self, document: Document) -> str:
        """The main output file's name for ``document``."""
        return document.meta.slug + self.suffix

    def engine_version(self) -> str:
        """The engines' names and versions (part of the rebuild key), read without importing them."""
        return " ".join(f"{name} {installed_version(name)}" for name in self.engine_packages)
