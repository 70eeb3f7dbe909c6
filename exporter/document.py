"""Document: a source issue's front matter plus its pandoc AST, parsed once."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from exporter.errors import SourceError, line_of
from exporter.frontmatter import SLUG_PATTERN, complete_front_matter, parse_date, split_front_matter
from exporter.languages import suggestion
from exporter.pandoc import markdown_to_ast

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 5 * 1024 * 1024
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
    static_dir: Path | None = field(repr=False, default=None)
    asset_dir: Path | None = None  # an edition's own image folder (translated SVG), see edition_assets.py
    reviewed: bool = False  # a translated edition whose every unit a reviewer translated (reviews in the repository)

    @property
    def base_dir(self) -> Path:
        """The folder that holds the edition's images: the source's folder, or the edition's asset folder."""
        return self.asset_dir or self.source.parent

    @property
    def image_dirs(self) -> tuple[Path, ...]:
        """Where local images are looked up: the issue's folder, then the project's static folder."""
        return (self.base_dir,) if self.static_dir is None else (self.base_dir, self.static_dir)

    @property
    def image_root(self) -> Path:
        """The nearest folder holding every image folder (the issue's and the static one)."""
        return Path(os.path.commonpath([str(folder.resolve()) for folder in self.image_dirs]))

    @property
    def blocks(self) -> list:
        """The body's block list."""
        return self.ast["blocks"]

    @property
    def is_translation(self) -> bool:
        """True for an edition translated from the source language."""
        return self.meta.lang != self.source_lang

    def translation_note(self) -> str:
        """What a translated edition says of itself: "Translated from Spanish" once reviewed, else machine
        translation (empty for the source edition)."""
        from exporter.i18n import language_name_in, strings

        if not self.is_translation:
            return ""
        t = strings(self.meta.lang)
        if self.reviewed:
            return t["translated_from"].format(language=language_name_in(self.source_lang, self.meta.lang))
        return t["machine_translated"]

    def content_hash(self) -> str:
        """A hash of what this edition's outputs depend on from the document itself."""
        digest = hashlib.sha256(repr(self.meta).encode())
        digest.update(repr(self.ast).encode())
        return digest.hexdigest()

    def with_translation(self, meta: Metadata, ast: dict) -> Document:
        """Return this document as another language edition."""
        return replace(self, meta=meta, ast=ast)


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
        if expected is None:  # another system's key: kept in the file, ignored here (a likely typo is named)
            hint = suggestion(str(key), FIELD_TYPES, cutoff=0.8)
            if hint:
                line = line_of(text, f"\n{key}:")
                where = f"{path}:{line + 1}" if line else str(path)
                warnings.append(f"{where}: unknown front matter key '{key}' ignored{hint}")
            continue
        if expected is dt.date:
            if isinstance(value, dt.datetime):
                value = value.date()
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                try:
                    value = parse_date(str(value))
                except ValueError as error:
                    fail(key, str(error))
            elif not isinstance(value, dt.date):
                fail(key, "must be a date in the form YYYY-MM-DD")
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
        from exporter.languages import language_problem

        fail("lang", language_problem(values["lang"]) or f"'{values['lang']}' is not a language code")
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


def local_image_problem(base_dir: Path | Sequence[Path], src: str) -> tuple[str, str] | None:
    """(code, message) if the local image ``src`` is outside ``base_dir`` (one folder or several), missing or not an image."""
    local = resolve_local(base_dir, src)
    if local is None:
        if unquote(src).startswith("/") and not src.startswith("//"):
            return "missing-image", f"image '{src}' is a site-root path, and the static folder has no such file"
        return "missing-image", f"image '{src}' is outside the issue's folder"
    if not local.is_file():
        return "missing-image", f"image '{src}' not found"
    kind = image_kind(local)
    if kind is None:
        return "not-an-image", f"image '{src}' is not a PNG, JPEG, GIF, WebP or SVG image"
    reason = unreadable_image(local, kind)
    if reason:
        return "broken-image", f"image '{src}' cannot be read ({reason})"
    return None


def parse_svg(data: bytes):
    """An SVG parsed safely (no entities, no network, no comments); lxml's XMLSyntaxError if it is not XML."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    return etree.fromstring(data, parser)


def unreadable_image(path: Path, kind: str) -> str | None:
    """Why an image file that looks like ``kind`` cannot be drawn (a truncated or malformed file), or None."""
    if kind == "svg":
        from lxml import etree

        try:
            parse_svg(path.read_bytes())
        except etree.XMLSyntaxError as error:
            return f"not well-formed SVG: {error.msg}"
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError) as error:
        return f"damaged {kind.upper()}: {error}"
    return None


def resolve_local(base_dir: Path | Sequence[Path], src: str) -> Path | None:
    """Resolve a relative image path (URL-encoded, as pandoc keeps it) under ``base_dir``; None if it escapes.

    ``base_dir`` may be several folders (the issue's, then the static folder): the first that holds the
    file wins; a path that escapes every folder gives None.
    """
    path = unquote(src.split("#")[0].split("?")[0])
    if src.lower().startswith("file:") or path.startswith("/"):
        return None
    folders = [base_dir] if isinstance(base_dir, (str, Path)) else list(base_dir)
    candidate = None
    for folder in folders:
        base = Path(folder).resolve()
        target = (base / path).resolve()
        if target.is_relative_to(base):
            if target.exists():
                return target
            candidate = candidate or target
    return candidate


def image_kind(path: Path) -> str | None:
    """Return the image format of ``path`` by content, or None if it is not an image."""
    head = path.read_bytes()[:512]
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if path.suffix.lower() == ".svg" and b"<svg" in path.read_bytes()[:4096]:
        return "svg"
    return None


def parse_source(path: Path, default_lang: str = "en") -> tuple[Metadata, dict, str, str, list[str]]:
    """Read and parse one source: (metadata, AST, body, full text, warnings as ``path:line: message``)."""
    text = read_source_text(path)
    data, body, _ = split_front_matter(text, path)
    try:
        ast = markdown_to_ast(body)
    except Exception as error:  # an ExportError from pandoc: re-badge it as a source problem
        raise SourceError(str(error), path) from None
    data, completed = complete_front_matter(data, ast, path, text, default_lang)
    meta, warnings = validate_metadata(data, path, text)
    return meta, ast, body, text, [*completed, *warnings]


def load_document(path: Path | str, settings=None, images: bool = True) -> Document:
    """Read, validate and parse one source issue, logging each warning once.

    ``settings`` gives the default language and the static folder. With ``images`` (a build), site-root
    image paths are looked up in the static folder and an image that cannot be shown becomes a visible
    placeholder (with a warning); without (``translate``), images are not looked at.
    """
    from exporter.missing_images import prepare_images

    path = Path(path)
    default_lang = settings.languages[0] if settings is not None and settings.languages else "en"
    meta, ast, body, text, warnings = parse_source(path, default_lang)
    static_dir = settings.static_path if settings is not None else None
    document = Document(meta, ast, path, meta.lang, body, (), static_dir)
    if images:
        document, image_warnings = prepare_images(document, text)
        warnings.extend(image_warnings)
    for warning in warnings:
        log.warning(warning)
    return replace(document, warnings=tuple(warnings))


def discover_sources(source_dir: Path) -> list[Path]:
    """Every issue in a source folder: ``*.md`` files and ``*/index.md`` folders."""
    found = [p for p in source_dir.glob("*.md") if p.name.lower() != "readme.md"]
    found += source_dir.glob("*/index.md")
    return sorted(found)
