"""Build benchmarks: cold build vs Quarto-like and naive scripts, no-change and one-paragraph rebuilds, archive scaling.

Every measurement runs as a fresh subprocess, so import and start-up costs count on both sides.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAMPLE = REPO / "source" / "llm-boom-2023"
CORPUS = REPO / "tests" / "corpus"

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{elapsed} {usage.ru_maxrss} {result.returncode} {usage.ru_utime + usage.ru_stime}")
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr[-2000:])
"""


CPU_SECONDS: dict[str, float] = {}  # CPU seconds (user + system, every process) of the last run of each command
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}  # both sides cache


def measure(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in KB of the largest process, stdout) of one command run in a fresh process."""
    done = subprocess.run([PYTHON, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, env=ENV)
    first, _, rest = done.stdout.partition("\n")
    seconds, peak, code, cpu = first.split()
    CPU_SECONDS[" ".join(command)] = float(cpu)
    if code != "0":
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{done.stderr}")
    return float(seconds), int(peak), rest


def project_with(sources: dict[str, Path], root: Path, languages=("es", "en")) -> Path:
    """A project folder whose source/ holds ``{slug: markdown file or issue folder}``."""
    (root / "source").mkdir(parents=True)
    for slug, source in sources.items():
        if source.is_dir():  # without its reviewed translations: the build translates, as the scripts do
            shutil.copytree(source, root / "source" / slug, ignore=shutil.ignore_patterns("*.po"))
        else:
            (root / "source" / f"{slug}.md").write_text(as_issue(source.read_text(encoding="utf-8"), slug))
    (root / "newsletter.toml").write_text(f'title = "Bench"\nlanguages = {json.dumps(list(languages))}\n')
    return root


def as_issue(text: str, slug: str) -> str:
    """A corpus document with the front matter the toolkit needs (its own front matter dropped)."""
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)  # corpus images are not shipped
    return f'---\ntitle: "{slug}"\nlang: es\ndate: 2023-10-16\nslug: {slug}\n---\n{body}'


def newsletter(*args: str) -> list[str]:
    """The command line of the toolkit in this interpreter."""
    return [PYTHON, "-m", "exporter", *args]


def bench_cold_vs_scripts(work: Path, repeats: int = 3) -> dict:
    """1. ``newsletter build`` from cold (es + en, default formats) vs the Quarto-like and the naive script.

    Medians of ``repeats`` runs of each side, alternated (build, Quarto-like, naive, build, ...), so
    that a burst of load on the shared machine hits every side alike.
    """
    from exporter.formats.pdf_engine import DEFAULT_ENGINE

    runs: dict[str, list] = {"cold": [], "cold_j1": [], "quarto": [], "naive": []}
    cpu: dict[str, list] = {side: [] for side in runs}
    script = [PYTHON, str(REPO / "benchmarks" / "naive.py"), str(SAMPLE / "index.md")]
    for attempt in range(repeats):
        project = project_with({"llm-boom-2023": SAMPLE}, work / f"cold-{attempt}")
        serial = project_with({"llm-boom-2023": SAMPLE}, work / f"cold-j1-{attempt}")
        commands = {"cold": (newsletter("build", "--stats", "json"), project),
                    "cold_j1": (newsletter("build", "--stats", "json", "--jobs", "1"), serial),
                    "quarto": ([*script, str(work / f"quarto-out-{attempt}"), "--quarto"], work),
                    "naive": ([*script, str(work / f"naive-out-{attempt}"), "--pdf-engine", DEFAULT_ENGINE], work)}
        for side, (command, folder) in commands.items():
            runs[side].append(measure(command, folder)[:2])
            cpu[side].append(CPU_SECONDS[" ".join(command)])
    medians = {side: statistics.median(seconds for seconds, _ in values) for side, values in runs.items()}
    cpu_medians = {side: statistics.median(values) for side, values in cpu.items()}
    peaks = {side: max(rss for _, rss in values) for side, values in runs.items()}
    return {"cold_s": medians["cold"], "quarto_s": medians["quarto"], "naive_s": medians["naive"],
            "cold_j1_s": medians["cold_j1"], "j1_quarto_ratio": medians["cold_j1"] / medians["quarto"],
            "j1_naive_ratio": medians["cold_j1"] / medians["naive"],
            "quarto_ratio": medians["cold"] / medians["quarto"], "naive_ratio": medians["cold"] / medians["naive"],
            "cpu_s": cpu_medians, "cpu_quarto_ratio": cpu_medians["cold"] / cpu_medians["quarto"],
            "cpu_naive_ratio": cpu_medians["cold"] / cpu_medians["naive"],
            "runs": {side: [round(seconds, 2) for seconds, _ in values] for side, values in runs.items()},
            "rss_kb": peaks, "project": project, "repeats": repeats, "pdf_engine": DEFAULT_ENGINE}


def bench_rebuilds(project: Path, cold: float) -> dict:
    """2. no-change rebuild; 3. rebuild after editing one paragraph."""
    again, _, out = measure(newsletter("build", "--stats", "json"), project)
    unchanged = json.loads(out.strip().splitlines()[-1])
    source = project / "source" / "llm-boom-2023" / "index.md"
    text = source.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p and p[0].isalpha() and len(p) > 200]
    old = paragraphs[1]
    new = old.replace(".", ", sin duda.", 1)
    source.write_text(text.replace(old, new), encoding="utf-8")
    edited_s, _, out = measure(newsletter("build", "--stats", "json"), project)
    edited = json.loads(out.strip().splitlines()[-1])
    return {
        "nochange_s": again, "nochange_ratio": again / cold,
        "nochange_translator_calls": unchanged["translation"]["sent"],
        "edit_s": edited_s, "edit_chars_sent": edited["translation"]["chars_sent"],
        "edit_paragraph_chars": len(new), "edit_chars_ratio": edited["translation"]["chars_sent"] / len(new),
        "edit_rebuilt": edited["built"],
    }


def bench_archive(work: Path) -> dict:
    """4. an archive of 5 vs 50 issues made from corpus documents: time per issue and peak RSS."""
    documents = sorted(p for p in CORPUS.rglob("*.md") if "parallel" not in p.parts or p.name == "es.md")
    results = {}
    for count in (5, 50):
        sources = {f"issue-{i:02d}": documents[i % len(documents)] for i in range(count)}
        project = project_with(sources, work / f"archive-{count}")
        seconds, rss, _ = measure(newsletter("build"), project)
        results[count] = {"seconds": seconds, "per_issue_s": seconds / count, "peak_rss_kb": rss}
    return {"archive": results,
            "per_issue_ratio": results[50]["per_issue_s"] / results[5]["per_issue_s"],
            "rss_ratio": results[50]["peak_rss_kb"] / results[5]["peak_rss_kb"]}


def print_cold(cold: dict) -> None:
    """Print step 1: the cold build against the Quarto-like and the naive script."""
    runs = cold["runs"]
    print(f"1. cold build es+en, default formats (median of {cold['repeats']}, alternated; PDF engine "
          f"{cold['pdf_engine']}): newsletter {cold['cold_s']:.2f} s {runs['cold']}, Quarto-like "
          f"{cold['quarto_s']:.2f} s {runs['quarto']}, naive {cold['naive_s']:.2f} s {runs['naive']}")
    print(f"   ratio to Quarto-like {cold['quarto_ratio']:.2f} (target <= 1.00), to naive {cold['naive_ratio']:.2f} "
          f"(target <= 0.70); peak RSS newsletter {cold['rss_kb']['cold'] / 1024:.0f} MB, Quarto-like "
          f"{cold['rss_kb']['quarto'] / 1024:.0f} MB, naive {cold['rss_kb']['naive'] / 1024:.0f} MB")
    print(f"   newsletter --jobs 1: {cold['cold_j1_s']:.2f} s {runs['cold_j1']}, ratio to Quarto-like "
          f"{cold['j1_quarto_ratio']:.2f}, to naive {cold['j1_naive_ratio']:.2f}")
    print(f"   CPU seconds (user + system, all processes; medians): newsletter {cold['cpu_s']['cold']:.2f}, "
          f"--jobs 1 {cold['cpu_s']['cold_j1']:.2f}, Quarto-like {cold['cpu_s']['quarto']:.2f}, "
          f"naive {cold['cpu_s']['naive']:.2f}; ratios of the default build "
          f"{cold['cpu_quarto_ratio']:.2f} and {cold['cpu_naive_ratio']:.2f}")


def main(cold_only: bool = False) -> dict:
    """Run every build benchmark and print a report."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "exporter"), str(REPO / "benchmarks")],
                   env=ENV, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="newsletter-bench-") as folder:
        work = Path(folder)
        cold = bench_cold_vs_scripts(work)
        if cold_only:
            print_cold(cold)
            return cold
        rebuilds = bench_rebuilds(cold.pop("project"), cold["cold_s"])
        archive = bench_archive(work)
    report = {**cold, **rebuilds, **archive}
    print("## Build")
    print_cold(cold)
    print(f"2. no-change rebuild: {rebuilds['nochange_s']:.2f} s = {rebuilds['nochange_ratio']:.1%} of cold "
          f"(target <= 5%), translator calls {rebuilds['nochange_translator_calls']} (target 0)")
    print(f"3. one-paragraph edit: {rebuilds['edit_chars_sent']} characters sent for a "
          f"{rebuilds['edit_paragraph_chars']}-character paragraph, ratio {rebuilds['edit_chars_ratio']:.2f} "
          f"(target <= 1.10); rebuilt {', '.join(rebuilds['edit_rebuilt'])}")
    a5, a50 = archive["archive"][5], archive["archive"][50]
    print(f"4. archive: 5 issues {a5['per_issue_s']:.2f} s/issue, {a5['peak_rss_kb'] / 1024:.0f} MB; 50 issues "
          f"{a50['per_issue_s']:.2f} s/issue, {a50['peak_rss_kb'] / 1024:.0f} MB; time ratio "
          f"{archive['per_issue_ratio']:.2f} (target <= 1.10), RSS ratio {archive['rss_ratio']:.2f} (target <= 1.20)")
    return report


if __name__ == "__main__":
    main(cold_only="--cold-only" in sys.argv)
