"""PDF seconds per edition of the first issue, for each PDF engine (Typst and WeasyPrint).

Each engine runs in its own fresh process: it lays out the Spanish edition and the English one
(translated once by Apertium, not timed) three times; the first layout pays the engine's imports and
font scan (``first_s``), the median of the rest is the steady cost per edition (``median_s``, and
``cpu_median_s``: CPU seconds of the process and its children, which load on a shared machine
inflates far less than wall time).

Usage: python benchmarks/pdf_engines.py [ENGINE...]; ``main()`` returns the figures.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "llm-boom-2023" / "index.md"
ROUNDS = 3

WORKER = """
import json, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from exporter.config import load_settings
from exporter.document import load_document
from exporter.formats.base import Site
from exporter.formats.pdf import PdfExporter
from exporter.themes import load_theme
from exporter.translate import translate_document
from exporter.translate.memory import TranslationMemory

source = load_document(sys.argv[3])
settings = load_settings(Path(sys.argv[2]))
english = translate_document(source, "en", settings, memory=TranslationMemory(":memory:"))
exporter = PdfExporter({"engine": sys.argv[1]}, Site(title="Bench"))
theme = load_theme("default", sys.argv[2])
def cpu():
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))
times, cpus, pages = [], [], 0
with tempfile.TemporaryDirectory() as folder:
    for attempt in range(int(sys.argv[4])):
        for edition in (source, english):
            out = Path(folder) / f"{attempt}-{edition.meta.lang}"
            out.mkdir()
            start, start_cpu = time.perf_counter(), cpu()
            target = exporter.export(edition, theme, out)[0]
            times.append(time.perf_counter() - start)
            cpus.append(cpu() - start_cpu)
    from pypdf import PdfReader
    pages = len(PdfReader(target).pages)
print(json.dumps({"times": times, "cpus": cpus, "pages": pages}))
"""


def measure(engine: str, rounds: int = ROUNDS) -> dict:
    """Seconds per edition for ``engine``: the first layout and the median of the others."""
    done = subprocess.run([sys.executable, "-c", WORKER, engine, str(ROOT), str(SAMPLE), str(rounds)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"pdf benchmark failed for {engine}:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    times = result["times"]
    return {"first_s": times[0], "median_s": statistics.median(times[1:]), "pages": result["pages"],
            "times": [round(t, 2) for t in times], "cpu_median_s": statistics.median(result["cpus"][1:])}


def main(engines=("typst", "weasyprint")) -> dict:
    """Measure every engine and print one line each."""
    print("## PDF engines (first issue, seconds per edition; es and en alternated)")
    report = {}
    for engine in engines:
        report[engine] = figures = measure(engine)
        print(f"{engine}: {figures['median_s']:.2f} s per edition (median of {len(figures['times']) - 1}; first, with "
              f"imports and font scan, {figures['first_s']:.2f} s), CPU {figures['cpu_median_s']:.2f} s per edition, "
              f"{figures['pages']} pages; runs {figures['times']}")
    return report


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or ("typst", "weasyprint"))
