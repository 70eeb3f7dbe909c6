"""The documentation is checked against the code: contracts, theme files and variables, config keys, CLI.

Each test collects the names from the code itself (classes, schemas, templates, what exporters really
pass to their templates) and lists the ones docs/ does not mention.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import json
import pkgutil
import re
import tomllib
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

import exporter
from exporter import clidoc
from exporter.config import FREE_SECTIONS, SCHEMA, Option
from exporter.document import Metadata, load_document
from exporter.formats.base import Exporter, Site
from exporter.formats.registry import GROUP, format_names, load_exporter_class
from exporter.i18n import strings
from exporter.render import template_context
from exporter.themes import BUILTIN_THEMES, Theme, load_theme
from tests.conftest import FIXTURES, REPO

DOCS = REPO / "docs"
EXAMPLE_PLUGIN = REPO / "examples" / "exporter-docx"
TYPE_NAMES = {str: "text", int: "integer", float: "number", bool: "boolean", list: "list"}


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def all_docs() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md")))


def mentioned(text: str, name: str) -> bool:
    """True if ``name`` appears in ``text`` as code: `name`, `name(…)` or `name.field`."""
    return re.search(rf"`{re.escape(name)}[`(.\[ ]", text) is not None


def undocumented(text: str, names) -> list[str]:
    return sorted({name for name in names if not mentioned(text, name)})


def public_members(cls: type) -> list[str]:
    """Public attributes and methods a class defines itself (annotations included)."""
    names = [name for name in vars(cls) if not name.startswith("_")]
    names += [name for name in getattr(cls, "__annotations__", {}) if not name.startswith("_")]
    return sorted(set(names))


@functools.cache
def example_plugin():
    """The example DOCX plug-in's module, imported from its folder (no installation needed)."""
    spec = importlib.util.spec_from_file_location("newsletter_docx", EXAMPLE_PLUGIN / "newsletter_docx" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exporter_classes() -> dict[str, type[Exporter]]:
    """Every exporter: the registered ones, the built-in modules' (even before reinstalling), the example's."""
    found = {}
    for name in format_names():
        try:
            found[name] = load_exporter_class(name)
        except Exception:  # a broken third-party plug-in in this environment is not the docs' problem
            continue
    for info in pkgutil.iter_modules(importlib.import_module("exporter.formats").__path__, "exporter.formats."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Exporter) and obj is not Exporter and obj.name:
                found.setdefault(obj.name, obj)
    found.setdefault("docx", example_plugin().DocxExporter)
    return found


# --- contracts ---------------------------------------------------------------------------------

def test_exporter_contract_is_documented():
    text = doc("exporters.md")
    names = ["Exporter", "Site", GROUP, "__init__", "unavailable()", *public_members(Exporter), *public_members(Site)]
    assert undocumented(text, names) == []
    assert "[formats.<name>]" in text and "options_schema" in text


def test_contract_members_have_docstrings():
    for cls in (Exporter, Site):
        for name in public_members(cls):
            member = getattr(cls, name, None)
            if callable(member):
                assert (member.__doc__ or "").strip(), f"{cls.__name__}.{name} has no docstring"


def test_translator_contract_is_documented():
    engines = importlib.import_module("exporter.translate.engines")
    translator = engines.Translator
    names = ["Translator", *public_members(translator), "FakeTranslator", "create_translator", "engine_names"]
    assert undocumented(all_docs(), names) == []


# --- themes ------------------------------------------------------------------------------------

def builtin_theme_files() -> set[str]:
    return {path.name for folder in BUILTIN_THEMES.iterdir() if folder.is_dir()
            for path in folder.iterdir() if path.is_file()}


def test_every_theme_file_is_documented():
    files = builtin_theme_files() | {name for cls in exporter_classes().values() for name in cls.theme_files}
    assert undocumented(doc("themes.md"), files) == []


def test_every_theme_variable_is_documented():
    names = set()
    for folder in BUILTIN_THEMES.iterdir():
        if (folder / "theme.toml").is_file():
            names |= set(tomllib.loads((folder / "theme.toml").read_text())["variables"])
        for path in folder.iterdir():
            if path.suffix in (".html", ".css", ".mjml"):
                names |= set(re.findall(r"\btheme\.(\w+)", path.read_text(encoding="utf-8")))
    for path in Path(exporter.__file__).parent.rglob("*.py"):  # exporters reading variables themselves
        names |= set(re.findall(r"""\bvariables(?:\.get\(|\[)\s*["'](\w+)["']""", path.read_text(encoding="utf-8")))
    assert {"accent", "body_font"} <= names
    assert undocumented(doc("themes.md"), names) == []


class Rendered(BaseException):
    """Raised by the patched Theme.render once it has seen a template's variables."""


def test_every_template_variable_is_documented(tmp_path, monkeypatch):
    """What the exporters really pass to each template, and what each template reads, is documented."""
    document = load_document(FIXTURES / "sample" / "index.md")
    site = Site(title="Boletín", base_url="https://example.org/", languages=("es", "en"))
    passed: dict[str, set[str]] = {}

    def capture(self, template, **context):
        passed[template] = {"theme", *context}
        if template.endswith(".css"):  # a stylesheet rendered on the way to the main template
            return ""
        raise Rendered

    theme = load_theme("default", tmp_path)
    monkeypatch.setattr(Theme, "render", capture)
    for name, cls in exporter_classes().items():
        if name == "docx" or cls().unavailable():
            continue
        out = tmp_path / name
        out.mkdir()
        try:  # the PDF's WeasyPrint engine renders print.html (the Typst engine reads no Jinja2 template)
            cls({"engine": "weasyprint"} if name == "pdf" else {}, site).export(document, theme, out)
        except Rendered:
            pass
    from exporter.site.archive import render_archives

    with pytest.raises(Rendered):
        render_archives(theme, site, {}, [])
    assert {"page.html", "print.html", "email.mjml", "index.html"} <= set(passed)
    text = doc("themes.md")
    names = set().union(*passed.values())
    names |= set(template_context(document, site, body=""))
    environment = jinja2.Environment()
    for path in BUILTIN_THEMES.glob("*/*"):
        if path.suffix in (".html", ".mjml"):
            names |= jinja2.meta.find_undeclared_variables(environment.parse(path.read_text(encoding="utf-8")))
    assert undocumented(text, names) == []
    shared = set(template_context(document, site, body="")) | {"theme"}
    for template, variables in passed.items():
        for name in sorted(variables - shared if template != "index.html" else variables - {"theme"}):
            row = rf"^\| `{re.escape(template)}` \| `{name}` \|"
            assert re.search(row, text, re.M), f"docs/themes.md has no row for {template}'s variable {name}"
    fields = [f"doc.{name}" for name in Metadata.__dataclass_fields__]
    fields += [f"t.{key}" for key in strings("en")]
    assert undocumented(text, fields) == []


# --- configuration -----------------------------------------------------------------------------

def config_rows() -> dict[str, list[str]]:
    """The cells of every row of configuration.md's tables, by key."""
    rows = {}
    for line in doc("configuration.md").splitlines():
        match = re.match(r"^\| `([\w.]+)` \|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def type_name(option: Option) -> str:
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    return "number" if set(types) == {int, float} else " or ".join(TYPE_NAMES[t] for t in types)


def all_options() -> dict[str, Option]:
    options = {(f"{section}.{key}" if section else key): option
               for section, table in SCHEMA.items() for key, option in table.items()}
    for name, cls in exporter_classes().items():
        options.update({f"formats.{name}.{key}": option for key, option in cls.options_schema.items()})
    return options


def test_every_config_key_is_documented_with_type_and_default():
    rows = config_rows()
    options = all_options()
    assert "formats.pdf.page_size" in options and "formats.docx.reference_doc" in options
    assert sorted(set(options) - set(rows)) == [], "keys missing from docs/configuration.md"
    wrong = []
    for key, option in options.items():
        kind, default, meaning = rows[key][:3]
        expected_default = f"`{json.dumps(option.default, ensure_ascii=False)}`"
        if kind != type_name(option) or default != expected_default:
            wrong.append(f"{key}: documented as {kind} {default}, is {type_name(option)} {expected_default}")
        for choice in option.choices:
            if f"`{json.dumps(choice)}`" not in meaning:
                wrong.append(f"{key}: choice {choice!r} not documented")
    assert wrong == []
    stale = sorted(key for key in rows if key not in options and not re.fullmatch(r"formats\.\w+", key))
    assert stale == [], "docs/configuration.md documents keys the code does not have"


def test_free_sections_and_every_format_table_are_documented():
    text = doc("configuration.md")
    for section in FREE_SECTIONS:
        assert f"[{section}.<name>]" in text
    assert undocumented(text, [f"formats.{name}" for name in exporter_classes()]) == []


# --- command line ------------------------------------------------------------------------------

def test_cli_reference_is_generated_from_the_commands():
    assert doc("cli.md") == clidoc.render(), (
        "docs/cli.md is out of date: run `.venv/bin/python -m exporter.clidoc > docs/cli.md`")


def test_cli_reference_covers_every_command():
    from exporter.cli import cli

    text = doc("cli.md")
    for name in cli.list_commands(None):
        assert f"## newsletter {name}" in text


def test_docs_index_links_every_page():
    index = doc("README.md")
    for page in DOCS.glob("*.md"):
        if page.name != "README.md":
            assert f"]({page.name})" in index, f"docs/README.md does not link {page.name}"


# --- docstrings --------------------------------------------------------------------------------

def test_every_public_function_and_class_has_a_one_line_docstring():
    missing = []
    for info in pkgutil.walk_packages(exporter.__path__, "exporter."):
        module = importlib.import_module(info.name)
        if not (module.__doc__ or "").strip():
            missing.append(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if obj.__module__ != module.__name__:
                continue  # imported, documented where it is defined
            text = (obj.__doc__ or "").strip()
            generated = inspect.isclass(obj) and text.startswith(f"{name}(")  # a dataclass's signature
            if not text or generated or not text.splitlines()[0].strip():
                missing.append(f"{info.name}.{name}")
    assert missing == []
