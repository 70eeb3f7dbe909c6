"""Themes: a stack of folders (project → named theme → its ``extends`` parents → built-in default).

A theme is a folder holding ``theme.toml`` and any of the template files below. A file found
higher in the stack wins, so a theme that ``extends`` another overrides only what it changes.

``theme.toml`` keys: ``name``, ``description``, ``extends`` (a parent theme's name), a
``[variables]`` table passed to every template as ``theme``, and ``[strings.<lang>]`` tables that
override interface strings (``t``) for one language (``[strings.all]`` for every language).
A template rendered with ``lang`` also receives ``fonts``: the font stacks for that language's script.

Template files (Jinja2, autoescaped) and the variables they receive are documented in
``docs/themes.md``: ``page.html`` + ``page.css`` (web page), ``print.html`` + ``print.css``
(PDF), ``epub.css`` (EPUB), ``email.mjml`` + ``email.css`` (email), ``index.html`` (output index).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from exporter.errors import ThemeError

BUILTIN_THEMES = Path(__file__).parent / "builtin_themes"
THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its name, folder stack (most specific first) and variables."""

    name: str
    dirs: tuple[Path, ...]
    variables: dict
    strings: dict = field(default_factory=dict)

    def find(self, filename: str) -> Path:
        """Return the most specific copy of ``filename`` in the stack."""
        for folder in self.dirs:
            candidate = folder / filename
            if candidate.is_file():
                return candidate
        raise ThemeError(f"theme '{self.name}' has no file '{filename}'", self.dirs[0])

    def read(self, filename: str) -> str:
        """Return the text of a theme file."""
        return self.find(filename).read_text(encoding="utf-8")

    @cached_property
    def environment(self):
        """The Jinja2 environment loading templates from the whole stack (imported on first use)."""
        import jinja2

        from markupsafe import Markup

        from exporter.i18n import page_counters_css

        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "mjml", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
        environment.globals["page_counters"] = lambda template: Markup(page_counters_css(str(template)))
        return environment

    def render(self, template: str, **context) -> str:
        """Render a template of the stack with ``context`` (plus ``theme`` variables)."""
        import jinja2

        if "lang" in context:
            context = {**context, **self.localized(context["lang"], context.get("t"))}
        try:
            return self.environment.get_template(template).render(theme=self.trusted_variables, **context)
        except jinja2.TemplateNotFound:
            raise ThemeError(f"theme '{self.name}' has no template '{template}'", self.dirs[0]) from None
        except jinja2.TemplateError as error:
            where = getattr(error, "filename", None) or template
            raise ThemeError(f"template error: {error}", where, getattr(error, "lineno", None)) from None

    def localized(self, lang: str, interface: dict | None = None) -> dict:
        """``t`` with the theme's string overrides for ``lang``, and ``fonts`` for its script."""
        from markupsafe import Markup

        from exporter.fonts import font_stacks
        from exporter.i18n import base_language

        overrides = {**self.strings.get("all", {}), **self.strings.get(base_language(lang), {}),
                     **self.strings.get(lang, {})}
        fonts = {role: Markup(stack) for role, stack in font_stacks(self.variables, lang).items()}
        if interface is None:
            return {"fonts": fonts}
        return {"t": {**interface, **overrides}, "fonts": fonts}

    @cached_property
    def trusted_variables(self) -> dict:
        """Theme variables marked safe: they come from the theme's author, like its templates."""
        from markupsafe import Markup

        return {key: Markup(value) if isinstance(value, str) else value for key, value in self.variables.items()}

    def files_hash(self, *filenames: str) -> str:
        """A hash of the theme files an output depends on (all of them when none named)."""
        digest = hashlib.sha256()
        for folder in self.dirs:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and (not filenames or path.name in filenames or path.name == "theme.toml"):
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


def theme_folder(name: str, project_root: Path) -> Path:
    """Find the folder of theme ``name``: the project's themes/ first, then the built-ins."""
    if not THEME_NAME.match(name):
        raise ThemeError(f"invalid theme name '{name}': use letters, digits, '-' and '_' only")
    for base in (project_root / "themes", BUILTIN_THEMES):
        if (base / name).is_dir():
            return (base / name).resolve()
    raise ThemeError(f"no theme named '{name}' (looked in {project_root / 'themes'} and the built-in themes)")


def read_theme_toml(folder: Path) -> dict:
    """Read a theme's theme.toml (an empty mapping if it has none)."""
    path = folder / "theme.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"invalid theme.toml: {error}", path) from None


def load_theme(name: str, project_root: Path | str = ".") -> Theme:
    """Resolve theme ``name`` into its folder stack."""
    project_root = Path(project_root)
    if not THEME_NAME.match(name or ""):
        raise ThemeError(f"invalid theme name '{name}': use letters, digits, '-' and '_' only")
    dirs: list[Path] = []
    variables: dict = {}
    strings: dict = {}
    current: str | None = name
    while current:
        folder = theme_folder(current, project_root)
        if folder in dirs or len(dirs) >= MAX_EXTENDS_DEPTH:
            raise ThemeError(f"theme '{name}' extends itself in a loop", folder / "theme.toml")
        dirs.append(folder)
        settings = read_theme_toml(folder)
        variables = {**settings.get("variables", {}), **variables}
        for lang, table in settings.get("strings", {}).items():
            strings[lang] = {**table, **strings.get(lang, {})}
        current = settings.get("extends")
    default = (BUILTIN_THEMES / "default").resolve()
    if default not in dirs:
        dirs.append(default)
        variables = {**read_theme_toml(default).get("variables", {}), **variables}
    return Theme(name, tuple(dirs), variables, strings)
