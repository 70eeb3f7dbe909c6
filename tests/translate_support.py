"""Helpers for the translation tests: corpus documents, a structure check, settings and a memory."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from exporter import ast as pandoc_ast
from exporter.config import Settings, defaults
from exporter.document import Document, Metadata, split_front_matter
from exporter.merge_tags import merge_tag_pattern
from exporter.pandoc import markdown_to_ast
from exporter.translate.protection import URL, surface

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
SAMPLE = TESTS / "fixtures" / "sample" / "index.md"


def corpus_files() -> list[Path]:
    """Every corpus document copied into tests/corpus, plus the sample issue."""
    files = sorted(p for p in CORPUS.glob("*/*.md") if p.parent.name != "scripts")  # scripts/: test_scripts.py
    files += sorted(CORPUS.glob("edge/*.txt")) + sorted(CORPUS.glob("parallel/*/*.md"))
    return [*files, SAMPLE]


def language_of(path: Path) -> str:
    """The language a corpus file is written in."""
    if path.parent.name == "es" or path.name.startswith("es") or path == SAMPLE:
        return "es"
    return "en"


def corpus_document(path: Path) -> Document:
    """A corpus file as a Document (its own front matter may lack or misuse our keys)."""
    text = path.read_text(encoding="utf-8")
    data, body = {}, text
    if text.startswith("---\n"):
        data, body, _ = split_front_matter(text, path)
    title = data.get("title") if isinstance(data.get("title"), str) else path.stem
    lang = language_of(path)
    meta = Metadata(title=title, lang=lang, date=dt.date(2023, 10, 16), slug=re.sub(r"[^a-z0-9-]", "-", path.stem.lower()),
                    summary=str(data.get("summary", "")) if isinstance(data.get("summary"), str) else "")
    return Document(meta, markdown_to_ast(body), path, lang, body)


def settings_for(root: Path, **translation) -> Settings:
    """Default settings rooted at ``root``, with some [translation] keys changed."""
    values = defaults()
    values["translation"].update(translation)
    return Settings(root, values)


def skeleton(blocks: list) -> list:
    """The block structure: each block's type and, for containers, the skeleton of what it holds."""
    out = []
    for block in blocks:
        kind, c = block["t"], block.get("c")
        if kind in ("BlockQuote",):
            out.append((kind, skeleton(c)))
        elif kind == "Div":
            out.append((kind, skeleton(c[1])))
        elif kind == "BulletList":
            out.append((kind, [skeleton(item) for item in c]))
        elif kind == "OrderedList":
            out.append((kind, [skeleton(item) for item in c[1]]))
        elif kind == "DefinitionList":
            out.append((kind, [[skeleton(d) for d in defs] for _, defs in c]))
        elif kind == "Figure":
            out.append((kind, skeleton(c[1][1]), skeleton(c[2])))
        elif kind == "Table":
            rows = list(c[3][1]) + [r for body in c[4] for r in body[2] + body[3]] + list(c[5][1])
            out.append((kind, [[skeleton(cell[4]) for cell in row[1]] for row in rows]))
        elif kind == "Header":
            out.append((kind, c[0], c[1][0]))
        elif kind == "LineBlock":
            out.append((kind, len(c)))
        else:
            out.append(kind)
    return out


def inline_lists(node) -> list[list]:
    """Every list of inlines in the AST (paragraphs, headings, cells, notes, captions…)."""
    found = []
    for element in pandoc_ast.walk(node):
        kind, c = element["t"], element.get("c")
        if kind in ("Para", "Plain"):
            found.append(c)
        elif kind == "Header":
            found.append(c[2])
        elif kind == "LineBlock":
            found.extend(c)
    return found


def protected(ast: dict) -> dict[str, Counter]:
    """What must come out of translation byte-identical, counted."""
    kinds: dict[str, Counter] = {key: Counter() for key in
                                 ("code", "inline code", "math", "raw", "link target", "image source",
                                  "heading id", "macro or merge tag", "url", "footnotes", "notes skeleton")}
    tags = merge_tag_pattern()
    for element in pandoc_ast.walk(ast["blocks"]):
        kind, c = element["t"], element.get("c")
        if kind == "CodeBlock":
            kinds["code"][c[1]] += 1
        elif kind == "Code":
            kinds["inline code"][c[1]] += 1
        elif kind == "Math":
            kinds["math"][c[1]] += 1
        elif kind in ("RawBlock", "RawInline"):
            kinds["raw"][(c[0], c[1])] += 1
        elif kind == "Link":
            kinds["link target"][c[2][0]] += 1
        elif kind == "Image":
            kinds["image source"][c[2][0]] += 1
        elif kind == "Header":
            kinds["heading id"][c[1][0]] += 1
        elif kind == "Note":
            kinds["footnotes"]["count"] += 1
            kinds["notes skeleton"][repr(skeleton(c))] += 1
    for inlines in inline_lists(ast["blocks"]):
        text = surface(inlines)
        kinds["macro or merge tag"].update(tags.findall(text))
        kinds["url"].update(URL.findall(text))
    return kinds


def assert_same_structure(source: Document, translation: Document) -> None:
    """Same block skeleton; code, URLs, images, macros and merge tags byte-identical; same footnotes."""
    assert skeleton(translation.blocks) == skeleton(source.blocks), f"{source.source.name}: block skeleton differs"
    before, after = protected(source.ast), protected(translation.ast)
    for kind in before:
        assert after[kind] == before[kind], f"{source.source.name}: {kind} changed: {before[kind] - after[kind]} " \
                                            f"became {after[kind] - before[kind]}"
