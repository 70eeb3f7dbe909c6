"""Units and placeholders: what is protected, how translations are checked and put back."""

from __future__ import annotations

import inspect

import pytest

import exporter.translate as translate_package
from exporter.pandoc import markdown_to_ast
from exporter.translate import FakeTranslator, TranslationMemory, translate_with_report
from exporter.translate.engines import Translator, outside_placeholders
from exporter.translate.glossary import Glossary
from exporter.translate.pipeline import segment_document
from exporter.translate.placeholders import PlaceholderError, check, mend, serialise
from exporter.translate.protection import protector_for
from exporter.translate.segments import segment
from tests.translate_support import (
    SAMPLE,
    assert_same_structure,
    corpus_document,
    settings_for,
)


def units_of(markdown: str, glossary: Glossary = Glossary()) -> list[str]:
    return [u.text for u in segment(markdown_to_ast(markdown), {}, protector_for(None, glossary)).units]


def test_inline_markup_becomes_placeholders_around_whole_sentences():
    assert units_of("Un *gran* [enlace](https://a.b \"Título\") con `código` y $x^2$.[^1]\n\n[^1]: Nota.") == [
        'Un <g id="1">gran</g> <g id="2">enlace</g> con <x id="3"/> y <x id="4"/>.<x id="5" ctype="x-note"/>',
        "Título", "Nota."]


def test_macros_merge_tags_urls_and_raw_html_are_never_sent():
    text = ('Hola *|FNAME|* y {{ first_name | default: "amigo" }}, mira {{jsxref("Array.map", "map()")}}, '
            '{{< figure src="x.png" >}} y {% if vip %}oferta{% endif %} en https://example.org/a?b=1 o '
            'escribe a hola@example.org <kbd>Ctrl</kbd>.')
    (unit,) = units_of(text)
    for never in ("FNAME", "first_name", "jsxref", "figure", "vip", "endif", "example", "kbd"):
        assert never not in unit
    assert unit.startswith('Hola <x id="1"/> y <x id="2"/>, mira <x id="3"/>,')
    assert "<x id=\"5\"/>oferta<x id=\"6\"/>" in unit  # the tags are kept, the text they guard is prose


def test_code_blocks_raw_blocks_and_images_only_give_their_prose():
    markdown = "```python\nprint('hola')\n```\n\n<div>crudo</div>\n\n![Un gato](gato.png \"Gato\")\n\n| a | b |\n|---|---|\n| uno | `x` |\n"
    assert units_of(markdown) == ["crudo", "Un gato", "Un gato", "Gato", "a", "b", "uno"]


def test_glossary_keeps_terms_and_forces_translations():
    glossary = Glossary(keep=("Pinecone", "GPT-4"), terms={"ajuste fino": "fine-tuning"})
    (unit,) = units_of("Pinecone y GPT-4 usan Ajuste fino; el ajuste fino de Pineconeish.", glossary)
    assert unit == '<x id="1"/> y <x id="2"/> usan <x id="3"/>; el <x id="4"/> de Pineconeish.'
    document = corpus_document(SAMPLE)
    settings = settings_for(SAMPLE.parent)
    settings.glossary.update({"es-en": {"keep": ["WeasyPrint"], "terms": {"ajuste fino": "fine-tuning"}}})
    result = translate_with_report(document, "en", settings, translator=FakeTranslator(outside_placeholders(str.upper)),
                                   memory=TranslationMemory(":memory:"))
    text = str(result.document.ast)
    assert "'Fine-tuning'" in text and "'WeasyPrint'" in text and "WEASYPRINT" not in text


def test_check_refuses_lost_invented_doubled_and_renested_placeholders():
    source = 'Un <g id="1">gran <x id="2"/></g> día.'
    assert serialise(check(source, 'A <g id="1">great <x id="2"  /></g> day.')) == 'A <g id="1">great <x id="2"/></g> day.'
    for broken, reason in [
        ('A great day.', "lost"),
        ('A <g id="1">great</g> <x id="2"/> <x id="3"/> day.', "invented"),
        ('A <g id="1">great <x id="2"/><x id="2"/></g> day.', "twice"),
        ('A <g id="1">great</g> <x id="2"/> day.', "nested differently"),
        ('A <g id="1">great <x id="2"/> day.', "never closed"),
        ('A <b>great</b> <g id="1"><x id="2"/></g>', "unexpected markup"),
        ('<g id="1"><x id="2"/></g>', "empty"),
    ]:
        with pytest.raises(PlaceholderError, match=reason):
            check(source, broken)


def test_mend_joins_a_wrapper_split_around_plain_text():
    assert mend('<g id="1">Please</g> it <g id="1">send it</g>!') == '<g id="1">Please it send it</g>!'
    assert mend('<g id="1">[</g>@<g id="1">user]</g>') == '<g id="1">[@user]</g>'
    assert mend('<g id="1">a</g> <x id="2"/> <g id="1">b</g>') == '<g id="1">a</g> <x id="2"/> <g id="1">b</g>'


def test_identity_translation_gives_back_the_same_document(tmp_path):
    document = corpus_document(SAMPLE)
    result = translate_with_report(document, "en", settings_for(tmp_path), translator=FakeTranslator(lambda t: t),
                                   memory=TranslationMemory(":memory:"))
    assert_same_structure(document, result.document)
    from exporter.pandoc import ast_to

    assert ast_to(result.document.ast, "markdown") == ast_to(document.ast, "markdown")


def test_front_matter_title_subtitle_summary_are_translated_and_the_rest_stays(tmp_path):
    from exporter.document import load_document

    document = load_document(SAMPLE)
    result = translate_with_report(document, "en", settings_for(tmp_path),
                                   translator=FakeTranslator(outside_placeholders(str.upper)),
                                   memory=TranslationMemory(":memory:"))
    meta = result.document.meta
    assert (meta.title, meta.subtitle, meta.lang) == ("BOLETÍN DE PRUEBA", document.meta.subtitle.upper(), "en")
    assert meta.summary == document.meta.summary.upper()
    assert (meta.slug, meta.date, meta.tags, meta.author, meta.cover) == (
        document.meta.slug, document.meta.date, document.meta.tags, document.meta.author, document.meta.cover)
    assert result.document.source_lang == "es" and result.document.is_translation
    assert [u.id for u in segment_document(document, None, "en").units][:4] == ["title", "subtitle", "summary", "u1"]


def test_the_translator_contract_and_every_public_function_are_documented():
    assert "batch" in Translator.__doc__ and "placeholder" in Translator.__doc__ and len(Translator.__doc__) > 800
    import exporter.translate.apertium
    import exporter.cli.translate
    import exporter.translate.glossary
    import exporter.translate.memory
    import exporter.translate.review
    import exporter.translate.services

    modules = [m for name, m in vars(exporter.translate).items() if inspect.ismodule(m)]
    assert len(modules) >= 9
    for module in [translate_package, *modules]:
        assert module.__doc__, module.__name__
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value) or inspect.isclass(value):
                assert value.__doc__, f"{module.__name__}.{name} has no docstring"
        assert len(inspect.getsource(module).splitlines()) < 320, f"{module.__name__} is too long"
