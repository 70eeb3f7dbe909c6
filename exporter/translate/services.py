"""Online engines through deep-translator, with timeouts, bounded retries, chunking and our own errors.

deep-translator calls ``requests`` without a timeout; :func:`request_defaults` gives every request
made by this thread inside it a timeout, and records the HTTP status so failures can be told apart.
API keys come only from environment variables and never appear in a message.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote_plus

from exporter.errors import TranslationError
from exporter.translate.engines import Translator


@dataclass(frozen=True)
class Service:
    """How to build one deep-translator client: its class, where its keys come from, its length limit."""

    class_name: str
    keys: dict[str, str] = field(default_factory=dict)  # constructor argument → environment variable
    optional: dict[str, str] = field(default_factory=dict)
    max_chars: int = 4500


SERVICES = {
    "google": Service("GoogleTranslator", max_chars=4500),
    "microsoft": Service("MicrosoftTranslator", {"api_key": "MICROSOFT_API_KEY"}, {"region": "MICROSOFT_REGION"}),
    "mymemory": Service("MyMemoryTranslator", optional={"email": "MYMEMORY_EMAIL"}, max_chars=450),
    "libre": Service("LibreTranslator", {"api_key": "LIBRE_API_KEY"}, max_chars=2000),
    "yandex": Service("YandexTranslator", {"api_key": "YANDEX_API_KEY"}),
    "qcri": Service("QcriTranslator", {"api_key": "QCRI_API_KEY"}),
    "papago": Service("PapagoTranslator", {"client_id": "PAPAGO_CLIENT_ID", "secret_key": "PAPAGO_SECRET_KEY"}),
    "baidu": Service("BaiduTranslator", {"appid": "BAIDU_APPID", "appkey": "BAIDU_APPKEY"}, max_chars=2000),
}
SEPARATOR = "\n"  # units packed into one request, one per line
MAX_RETRY_AFTER = 30.0

_local = threading.local()
_hook_lock = threading.Lock()
_secrets: set[str] = set()


class RedactSecrets(logging.Filter):
    """Blank API keys out of urllib3's debug lines (deep-translator puts some keys in the URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            for secret in _secrets:
                message = message.replace(secret, "***").replace(quote_plus(secret), "***")
            record.msg, record.args = message, ()
        return True


def remember_secret(value: str) -> str:
    """Note an API key so that no log line shows it; return it."""
    if value and not _secrets:
        logging.getLogger("urllib3.connectionpool").addFilter(RedactSecrets())
    if value:
        _secrets.add(value)
    return value


def install_request_hook() -> None:
    """Wrap ``requests.Session.request`` once: inside :func:`request_defaults` it adds a timeout."""
    import requests

    with _hook_lock:
        if getattr(requests.Session.request, "_newsletter_hook", False):
            return
        original = requests.Session.request

        @functools.wraps(original)
        def request(self, method, url, *args, **kwargs):
            state = getattr(_local, "state", None)
            if state is not None and kwargs.get("timeout") is None:
                kwargs["timeout"] = state.timeout
            response = original(self, method, url, *args, **kwargs)
            if state is not None:
                state.status = response.status_code
                state.retry_after = response.headers.get("Retry-After")
            return response

        request._newsletter_hook = True
        requests.Session.request = request


@contextmanager
def request_defaults(timeout: float):
    """Give every ``requests`` call this thread makes inside the block a timeout; record its status."""
    install_request_hook()
    state = SimpleNamespace(timeout=timeout, status=None, retry_after=None)
    previous = getattr(_local, "state", None)
    _local.state = state
    try:
        yield state
    finally:
        _local.state = previous


class ServiceTranslator(Translator):
    """A deep-translator service (google, deepl, microsoft, mymemory, libre…) behind the Translator seam."""

    def __init__(self, name: str, url: str = "", timeout: float = 20.0, retries: int = 3, backoff: float = 0.5):
        if name not in SERVICES:
            raise TranslationError(f"unknown translation service '{name}' (available: {', '.join(SERVICES)})")
        self.name, self.service = name, SERVICES[name]
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        self.max_chars = self.service.max_chars
        self.clients: dict[tuple[str, str], object] = {}
        self.requests = 0  # requests attempted, retries included

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate a batch: packed one per line into as few requests as the length limit allows."""
        if len(texts) > 1 and len(SEPARATOR.join(texts)) <= self.max_chars:
            lines = self.request(SEPARATOR.join(texts), source, target).split(SEPARATOR)
            if len(lines) == len(texts):
                return lines
        return [self.translate_one(text, source, target) for text in texts]

    def translate_one(self, text: str, source: str, target: str) -> str:
        """Translate one text, in chunks under the service's limit."""
        if not text.strip():
            return text
        return " ".join(self.request(chunk, source, target) for chunk in chunks(text, self.max_chars))

    def client(self, source: str, target: str):
        """The deep-translator object for a language pair (keys read from the environment now)."""
        if (source, target) not in self.clients:
            import deep_translator

            arguments = {}
            for argument, variable in self.service.keys.items():
                value = remember_secret(os.environ.get(variable, ""))
                if not value and not (self.name == "libre" and self.url):
                    raise TranslationError(f"{self.name}: set the environment variable {variable}")
                arguments[argument] = value or "unused"
            arguments.update({a: remember_secret(os.environ[v]) for a, v in self.service.optional.items()
                              if os.environ.get(v)})
            if self.name == "libre" and self.url:
                arguments.update(custom_url=self.url.rstrip("/") + "/", use_free_api=False)
            factory = getattr(deep_translator, self.service.class_name)
            self.clients[(source, target)] = factory(source=language_code(self.name, source),
                                                     target=language_code(self.name, target),
                                                     **arguments)
        return self.clients[(source, target)]

    def request(self, text: str, source: str, target: str) -> str:
        """One translation request, retried after timeouts, 429, 5xx and malformed answers."""
        for attempt in range(self.retries + 1):
            self.requests += 1
            with request_defaults(self.timeout) as seen:
                try:
                    result = self.client(source, target).translate(text)
                    if isinstance(result, str):
                        return result
                    problem, retry = "answered without a translation", True
                except TranslationError:
                    raise
                except Exception as error:  # deep-translator's and requests' own exceptions stop here
                    problem, retry = classify(error, seen.status, self.timeout, source, target)
            if not retry or attempt == self.retries:
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise TranslationError(f"{self.name}: {problem}{tries}")
            time.sleep(self.delay(attempt, seen.retry_after))
        raise AssertionError("unreachable")

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential backoff with jitter, or the server's Retry-After (capped)."""
        wait = self.backoff * (2**attempt) * (1 + random.random() / 4)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, min(float(retry_after), MAX_RETRY_AFTER))
        return wait


def classify(error: Exception, status: int | None, timeout: float, source: str, target: str) -> tuple[str, bool]:
    """A message for a failed request (never the exception's own text) and whether to retry it."""
    import requests
    from deep_translator import exceptions as dt

    if isinstance(error, requests.exceptions.Timeout):
        return f"no answer within {timeout:g} s", True
    if isinstance(error, requests.exceptions.JSONDecodeError) or isinstance(error, (ValueError, KeyError, TypeError)):
        return "malformed answer (not the JSON expected)", True
    if isinstance(error, requests.exceptions.ConnectionError):
        return "cannot connect to the service", True
    if isinstance(error, dt.TooManyRequests) or status == 429:
        return "too many requests (HTTP 429)", True
    if status is not None and status >= 500:
        return f"server error (HTTP {status})", True
    if isinstance(error, dt.AuthorizationException) or status in (401, 403):
        return f"the service refused the API key (HTTP {status or 403})", False
    if isinstance(error, (dt.LanguageNotSupportedException, dt.InvalidSourceOrTargetLanguage)):
        return f"does not translate {source} → {target}", False
    if isinstance(error, dt.ApiKeyException):
        return "an API key is missing", False
    if isinstance(error, dt.TranslationNotFound):
        return "answered without a translation", True
    if isinstance(error, requests.exceptions.RequestException):
        return f"request failed ({type(error).__name__})", True
    return f"failed ({type(error).__name__}{f', HTTP {status}' if status else ''})", False


def language_code(service: str, code: str) -> str:
    """An ISO code as deep-translator services expect it (most take ``es``; MyMemory wants ``es-ES``)."""
    if service != "mymemory":
        return code
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

    values = list(MY_MEMORY_LANGUAGES_TO_CODES.values())
    return code if code in values else next((v for v in values if v.lower().startswith(code.lower() + "-")), code)


def chunks(text: str, limit: int) -> list[str]:
    """Split text under ``limit`` characters at sentence ends, else at spaces, else anywhere."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    for piece in re.split(r"(?<=[.!?;:])\s+", text):
        while len(piece) > limit:
            cut = piece.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            out.append(piece[:cut])
            piece = piece[cut:].lstrip()
        if out and len(out[-1]) + 1 + len(piece) <= limit:
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out
