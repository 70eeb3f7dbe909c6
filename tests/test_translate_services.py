"""deep-translator services against a local LibreTranslate-speaking server, with injected faults."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from exporter.document import load_document
from exporter.errors import TranslationError
from exporter.translate import (
    TranslationMemory,
    create_translator,
    translate_with_report,
)
from exporter.translate.engines import outside_placeholders
from exporter.translate.memory import normalise
from exporter.translate.pipeline import segment_document
from exporter.translate.services import _local, chunks, request_defaults
from tests.neural_servers import send
from tests.translate_support import SAMPLE, assert_same_structure, settings_for

KEY = "sekret-key-6c1f"
upper = outside_placeholders(str.upper)


class LibreServer:
    """A LibreTranslate /translate endpoint on 127.0.0.1 that upper-cases text, with scripted faults."""

    def __init__(self):
        self.faults: list[str] = []  # consumed one per request
        self.always: str | None = None  # applied to every request
        self.requests = 0
        self.received: list[str] = []  # every q received
        self.answered: list[str] = []  # every q answered with a translation
        self.keys: set[str] = set()
        self.sleep = 1.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fields = parse_qs(urlparse(self.path).query)
                fields.update(parse_qs(self.rfile.read(length).decode()))
                q = fields.get("q", [""])[0]
                server.requests += 1
                server.received.append(q)
                server.keys.update(fields.get("api_key", []))
                fault = server.faults.pop(0) if server.faults else server.always
                if fault == "timeout":
                    time.sleep(server.sleep)
                if fault in ("429", "500", "403"):
                    return self.reply(int(fault), json.dumps({"error": "injected"}))
                if fault == "badjson":
                    return self.reply(200, '{"translatedText": "unterminated')
                text = upper(q)
                if fault == "drop":
                    text = re.sub(r"<[^>]+>", "", text)
                if fault == "invent":
                    text = "\n".join(line + ' <x id="99"/>' for line in text.split("\n"))
                server.answered.append(q)
                self.reply(200, json.dumps({"translatedText": text}))

            def reply(self, status, body):
                send(self, status, body.encode(), "application/json")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def units_received(self) -> list[str]:
        return [line for q in self.received for line in q.split("\n")]


@pytest.fixture
def server():
    libre = LibreServer()
    libre.thread.start()
    yield libre
    libre.httpd.shutdown()
    libre.httpd.server_close()


@pytest.fixture
def settings(tmp_path, server, monkeypatch):
    monkeypatch.setenv("LIBRE_API_KEY", KEY)
    return settings_for(tmp_path, engine="libre", url=server.url, timeout=0.3, retries=3, backoff=0.001)


@pytest.fixture
def memory(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        yield tm


@pytest.fixture
def sample():
    return load_document(SAMPLE)


def test_translates_through_deep_translator_and_keeps_the_structure(server, settings, memory, sample):
    result = translate_with_report(sample, "en", settings, memory=memory)
    assert_same_structure(sample, result.document)
    assert result.document.meta.title == "BOLETÍN DE PRUEBA"
    assert server.keys == {KEY}  # the key came from the environment
    assert server.requests == 1  # units packed one per line under the length limit
    lines = server.units_received()
    assert len(lines) == len(set(lines)) == result.report.sent - 1  # the figure's caption and alt text: sent once
    assert result.report.chars_sent == sum(len(line) for line in lines)
    assert result.report.stats() == {"units": 27, "from_memory": 0, "sent": 27,
                                     "chars_sent": result.report.chars_sent, "engine": "libre", "human": 0,
                                     "stale_reviews": 0}


def test_timeout_429_and_500_are_retried_then_succeed(server, settings, memory, sample):
    server.faults = ["timeout", "429", "500"]
    started = time.monotonic()
    result = translate_with_report(sample, "en", settings, memory=memory)
    assert server.requests == 4  # three failures, then the answer
    assert time.monotonic() - started < server.sleep + 5
    assert result.report.sent == result.report.units and result.report.kept_source == []
    assert getattr(_local, "state", None) is None  # the injected timeout does not outlive the call


@pytest.mark.parametrize("fault, message", [
    ("500", "libre: server error (HTTP 500) after 4 attempts"),
    ("429", "libre: too many requests (HTTP 429) after 4 attempts"),
    ("timeout", "libre: no answer within 0.3 s after 4 attempts"),
    ("badjson", "libre: malformed answer (not the JSON expected) after 4 attempts"),
])
def test_persistent_faults_give_up_after_bounded_retries(server, settings, memory, sample, fault, message):
    server.always = fault
    with pytest.raises(TranslationError) as caught:
        translate_with_report(sample, "en", settings, memory=memory)
    assert server.requests == 4  # 1 + retries, never more
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith(f"{SAMPLE}: libre: ")
    assert "sample → en, unit title" in str(caught.value)


def test_a_refused_key_is_not_retried_and_never_shown(server, settings, memory, sample, caplog):
    server.always = "403"
    with caplog.at_level(logging.DEBUG), pytest.raises(TranslationError) as caught:
        translate_with_report(sample, "en", settings, memory=memory)
    assert server.requests == 1
    assert "refused the API key (HTTP 403)" in str(caught.value)
    assert KEY not in str(caught.value) and KEY not in caplog.text


def test_a_rerun_resumes_from_memory_sending_only_what_was_missing(server, tmp_path, settings, memory, sample):
    units = [u.text for u in segment_document(sample, settings, "en").units]
    settings.values["translation"]["max_chars"] = max(map(len, units))  # several requests, no unit split
    server.faults = ["ok", "ok"]
    server.always = "500"
    with pytest.raises(TranslationError, match="after 4 attempts"):
        translate_with_report(sample, "en", settings, memory=memory)
    assert server.requests == 2 + 4
    done = {text for text in units if memory.lookup("libre", "es", "en", text)}
    assert done == set(server.received[0].split("\n")) | set(server.received[1].split("\n"))  # committed at once

    server.always, server.received = None, []
    result = translate_with_report(sample, "en", settings, memory=memory)
    missing = {normalise(t) for t in units} - {normalise(t) for t in done}
    assert {normalise(t) for t in server.units_received()} == missing
    assert result.report.from_memory == sum(normalise(t) in {normalise(d) for d in done} for t in units)
    assert result.report.chars_sent == sum(len(t) for t in dict.fromkeys(map(normalise, units)) if t in missing)
    assert_same_structure(sample, result.document)

    server.received = []
    again = translate_with_report(sample, "en", settings, memory=memory)
    assert server.received == [] and again.report.chars_sent == 0


def test_dropped_placeholders_are_retried_in_safe_mode(server, settings, memory, sample):
    server.always = "drop"  # the service strips every tag it is given
    result = translate_with_report(sample, "en", settings, memory=memory)
    assert_same_structure(sample, result.document)
    with_placeholders = [u for u in result.units if "<" in u.text]
    assert result.report.retried == len(with_placeholders) > 0
    assert result.report.kept_source == []
    assert "ÉNFASIS" in json.dumps(result.document.ast, ensure_ascii=False)


def test_units_the_engine_keeps_breaking_stay_in_the_source_language(server, settings, memory, sample, caplog):
    server.always = "invent"  # a placeholder that was never sent, even in safe mode
    with caplog.at_level(logging.WARNING):
        result = translate_with_report(sample, "en", settings, memory=memory)
    assert sorted(result.report.kept_source) == sorted(u.id for u in result.units)
    assert_same_structure(sample, result.document)
    assert result.document.meta.title == sample.meta.title
    assert "unit u2 kept in the source language" in caplog.text
    assert memory.lookup("libre", "es", "en", result.units[0].text) is None  # nothing broken was stored


def test_long_units_are_split_under_the_limit():
    text = "Una frase corta. " * 40 + "palabra" * 30
    pieces = chunks(text.strip(), 100)
    assert all(len(piece) <= 100 for piece in pieces)
    assert " ".join(pieces).replace(" ", "") == text.strip().replace(" ", "")


def test_timeouts_apply_only_inside_the_block(server):
    server.always, server.sleep = "timeout", 0.6
    with request_defaults(0.2), pytest.raises(requests.exceptions.Timeout):
        requests.post(server.url + "translate", params={"q": "hola"})
    assert requests.post(server.url + "translate", params={"q": "hola"}).status_code == 200  # no timeout here


def test_unknown_engine_and_missing_key_are_clear(tmp_path, monkeypatch):
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    with pytest.raises(TranslationError, match="unknown translation engine 'babel'"):
        create_translator("babel", settings_for(tmp_path))
    deepl = create_translator("deepl", settings_for(tmp_path))
    with pytest.raises(TranslationError, match="deepl: set the environment variable DEEPL_API_KEY"):
        deepl.translate(["hola"], "es", "en")
