"""Checks that the first issue (source/llm-boom-2023) follows its editorial brief.

The post is parsed with pandoc itself (through pypandoc) so that the checks see
the same document the toolkit will render. The project's ``exporter`` package
is deliberately not imported: these tests are about the content, not the code.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pypandoc  # noqa: E402
import pytest
import yaml

POST_DIR = Path(__file__).resolve().parents[1] / "source" / "llm-boom-2023"
POST = POST_DIR / "index.md"

REQUIRED_KEYS = {
    "title", "subtitle", "author", "date", "lang", "summary",
    "slug", "number", "tags", "cover",
}

# One entry per part of the brief, in the order the brief asks for them.
REQUIRED_SECTIONS = [
    ("introducción", ("introducción",)),
    ("financiación", ("financiación", "rondas")),
    ("herramientas", ("herramientas",)),
    ("pila técnica", ("stack", "pila", "construid", "bajo el capó")),
    ("modelos", ("modelos",)),
    ("conclusión", ("conclusión",)),
]

# Claims from the fact sheet's "Unverified" list, written the way they would
# have appeared in a Spanish post. None of them may be printed, hedged or not.
UNVERIFIED = [
    "27 de abril",            # Pinecone Series B day
    "ICONIQ",                 # Pinecone Series B co-investors
    "Tiger Global",
    "marzo de 2022",          # Pinecone Series A month
    "4 de abril",             # LangChain seed day
    "25 millones",            # LangChain Series A (Sequoia, 2024)
    "15 de febrero",
    "Sequoia lideró",
    "LangSmith",
    "125 millones",           # LangChain Series B (2025)
    "160 millones",
    "1.250 millones",
    "1,25 millardos",
    "IVP",
    "Greylock",               # LlamaIndex seed
    "8,5 millones",
    "Index Ventures",         # Weaviate Series B lead
    "Battery Ventures",
    "9,5 millones",           # Qdrant seed (conflicting sources)
    "7,5 millones",
    "Unusual Ventures",
    "100.000 estrellas",      # AutoGPT star milestones
    "150.000 estrellas",
    "Futurepedia",            # AI directory counts
    "There's An AI For That",
    "2302.12173",             # Greshake et al. arXiv id
    "Goodside",
    "CVE-2023-36258",
    "0,0001",                 # June 2023 price cuts
    "0.0001",
    "1,7 billones",           # GPT-4 parameter rumours
    "1.7T",
    "1,76 billones",
    "340.000 millones",       # PaLM 2 "reported" size
    "340B",
    "3,6 billones",
    "XLNet",                  # unsourced affiliations/size
    "31 de mayo",             # Falcon licence timing
]

# Things that happened (or were published) after the issue date, 2023-10-16.
AFTER_ISSUE_DATE = [
    "2024",
    "Octoverse",
    "248 %",
    "148 %",
    "19 de octubre",
    "100 millones de usuarios semanales",
    "text-embedding-3",
    "7.300 millones de dólares",   # Anthropic's 12-month total (NYT, Feb 2024)
    "Amazon",
    "Ollama",                      # from LangChain's State of AI (Dec 2023)
    "42 %",
    "17 %",
    "55.000",
]

LLM_DEFINITION_PARAGRAPH = [
    re.compile(r"\bun (gran |gigantesco )?modelo de lenguaje( grande)? es\b", re.I),
    re.compile(r"\blos (grandes modelos de lenguaje|LLMs?) son\b", re.I),
    re.compile(r"\bLLMs? (es|son) (un|una|unos|unas)\b", re.I),
    re.compile(r"\bmodelos? de lenguaje (es|son) (un|una|unos|unas)\b", re.I),
    re.compile(r"\bse (llama|denomina) (gran )?modelo de lenguaje\b", re.I),
]
LLM_DEFINITION_HEADING = re.compile(r"qu[ée] (es|son)\b", re.I)


# --------------------------------------------------------------------------
# Parsing helpers
# --------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise AssertionError("the post must start with a YAML front matter block")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise AssertionError("unterminated front matter")
    return yaml.safe_load(text[4:end]), text[end + len("\n---\n"):]


def walk(node, skip=()):
    """Yield every pandoc element (dict with "t") below node, depth first."""
    if isinstance(node, dict):
        if node.get("t") in skip:
            return
        if "t" in node:
            yield node
        yield from walk(node.get("c"), skip)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item, skip)


def text_of(node, *, notes: bool = False, code: bool = True) -> str:
    """Plain text of a node. Footnotes are left out unless notes=True."""
    skip = () if notes else ("Note",)
    if not code:
        skip += ("Code", "CodeBlock")
    parts = []
    for el in walk(node, skip):
        t = el["t"]
        if t == "Str":
            parts.append(el["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t == "Code":
            parts.append(el["c"][1])
        elif t == "CodeBlock":
            parts.append("\n" + el["c"][1] + "\n")
        elif t in ("Para", "Plain", "Header"):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def paragraphs(blocks):
    """Every Para/Plain block (list items and definitions included), not inside notes."""
    return [el for el in walk(blocks, ("Note",)) if el["t"] in ("Para", "Plain")]


def has_note(block) -> bool:
    return any(el["t"] == "Note" for el in walk(block))


@pytest.fixture(scope="module")
def post():
    return split_front_matter(POST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def meta(post):
    return post[0]


@pytest.fixture(scope="module")
def body(post):
    return post[1]


@pytest.fixture(scope="module")
def doc(body):
    return json.loads(pypandoc.convert_text(body, "json", format="markdown"))


@pytest.fixture(scope="module")
def sections(doc):
    """Top-level blocks grouped under their level-2 heading: [(title, blocks)]."""
    out = []
    for block in doc["blocks"]:
        if block["t"] == "Header" and block["c"][0] == 2:
            out.append((text_of(block["c"][2]), []))
        elif out:
            out[-1][1].append(block)
    return out


def section(sections, *keywords):
    for title, blocks in sections:
        if any(k in title.lower() for k in keywords):
            return blocks
    raise AssertionError(f"no section heading containing any of {keywords}")


# --------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------

def test_every_part_of_the_brief_has_a_heading_in_order(sections):
    titles = [t.lower() for t, _ in sections]
    positions = []
    for name, keywords in REQUIRED_SECTIONS:
        hits = [i for i, t in enumerate(titles) if any(k in t for k in keywords)]
        assert hits, f"missing a '## ' heading for the {name!r} part of the brief: {titles}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"parts out of order: {titles}"


def test_no_level_one_heading_in_body(doc):
    levels = [el["c"][0] for el in walk(doc["blocks"]) if el["t"] == "Header"]
    assert levels and 1 not in levels


def test_body_is_long_enough(doc):
    # Prose only: no code, no footnote text.
    words = [w for w in text_of(doc["blocks"], code=False).split() if re.search(r"\w", w)]
    assert len(words) >= 1800, f"only {len(words)} words of prose"


def test_no_raw_html(doc):
    raw = [el for el in walk(doc["blocks"]) if el["t"] in ("RawBlock", "RawInline")]
    assert not raw, raw


# --------------------------------------------------------------------------
# Content demanded by the brief
# --------------------------------------------------------------------------

def test_pinecone_rounds_are_given_with_figures(sections):
    texts = [text_of(p) for p in paragraphs(section(sections, "financiación", "rondas"))]
    summary = [t for t in texts if "Pinecone" in t and re.search(r"\b100 millones\b", t)]
    assert summary, "no funding paragraph gives Pinecone's 100 M$ round"
    assert any(re.search(r"a16z|Andreessen", t) for t in summary), "lead investor of Pinecone's Series B"
    rounds = "\n".join(texts)
    assert re.search(r"Semilla.*\b10 millones de dólares\b.*Wing", rounds)
    assert re.search(r"Serie A.*\b28 millones de dólares\b.*Menlo", rounds)
    assert re.search(r"Serie B.*abril de 2023.*\b100 millones de dólares\b.*750 millones", rounds)


def test_langchain_round_is_given_with_figures(sections):
    texts = [text_of(p) for p in paragraphs(section(sections, "financiación", "rondas"))]
    hits = [t for t in texts if "LangChain" in t and re.search(r"\b10 millones de dólares\b", t)]
    assert hits, "no funding paragraph gives LangChain's 10 M$ seed"
    assert any("Benchmark" in t and "semilla" in t for t in hits)


def test_tools_section_names_tools_and_failure_modes(sections):
    text = text_of(section(sections, "herramientas"))
    for name in ("AutoGPT", "BabyAGI", "PDF", "Prompt injection", "Mata v. Avianca", "LangChain"):
        assert name.lower() in text.lower(), name


def test_stack_section_covers_each_layer_and_has_the_diagram(sections):
    blocks = section(sections, "stack", "pila", "construid", "bajo el capó")
    text = text_of(blocks).lower()
    for term in ("api", "embedding", "base vectorial", "rag", "orquestación",
                 "agentes", "function calling", "fine-tuning", "lora", "pesos abiertos", "local"):
        assert term in text, term
    images = [el for el in walk(blocks) if el["t"] == "Image"]
    assert [img["c"][2][0] for img in images] == ["stack.svg"]
    assert any(el["t"] == "CodeBlock" for el in walk(blocks))


def test_models_table_has_ten_rows_and_five_columns(sections):
    tables = [el for el in walk(section(sections, "modelos")) if el["t"] == "Table"]
    assert len(tables) == 1
    _attr, _caption, colspecs, head, bodies, _foot = tables[0]["c"]
    assert len(colspecs) == 5
    header_cells = head[1][0][1]
    assert [text_of(cell[4]) for cell in header_cells] == [
        "Modelo", "Organización", "Año", "Pesos abiertos o API", "Destaca por"]
    rows = [row for tbody in bodies for row in tbody[3]]
    assert len(rows) >= 10
    for row in rows:
        cells = row[1]
        assert len(cells) == 5
        assert all(text_of(cell[4]) for cell in cells), text_of(cells[0][4])
        year = text_of(cells[2][4])
        assert re.fullmatch(r"20\d\d", year) and int(year) <= 2023, year
        # A row that prints a figure must source it.
        assert has_note(cells[4][4]), f"unsourced row: {text_of(cells[0][4])}"


def test_no_section_or_paragraph_explains_what_an_llm_is(doc):
    for el in walk(doc["blocks"]):
        if el["t"] == "Header":
            title = text_of(el["c"][2])
            assert not (LLM_DEFINITION_HEADING.search(title)
                        and re.search(r"modelo|LLM", title, re.I)), title
    for para in paragraphs(doc["blocks"]):
        text = text_of(para)
        for pattern in LLM_DEFINITION_PARAGRAPH:
            assert not pattern.search(text), text[:120]


# --------------------------------------------------------------------------
# Sourcing
# --------------------------------------------------------------------------

def test_every_link_is_a_wellformed_https_url(doc, body):
    links = [el["c"][2][0] for el in walk(doc["blocks"]) if el["t"] == "Link"]
    assert len(links) >= 30
    for url in links:
        parts = urlparse(url)
        assert parts.scheme == "https", url
        assert parts.netloc and "." in parts.netloc, url
        assert not re.search(r"\s", url), url
    assert "http://" not in body


def test_every_footnote_carries_a_link(doc):
    notes = [el for el in walk(doc["blocks"]) if el["t"] == "Note"]
    assert len(notes) >= 30
    for note in notes:
        assert any(el["t"] == "Link" for el in walk(note["c"])), text_of(note["c"], notes=True)


def test_every_number_in_the_funding_section_is_footnoted(sections):
    checked = 0
    for para in paragraphs(section(sections, "financiación", "rondas")):
        text = text_of(para)
        if re.search(r"\d", text):
            checked += 1
            assert has_note(para), f"figures without a footnote: {text[:120]}"
    assert checked >= 5


def test_every_sentence_with_a_figure_in_the_funding_section_is_footnoted(sections):
    # Stricter than the paragraph rule: footnote markers stand in for notes,
    # and each sentence that prints a digit must carry at least one.
    marker = "\u2020"
    for para in paragraphs(section(sections, "financiación", "rondas")):
        pieces = []
        for el in walk(para["c"]):
            t = el["t"]
            if t == "Note":
                pieces.append(marker)
            elif t == "Str" and not _inside_note(para, el):
                pieces.append(el["c"])
            elif t in ("Space", "SoftBreak"):
                pieces.append(" ")
        text = "".join(pieces)
        for sentence in re.split(r"(?<=[.!?»\u2020])\s+(?=[A-ZÁÉÍÓÚÑ¿¡«])", text):
            if re.search(r"\d", sentence):
                assert marker in sentence, f"figure without a footnote: {sentence}"


def _inside_note(root, target) -> bool:
    for el in walk(root):
        if el["t"] == "Note" and any(inner is target for inner in walk(el["c"])):
            return True
    return False


def test_nothing_from_the_unverified_list_is_printed(body):
    found = [s for s in UNVERIFIED if s.lower() in body.lower()]
    assert not found, found


def test_nothing_after_the_issue_date_is_printed(body):
    found = [s for s in AFTER_ISSUE_DATE if s.lower() in body.lower()]
    assert not found, found


# --------------------------------------------------------------------------
# Front matter and assets
# --------------------------------------------------------------------------

def test_front_matter(meta):
    assert set(meta) == REQUIRED_KEYS, set(meta) ^ REQUIRED_KEYS
    assert meta["lang"] == "es"
    assert meta["slug"] == "llm-boom-2023" == POST_DIR.name
    assert meta["number"] == 1
    assert isinstance(meta["date"], datetime.date)
    assert datetime.date(2023, 7, 1) <= meta["date"] <= datetime.date(2023, 12, 31)
    assert 0 < len(meta["summary"]) < 150
    for key in ("title", "subtitle", "author", "summary"):
        assert isinstance(meta[key], str) and meta[key].strip(), key
    assert isinstance(meta["tags"], list) and meta["tags"]


def test_cover_and_diagram_exist(meta):
    cover = POST_DIR / meta["cover"]
    assert cover.is_file()
    assert cover.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cover.stat().st_size < 150 * 1024
    svg = (POST_DIR / "stack.svg").read_text(encoding="utf-8")
    assert "viewBox" in svg and "DejaVu Sans" in svg
    assert "<script" not in svg.lower()
    assert not re.search(r"(xlink:)?href\s*=\s*[\"'](?!#)", svg), "external reference in SVG"


def test_images_have_descriptive_alt_text(doc):
    images = [el for el in walk(doc["blocks"]) if el["t"] == "Image"]
    assert images
    for img in images:
        alt = text_of(img["c"][1])
        assert len(alt.split()) >= 8, alt
        assert (POST_DIR / img["c"][2][0]).is_file()
