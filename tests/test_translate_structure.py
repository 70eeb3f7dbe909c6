"""Structure check on every corpus document and the sample issue, with real Apertium and with the fake."""

from __future__ import annotations

import pytest

from exporter import ast as pandoc_ast
from exporter.translate import FakeTranslator, TranslationMemory, translate_with_report
from exporter.translate.apertium import ApertiumTranslator
from exporter.translate.engines import outside_placeholders
from tests.translate_support import (
    assert_same_structure,
    corpus_document,
    corpus_files,
    protected,
    settings_for,
)

FILES = corpus_files()


@pytest.fixture
def memory(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        yield tm


def test_the_corpus_is_all_there():
    names = {path.name for path in FILES}
    assert len(FILES) == 22
    assert {"mdn-js-array-map.md", "pandoc-testsuite.txt", "es-esta-semana-en-rust-1-2023-10-11.md", "index.md"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_apertium_keeps_the_structure(path, tmp_path, memory):
    document = corpus_document(path)
    target = "en" if document.meta.lang == "es" else "es"
    before = ApertiumTranslator.processes
    result = translate_with_report(document, target, settings_for(tmp_path), memory=memory)

    assert_same_structure(document, result.document)
    assert ApertiumTranslator.processes - before == (2 if result.report.retried else 1)  # one per batch, never per unit
    assert result.report.kept_source == []
    assert result.report.sent == result.report.units > 0
    assert result.document.meta.lang == target and result.document.source_lang == document.meta.lang
    # the prose really was translated: most units changed
    changed = sum(result.translations[u.id] != u.text for u in result.units)
    assert changed > 0.5 * len(result.units)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fake_engine_keeps_the_structure(path, tmp_path, memory):
    document = corpus_document(path)
    fake = FakeTranslator(outside_placeholders(str.upper))
    result = translate_with_report(document, "en", settings_for(tmp_path), translator=fake, memory=memory)

    assert_same_structure(document, result.document)
    assert len(fake.calls) == 1
    words = [e["c"] for e in pandoc_ast.walk(result.document.blocks) if e["t"] == "Str"]
    assert any(word.isupper() and word.isalpha() and len(word) > 3 for word in words)


def test_the_check_catches_a_broken_translation(tmp_path):
    """The structure check itself must fail when code changes (so the tests above mean something)."""
    document = corpus_document(FILES[-1])
    mangled = FakeTranslator(lambda text: text.replace('<x id="3"/>', "código"))
    result = translate_with_report(document, "en", settings_for(tmp_path), translator=mangled,
                                   memory=TranslationMemory(tmp_path / "tm.sqlite"))
    assert result.report.retried == 1 and result.report.kept_source == []
    assert protected(result.document.ast)["inline code"] == protected(document.ast)["inline code"]
