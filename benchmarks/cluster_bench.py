"""Cluster benchmark: the 50-issue archive on the local pool vs a two-worker Dask cluster, and per-task costs.

The cluster (a scheduler and two workers) runs on this machine, so the ratio measures the overhead of
shipping tasks as data and files as bytes (expected about 1). The per-task costs (one edition in one
format, measured in-process) feed the estimate for a larger archive in docs/deployment.md.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_bench import CORPUS, ENV, PYTHON, REPO, measure, newsletter, project_with

FORMATS = ("pdf", "epub", "email", "html")


def start_cluster(work: Path, workers: int = 2) -> tuple[str, list[subprocess.Popen]]:
    """A Dask scheduler and ``workers`` single-threaded workers on 127.0.0.1, each in its own folder."""
    scheduler_file = work / "scheduler.json"

    def start(args: list[str], cwd: Path) -> subprocess.Popen:
        cwd.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen([PYTHON, "-m", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, env=ENV)

    processes = [start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(scheduler_file)], work / "scheduler")]
    deadline = time.monotonic() + 60
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    for index in range(workers):
        processes.append(start(["distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                                "--nthreads", "1", "--no-nanny", "--no-dashboard"], work / f"worker-{index}"))
    address = json.loads(scheduler_file.read_text())["address"]
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop the cluster's processes (workers first)."""
    for process in reversed(processes):
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def task_costs(project: Path, editions: int = 10) -> dict[str, dict]:
    """Seconds per task (one edition in one format) over the first ``editions`` editions, and task size."""
    sys.path.insert(0, str(REPO))
    from exporter.build import BuildResult, create_exporters, editions_of, plan_from, site_for
    from exporter.config import load_settings
    from exporter.document import load_document
    from exporter.remote import pack_task, pack_theme
    from exporter.themes import load_theme

    settings = load_settings(project)
    plan = plan_from(settings)
    theme = load_theme(plan.theme, settings.root)
    site = site_for(settings, settings.languages)
    exporters = create_exporters(plan, settings, site, BuildResult())
    packed_theme = pack_theme(theme)
    samples: dict[str, list[float]] = {exporter.name: [] for exporter in exporters}
    sizes: dict[str, list[int]] = {exporter.name: [] for exporter in exporters}
    done = 0
    for source in plan.sources:
        for edition in editions_of(load_document(source), settings.languages, settings, None):
            for exporter in exporters:
                with tempfile.TemporaryDirectory() as out:
                    started = time.perf_counter()
                    written = exporter.export(edition, theme, Path(out))
                    samples[exporter.name].append(time.perf_counter() - started)
                    task = pack_task("bench", edition, exporter, packed_theme)
                    sizes[exporter.name].append(len(pickle.dumps(task)) + sum(p.stat().st_size for p in written))
            done += 1
            if done >= editions:
                break
        if done >= editions:
            break
    return {name: {"mean_s": statistics.mean(values), "max_s": max(values),
                   "bytes": statistics.mean(sizes[name])} for name, values in samples.items()}


def main() -> dict:
    """Run the cluster benchmark and print its report."""
    documents = sorted(p for p in CORPUS.rglob("*.md") if "parallel" not in p.parts or p.name == "es.md")
    with tempfile.TemporaryDirectory(prefix="newsletter-cluster-bench-") as folder:
        work = Path(folder)
        sources = {f"issue-{i:02d}": documents[i % len(documents)] for i in range(50)}
        project = project_with(sources, work / "archive-50")
        measure(newsletter("build"), project)  # translations into the memory: both sides then only export
        address, processes = start_cluster(work / "cluster")
        try:
            local, cluster = [], []
            for _ in range(2):  # alternated, so that a burst of load on the machine hits both sides
                local.append(measure(newsletter("build", "--force", "--jobs", "2"), project)[0])
                cluster.append(measure(newsletter("build", "--force", "--executor", address), project)[0])
        finally:
            stop(processes)
        costs = task_costs(project)
    editions = 50 * 2
    report = {"local_s": min(local), "cluster_s": min(cluster), "ratio": min(cluster) / min(local),
              "editions": editions, "costs": costs}
    print("## Cluster (Dask, two workers on this machine)")
    print(f"6. 50-issue archive, es+en, 4 formats, --force with warm translation memory (best of 2): local pool "
          f"(--jobs 2) {report['local_s']:.1f} s, two-worker cluster {report['cluster_s']:.1f} s, "
          f"overhead ratio {report['ratio']:.2f} (expected about 1)")
    print("   per-task cost (one edition, one format; mean of 10 editions): " + ", ".join(
        f"{name} {cost['mean_s']:.2f} s (max {cost['max_s']:.2f} s, {cost['bytes'] / 1024:.0f} KiB moved)"
        for name, cost in costs.items()))
    per_edition = sum(cost["mean_s"] for cost in costs.values())
    print(f"   one edition, every format: {per_edition:.2f} s of CPU; 1,000 issues x 5 languages = "
          f"{per_edition * 5000 / 3600:.1f} CPU-hours")
    return report


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
