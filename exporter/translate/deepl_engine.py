"""DeepL through its official ``deepl`` SDK: placeholders as XML tags, a glossary synced from newsletter.toml.

The key comes from ``DEEPL_API_KEY`` (or ``DEEPL_AUTH_KEY``); ``translation.url`` points the SDK at
another server (a proxy, or a local test server speaking the DeepL API v2). Requests carry
``tag_handling=xml``, the configured ``translation.formality``, the glossary of the language pair
(created once per content under a name holding its hash; older versions of it are deleted) and,
as ``context``, the text of the other units of the batch.
"""

from __future__ import annotations

import hashlib
import logging
import re

from exporter.errors import TranslationError
from exporter.translate.engines import Translator
from exporter.translate.neural import Attempt, announce_cost, api_key, with_retries

log = logging.getLogger("exporter.translate")
KEY_VARIABLES = ("DEEPL_API_KEY", "DEEPL_AUTH_KEY")
CONTEXT_CHARS = 2000
TAG = re.compile(r"<[^<>]+>")


def deepl_language(code: str, variant: str = "", target: bool = False) -> str:
    """A language as DeepL names it: ``ES``; targets with a region where DeepL wants one (``EN-US``)."""
    base = code.split("-")[0].split("_")[0].upper()
    if not target:
        return base
    region = variant.split("_")[1].upper() if "_" in variant and variant.lower().startswith(code.lower()) else ""
    defaults = {"EN": "US", "PT": "BR"}
    if base in defaults:
        return f"{base}-{region or defaults[base]}"
    return base


class DeeplTranslator(Translator):
    """DeepL's API (free or pro key) through the official SDK, behind the Translator seam."""

    name = "deepl"
    max_chars = 20000  # characters per request (DeepL accepts 128 KiB)

    def __init__(self, settings=None, url: str = "", timeout: float = 20.0, retries: int = 3, backoff: float = 0.5,
                 formality: str = "default", variant: str = "", cost_notice_chars: int = 20000):
        self.settings, self.url, self.timeout, self.retries, self.backoff = settings, url, timeout, retries, backoff
        self.formality, self.variant, self.cost_notice_chars = formality, variant, cost_notice_chars
        self.client = None
        self.glossaries: dict[tuple[str, str], object] = {}
        self.requests = 0  # requests attempted, retries included
        self.estimates: list[dict] = []

    def connect(self):
        """The SDK client (its own retries off: ours are bounded and logged without the key)."""
        if self.client is None:
            import deepl

            deepl.http_client.max_network_retries = 0
            deepl.http_client.min_connection_timeout = self.timeout
            self.client = deepl.Translator(api_key(self.name, KEY_VARIABLES), server_url=self.url or None,
                                           send_platform_info=False)
        return self.client

    def call(self, request):
        """One SDK call with timeouts, bounded retries and our own one-line errors."""

        def attempt():
            self.requests += 1
            return request(self.connect())

        return with_retries(self.name, attempt, classify, self.retries, self.backoff)

    def glossary(self, source: str, target: str):
        """The DeepL glossary of this pair, created from newsletter.toml when its content changed."""
        if (source, target) in self.glossaries or self.settings is None:
            return self.glossaries.get((source, target))
        from exporter.translate.glossary import load_glossary

        terms = load_glossary(self.settings, source, target)
        entries = {term: term for term in terms.keep} | dict(terms.terms)
        entries = {k.strip(): v.strip() for k, v in entries.items() if k.strip() and v.strip()}
        found = None
        if entries:
            digest = hashlib.sha256(repr(sorted(entries.items())).encode()).hexdigest()[:12]
            prefix = f"newsletter-{source}-{target}-"
            existing = self.call(lambda client: client.list_glossaries())
            for info in existing:
                if info.name == prefix + digest and found is None:
                    found = info
                elif info.name.startswith(prefix):
                    self.call(lambda client, i=info: client.delete_glossary(i))
            if found is None:
                found = self.call(lambda client: client.create_glossary(
                    prefix + digest, source_lang=deepl_language(source), target_lang=deepl_language(target),
                    entries=entries))
        self.glossaries[(source, target)] = found
        return found

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate a batch in one request: XML tag handling, formality, glossary and context."""
        if not texts:
            return []
        self.estimates.append(announce_cost(self.name, texts, self.cost_notice_chars))
        try:
            glossary = self.glossary(source, target)
        except TranslationError as error:  # e.g. a pair DeepL has no glossaries for: translate without
            log.warning("%s: glossary not used (%s)", self.name, error.message)
            glossary = self.glossaries[(source, target)] = None
        context = " ".join(TAG.sub("", text) for text in texts)[:CONTEXT_CHARS]
        options = {"source_lang": deepl_language(source), "target_lang": deepl_language(target, self.variant, True),
                   "tag_handling": "xml", "ignore_tags": ["x"], "split_sentences": "nonewlines",
                   "context": context, "glossary": glossary}
        if self.formality and self.formality != "default":
            options["formality"] = self.formality

        def request(client):
            results = client.translate_text(texts, **options)
            if not isinstance(results, list) or len(results) != len(texts):  # a cut answer parses as nothing
                raise ValueError("not one translation per text")
            return [result.text for result in results]

        return self.call(request)

    def close(self) -> None:
        """Close the SDK's HTTP session."""
        if self.client is not None:
            self.client.close()
            self.client = None


def classify(error: Exception) -> Attempt:
    """What a failed SDK call means, and whether to try again (never the exception's own text)."""
    import deepl

    status = getattr(error, "http_status_code", None)
    if isinstance(error, deepl.AuthorizationException):
        return Attempt("the service refused the API key (HTTP 403)", False)
    if isinstance(error, deepl.QuotaExceededException):
        return Attempt("the account's character quota is used up (HTTP 456)", False)
    if isinstance(error, deepl.TooManyRequestsException):
        return Attempt("too many requests (HTTP 429)", True)
    if isinstance(error, deepl.ConnectionException):
        return Attempt("no answer (timeout or connection refused)", True)
    if isinstance(error, deepl.GlossaryNotFoundException):
        return Attempt("the glossary is gone on the server", False)
    if isinstance(error, (ValueError, KeyError, TypeError, AttributeError)):
        return Attempt("malformed answer (not the JSON expected)", True)
    if status is not None and status >= 500:
        return Attempt(f"server error (HTTP {status})", True)
    if status == 400:
        return Attempt("the server rejected the request (HTTP 400)", False)
    if isinstance(error, deepl.DeepLException):
        return Attempt(f"failed{f' (HTTP {status})' if status else ''}", bool(getattr(error, 'should_retry', False)))
    return Attempt(f"failed ({type(error).__name__})", False)
