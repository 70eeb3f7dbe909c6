"""Build benchmarks: cold build vs a naive script, no-change and one-paragraph rebuilds, archive scaling.

Every measurement runs as a fresh subprocess, so import and start-up costs count on both sides.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{elapsed} {peak} {result.returncode}")
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr[-2000:])
"""


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}  # both sides cache


def measure(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in KB of the largest process, stdout) of one command run in a fresh process."""
    done = subprocess.run([PYTHON, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, env=ENV)
    first, _, rest = done.stdout.partition("\n")
    seconds, peak, code = first.split()
    if code != "0":
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{done.stderr}")
    return float(seconds), int(peak), rest


def project_with(sources: dict[str, Path], root: Path, languages=("es", "en")) -> Path:
    """A project folder whose source/ holds ``{slug: markdown file or issue folder}``."""
    (root / "source").mkdir(parents=True)
    for slug, source in sources.items():
        if source.is_dir():
            shutil.copytree(source, root / "source" / slug)
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


def bench_cold_vs_naive(work: Path, repeats: int = 3) -> dict:
    """1. naive sequential script vs ``newsletter build`` from cold (es + en, four formats); best of N each."""
    naive_runs, cold_runs = [], []
    for attempt in range(repeats):  # alternated, so that a burst of load on the machine hits both sides
        naive_runs.append(measure([PYTHON, str(REPO / "benchmarks" / "naive.py"), str(SAMPLE / "index.md"),
                                   str(work / f"naive-out-{attempt}")], work))
        project = project_with({"llm-boom-2023": SAMPLE}, work / f"cold-{attempt}")
        cold_runs.append(measure(newsletter("build", "--stats", "json"), project)[:2])
    (naive, naive_rss, _), (cold, cold_rss) = min(naive_runs), min(cold_runs)
    return {"naive_s": naive, "cold_s": cold, "ratio": cold / naive, "naive_rss_kb": naive_rss,
            "cold_rss_kb": cold_rss, "project": project, "repeats": repeats}


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


def main() -> dict:
    """Run every build benchmark and print a report."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "exporter"), str(REPO / "benchmarks")],
                   env=ENV, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="newsletter-bench-") as folder:
        work = Path(folder)
        cold = bench_cold_vs_naive(work)
        rebuilds = bench_rebuilds(cold.pop("project"), cold["cold_s"])
        archive = bench_archive(work)
    report = {**cold, **rebuilds, **archive}
    print("## Build")
    print(f"1. cold build es+en, 4 formats (best of {cold['repeats']}): naive {cold['naive_s']:.2f} s, "
          f"newsletter {cold['cold_s']:.2f} s, "
          f"ratio {cold['ratio']:.2f} (target <= 0.70); peak RSS naive {cold['naive_rss_kb'] / 1024:.0f} MB, "
          f"newsletter {cold['cold_rss_kb'] / 1024:.0f} MB")
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
    main()
