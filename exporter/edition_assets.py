"""Per-language images of a translated edition: ``cover.en.png`` beside ``cover.png``, translated SVG, the cover choice.

For an edition in language L:

* an image ``name.L.ext`` beside ``name.ext`` replaces it (the cover too);
* an SVG image without such a variant is translated: the text of its ``<title>``, ``<desc>``, ``<text>`` and
  ``<tspan>`` elements goes through the translation pipeline (memory, glossary, engine) and the edition gets
  its own ``name.L.svg``, written into an edition asset folder (``.newsletter-cache/assets/<slug>/<L>/``)
  that holds a copy of the issue's files (the email rasterises it to PNG like any SVG);
* the cover follows ``[languages.L] cover``: ``auto`` (the language's own cover, else none, so the
  theme draws a typographic cover from the edition's title and date), ``source`` or ``typographic``.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from dataclasses import replace
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.document import Document, parse_svg, resolve_local

log = logging.getLogger(__name__)
SVG_TEXT_TAGS = ("title", "desc", "text", "tspan")
ASSET_CACHE = Path(".newsletter-cache") / "assets"


def language_variant(base_dir: Path, src: str, lang: str) -> str | None:
    """``name.<lang>.ext`` for ``name.ext`` when that file exists beside it, else None."""
    if "." not in src.rsplit("/", 1)[-1] or ":" in src.split("/")[0]:
        return None
    stem, suffix = src.rsplit(".", 1)
    variant = f"{stem}.{lang}.{suffix}"
    path = resolve_local(base_dir, variant)
    return variant if path is not None and path.is_file() else None


def svg_strings(data: bytes) -> list[str]:
    """The texts a reader sees (or hears) in an SVG: title, description, text and tspan contents, in order."""
    root = parse_svg(data)
    return [element.text.strip() for element in svg_text_elements(root)]


def svg_text_elements(root) -> list:
    """The elements of ``root`` whose own text is shown: title, desc, text and tspan."""
    return [element for element in root.iter() if isinstance(element.tag, str)
            and element.tag.rsplit("}", 1)[-1] in SVG_TEXT_TAGS and element.text and element.text.strip()]


def translated_svg(data: bytes, translations: dict[str, str], lang: str = "", face: str = "") -> bytes:
    """The SVG with each text replaced by its translation (leading and trailing spaces kept).

    ``face`` (the target script's font) goes first in every ``font-family``: an SVG rasteriser without font
    fallback then draws the translation with real glyphs.
    """
    from lxml import etree

    root = parse_svg(data)
    for element in svg_text_elements(root):
        text = element.text
        new = translations.get(text.strip())
        if new:
            element.text = text[: len(text) - len(text.lstrip())] + new + text[len(text.rstrip()):]
    if lang:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    if face:
        styled = [element for element in root.iter() if isinstance(element.tag, str) and element.get("font-family")]
        for element in styled or [root]:
            element.set("font-family", ", ".join(filter(None, (face, element.get("font-family", "sans-serif")))))
    return etree.tostring(root, encoding="utf-8", xml_declaration=False)


def script_face(settings, lang: str) -> str:
    """The sans-serif face the project's theme names for ``lang``'s script (empty for Latin or none)."""
    from exporter.errors import ThemeError
    from exporter.i18n import script_of
    from exporter.themes import load_theme

    try:
        theme = load_theme(settings.theme, settings.root) if settings is not None else load_theme("default")
    except ThemeError:
        return ""
    return str((theme.variables.get("script_fonts", {}) or {}).get("sans", {}).get(script_of(lang), ""))


def strings_document(document: Document, texts: list[str]) -> Document:
    """A document holding ``texts`` as paragraphs, for the translation pipeline (its units are those texts)."""
    blocks = []
    for text in texts:
        inlines = []
        for index, word in enumerate(text.split()):
            if index:
                inlines.append({"t": "Space"})
            inlines.append({"t": "Str", "c": word})
        blocks.append({"t": "Para", "c": inlines})
    meta = replace(document.meta, title="", subtitle="", summary="")  # same slug: the issue's review file
    ast = {**document.ast, "meta": {}, "blocks": blocks}
    return replace(document, meta=meta, ast=ast)


def svg_texts(document: Document, lang: str) -> list[str]:
    """Every text of the document's local SVG images that have no ``lang`` variant to use instead, in order."""
    texts = []
    for image in pandoc_ast.images(document.blocks):
        path = resolve_local(document.base_dir, image.src)
        if language_variant(document.base_dir, image.src, lang):
            continue
        if path is not None and path.is_file() and path.suffix.lower() == ".svg":
            strings = safe_strings(path.read_bytes(), document, path)
            texts.extend(strings or [])
    return list(dict.fromkeys(texts))


def diagram_texts(document: Document, lang: str) -> Document | None:
    """The texts ``localized_assets`` will translate for ``lang`` as one document (for a prefetch), or None."""
    texts = svg_texts(document, lang)
    return strings_document(document, texts) if texts else None


def svg_units(document: Document, lang: str, settings) -> list:
    """The translation units of the document's SVG texts for ``lang`` (what review files key diagram reviews on)."""
    from exporter.translate.review_files import current_units

    diagrams = diagram_texts(document, lang)
    return current_units(diagrams, lang, settings) if diagrams is not None else []


def with_svg_units(translated, source: Document, lang: str, settings, engine: str | None):
    """A Translated result with the units of the document's SVG texts added (ids ``svg-u1``…), for review export."""
    from dataclasses import replace as replace_dataclass

    from exporter.translate import translate_with_report

    texts = svg_texts(source, lang)
    if not texts:
        return translated
    svg = translate_with_report(strings_document(source, texts), lang, settings, engine, review_scope="svg-")
    units = [replace_dataclass(unit, id=f"svg-{unit.id}") for unit in svg.units]
    results = {f"svg-{key}": value for key, value in svg.translations.items()}
    report = translated.report
    report.units += svg.report.units
    report.kept_source += [f"svg-{unit}" for unit in svg.report.kept_source]
    report.flagged += [f"svg-{unit}" for unit in svg.report.flagged]
    return replace_dataclass(translated, units=[*translated.units, *units],
                             translations={**translated.translations, **results})


def translate_texts(source: Document, texts: list[str], lang: str, settings, engine: str | None) -> dict[str, str]:
    """Each text translated into ``lang`` through the same pipeline as the issue's body."""
    from exporter.translate import translate_with_report

    if not texts:
        return {}
    edition = translate_with_report(strings_document(source, texts), lang, settings, engine,
                                   review_scope="svg-").document
    return {text: pandoc_ast.stringify(block["c"]) for text, block in zip(texts, edition.blocks)}


def asset_folder(settings, document: Document, lang: str) -> Path:
    """The folder holding an edition's own images (a copy of the issue's files plus its translated SVG)."""
    root = settings.root if settings is not None else document.base_dir
    return root / ASSET_CACHE / document.meta.slug / lang


def mirror_issue_files(source_dir: Path, folder: Path) -> None:
    """Copy every file of the issue's folder (not its Markdown) into ``folder``, when it differs."""
    for path in sorted(source_dir.rglob("*")):
        if not path.is_file() or path.suffix == ".md" or ASSET_CACHE.parts[0] in path.parts:
            continue
        target = folder / path.relative_to(source_dir)
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file already holds it (so unchanged assets keep their time stamps)."""
    if not path.is_file() or hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def localized_assets(edition: Document, source: Document, settings, engine: str | None = None,
                     cover_choice: str = "auto") -> Document:
    """The translated edition with its language's images, translated SVG and cover (see the module docstring)."""
    if not edition.is_translation:
        return edition
    lang, base = edition.meta.lang, edition.base_dir
    ast = pandoc_ast.copied(edition.ast)
    images = [element for element in pandoc_ast.walk(ast["blocks"]) if element["t"] == "Image"]
    svgs: dict[str, bytes] = {}
    for image in images:
        src = image["c"][2][0]
        variant = language_variant(base, src, lang)
        if variant:
            image["c"][2][0] = variant
            continue
        path = resolve_local(base, src)
        if path is not None and path.is_file() and path.suffix.lower() == ".svg" and src not in svgs:
            data = path.read_bytes()
            if safe_strings(data, edition, path) is not None:
                svgs[src] = data
    cover = edition.meta.cover
    own_cover = language_variant(base, cover, lang) if cover else None
    if cover and cover_choice != "source":
        cover = own_cover if cover_choice == "auto" and own_cover else ""
    edition = edition.with_translation(replace(edition.meta, cover=cover), ast)
    if not svgs:
        return edition
    texts = list(dict.fromkeys(text for data in svgs.values() for text in svg_strings(data)))
    translations = translate_texts(source, texts, lang, settings, engine)
    folder = asset_folder(settings, source, lang)
    mirror_issue_files(source.base_dir, folder)
    renamed = {}
    for src, data in svgs.items():
        stem = src.rsplit(".", 1)[0]
        renamed[src] = f"{stem}.{lang}.svg"
        write_if_changed(folder / renamed[src], translated_svg(data, translations, lang, script_face(settings, lang)))
    for image in pandoc_ast.walk(edition.ast["blocks"]):
        if image["t"] == "Image" and image["c"][2][0] in renamed:
            image["c"][2][0] = renamed[image["c"][2][0]]
    return replace(edition, asset_dir=folder)


def safe_strings(data: bytes, edition: Document, path: Path) -> list[str] | None:
    """The SVG's texts, or None (with a warning naming the file) when it cannot be parsed."""
    from lxml import etree

    try:
        return svg_strings(data)
    except etree.XMLSyntaxError as error:
        log.warning("%s: %s cannot be parsed, so its text stays untranslated in the %s edition (%s)",
                    edition.source, path.name, edition.meta.lang, error)
        return None
