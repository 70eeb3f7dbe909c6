"""Glossary per language pair: terms never translated and terms with a forced translation.

In ``newsletter.toml`` (or the TOML file named by ``[translation] glossary_file``, with the same
tables without the ``glossary.`` prefix)::

    [glossary.all]                 # every language pair
    keep = ["Pinecone", "LangChain", "GPT-4"]

    [glossary.es-en]
    keep = ["Boletín técnico"]
    [glossary.es-en.terms]
    "ajuste fino" = "fine-tuning"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from exporter.errors import ConfigError


@dataclass(frozen=True)
class Glossary:
    """The do-not-translate terms and forced translations of one language pair."""

    keep: tuple[str, ...] = ()
    terms: dict[str, str] = field(default_factory=dict)

    def keep_pattern(self) -> re.Pattern | None:
        """Matches any do-not-translate term as a whole word (case-sensitive, longest first)."""
        return word_pattern(self.keep, 0)

    def terms_pattern(self) -> re.Pattern | None:
        """Matches any term with a forced translation as a whole word (case-insensitive)."""
        return word_pattern(self.terms, re.IGNORECASE)

    def forced(self, matched: str) -> str:
        """The forced translation of a matched term, capitalised like the match."""
        lowered = {term.lower().replace("’", "'"): value for term, value in self.terms.items()}
        value = lowered[matched.lower().replace("’", "'")]
        if matched[:1].isupper() and value[:1].islower():
            value = value[:1].upper() + value[1:]
        return value


def word_pattern(terms, flags: int) -> re.Pattern | None:
    """One regular expression matching every term on word boundaries."""
    ordered = sorted((t for t in terms if t), key=len, reverse=True)
    if not ordered:
        return None
    alternatives = (re.sub("['’]", "['’]", re.escape(t)) for t in ordered)  # either apostrophe matches
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", flags)


def pair_tables(tables: dict, where: str) -> dict[str, dict]:
    """Check glossary tables (``{"es-en": {"keep": [...], "terms": {...}}}``) and return them."""
    for pair, table in tables.items():
        if pair != "all" and not re.fullmatch(r"[a-z]{2,3}-[a-z]{2,3}", pair):
            raise ConfigError(f"'{where}.{pair}': name a language pair such as 'es-en' (or 'all')")
        if not isinstance(table, dict):
            raise ConfigError(f"'{where}.{pair}' must be a table")
        for key in table:
            if key not in ("keep", "terms"):
                raise ConfigError(f"'{where}.{pair}.{key}': unknown key (use 'keep' and 'terms')")
        keep = table.get("keep", [])
        if not isinstance(keep, list) or not all(isinstance(t, str) for t in keep):
            raise ConfigError(f"'{where}.{pair}.keep' must be a list of terms")
        terms = table.get("terms", {})
        if not isinstance(terms, dict) or not all(isinstance(v, str) and v for v in terms.values()):
            raise ConfigError(f"'{where}.{pair}.terms' must map each term to its translation")
    return tables


def load_glossary(settings, source: str, target: str) -> Glossary:
    """The glossary for ``source``→``target``: newsletter.toml tables merged with the glossary file."""
    tables = [pair_tables(settings.glossary, "glossary")]
    name = settings.section("translation").get("glossary_file", "")
    if name:
        path = Path(settings.root) / name
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("glossary file not found", path) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"invalid TOML: {error}", path) from None
        tables.append(pair_tables(data.get("glossary", data), path.name))
    keep: list[str] = []
    terms: dict[str, str] = {}
    for table in tables:
        for pair in ("all", f"{source}-{target}"):
            keep += table.get(pair, {}).get("keep", [])
            terms.update(table.get(pair, {}).get("terms", {}))
    options = settings.section("translation")
    rules = options.get("draft_rules", ())
    if "domain-terms" in rules and options.get("engine") == "apertium":
        from exporter.translate.domain_terms import domain_terms

        terms = {**domain_terms(source, target), **terms}
    if "inflections" in rules:
        from exporter.translate.draft import plural_terms

        terms = {**plural_terms(terms), **terms}
    return Glossary(tuple(dict.fromkeys(keep)), terms)
