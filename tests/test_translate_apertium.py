"""The real Apertium engine: one process per batch, markup kept, marks stripped, glossary honoured."""

from __future__ import annotations

import pytest

from exporter.errors import TranslationError
from exporter.pandoc import ast_to
from exporter.translate import (
    TranslationMemory,
    create_translator,
    translate_with_report,
)
from exporter.translate.apertium import ApertiumTranslator, from_html, to_html
from tests.translate_support import SAMPLE, corpus_document, settings_for


@pytest.fixture
def apertium():
    return create_translator("apertium")


def test_one_process_translates_a_whole_batch(apertium):
    before = ApertiumTranslator.processes
    texts = ["El perro come.", 'Un <g id="1">gato negro</g> duerme.', "La casa <x id=\"1\"/> es grande.", "Hola."]
    result = apertium.translate(texts, "es", "en")
    assert ApertiumTranslator.processes - before == 1
    assert result == ["The dog eats.", 'A <g id="1">black cat</g> sleeps.', 'The house <x id="1"/> is big.', "Hello."]


def test_unknown_word_marks_are_stripped_but_real_hashes_and_handles_stay(apertium):
    (text,) = apertium.translate(["Escribe a @pepe sobre #rust y C# con el flurbifax."], "es", "en")
    assert "@pepe" in text and "#rust" in text and "C#" in text
    assert "flurbifax" in text and "*" not in text


def test_generation_and_dictionary_marks_are_removed():
    assert from_html("The #dog @eats *flurb with @pepe in C# #rust.", "El perro come flurb con @pepe en C# #rust.") == \
        "The dog eats flurb with @pepe in C# #rust."


def test_atoms_are_unknown_words_and_glued_ones_stay_glued():
    source = 'Ver la nota<x id="1" ctype="x-note"/> y el <x id="12"/>s, <x id="3"/><x id="4"/> ok.'
    assert to_html(source) == 'Ver la nota <span data-x="1"></span> y el Zzqbc s, Zzqd Zzqe ok.'
    assert to_html(source, inline_notes=False) == 'Ver la nota <br data-x="1"> y el Zzqbc s, Zzqd Zzqe ok.'
    assert from_html('See the note <span data-x="1"></span> and Zzqbc s, Zzqd Zzqe ok.', source) == \
        'See the note<x id="1" ctype="x-note"/> and <x id="12"/>s, <x id="3"/><x id="4"/> ok.'
    assert from_html('See the note <br data-x="1"> and Zzqbc s, Zzqd Zzqe ok.', source) == \
        'See the note<x id="1" ctype="x-note"/> and <x id="12"/>s, <x id="3"/><x id="4"/> ok.'


def test_the_sample_reads_as_english_with_its_markup(tmp_path):
    result = translate_with_report(corpus_document(SAMPLE), "en", settings_for(tmp_path),
                                   memory=TranslationMemory(":memory:"))
    markdown = ast_to(result.document.ast, "markdown")
    assert "## Introduction {#introduccion}" in markdown
    assert "*emphasis*" in markdown and "**bolds**" in markdown and "`código en línea`" in markdown
    assert "[the documentation of pandoc](https://pandoc.org/MANUAL.html)" in markdown
    assert 'def saludo(nombre: str) -> str:\n    return f"Hola, {nombre}"' in markdown
    assert '<p class="aviso">' in markdown and "A paragraph in HTML raw." in markdown
    assert result.document.meta.title == "Bulletin of test"


def test_glossary_with_apertium(tmp_path):
    settings = settings_for(tmp_path)
    settings.glossary.update({"all": {"keep": ["Embedding"]},
                              "es-en": {"terms": {"ajuste fino": "fine-tuning", "boletín": "newsletter"}}})
    result = translate_with_report(corpus_document(SAMPLE), "en", settings, memory=TranslationMemory(":memory:"))
    markdown = ast_to(result.document.ast, "markdown")
    assert "Fine-tuning\n:   " in markdown and "Embedding\n:   " in markdown
    assert "technical newsletter" in markdown or "newsletter technical" in markdown


def test_a_missing_pair_is_a_clear_error(tmp_path, apertium):
    with pytest.raises(TranslationError, match="apertium: no Apertium pair spa-deu is installed"):
        apertium.translate(["Hola"], "es", "de")  # es → fr now goes through ca: see test_apertium_pairs.py
    with pytest.raises(TranslationError, match=r"index.md: apertium: .* \(index → de, unit title\)"):
        translate_with_report(corpus_document(SAMPLE), "de", settings_for(tmp_path), memory=TranslationMemory(":memory:"))
