"""Front matter as other systems write it: YAML closed by ``---`` or ``...``, several blocks, foreign keys.

What a renderer can work around is a warning (``path:line: message``) and a sensible value: a ``slug``
written for another system (MDN's ``Web/CSS/flex-direction``) becomes a safe one, a missing ``lang``
is the project's first language, a missing ``date`` comes from the file name (Jekyll's
``2019-01-13-update.md``), ``SOURCE_DATE_EPOCH`` or the file's modification time, a missing ``title``
from pandoc's ``%`` title block or the first level-1 heading. Unknown keys are kept and ignored.
A date that is not ``YYYY-MM-DD`` (or is impossible, like ``2024-13-45``) is an error naming that form.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import yaml

from exporter.errors import SourceError, line_of

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$")
NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
YAML_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without implicit timestamps: a date stays text, so ``2024-13-45`` is ours to report."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(source: str, path: Path, first_line: int) -> object:
    """Parse one YAML block whose first line is ``first_line`` of the file; a one-line error if it is not YAML."""
    try:
        return yaml.load(source, Loader=FrontMatterLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise SourceError(f"invalid YAML front matter: {problem}", path, line) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise SourceError(f"invalid YAML front matter: {error}", path, first_line) from None


def closing_line(lines: list[str], start: int) -> int | None:
    """The index of the ``---`` or ``...`` line closing a YAML block opened at ``start``."""
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def extra_blocks(lines: list[str], path: Path) -> tuple[dict, list[str]]:
    """YAML metadata blocks further down the body, merged as pandoc does (a later block wins); the body without them.

    As in pandoc, such a block starts with ``---`` after a blank line, holds a YAML mapping and ends with
    ``---`` or ``...``; its lines are blanked so the body keeps its line numbers.
    """
    merged: dict = {}
    lines = list(lines)
    index = 0
    while index < len(lines):
        opens = lines[index].rstrip() == "---" and (index == 0 or not lines[index - 1].strip())
        if opens and index + 1 < len(lines) and YAML_KEY_LINE.match(lines[index + 1]):
            end = closing_line(lines, index)
            if end is not None:
                try:
                    data = yaml.load("\n".join(lines[index + 1:end]), Loader=FrontMatterLoader)  # noqa: S506
                except (yaml.YAMLError, ValueError, TypeError):
                    data = None
                if isinstance(data, dict):
                    merged.update(data)
                    lines[index:end + 1] = [""] * (end + 1 - index)
                    index = end + 1
                    continue
        index += 1
    return merged, lines


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Split ``text`` into (front matter mapping, body, line where the body starts).

    A file without front matter has an empty mapping; later YAML blocks are merged in (see ``extra_blocks``).
    """
    lines = text.split("\n")
    data: dict = {}
    end = -1
    if lines and lines[0].rstrip() == "---":
        end = closing_line(lines, 0)
        if end is None:
            raise SourceError("the front matter is never closed with a line '---' (or '...')", path, 1)
        parsed = parse_yaml("\n".join(lines[1:end]), path, 2)
        if parsed is not None and not isinstance(parsed, dict):
            raise SourceError("the front matter must be a mapping of keys to values", path, 2)
        data = parsed or {}
    extra, body_lines = extra_blocks(lines[end + 1:], path)
    return {**data, **extra}, "\n".join(body_lines), end + 2


def slugify(text: str) -> str:
    """``text`` as lowercase ASCII letters, digits and hyphens (at most 80 characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def parse_date(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` date (a time after it is ignored); ValueError naming the problem otherwise."""
    match = ISO_DATE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD (for example 2024-01-31)")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise ValueError(f"'{value}' is not a valid date ({error}); write it as YYYY-MM-DD") from None


def fallback_date(path: Path) -> tuple[dt.date, str]:
    """The date of an issue without one: from its file name, SOURCE_DATE_EPOCH or its modification time."""
    for name in (path.stem, path.parent.name):
        match = NAME_DATE.search(name)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups())), "the file name"
            except ValueError:
                pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date(), "SOURCE_DATE_EPOCH"
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date(), "the file's modification time"


def meta_text(value) -> str:
    """The plain text of a pandoc metadata value (MetaInlines, MetaString…)."""
    from exporter import ast as pandoc_ast

    if not isinstance(value, dict):
        return ""
    if value.get("t") == "MetaString":
        return str(value["c"])
    return pandoc_ast.stringify(value.get("c", [])).strip()


def first_heading(blocks: list) -> str:
    """The text of the first level-1 heading, if any."""
    from exporter import ast as pandoc_ast

    for block in blocks:
        if block.get("t") == "Header" and block["c"][0] == 1:
            return pandoc_ast.stringify(block["c"][2]).strip()
    return ""


def complete_front_matter(data: dict, ast: dict, path: Path, text: str, default_lang: str) -> tuple[dict, list[str]]:
    """Fill what other systems leave out or write differently; return (data, warnings as ``path:line: message``)."""
    data, warnings = dict(data), []

    def warn(message: str, line: int | None = None) -> None:
        warnings.append(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    title = data.get("title")
    if title in (None, ""):
        found = meta_text(ast.get("meta", {}).get("title")) or first_heading(ast.get("blocks", []))
        if not found:
            raise SourceError("no title: add 'title:' to the front matter (or start the text with a '# Heading')",
                              path, 1)
        data["title"] = found
        warn(f"no 'title' in the front matter: using '{found}'", 1)
    if data.get("lang") in (None, ""):
        data["lang"] = default_lang
        warn(f"no 'lang' in the front matter: using the project's first language '{default_lang}'", 1)
    if data.get("date") in (None, ""):
        block_date = meta_text(ast.get("meta", {}).get("date"))
        try:
            data["date"], origin = parse_date(block_date), "the title block"
        except ValueError:
            data["date"], origin = fallback_date(path)
        warn(f"no 'date' in the front matter: using {data['date'].isoformat()} (from {origin})", 1)
    slug = data.get("slug")
    if slug not in (None, "") and not (isinstance(slug, str) and SLUG_PATTERN.match(slug)):
        safe = slugify(str(slug)) or slugify(path.stem) or "issue"
        data["slug"] = safe
        warn(f"slug '{slug}' is not ours (lowercase letters, digits, hyphens): using '{safe}'",
             line_of(text, "\nslug:") + 1 if line_of(text, "\nslug:") else None)
    return data, warnings
