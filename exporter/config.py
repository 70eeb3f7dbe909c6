"""newsletter.toml → typed settings; every error names the key and its line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter.errors import ConfigError

CONFIG_NAME = "newsletter.toml"


@dataclass(frozen=True)
class Option:
    """One configuration key: its type, default and meaning."""

    type: type | tuple[type, ...]
    default: Any
    doc: str
    choices: tuple = ()


SCHEMA: dict[str, dict[str, Option]] = {
    "": {
        "title": Option(str, "Newsletter", "Site title, shown on the index page and in email headers."),
        "base_url": Option(str, "", "Public URL where output/ is published (for links and email images)."),
        "languages": Option(list, ["es", "en"], "Languages built: the source language plus translations."),
        "theme": Option(str, "default", "Theme name (a folder under themes/)."),
        "default_formats": Option(list, ["pdf", "epub", "email", "html"], "Formats built when --format is not given."),
        "source_dir": Option(str, "source", "Folder holding the issues."),
        "output_dir": Option(str, "output", "Folder receiving the editions."),
        "static_dir": Option(str, "static", "Folder (inside the project) where site-root image paths such as "
                                            "/assets/x.png are looked up."),
        "jobs": Option(int, 2, "Parallel build workers."),
    },
    "email": {
        "from": Option(str, "", "From header of the .eml edition."),
        "reply_to": Option(str, "", "Reply-To header of the .eml edition."),
        "unsubscribe_url": Option(str, "", "Unsubscribe link (may hold an ESP merge tag)."),
        "postal_address": Option(str, "", "Postal address printed in the email footer."),
        "merge_tags": Option(list, [], "Extra merge-tag patterns (regular expressions) to keep untouched."),
        "size_warn_kb": Option(int, 90, "The build warns above this email HTML size in kB (1 kB = 1000 bytes)."),
        "size_limit_kb": Option(int, 102, "newsletter check fails above this many kB (Gmail clips larger HTML)."),
    },
    "translation": {
        "engine": Option(str, "apertium", "Default engine: apertium, or a deep-translator service name."),
        "memory": Option(str, ".newsletter-cache/translations.sqlite", "Translation memory database."),
        "url": Option(str, "", "Service URL (for libre and other self-hosted engines)."),
        "timeout": Option((int, float), 20, "Seconds before one request to a service times out."),
        "retries": Option(int, 3, "Retries after a timeout, 429 or 5xx answer."),
        "glossary_file": Option(str, "", "A TOML glossary file, merged with [glossary.*]."),
        "backoff": Option((int, float), 0.5, "Seconds before the first retry of a service request (doubling after)."),
        "max_chars": Option(int, 0, "Most characters per request to a service (0: the service's own limit)."),
        "variant": Option(str, "", "Target variant, e.g. en_US or en_GB: Apertium mode and number/date locale."),
        "draft_rules": Option(list, ["inline-notes", "case", "numbers", "currency", "dates", "quotes", "variant",
                                     "inflections", "domain-terms"], "Rules of the offline (Apertium) draft applied."),
        "formality": Option(str, "default", "DeepL formality: default, more, less, prefer_more, prefer_less."),
        "model": Option(str, "", "Model name for the openai engine (default gpt-4o-mini)."),
        "api_key_env": Option(str, "", "Environment variable holding the openai engine's key (OPENAI_API_KEY)."),
        "cost_notice_chars": Option(int, 20000, "A neural engine logs its size estimate before a run this large."),
    },
    "build": {
        "executor": Option(str, "", "A Dask scheduler (tcp://HOST:PORT) whose workers run the export tasks; "
                                    "empty: local worker processes."),
    },
    "site": {
        "feed_content": Option(str, "full", "What feed entries carry: the web page's full text or the summary.",
                               choices=("full", "summary")),
    },
}
FREE_SECTIONS = ("formats", "glossary")


@dataclass(frozen=True)
class Settings:
    """Validated configuration, with the project folder it was read from."""

    root: Path
    values: dict[str, dict[str, Any]]
    formats_options: dict[str, dict] = field(default_factory=dict)
    glossary: dict[str, dict] = field(default_factory=dict)
    path: Path | None = None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[""][name]
        except KeyError:
            raise AttributeError(name) from None

    def section(self, name: str) -> dict[str, Any]:
        """The values of one table, e.g. ``settings.section("email")``."""
        return self.values[name]

    @property
    def source_path(self) -> Path:
        """Absolute source folder."""
        return self.root / self.values[""]["source_dir"]

    @property
    def static_path(self) -> Path:
        """Absolute static folder, where site-root paths (``/og-image.png``) resolve."""
        return self.root / self.values[""]["static_dir"]

    @property
    def output_path(self) -> Path:
        """Absolute output folder."""
        return self.root / self.values[""]["output_dir"]


def defaults() -> dict[str, dict[str, Any]]:
    """The default value of every key."""
    return {section: {key: opt.default for key, opt in options.items()} for section, options in SCHEMA.items()}


def load_settings(root: Path | str = ".", path: Path | None = None) -> Settings:
    """Read ``newsletter.toml`` from ``root`` (defaults if absent) and validate it."""
    root = Path(root).resolve()
    path = path or root / CONFIG_NAME
    if not path.exists():
        return Settings(root, defaults())
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else text.rstrip("\n").count("\n") + 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ConfigError(f"invalid TOML: {message}", path, line) from None
    return Settings(root, *validate(data, path, text), path=path)


def validate(data: dict, path: Path, text: str) -> tuple[dict, dict, dict]:
    """Check every key against SCHEMA; return (values, formats options, glossary)."""
    values = defaults()

    def fail(key: str, message: str):
        leaf = key.rsplit(".", 1)[-1]
        raise ConfigError(f"'{key}': {message}", path, find_line(text, leaf))

    for key, value in data.items():
        if key == "languages" and isinstance(value, dict):  # [languages.<code>] tables (language_settings.py)
            from exporter.language_settings import split_language_tables

            values[""]["languages"], values["languages"] = split_language_tables(value, fail)
            continue
        if key in FREE_SECTIONS:
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                fail(key, f"must be tables such as [{key}.NAME]")
            continue
        if isinstance(value, dict) and key in SCHEMA and key:
            for sub_key, sub_value in value.items():
                values[key][sub_key] = check(f"{key}.{sub_key}", SCHEMA[key].get(sub_key), sub_value, fail)
        elif key in SCHEMA[""]:
            values[""][key] = check(key, SCHEMA[""][key], value, fail)
        else:
            fail(key, "unknown key")
    from exporter.languages import language_problem, suggestion

    for lang in values[""]["languages"]:
        problem = language_problem(lang)
        if problem:
            fail("languages", problem)
    static = (path.parent / values[""]["static_dir"]).resolve()
    if not static.is_relative_to(path.parent.resolve()):
        fail("static_dir", f"'{values['']['static_dir']}' is outside the project folder")
    known = known_formats()
    for name in data.get("formats", {}):
        if known and name not in known:
            fail(f"formats.{name}", f"unknown format table [formats.{name}]{suggestion(name, known)} "
                                    f"(formats: {', '.join(known)})")
    return values, data.get("formats", {}), data.get("glossary", {})


def known_formats() -> list[str]:
    """The registered format names (the tables ``[formats.NAME]`` may configure)."""
    from exporter.formats.registry import format_names

    return format_names()


def check(key: str, option: Option | None, value: Any, fail) -> Any:
    """Return ``value`` if it fits ``option``, else fail naming the key."""
    if option is None:
        fail(key, "unknown key")
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, option.type):
        names = option.type.__name__ if isinstance(option.type, type) else " or ".join(t.__name__ for t in option.type)
        fail(key, f"must be {names.replace('str', 'text').replace('list', 'a list')}, not {value!r}")
    if option.choices and value not in option.choices:
        fail(key, f"must be one of {', '.join(repr(c) for c in option.choices)}, not {value!r}")
    return value


def validate_options(prefix: str, schema: dict[str, Option], options: dict, path: Path | None) -> dict:
    """Check a plug-in's option table against its schema; return it with defaults filled in."""
    text = path.read_text(encoding="utf-8") if path and path.exists() else ""

    def fail(key: str, message: str):
        raise ConfigError(f"'{key}': {message}", path, find_line(text, key.rsplit(".", 1)[-1]) if text else None)

    values = {key: option.default for key, option in schema.items()}
    for key, value in options.items():
        values[key] = check(f"{prefix}.{key}", schema.get(key), value, fail)
    return values


def find_line(text: str, key: str) -> int | None:
    """The line where ``key`` is assigned or its table begins."""
    for pattern in (rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", rf"^[ \t]*\[[^\]\n]*{re.escape(key)}[^\]\n]*\]"):
        match = re.search(pattern, text, re.M)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None
