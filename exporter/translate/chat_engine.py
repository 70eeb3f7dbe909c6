"""Any OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, llama.cpp, vLLM) through the ``openai`` SDK.

A batch is sent a section at a time (consecutive units up to ``SECTION_CHARS``), with the glossary
and the text around the section in the prompt; the model answers JSON, one translation per unit.
Each answer is checked unit by unit (placeholders, count, language); failed units are asked again
(``translation.retries`` times) and then translated by the offline engine, which the report counts
(``fallback``) and which the memory does not keep under this engine's name, so a rerun asks again.
"""

from __future__ import annotations

import json
import logging
import re

from exporter.errors import TranslationError
from exporter.translate.engines import Translator
from exporter.translate.neural import Attempt, announce_cost, api_key, in_language, with_retries
from exporter.translate.placeholders import PlaceholderError, check, parse, plain_text

log = logging.getLogger("exporter.translate")
SECTION_CHARS = 3000
AROUND_CHARS = 600  # characters of text before and after the section given as context
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
LANGUAGES = {"es": "Spanish", "en": "English", "ca": "Catalan", "fr": "French", "it": "Italian",
             "pt": "Portuguese", "de": "German", "gl": "Galician"}


class ChatTranslator(Translator):
    """An OpenAI-compatible ``/v1/chat/completions`` endpoint behind the Translator seam."""

    name = "openai"
    max_chars = SECTION_CHARS  # the pipeline commits each section to the memory as soon as it is done

    def __init__(self, settings=None, url: str = "", model: str = "gpt-4o-mini", key_variable: str = "",
                 timeout: float = 60.0, retries: int = 2, backoff: float = 0.5, cost_notice_chars: int = 20000,
                 fallback: Translator | None = None):
        self.settings, self.url, self.model = settings, url, model
        self.key_variable = key_variable or "OPENAI_API_KEY"
        self.timeout, self.retries, self.backoff, self.cost_notice_chars = timeout, retries, backoff, cost_notice_chars
        self.fallback = fallback
        self.client = None
        self.requests = 0
        self.fallen_back: list[str] = []  # unit texts the offline engine translated instead
        self.estimates: list[dict] = []
        self.before = ""  # the end of the previous section, as context for the next

    def connect(self):
        """The SDK client (its own retries off: ours are bounded)."""
        if self.client is None:
            from openai import OpenAI

            key = api_key(self.name, (self.key_variable,), required=not self.url) or "unused"
            self.client = OpenAI(api_key=key, base_url=self.url or None, timeout=self.timeout, max_retries=0)
        return self.client

    def glossary_lines(self, source: str, target: str) -> list[str]:
        """The glossary of the pair as prompt lines."""
        if self.settings is None:
            return []
        from exporter.translate.glossary import load_glossary

        glossary = load_glossary(self.settings, source, target)
        return [f"- keep unchanged: {term}" for term in glossary.keep] + \
               [f"- {term} → {value}" for term, value in glossary.terms.items()]

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate a batch section by section; check each unit; retry, then fall back, the failed ones."""
        if not texts:
            return []
        self.estimates.append(announce_cost(self.name, texts, self.cost_notice_chars))
        out: list[str] = []
        start = 0
        while start < len(texts):
            end, size = start, 0
            while end < len(texts) and (end == start or size + len(texts[end]) <= SECTION_CHARS):
                size += len(texts[end])
                end += 1
            after = " ".join(texts[end:end + 3])[:AROUND_CHARS]
            out += self.section(texts[start:end], source, target, after)
            self.before = " ".join(texts[max(start, end - 3):end])[-AROUND_CHARS:]
            start = end
        return out

    def section(self, texts: list[str], source: str, target: str, after: str) -> list[str]:
        """One section: ask, check each unit, ask again for the failed ones, then fall back."""
        results: list[str | None] = [None] * len(texts)
        pending = list(range(len(texts)))
        problems: dict[int, str] = {}
        for _ in range(self.retries + 1):
            answers = self.ask([texts[i] for i in pending], source, target, after)
            still = []
            for index, answer in zip(pending, answers):
                problem = unit_problem(texts[index], answer, source, target)
                if problem:
                    problems[index] = problem
                    still.append(index)
                else:
                    results[index] = answer
            pending = still
            if not pending:
                break
        if pending:
            for index in pending:
                log.warning("%s: unit %r… translated offline instead (%s)", self.name, texts[index][:40],
                            problems.get(index, "no answer"))
            offline = self.offline().translate([texts[i] for i in pending], source, target)
            for index, text in zip(pending, offline):
                results[index] = text
                self.fallen_back.append(texts[index])
        return [text or "" for text in results]

    def offline(self) -> Translator:
        """The engine for units the chat model failed on (Apertium by default)."""
        if self.fallback is None:
            from exporter.translate.engines import create_translator

            self.fallback = create_translator("apertium", self.settings)
        return self.fallback

    def ask(self, texts: list[str], source: str, target: str, after: str) -> list[str | None]:
        """One chat completion for these units (HTTP failures retried); the answers, None where missing."""
        messages = prompt(texts, LANGUAGES.get(source, source), LANGUAGES.get(target, target),
                          self.glossary_lines(source, target), self.before, after)

        def request():
            self.requests += 1
            response = self.connect().chat.completions.create(model=self.model, messages=messages, temperature=0)
            return answers_of(response.choices[0].message.content or "", len(texts))

        try:
            return with_retries(self.name, request, classify, self.retries, self.backoff)
        except TranslationError as error:
            if "malformed answer" in error.message:  # the model keeps answering broken JSON: each unit fails
                return [None] * len(texts)
            raise

    def close(self) -> None:
        """Close the SDK's HTTP client and the fallback engine."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.fallback is not None:
            self.fallback.close()


def prompt(texts: list[str], source: str, target: str, glossary: list[str], before: str, after: str) -> list[dict]:
    """The chat messages asking for one section's translation as JSON."""
    rules = [
        f"Translate each unit from {source} to {target} for a published newsletter.",
        'Keep every tag exactly as written: <g id="N">…</g> around words (translate the words inside) and '
        '<x id="N"/> (never translated, keep it where it belongs in the sentence). Keep &amp; &lt; &gt; escapes.',
        "Text already in the target language (quotations, titles) stays as written.",
        'Answer with JSON only: {"translations": [{"id": 1, "text": "…"}, …]}, one entry per unit, same ids.',
    ]
    if glossary:
        rules.append("Glossary (use these translations):\n" + "\n".join(glossary))
    user = {"context_before": before, "units": [{"id": i + 1, "text": t} for i, t in enumerate(texts)],
            "context_after": after}
    return [{"role": "system", "content": "\n".join(rules)},
            {"role": "user", "content": json.dumps(user, ensure_ascii=False)}]


def answers_of(content: str, count: int) -> list[str | None]:
    """The translations in a model's JSON answer, by unit (None where missing); ValueError if not JSON."""
    data = json.loads(FENCE.sub("", content.strip()))
    items = data.get("translations") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no list of translations")
    out: list[str | None] = [None] * count
    for position, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            index = item.get("id", position + 1)
            if isinstance(index, int) and 1 <= index <= count:
                out[index - 1] = item["text"]
        elif isinstance(item, str) and position < count:
            out[position] = item
    return out


def unit_problem(source_text: str, answer: str | None, source: str, target: str) -> str:
    """Why an answer cannot be used for a unit ('' when it can)."""
    if answer is None:
        return "missing from the answer"
    try:
        tree = check(source_text, answer)
    except PlaceholderError as error:
        return str(error)
    if not in_language(plain_text(tree), target, source):
        return f"not in the target language ({target})"
    if plain_text(tree).strip() == plain_text(parse(source_text)).strip() and len(plain_text(tree).split()) >= 4:
        return "left untranslated"
    return ""


def classify(error: Exception) -> Attempt:
    """What a failed chat request means, and whether to try again (never the exception's own text)."""
    import openai

    if isinstance(error, openai.APITimeoutError):
        return Attempt("no answer in time (timeout)", True)
    if isinstance(error, openai.APIConnectionError):
        return Attempt("cannot connect to the endpoint", True)
    if isinstance(error, openai.RateLimitError):
        wait = error.response.headers.get("retry-after", "")
        return Attempt("too many requests (HTTP 429)", True, float(wait) if wait.strip().isdigit() else None)
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return Attempt(f"the endpoint refused the API key (HTTP {error.status_code})", False)
    if isinstance(error, openai.NotFoundError):
        return Attempt("the endpoint or the model was not found (HTTP 404)", False)
    if isinstance(error, openai.APIStatusError):
        return Attempt(f"server error (HTTP {error.status_code})", error.status_code >= 500)
    if isinstance(error, (ValueError, KeyError, TypeError, IndexError, AttributeError, openai.APIResponseValidationError)):
        return Attempt("malformed answer (not the JSON expected)", True)
    return Attempt(f"failed ({type(error).__name__})", False)
