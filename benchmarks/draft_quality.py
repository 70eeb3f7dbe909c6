"""chrF of the offline draft against raw Apertium on the parallel pairs, and each draft rule's gain.

For every pair in tests/corpus/parallel (a Spanish page and its human English translation), three
kinds of English are scored with sacrebleu's chrF against the human one, from the same Spanish text:

* raw Apertium: ``apertium -u -f html spa-eng`` on the page's HTML;
* the toolkit's offline draft with every rule (``translation.draft_rules``, see exporter/translate/draft.py);
* the draft without one rule, for each rule: the rule's gain is the full draft's score minus that.

Code blocks are removed from the Spanish page and from the reference before scoring (both engines then
see the same prose): the toolkit never translates code by design, while the human translators of some
pages translated code comments, so code would measure that policy rather than the translation.
``measure(prose_only=False)`` scores the whole pages, for comparison.

Targets: the draft beats raw Apertium by at least 1.0 on average and is never below it on a pair.
Each rule is also counted on the first issue (``source/llm-boom-2023``): how many of its units change
when the rule is dropped (the corpus pages have few dates, amounts or footnotes).
Run ``python benchmarks/draft_quality.py``; ``main()`` returns the figures.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translation import CORPUS, plain, raw_apertium, spanish_document  # noqa: E402

from exporter.config import Settings, defaults, load_settings  # noqa: E402
from exporter.pandoc import ast_to, run_pandoc  # noqa: E402
from exporter.translate import TranslationMemory, translate_with_report  # noqa: E402
from exporter.translate.draft import RULES  # noqa: E402

AVERAGE_GAIN_TARGET = 1.0
ROOT = Path(__file__).resolve().parents[1]


def without_code(document):
    """The document with every code block removed (at any depth)."""

    def keep(blocks: list) -> list:
        out = []
        for block in blocks:
            if block["t"] == "CodeBlock":
                continue
            if block["t"] in ("BlockQuote",):
                block["c"] = keep(block["c"])
            elif block["t"] == "Div":
                block["c"][1] = keep(block["c"][1])
            elif block["t"] == "BulletList":
                block["c"] = [keep(item) for item in block["c"]]
            elif block["t"] == "OrderedList":
                block["c"][1] = [keep(item) for item in block["c"][1]]
            elif block["t"] == "DefinitionList":
                block["c"] = [[term, [keep(d) for d in definitions]] for term, definitions in block["c"]]
            out.append(block)
        return out

    ast = copy.deepcopy(document.ast)
    ast["blocks"] = keep(ast["blocks"])
    return document.with_translation(document.meta, ast)


def pairs() -> list[Path]:
    """The parallel pairs' folders."""
    return sorted(p for p in (CORPUS / "parallel").iterdir() if p.is_dir())


def draft(document, folder: Path, rules) -> str:
    """The toolkit's English draft of a document with these rules, as plain text (fresh memory)."""
    values = copy.deepcopy(defaults())
    values["translation"]["draft_rules"] = list(rules)
    settings = Settings(folder, values)
    with TranslationMemory(folder / f"tm-{time.monotonic_ns()}.sqlite") as memory:
        return plain(translate_with_report(document, "en", settings, memory=memory).document.ast)


def raw(document) -> str:
    """Raw Apertium's English of a document, as plain text."""
    return run_pandoc(["-f", "html", "-t", "plain"], raw_apertium(ast_to(document.ast, "html5")),
                      what="pandoc (html to plain)")


def score(hypothesis: str, reference: str) -> float:
    """sacrebleu's chrF of one document against its reference."""
    from sacrebleu.metrics import CHRF

    return round(CHRF().corpus_score([hypothesis], [[reference]]).score, 2)


def measure(names: list[Path] | None = None, ablation: bool = True, prose_only: bool = True) -> dict:
    """Scores per pair: raw Apertium, the full draft and (with ``ablation``) the draft without each rule."""
    out = {}
    prepare = without_code if prose_only else (lambda document: document)
    with tempfile.TemporaryDirectory() as folder:
        for pair in names or pairs():
            source = prepare(spanish_document(pair / "es.md"))
            reference = plain(prepare(spanish_document(pair / "en.md")).ast)
            row = {"raw_apertium": score(raw(source), reference),
                   "draft": score(draft(source, Path(folder), RULES), reference)}
            if ablation:
                for rule in RULES:
                    without = draft(source, Path(folder), [r for r in RULES if r != rule])
                    row[f"without {rule}"] = score(without, reference)
            out[pair.name] = row
    return out


def units_changed() -> dict[str, int]:
    """For each rule, how many units of the first issue's English draft change when it is dropped."""
    from exporter.document import load_document

    document = load_document(ROOT / "source" / "llm-boom-2023" / "index.md")
    settings = load_settings(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        def translations(rules) -> dict[str, str]:
            values = copy.deepcopy(settings.values)
            values["translation"]["draft_rules"] = list(rules)
            changed = Settings(settings.root, values, settings.formats_options, settings.glossary)
            with TranslationMemory(Path(folder) / f"tm-{time.monotonic_ns()}.sqlite") as memory:
                return translate_with_report(document, "en", changed, memory=memory).translations

        full = translations(RULES)
        counts = {}
        for rule in RULES:
            without = translations([r for r in RULES if r != rule])
            counts[rule] = sum(full[key] != without.get(key) for key in full)
    return counts


def main() -> dict:
    """Print the chrF table, the average gain and each rule's gain; return the figures."""
    scores = measure()
    print("## Offline draft quality (chrF against the human English; higher is better)")
    print(f"{'pair':45} {'raw apertium':>12} {'draft':>7} {'gain':>6}")
    for name, row in scores.items():
        gain = row["draft"] - row["raw_apertium"]
        print(f"{name:45} {row['raw_apertium']:12.2f} {row['draft']:7.2f} {gain:+6.2f}"
              + ("" if gain >= 0 else "  BELOW RAW"))
    gains = [row["draft"] - row["raw_apertium"] for row in scores.values()]
    average = sum(gains) / len(gains)
    verdict = "ok" if average >= AVERAGE_GAIN_TARGET and min(gains) >= 0 else "MISSED"
    print(f"average gain {average:+.2f} (target ≥ +{AVERAGE_GAIN_TARGET}), lowest {min(gains):+.2f} "
          f"(target ≥ 0): {verdict}")
    print("rule gains (full draft minus the draft without the rule, averaged over the pairs):")
    for rule in RULES:
        rule_gains = [row["draft"] - row[f"without {rule}"] for row in scores.values()]
        detail = ", ".join(f"{g:+.2f}" for g in rule_gains)
        print(f"  {rule:14} {sum(rule_gains) / len(rule_gains):+.2f}  ({detail})")
    whole = measure(ablation=False, prose_only=False)
    print("whole pages, code blocks included: " + ", ".join(
        f"{name} raw {row['raw_apertium']:.2f} draft {row['draft']:.2f}" for name, row in whole.items()))
    counts = units_changed()
    print("units of the first issue (English) each rule changes: "
          + ", ".join(f"{rule} {count}" for rule, count in counts.items()))
    return {"chrf": scores, "average_gain": round(average, 2), "lowest_gain": round(min(gains), 2),
            "whole_pages": whole, "units_changed": counts}


if __name__ == "__main__":
    main()
