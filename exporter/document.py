"""Document: a source issue's front matter plus its pandoc AST, parsed once."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from exporter import ast as pandoc_ast
from exporter.errors import SourceError, line_of
from exporter.pandoc import markdown_to_ast

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 5 * 1024 * 1024
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"RIFF": "webp",
}


@dataclass(frozen=True)
class Metadata:
    """The front matter of an issue, validated."""

    title: str
    lang: str
    date: dt.date
    slug: str
    subtitle: str = ""
    author: str = ""
    summary: str = ""
    cover: str = ""
    tags: tuple[str, ...] = ()
    number: int | None = None

    def with_lang(self, lang: str, **changes) -> Metadata:
        """Return a copy for another language edition."""
        return replace(self, lang=lang, **changes)


FIELD_TYPES = {
    "title": str,
    "subtitle": str,
    "author": str,
    "summary": str,
    "lang": str,
    "slug": str,
    "cover": str,
    "date": dt.date,
    "tags": list,
    "number": int,
}
REQUIRED_FIELDS = ("title", "lang", "date")


@dataclass(frozen=True)
class Document:
    """One issue in one language: metadata, pandoc AST, and where it came from."""

    meta: Metadata
    ast: dict
    source: Path
    source_lang: str
    body: str = field(repr=False, default="")
    warnings: tuple[str, ...] = ()
    asset_dir: Path | None = None  # an edition's own image folder (translated SVG), see edition_assets.py

    @property
    def base_dir(self) -> Path:
        """The folder that holds the edition's images: the source's folder, or the edition's asset folder."""
        return self.asset_dir or self.source.parent

    @property
    def blocks(self) -> list:
        """The body's block list."""
        return self.ast["blocks"]

    @property
    def is_translation(self) -> bool:
        """True for an edition translated from the source language."""
        return self.meta.lang != self.source_lang

    def content_hash(self) -> str:
        """A hash of what this edition's outputs depend on from the document itself."""
        digest = hashlib.sha256(repr(self.meta).encode())
        digest.update(repr(self.ast).encode())
        return digest.hexdigest()

    def with_translation(self, meta: Metadata, ast: dict) -> Document:
        """Return this document as another language edition."""
        return replace(self, meta=meta, ast=ast)


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Split ``text`` into (front matter mapping, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError("no YAML front matter: the file must start with a line '---'", path, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            end = index
            break
    else:
        raise SourceError("the front matter is never closed with a line '---'", path, 1)
    import yaml

    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise SourceError(f"invalid YAML front matter: {problem}", path, line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError("the front matter must be a mapping of keys to values", path, 2)
    return data, "\n".join(lines[end + 1 :]), end + 2


def validate_metadata(data: dict, path: Path, text: str) -> tuple[Metadata, list[str]]:
    """Check types and required keys; return the metadata and warnings for unknown keys."""
    warnings = []

    def fail(key: str, message: str):
        line = line_of(text, f"\n{key}:")
        raise SourceError(f"front matter '{key}': {message}", path, line + 1 if line else None)

    for key in REQUIRED_FIELDS:
        if data.get(key) in (None, ""):
            raise SourceError(f"front matter is missing the required key '{key}'", path, 1)
    values = {}
    for key, value in data.items():
        expected = FIELD_TYPES.get(str(key))
        if expected is None:
            warnings.append(f"{path}: unknown front matter key '{key}' ignored")
            continue
        if expected is dt.date:
            if isinstance(value, dt.datetime):
                value = value.date()
            elif isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    fail(key, f"'{value}' is not a date (use YYYY-MM-DD)")
            elif not isinstance(value, dt.date):
                fail(key, "must be a date (YYYY-MM-DD)")
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int):
                fail(key, "must be a whole number")
        elif expected is list:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                fail(key, "must be a list of words")
            value = tuple(str(v) for v in value)
        elif expected is str:
            if isinstance(value, list) and key == "author":
                value = ", ".join(str(v) for v in value)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                fail(key, "must be text")
            value = str(value).strip()
        values[key] = value
    values.setdefault("slug", default_slug(path))
    if not SLUG_PATTERN.match(values["slug"]):
        fail("slug", f"'{values['slug']}' must be lowercase letters, digits and hyphens (no '/' or '.')")
    if not LANG_PATTERN.match(values["lang"]):
        fail("lang", f"'{values['lang']}' is not a language code such as 'es' or 'en'")
    return Metadata(**values), warnings


def default_slug(path: Path) -> str:
    """The slug implied by a source path (``<slug>.md`` or ``<slug>/index.md``), made URL-safe."""
    name = path.parent.name if path.stem == "index" else path.stem
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "issue"


def read_source_text(path: Path) -> str:
    """Read a source file as UTF-8 text, refusing empty, huge and binary files."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", path) from None
    if not raw.strip():
        raise SourceError("the file is empty", path)
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is {len(raw) // 1024} KB; the limit is {MAX_SOURCE_BYTES // 1024} KB", path)
    if b"\x00" in raw:
        raise SourceError("this is a binary file, not Markdown text", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8 text", path, line) from None
    return text.replace("\r\n", "\n")


def check_images(blocks: list, meta: Metadata, path: Path, text: str) -> None:
    """Fail on a local image that is missing, outside the source folder or not an image."""
    sources = [image.src for image in pandoc_ast.images(blocks)]
    if meta.cover:
        sources.append(meta.cover)
    for src in sources:
        if URL_SCHEME.match(src) and not src.lower().startswith("file:"):
            continue  # remote images are fetched (or refused) by each exporter's policy
        problem = local_image_problem(path.parent, src)
        if problem is not None:
            raise SourceError(problem[1], path, line_of(text, src))


def local_image_problem(base_dir: Path, src: str) -> tuple[str, str] | None:
    """(code, message) if the local image ``src`` is outside ``base_dir``, missing or not an image."""
    local = resolve_local(base_dir, src)
    if local is None:
        return "missing-image", f"image '{src}' is outside the issue's folder"
    if not local.is_file():
        return "missing-image", f"image '{src}' not found"
    if image_kind(local) is None:
        return "not-an-image", f"image '{src}' is not a PNG, JPEG, GIF, WebP or SVG image"
    return None


def resolve_local(base_dir: Path, src: str) -> Path | None:
    """Resolve a relative image path (URL-encoded, as pandoc keeps it) under ``base_dir``; None if it escapes."""
    path = unquote(src.split("#")[0].split("?")[0])
    if src.lower().startswith("file:") or path.startswith("/"):
        return None
    base = base_dir.resolve()
    target = (base / path).resolve()
    return target if target.is_relative_to(base) else None


def image_kind(path: Path) -> str | None:
    """Return the image format of ``path`` by content, or None if it is not an image."""
    head = path.read_bytes()[:512]
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if path.suffix.lower() == ".svg" and b"<svg" in path.read_bytes()[:4096]:
        return "svg"
    return None


def load_document(path: Path | str) -> Document:
    """Read, validate and parse one source issue."""
    path = Path(path)
    text = read_source_text(path)
    data, body, body_line = split_front_matter(text, path)
    meta, warnings = validate_metadata(data, path, text)
    for warning in warnings:
        log.warning(warning)
    try:
        ast = markdown_to_ast(body)
    except Exception as error:  # an ExportError from pandoc: re-badge it as a source problem
        raise SourceError(str(error), path) from None
    check_images(ast["blocks"], meta, path, text)
    return Document(meta, ast, path, meta.lang, body, tuple(warnings))


def discover_sources(source_dir: Path) -> list[Path]:
    """Every issue in a source folder: ``*.md`` files and ``*/index.md`` folders."""
    found = [p for p in source_dir.glob("*.md") if p.name.lower() != "readme.md"]
    found += source_dir.glob("*/index.md")
    return sorted(found)
