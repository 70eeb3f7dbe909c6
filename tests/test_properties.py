"""Property-based: generated Markdown issues survive parse → translate (fake engine) → every exporter."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.document import load_document
from exporter.errors import NewsletterError
from exporter.formats.registry import create_exporter
from exporter.themes import load_theme
from exporter.translate import FakeTranslator, TranslationMemory, translate_document
from tests.translate_support import assert_same_structure, settings_for

WORDS = st.sampled_from(["hola", "mundo", "modelo", "datos", "vector", "año", "señal", "¿qué?", "¡sí!", "niño",
                         "café", "Pinecone", "GPT-4", "x²", "naïve", "😀", "a&b", "<tag>", "50 %", "1.000"])
PHRASE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
INLINE = st.one_of(
    PHRASE,
    PHRASE.map(lambda p: f"*{p}*"),
    PHRASE.map(lambda p: f"**{p}**"),
    PHRASE.map(lambda p: f"`{p}`"),
    PHRASE.map(lambda p: f"[{p}](https://example.org/{abs(hash(p)) % 97})"),
    st.sampled_from(["{{ first_name }}", "*|FNAME|*", "{{EmbedLiveSample('x')}}", "{% raw %}", "$x^2$",
                     "<span class=\"k\">raw</span>", "https://example.org/a_b?c=d"]),
)
PARAGRAPH = st.lists(INLINE, min_size=1, max_size=6).map(" ".join)
BLOCK = st.one_of(
    PARAGRAPH,
    PHRASE.map(lambda p: f"## {p}"),
    st.lists(PARAGRAPH, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(PARAGRAPH, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in
                                                                             enumerate(items, 1))),
    PHRASE.map(lambda p: f"```python\nprint('{p}')\n```"),
    st.tuples(PHRASE, PHRASE).map(lambda t: f"| A | B |\n|---|---|\n| {t[0]} | {t[1]} |"),
    PARAGRAPH.map(lambda p: f"> {p}"),
    st.tuples(PHRASE, PARAGRAPH).map(lambda t: f"{t[0]}\n:   {t[1]}"),
    PARAGRAPH.map(lambda p: f"Texto con nota.[^n]\n\n[^n]: {p}"),
    st.just("<div class=\"aviso\"><p>HTML crudo</p></div>"),
    st.just("![Diagrama](figure.svg)"),
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=8).map(lambda blocks: "\n\n".join(blocks))
FIXTURE = Path(__file__).parent / "fixtures" / "sample"


def write_issue(folder: Path, body: str, title: str) -> Path:
    shutil.copy(FIXTURE / "figure.svg", folder / "figure.svg")
    path = folder / "index.md"
    path.write_text(f'---\ntitle: "{title}"\nlang: es\ndate: 2023-10-16\nslug: prop\n---\n\n{body}\n',
                    encoding="utf-8")
    return path


def shout(text: str) -> str:
    """A fake engine that changes every word, as a real one would."""
    return text.upper()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=DOCUMENT, title=PHRASE)
def test_parse_translate_and_light_exporters(body, title):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        issue = root / "source" / "prop"
        issue.mkdir(parents=True)
        document = load_document(write_issue(issue, body, title.replace('"', "")))
        config = settings_for(root)
        with TranslationMemory(root / "memory.sqlite") as memory:
            english = translate_document(document, "en", config, translator=FakeTranslator(shout), memory=memory)
        assert english.meta.lang == "en" and english.meta.slug == document.meta.slug
        assert_same_structure(document, english)
        theme = load_theme("default", root)
        for edition in (document, english):
            for name in ("html", "email", "text"):
                out = root / "out" / edition.meta.lang / name
                out.mkdir(parents=True)
                try:
                    written = create_exporter(name).export(edition, theme, out)
                except NewsletterError as error:  # a domain error is allowed; an engine crash is not
                    raise AssertionError(f"{name} refused a valid document: {error}") from None
                assert written and all(path.stat().st_size > 0 for path in written)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=DOCUMENT)
def test_pdf_and_epub_accept_generated_documents(body):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        issue = root / "source" / "prop"
        issue.mkdir(parents=True)
        document = load_document(write_issue(issue, body, "Propiedad"))
        theme = load_theme("default", root)
        for name in ("pdf", "epub"):
            written = create_exporter(name).export(document, theme, root)
            assert written[0].stat().st_size > 1000
