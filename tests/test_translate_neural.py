"""DeepL (official SDK) and an OpenAI-compatible endpoint against local servers speaking their real protocols."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil

import pytest

from exporter.config import Settings, defaults
from exporter.document import Document, Metadata
from exporter.errors import TranslationError
from exporter.pandoc import ast_to, markdown_to_ast
from exporter.translate import TranslationMemory, create_translator, translate_with_report
from exporter.translate.deepl_engine import deepl_language
from exporter.translate.neural import in_language
from tests.neural_servers import ChatServer, DeeplServer

KEY = "secret-key-1234:fx"


def settings(tmp_path, url: str, engine: str, **translation) -> Settings:
    """Settings pointing an engine at a local server, fast retries, a small glossary."""
    values = defaults()
    values["translation"].update(engine=engine, url=url, timeout=0.5, retries=2, backoff=0.01, **translation)
    glossary = {"all": {"keep": ["Pinecone"]}, "es-en": {"terms": {"ronda semilla": "seed round"}}}
    return Settings(tmp_path, values, glossary=glossary)


def document(markdown: str) -> Document:
    """A Spanish document from Markdown."""
    meta = Metadata(title="Hola mundo", lang="es", date=dt.date(2023, 10, 16), slug="prueba")
    return Document(meta, markdown_to_ast(markdown), None, "es", markdown)


def translate(doc: Document, config: Settings, memory_path):
    """Translate into English with a memory on disk."""
    with TranslationMemory(memory_path) as memory:
        return translate_with_report(doc, "en", config, memory=memory)


@pytest.fixture
def deepl_server():
    server = DeeplServer().start()
    yield server
    server.stop()


@pytest.fixture
def chat_server():
    server = ChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


TEXT = "El perro *negro* come con Pinecone `exec()`.\n\nLa casa es grande[^1].\n\n[^1]: Una nota.\n"


# --- DeepL ---------------------------------------------------------------------------------------

def test_deepl_sends_xml_tags_formality_context_and_the_synced_glossary(tmp_path, deepl_server, keys):
    config = settings(tmp_path, deepl_server.url, "deepl", formality="prefer_less")
    result = translate(document(TEXT), config, tmp_path / "tm.sqlite")
    html = ast_to(result.document.ast, "html5")
    assert "The dog <em>black</em> eats with Pinecone <code>exec()</code>." in html
    (request,) = deepl_server.translations()
    assert request["tag_handling"] == "xml" and request["formality"] == "prefer_less"
    assert request["source_lang"] == "ES" and request["target_lang"] == "EN-US"
    assert "La casa es grande" in request["context"] and "<x" not in request["context"]
    assert any('<x id="' in text for text in request["text"])
    (glossary,) = deepl_server.glossaries.values()
    assert request["glossary_id"] == glossary["info"]["glossary_id"]
    assert glossary["entries"]["ronda semilla"] == "seed round" and glossary["entries"]["Pinecone"] == "Pinecone"
    assert deepl_server.keys == {f"DeepL-Auth-Key {KEY}"}


def test_deepl_glossary_is_reused_then_replaced_when_newsletter_toml_changes(tmp_path, deepl_server, keys):
    config = settings(tmp_path, deepl_server.url, "deepl")
    for attempt in range(2):
        translator = create_translator("deepl", config)
        translator.translate([f"Hola {attempt}"], "es", "en")
        translator.close()
    creations = [r for r in deepl_server.requests if r["path"] == "/v2/glossaries" and r["method"] == "POST"]
    assert len(creations) == 1
    first = next(iter(deepl_server.glossaries))
    config.glossary["es-en"]["terms"]["pila"] = "stack"
    translator = create_translator("deepl", config)
    translator.translate(["Hola"], "es", "en")
    assert list(deepl_server.glossaries) != [first] and len(deepl_server.glossaries) == 1
    assert next(iter(deepl_server.glossaries.values()))["entries"]["pila"] == "stack"


def test_deepl_translates_without_a_glossary_the_server_refuses(tmp_path, deepl_server, keys, caplog, monkeypatch):
    monkeypatch.setattr(DeeplServer, "glossary", lambda self, *a: (400, '{"message": "Unsupported"}',
                                                                   "application/json"))
    translator = create_translator("deepl", settings(tmp_path, deepl_server.url, "deepl"))
    with caplog.at_level(logging.WARNING):
        assert translator.translate(["El perro come."], "es", "en") == ["The dog eats."]
    assert "deepl: glossary not used (deepl: the server rejected the request (HTTP 400))" in caplog.text
    assert "glossary_id" not in deepl_server.translations()[0]


@pytest.mark.parametrize("faults", [["429", "500"], ["timeout"], ["truncated", "503"]])
def test_deepl_retries_transient_faults(tmp_path, deepl_server, keys, faults):
    deepl_server.faults = list(faults)
    translator = create_translator("deepl", settings(tmp_path, deepl_server.url, "deepl"))
    assert translator.translate(["El perro come."], "es", "en") == ["The dog eats."]
    assert len(deepl_server.translations()) == len(faults) + 1


def test_deepl_gives_up_after_bounded_retries_with_a_clear_error(tmp_path, deepl_server, keys, caplog):
    deepl_server.always = "500"
    translator = create_translator("deepl", settings(tmp_path, deepl_server.url, "deepl"))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TranslationError) as raised:
        translator.translate(["El perro come."], "es", "en")
    assert raised.value.message == "deepl: server error (HTTP 500) after 3 attempts"
    assert len(deepl_server.translations()) == 3
    assert KEY not in caplog.text


def test_deepl_refused_key_is_not_retried(tmp_path, deepl_server, keys):
    deepl_server.always = "403"
    translator = create_translator("deepl", settings(tmp_path, deepl_server.url, "deepl"))
    with pytest.raises(TranslationError, match="refused the API key"):
        translator.translate(["Hola"], "es", "en")
    assert len(deepl_server.translations()) == 1


def test_deepl_dropped_placeholder_is_retried_in_safe_mode(tmp_path, deepl_server, keys):
    deepl_server.faults = ["drop"]
    result = translate(document("El perro come con `exec()` y el gato.\n"), settings(tmp_path, deepl_server.url,
                                                                                   "deepl"), tmp_path / "tm.sqlite")
    assert result.report.retried == 1 and not result.report.kept_source
    assert "<code>exec()</code>" in ast_to(result.document.ast, "html5")


def test_deepl_run_that_fails_halfway_resumes(tmp_path, deepl_server, keys):
    config = settings(tmp_path, deepl_server.url, "deepl", max_chars=20)  # one unit per request
    doc = document("El perro come.\n\nEl gato duerme.\n\nLa casa es grande.\n")
    deepl_server.faults = ["", ""]  # the title and the first paragraph, then the server stays down
    deepl_server.always = "503"
    with pytest.raises(TranslationError, match=r"deepl: server error \(HTTP 503\) after 3 attempts"):
        translate(doc, config, tmp_path / "tm.sqlite")
    deepl_server.always = None
    result = translate(doc, config, tmp_path / "tm.sqlite")
    assert result.report.from_memory == 2 and result.report.sent == 2


def test_deepl_needs_a_key(tmp_path, deepl_server, monkeypatch):
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    translator = create_translator("deepl", settings(tmp_path, deepl_server.url, "deepl"))
    with pytest.raises(TranslationError, match="deepl: set the environment variable DEEPL_API_KEY"):
        translator.translate(["Hola"], "es", "en")


def test_deepl_language_codes():
    assert deepl_language("es") == "ES" and deepl_language("en", "", True) == "EN-US"
    assert deepl_language("en", "en_GB", True) == "EN-GB" and deepl_language("ca", "", True) == "CA"


# --- OpenAI-compatible chat endpoint -------------------------------------------------------------

def test_chat_translates_with_glossary_and_surrounding_text(tmp_path, chat_server, keys):
    config = settings(tmp_path, chat_server.url + "/v1", "openai", model="local-model")
    result = translate(document(TEXT), config, tmp_path / "tm.sqlite")
    assert "The dog <em>black</em> eats with Pinecone <code>exec()</code>." in ast_to(result.document.ast, "html5")
    request = json.loads(chat_server.requests[0]["body"])
    assert request["model"] == "local-model"
    system, user = request["messages"]
    assert "ronda semilla → seed round" in system["content"] and "keep unchanged: Pinecone" in system["content"]
    assert [unit["id"] for unit in json.loads(user["content"])["units"]] == [1, 2, 3, 4]
    headers = {name.lower(): value for name, value in chat_server.requests[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {KEY}"
    assert result.report.fallback == 0 and "fallback" not in result.report.stats()


def test_chat_sends_a_section_at_a_time_with_the_text_around_it(tmp_path, chat_server, keys, monkeypatch):
    monkeypatch.setattr("exporter.translate.chat_engine.SECTION_CHARS", 40)
    translator = create_translator("openai", settings(tmp_path, chat_server.url + "/v1", "openai"))
    texts = ["La primera sección de texto.", "La segunda sección de texto.", "Hola mundo."]
    assert translator.translate(texts, "es", "en") == ["The first section of text.", "The second section of text.",
                                                      "Hello world."]
    contexts = [json.loads(json.loads(r["body"])["messages"][-1]["content"]) for r in chat_server.requests]
    assert [len(c["units"]) for c in contexts] == [1, 2]  # 28 characters, then 28 + 11 (at most 40)
    assert contexts[0]["context_after"].startswith(texts[1]) and contexts[1]["context_before"] == texts[0]


@pytest.mark.parametrize("fault", ["drop", "spanish"])
def test_chat_failed_unit_is_retried_then_translated_offline(tmp_path, chat_server, keys, fault):
    chat_server.unit_faults = {"gato": fault}
    config = settings(tmp_path, chat_server.url + "/v1", "openai")
    doc = document("El perro come.\n\nEl gato negro duerme con `exec()` en la casa.\n")
    result = translate(doc, config, tmp_path / "tm.sqlite")
    assert len(chat_server.requests) == 3  # the section, then the failed unit twice
    assert [len(json.loads(p[-1]["content"])["units"]) for p in chat_server.prompts] == [3, 1, 1]
    assert result.report.fallback == 1 and result.report.stats()["fallback"] == 1
    html = ast_to(result.document.ast, "html5")
    assert "The black cat sleeps" in html and "<code>exec()</code>" in html  # Apertium's English
    # the offline answer is not kept under the chat engine's name: a rerun asks the endpoint again
    chat_server.unit_faults = {}
    again = translate(doc, config, tmp_path / "tm.sqlite")
    assert again.report.sent == 1 and again.report.fallback == 0 and again.report.from_memory == 2


@pytest.mark.parametrize("faults", [["429", "500"], ["timeout"], ["truncated"], ["truncated-body"]])
def test_chat_retries_transient_faults(tmp_path, chat_server, keys, faults):
    chat_server.faults = list(faults)
    translator = create_translator("openai", settings(tmp_path, chat_server.url + "/v1", "openai"))
    assert translator.translate(["El perro come."], "es", "en") == ["The dog eats."]
    assert len(chat_server.requests) == len(faults) + 1 and not translator.fallen_back


def test_chat_broken_json_every_time_falls_back_unit_by_unit(tmp_path, chat_server, keys):
    chat_server.always = "truncated"
    translator = create_translator("openai", settings(tmp_path, chat_server.url + "/v1", "openai"))
    assert translator.translate(["El perro come."], "es", "en") == ["The dog eats."]  # Apertium's
    assert translator.fallen_back == ["El perro come."]


def test_chat_server_down_is_a_clear_error_and_a_rerun_resumes(tmp_path, chat_server, keys, caplog, monkeypatch):
    monkeypatch.setattr("exporter.translate.chat_engine.SECTION_CHARS", 20)
    monkeypatch.setattr("exporter.translate.chat_engine.ChatTranslator.max_chars", 20)
    config = settings(tmp_path, chat_server.url + "/v1", "openai")
    doc = document("El perro come.\n\nEl gato duerme.\n\nLa casa es grande.\n")
    chat_server.faults = ["", ""]  # title and first paragraph answered
    chat_server.always = "500"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TranslationError) as raised:
        translate(doc, config, tmp_path / "tm.sqlite")
    assert raised.value.message.startswith("openai: server error (HTTP 500) after 3 attempts")
    assert KEY not in caplog.text and KEY not in raised.value.message
    chat_server.always = None
    result = translate(doc, config, tmp_path / "tm.sqlite")
    assert result.report.from_memory == 2 and result.report.sent == 2


def test_chat_local_endpoint_needs_no_key_but_openai_does(tmp_path, chat_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    translator = create_translator("openai", settings(tmp_path, chat_server.url + "/v1", "openai"))
    assert translator.translate(["Hola"], "es", "en") == ["Hello"]
    remote = create_translator("openai", settings(tmp_path, "", "openai", api_key_env="MY_LLM_KEY"))
    with pytest.raises(TranslationError, match="openai: set the environment variable MY_LLM_KEY"):
        remote.translate(["Hola"], "es", "en")


def test_a_large_run_shows_its_cost_first(tmp_path, chat_server, keys, caplog):
    translator = create_translator("openai", settings(tmp_path, chat_server.url + "/v1", "openai",
                                                      cost_notice_chars=10))
    with caplog.at_level(logging.WARNING):
        translator.translate(["El perro come.", "Hola mundo."], "es", "en")
    assert "about to send 2 units, 25 characters (about 7 tokens)" in caplog.text
    assert translator.estimates == [{"engine": "openai", "units": 2, "characters": 25, "tokens": 7}]


def test_language_check():
    assert not in_language("El perro de la casa es grande y negro", "en", "es")
    assert in_language("The dog of the house is big", "en", "es")
    assert in_language("Hola", "en", "es")  # too short to tell


def test_cli_shows_the_cost_first_and_the_fallback_in_the_stats(project, chat_server, keys):
    from click.testing import CliRunner

    from exporter.cli import cli

    config = project / "newsletter.toml"
    config.write_text(config.read_text() + f'\n[translation]\nengine = "openai"\nurl = "{chat_server.url}/v1"\n'
                      'cost_notice_chars = 100\nretries = 1\nbackoff = 0.01\n')
    chat_server.unit_faults = {"reúne": "spanish"}
    result = CliRunner().invoke(cli, ["translate", "source/sample", "--to", "en", "-o", "en.md", "--stats", "json"])
    assert result.exit_code == 0, result.output
    assert "warning: openai: about to send 26 units, 701 characters (about 176 tokens)" in result.output
    stats = json.loads(result.output.strip().splitlines()[-1])
    assert stats["fallback"] >= 1 and stats["engine"] == "openai"
    chat_server.always = "500"
    shutil.rmtree(project / ".newsletter-cache")
    failed = CliRunner().invoke(cli, ["translate", "source/sample", "--to", "en", "-o", "en2.md"])
    assert failed.exit_code == 1 and not (project / "en2.md").exists()
    assert failed.output.strip().splitlines()[-1] == \
        "error: source/sample/index.md: openai: server error (HTTP 500) after 2 attempts (sample → en, unit title)"
    assert KEY not in result.output + failed.output
