"""Local servers on 127.0.0.1 speaking DeepL's API v2 and OpenAI's chat completions, with scripted faults.

Both "translate" Spanish word by word with a small dictionary (tags and unknown words kept), which is
enough for the engines' checks; faults are consumed one per request (``faults``) or applied to every
request (``always``): ``timeout``, ``429``, ``500``, ``403``, ``truncated`` (a cut JSON body), and for
the chat server, per unit, ``drop`` (a lost placeholder) and ``spanish`` (an answer left in Spanish).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = {"el": "the", "la": "the", "los": "the", "las": "the", "perro": "dog", "perros": "dogs", "come": "eats",
         "gato": "cat", "negro": "black", "duerme": "sleeps", "casa": "house", "es": "is", "grande": "big",
         "y": "and", "de": "of", "un": "a", "una": "a", "modelo": "model", "con": "with", "en": "in",
         "que": "that", "no": "not", "sección": "section", "texto": "text", "primera": "first",
         "segunda": "second", "hola": "hello", "mundo": "world", "nota": "note", "ronda": "round"}
TAG = re.compile(r"(<[^<>]+>)")


def spanish_to_english(text: str) -> str:
    """A word-by-word translation keeping tags, punctuation and unknown words."""
    out = []
    for piece in TAG.split(text):
        if piece.startswith("<"):
            out.append(piece)
            continue
        out.append(re.sub(r"[^\W\d_]+", lambda m: match_case(m.group(0), WORDS.get(m.group(0).lower())), piece))
    return "".join(out)


def match_case(word: str, translation: str | None) -> str:
    """The translation with the word's initial capital (or the word when unknown)."""
    if translation is None:
        return word
    return translation[:1].upper() + translation[1:] if word[:1].isupper() else translation



def send(handler, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
    """Answer one request of a fake server (a client that gave up on a timeout is no error)."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    try:
        handler.wfile.write(data)
    except OSError:
        pass

class Server:
    """A ThreadingHTTPServer on 127.0.0.1 with a fault script; subclasses answer the requests."""

    def __init__(self):
        self.faults: list[str] = []
        self.always: str | None = None
        self.requests: list[dict] = []  # every request: path, method, headers, body
        self.sleep = 1.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_any(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                record = {"path": self.path, "method": method, "headers": dict(self.headers), "body": body}
                server.requests.append(record)
                status, payload, content_type = server.answer(record)
                send(self, status, payload.encode(), content_type, {"Retry-After": "0"} if status == 429 else {})

            def do_POST(self):
                self.handle_any("POST")

            def do_GET(self):
                self.handle_any("GET")

            def do_DELETE(self):
                self.handle_any("DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self):
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def fault(self) -> str | None:
        """The fault for this request."""
        return self.faults.pop(0) if self.faults else self.always

    def transport_fault(self, fault: str | None):
        """An answer for a transport-level fault, or None."""
        if fault == "timeout":
            time.sleep(self.sleep)
        if fault in ("429", "500", "403", "503"):
            return int(fault), json.dumps({"message": "injected"}), "application/json"
        return None

    def answer(self, record: dict) -> tuple[int, str, str]:
        raise NotImplementedError


class DeeplServer(Server):
    """DeepL API v2: /v2/translate (tag_handling=xml), /v2/glossaries (create, list, get, delete)."""

    def __init__(self):
        super().__init__()
        self.sleep = 1.6  # the SDK waits at least its first backoff (1 s, jittered) before a timeout
        self.glossaries: dict[str, dict] = {}
        self.keys: set[str] = set()

    def translations(self) -> list[dict]:
        """The JSON bodies of every /v2/translate request."""
        return [json.loads(r["body"]) for r in self.requests if r["path"] == "/v2/translate" and r["body"]]

    def answer(self, record):
        self.keys.add(record["headers"].get("Authorization", ""))
        path, method = record["path"], record["method"]
        if path.startswith("/v2/glossaries"):
            return self.glossary(path, method, record["body"])
        if path != "/v2/translate":
            return 404, json.dumps({"message": "not found"}), "application/json"
        fault = self.fault()
        failed = self.transport_fault(fault)
        if failed:
            return failed
        request = json.loads(record["body"])
        texts = request["text"]
        out = []
        for text in texts:
            translated = spanish_to_english(text)
            if fault == "drop":
                translated = re.sub(r"<x [^<>]*/>", "", translated)
            out.append({"detected_source_language": "ES", "text": translated, "billed_characters": len(text)})
        body = json.dumps({"translations": out})
        if fault == "truncated":
            body = body[: len(body) // 2]
        return 200, body, "application/json"

    def glossary(self, path, method, body):
        parts = path.strip("/").split("/")
        if method == "POST":
            data = json.loads(body)
            glossary_id = str(uuid.uuid4())
            entries = dict(line.split("\t", 1) for line in data["entries"].splitlines() if line)
            info = {"glossary_id": glossary_id, "name": data["name"], "ready": True,
                    "source_lang": data["source_lang"].lower(), "target_lang": data["target_lang"].lower(),
                    "creation_time": "2026-01-01T00:00:00.000000Z", "entry_count": len(entries)}
            self.glossaries[glossary_id] = {"info": info, "entries": entries}
            return 201, json.dumps(info), "application/json"
        if method == "GET" and len(parts) == 2:
            return 200, json.dumps({"glossaries": [g["info"] for g in self.glossaries.values()]}), "application/json"
        if method == "GET" and parts[2] in self.glossaries:
            if len(parts) == 4:
                entries = self.glossaries[parts[2]]["entries"]
                return 200, "\n".join(f"{k}\t{v}" for k, v in entries.items()), "text/tab-separated-values"
            return 200, json.dumps(self.glossaries[parts[2]]["info"]), "application/json"
        if method == "DELETE" and parts[2] in self.glossaries:
            del self.glossaries[parts[2]]
            return 204, "", "application/json"
        return 404, json.dumps({"message": "glossary not found"}), "application/json"


class ChatServer(Server):
    """OpenAI /v1/chat/completions: reads the units from the prompt's JSON, answers JSON translations."""

    def __init__(self):
        super().__init__()
        self.unit_faults: dict[str, str] = {}  # a word in a unit → "drop" or "spanish" for that unit, always
        self.prompts: list[list[dict]] = []

    def answer(self, record):
        if record["path"] != "/v1/chat/completions":
            return 404, json.dumps({"error": {"message": "not found"}}), "application/json"
        fault = self.fault()
        failed = self.transport_fault(fault)
        if failed:
            return failed
        request = json.loads(record["body"])
        self.prompts.append(request["messages"])
        units = json.loads(request["messages"][-1]["content"])["units"]
        answers = []
        for unit in units:
            text = spanish_to_english(unit["text"])
            for word, unit_fault in self.unit_faults.items():
                if word in unit["text"] and unit_fault == "drop":
                    text = re.sub(r"<x [^<>]*/>", "", text)
                elif word in unit["text"] and unit_fault == "spanish":
                    text = unit["text"]
            answers.append({"id": unit["id"], "text": text})
        content = json.dumps({"translations": answers}, ensure_ascii=False)
        if fault == "truncated":
            content = content[: len(content) // 2]
        body = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": request["model"],
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})
        if fault == "truncated-body":
            body = body[: len(body) // 2]
        return 200, body, "application/json"
