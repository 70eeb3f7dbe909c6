"""Document → Document for a target language: memory first, then the engine, checking every placeholder."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field, replace

from exporter.document import Document
from exporter.errors import TranslationError
from exporter.translate.engines import Translator, create_translator
from exporter.translate.glossary import Glossary, load_glossary
from exporter.translate.memory import TranslationMemory, normalise
from exporter.translate.placeholders import (
    WORD,
    PlaceholderError,
    check,
    runs,
    serialise,
)
from exporter.translate.protection import protector_for
from exporter.translate.review_files import Reviews, read_reviews, review_file
from exporter.translate.segments import META_FIELDS, Segmentation, Unit, segment

log = logging.getLogger(__name__)


@dataclass
class TranslationReport:
    """What one translation run did."""

    engine: str
    units: int = 0
    from_memory: int = 0
    sent: int = 0
    chars_sent: int = 0
    human: int = 0  # units whose reviewed translation (from the review file) was used
    retried: int = 0  # units sent again in safe mode after their placeholders were lost
    kept_source: list[str] = field(default_factory=list)  # units left untranslated: placeholders lost twice
    flagged: list[str] = field(default_factory=list)  # units whose source changed since their review
    stale: list = field(default_factory=list)  # the stale reviews themselves (review_files.Review)
    reviewed: list[str] = field(default_factory=list)  # units translated by a reviewer
    unknown_words: dict[str, list[str]] = field(default_factory=dict)  # unit text → words the engine did not know
    fallback: int = 0  # units a neural engine failed on, translated by the offline engine instead
    route: str = ""  # the languages the engine went through, e.g. "en→es→it" (Apertium pivoting)
    remembered: list[str] = field(default_factory=list)  # units whose machine translation came from the memory

    def stats(self) -> dict:
        """The figures ``newsletter translate --stats json`` prints."""
        data = asdict(self)
        keys = ("units", "from_memory", "sent", "chars_sent", "engine", "human") + (("fallback",) if self.fallback else ())
        stats = {**{key: data[key] for key in keys}, "stale_reviews": len(self.stale)}
        return {**stats, "route": self.route} if self.route.count("→") > 1 else stats  # pivoting: say so


@dataclass
class Translated:
    """A translated edition, its units and the translation each unit received."""

    document: Document
    report: TranslationReport
    units: list[Unit]
    translations: dict[str, str]  # unit id → unit text in the target language

    def quality(self) -> dict[str, list]:
        """Quality flags of every machine-translated unit, by unit id (reviewed units have none)."""
        from exporter.translate.quality import document_names, unit_flags

        reviewed, source = set(self.report.reviewed), self.document.source_lang
        known = document_names(unit.text for unit in self.units)
        unknown = {normalise(text): words for text, words in self.report.unknown_words.items()}
        return {unit.id: unit_flags(unit.text, self.translations[unit.id], source, self.document.meta.lang,
                                    unknown.get(normalise(unit.text), ()), known)
                for unit in self.units if unit.id not in reviewed}


def segment_document(document: Document, settings, target: str) -> Segmentation:
    """The translation units of a document for one target language."""
    glossary = load_glossary(settings, document.meta.lang, target) if settings is not None else Glossary()
    meta = {name: getattr(document.meta, name) for name in META_FIELDS}
    return segment(document.ast, meta, protector_for(settings, glossary))


def translate_with_report(document: Document, target_lang: str, settings, engine: str | None = None,
                          translator: Translator | None = None,
                          memory: TranslationMemory | None = None, review_scope: str = "",
                          prefetch: Document | None = None) -> Translated:
    """Translate a document, returning the edition with a report of what was reused and sent.

    ``review_scope`` is the unit-id prefix of the reviews judged stale here (``svg-`` for diagram texts).
    ``prefetch`` is a document translated next (the edition's diagram texts): its units travel in the same
    engine call and land in the memory only, so translating it finds them there (one Apertium start, not two).
    """
    name = translator.name if translator is not None else engine or settings.section("translation")["engine"]
    owns_memory = memory is None
    memory = memory or TranslationMemory.for_settings(settings)
    try:
        run = Run(document, target_lang, name, memory, memory_engine(name, settings), review_scope)
        segmentation = segment_document(document, settings, target_lang)
        run.lookup(segmentation.units)
        if prefetch is not None:
            run.prefetch(segment_document(prefetch, settings, target_lang).units)
        if run.pending or run.prefetched:
            owns_translator = translator is None
            translator = translator or create_translator(name, settings)
            try:
                run.send(translator)
            finally:
                if owns_translator:
                    translator.close()
    finally:
        if owns_memory:
            memory.close()
    for unit in segmentation.units:
        unit.restore(run.results[unit.id])
    changes = {key: value for key, value in segmentation.meta.items() if value}
    edition = document.with_translation(document.meta.with_lang(target_lang, **changes), segmentation.ast)
    edition = replace(edition, reviewed=bool(segmentation.units) and len(run.report.reviewed) == len(segmentation.units))
    run.warn()
    return Translated(edition, run.report, segmentation.units, run.results)


def memory_engine(name: str, settings) -> str:
    """The engine's name in the memory: Apertium's carries its draft rules and variant, which change its output."""
    if name != "apertium" or settings is None:
        return name
    from exporter.translate.draft import DRAFT_VERSION

    options = settings.section("translation")
    signature = repr((DRAFT_VERSION, sorted(options.get("draft_rules", ())), options.get("variant", "")))
    return f"apertium:{hashlib.sha256(signature.encode()).hexdigest()[:8]}"


class Run:
    """The state of one document's translation: what memory had, what must be sent."""

    def __init__(self, document: Document, target: str, engine: str, memory: TranslationMemory,
                 memory_name: str | None = None, review_scope: str = ""):
        self.document, self.source, self.target = document, document.meta.lang, target
        self.engine, self.memory = memory_name or engine, memory
        self.report = TranslationReport(engine)
        self.results: dict[str, str] = {}
        self.pending: dict[str, list[Unit]] = {}  # normalised text → units waiting for it
        self.prefetched: dict[str, str] = {}  # normalised text → text of another document, for the memory only
        try:
            self.reviews = read_reviews(document, target)
        except TranslationError as error:  # the edition survives without its reviews: say so, go on
            log.warning("%s: machine translation used for every unit", error)
            self.reviews = Reviews(review_file(document, target))
        self.review_scope = review_scope  # the unit-id prefix of the reviews this run judges

    def lookup(self, units: list[Unit]) -> None:
        """Take every unit reviewed in the review file, then what the memory knows; queue the rest."""
        from exporter.translate.rekey import carry_over

        self.report.units = len(units)
        stale = self.reviews.stale([unit.text for unit in units], self.review_scope)
        carried, self.report.stale = carry_over(stale, units, self.reviews)
        for unit in units:
            review = self.reviews.get(unit.text)
            human = self.valid(unit.text, review.translation if review else carried.get(unit.id))
            if human is not None:
                self.results[unit.id] = human
                self.report.human += 1
                self.report.reviewed.append(unit.id)
                continue
            if review is not None:
                log.warning("%s:%d: unit %s: the reviewed translation does not keep the source's placeholders: "
                            "machine translation used", self.reviews.path, review.line, unit.id)
            machine = self.valid(unit.text, self.memory.lookup(self.engine, self.source, self.target, unit.text))
            if machine is not None:
                self.results[unit.id] = machine
                self.report.from_memory += 1
                self.report.remembered.append(unit.id)
                unknown = self.memory.unknown_words(self.engine, self.source, self.target, unit.text)
                if unknown:  # the flags of a remembered unit are those of its first translation
                    self.report.unknown_words[unit.text] = unknown
            else:
                self.pending.setdefault(normalise(unit.text), []).append(unit)
        self.report.flagged = list(dict.fromkeys(review.unit for review in self.report.stale))

    def prefetch(self, units: list[Unit]) -> None:
        """Queue the texts of ``units`` (another document's) that no review or memory holds, for the memory."""
        for unit in units:
            key = normalise(unit.text)
            if key in self.pending or self.reviews.get(unit.text) is not None:
                continue
            if self.valid(unit.text, self.memory.lookup(self.engine, self.source, self.target, unit.text)) is None:
                self.prefetched.setdefault(key, unit.text)

    @staticmethod
    def valid(source: str, translation: str | None) -> str | None:
        """A stored translation if its placeholders still fit the source."""
        if translation is None:
            return None
        try:
            return serialise(check(source, translation))
        except PlaceholderError:
            return None

    def send(self, translator: Translator) -> None:
        """Send every pending unit, batch by batch; retry lost placeholders in safe mode."""
        texts = [units[0].text for units in self.pending.values()] + list(self.prefetched.values())
        describe = getattr(translator, "describe_route", None)
        self.report.route = describe(self.source, self.target) if describe else ""
        failed = []
        for batch in batches(texts, translator.max_chars):
            outputs = self.call(translator, batch)
            unknown = getattr(translator, "unknown_words", {})  # engines that report them: unit text → words
            self.report.unknown_words.update({text: unknown[text] for text in batch if unknown.get(text)})
            offline = set(getattr(translator, "fallen_back", ()))
            for text, output in zip(batch, outputs):
                try:
                    self.accept(text, serialise(check(text, output)), store=text not in offline)
                    self.report.fallback += text in offline
                except PlaceholderError as error:
                    failed.append((text, str(error)))
        if failed:
            self.safe_mode(translator, failed)

    def call(self, translator: Translator, batch: list[str]) -> list[str]:
        """One call to the engine, with errors naming the document and unit."""
        first = self.pending.get(normalise(batch[0]), [None])[0]
        where = f"{self.document.meta.slug} → {self.target}" + (f", unit {first.id}" if first else "")
        try:
            outputs = translator.translate(batch, self.source, self.target)
        except TranslationError as error:
            raise TranslationError(f"{error.message} ({where})", self.document.source) from None
        self.report.chars_sent += sum(len(text) for text in batch)
        if not isinstance(outputs, list) or len(outputs) != len(batch):
            raise TranslationError(f"{translator.name}: returned {len(outputs)} texts for {len(batch)} ({where})",
                                   self.document.source)
        return outputs

    def accept(self, text: str, translation: str, store: bool = True) -> None:
        """Store a checked translation (committed at once) and hand it to every unit that has this text."""
        if store:  # an offline fallback is not kept under a neural engine's name: a rerun asks again
            self.memory.store(self.engine, self.source, self.target, text, translation,
                              self.report.unknown_words.get(text, ()))
        for unit in self.pending.get(normalise(text), []):  # none for a prefetched text
            self.results[unit.id] = translation
            self.report.sent += 1

    def safe_mode(self, translator: Translator, failed: list[tuple[str, str]]) -> None:
        """Translate the text between placeholders piece by piece; keep the source where that fails too."""
        pieces = {text: runs(text) for text, _ in failed}
        wanted = list(dict.fromkeys(p.strip() for parts in pieces.values() for p in parts[0::2] if WORD.search(p)))
        done: dict[str, str] = {}
        for batch in batches(wanted, translator.max_chars):
            done.update(zip(batch, self.call(translator, batch)))
        for text, first_error in failed:
            self.report.retried += 1
            parts = pieces[text]
            for index in range(0, len(parts), 2):
                run = parts[index]
                if WORD.search(run):
                    lead, trail = run[: len(run) - len(run.lstrip())], run[len(run.rstrip()):]
                    parts[index] = lead + done[run.strip()].strip() + trail
            try:
                self.accept(text, serialise(check(text, "".join(parts))))
            except PlaceholderError as error:
                for unit in self.pending.get(normalise(text), []):
                    self.results[unit.id] = text
                    self.report.sent += 1
                    self.report.kept_source.append(unit.id)
                    log.warning("%s (%s): unit %s kept in the source language: the engine broke its markup (%s; "
                                "then %s)", self.document.meta.slug, self.target, unit.id, first_error, error)

    def warn(self) -> None:
        """Log the reviews whose source changed since (file and line of each)."""
        for review in self.report.stale:
            log.warning("%s:%d: %s (%s): unit %s changed since it was reviewed: machine translation used, review "
                        "it again", self.reviews.path, review.line, self.document.meta.slug, self.target,
                        review.unit)


def batches(texts: list[str], max_chars: int | None) -> list[list[str]]:
    """Split texts into consecutive batches of at most ``max_chars`` characters (one text may exceed it)."""
    if not max_chars:
        return [texts] if texts else []
    out: list[list[str]] = []
    size = 0
    for text in texts:
        if out and size + len(text) <= max_chars:
            out[-1].append(text)
            size += len(text)
        else:
            out.append([text])
            size = len(text)
    return out
