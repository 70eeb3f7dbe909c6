"""Translation benchmarks: the toolkit's Apertium edition against raw Apertium on the same text.

1. Speed: ``translate_with_report`` (fresh memory) against ``apertium -u -f html spa-eng`` on the
   document's HTML, over the Spanish corpus documents and the sample issue (target: at most 1.3×).
2. Quality: chrF (sacrebleu) of both against the human English reference of each parallel pair in
   tests/corpus/parallel (target: the toolkit scores no lower than raw Apertium).

Run ``python benchmarks/translation.py``; ``main()`` returns the figures as a dict.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exporter.config import Settings, defaults  # noqa: E402
from exporter.document import Document, Metadata, split_front_matter  # noqa: E402
from exporter.pandoc import ast_to, markdown_to_ast, run_pandoc  # noqa: E402
from exporter.translate import TranslationMemory, translate_with_report  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
SPEED_DOCUMENTS = [*sorted((CORPUS / "es").glob("*.md")),
                   CORPUS / "newsletters" / "es-esta-semana-en-rust-1-2023-10-11.md",
                   ROOT / "tests" / "fixtures" / "sample" / "index.md"]
RATIO_TARGET = 1.3
ROUNDS = 3


def spanish_document(path: Path) -> Document:
    """A Spanish corpus file as a Document (body only; its own front matter is not ours)."""
    text = path.read_text(encoding="utf-8")
    body = split_front_matter(text, path)[1] if text.startswith("---\n") else text
    meta = Metadata(title=path.stem, lang="es", date=dt.date(2023, 1, 1), slug="bench")
    return Document(meta, markdown_to_ast(body), path, "es", body)


def raw_apertium(html: str) -> str:
    """Raw Apertium on an HTML document."""
    return subprocess.run(["apertium", "-u", "-f", "html", "spa-eng"], input=html, capture_output=True,
                          text=True, check=True).stdout


def toolkit(document: Document, folder: Path) -> Document:
    """The toolkit's English edition, with a fresh translation memory on disk."""
    settings = Settings(folder, defaults())
    with TranslationMemory(folder / f"tm-{time.monotonic_ns()}.sqlite") as memory:
        return translate_with_report(document, "en", settings, memory=memory).document


def speed(folder: Path) -> dict:
    """Best-of-N total seconds for the toolkit and for raw Apertium over the speed documents."""
    documents = [spanish_document(path) for path in SPEED_DOCUMENTS]
    pages = [ast_to(document.ast, "html5") for document in documents]
    best_toolkit = best_raw = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for document in documents:
            toolkit(document, folder)
        best_toolkit = min(best_toolkit, time.perf_counter() - started)
        started = time.perf_counter()
        for page in pages:
            raw_apertium(page)
        best_raw = min(best_raw, time.perf_counter() - started)
    return {"documents": len(documents), "toolkit_s": round(best_toolkit, 3), "raw_apertium_s": round(best_raw, 3),
            "ratio": round(best_toolkit / best_raw, 3)}


def plain(ast: dict) -> str:
    """A document's text, one paragraph a line, as chrF reads it."""
    return ast_to(ast, "plain")


def quality(folder: Path) -> dict:
    """chrF of the toolkit's edition and of raw Apertium against each human English reference."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    scores = {}
    for pair in sorted(p for p in (CORPUS / "parallel").iterdir() if p.is_dir()):
        source = spanish_document(pair / "es.md")
        reference = plain(spanish_document(pair / "en.md").ast)
        edition = plain(toolkit(source, folder).ast)
        raw_html = raw_apertium(ast_to(source.ast, "html5"))
        raw = run_pandoc(["-f", "html", "-t", "plain"], raw_html, what="pandoc (html to plain)")
        scores[pair.name] = {
            "toolkit": round(chrf.corpus_score([edition], [[reference]]).score, 2),
            "raw_apertium": round(chrf.corpus_score([raw], [[reference]]).score, 2),
        }
    return scores


def main() -> dict:
    """Run both benchmarks, print them, and return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        timing = speed(Path(folder))
        scores = quality(Path(folder))
    print(f"translation speed over {timing['documents']} documents: toolkit {timing['toolkit_s']} s, "
          f"raw apertium {timing['raw_apertium_s']} s, ratio {timing['ratio']}× (target ≤ {RATIO_TARGET}×)")
    for name, score in scores.items():
        verdict = "ok" if score["toolkit"] >= score["raw_apertium"] else "LOWER"
        print(f"chrF {name} (whole page, code included): toolkit {score['toolkit']}, "
              f"raw apertium {score['raw_apertium']} ({verdict})")
    return {"speed": timing, "chrf": scores}


if __name__ == "__main__":
    main()
