"""Builds on a real Dask cluster: a scheduler and two workers on 127.0.0.1, in folders of their own.

Each process is started from this environment (``python -m distributed.cli...``), with no access to
the project's folder needed: tasks carry their files and return bytes. The outputs must equal the
local build's byte for byte; a worker killed mid-build must not tear or half-publish anything.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EPOCH, make_project
from tests.test_reproducible import CONFIG, published

pytestmark = pytest.mark.slow
ISSUE = """---
title: "Número {n}: notas de la semana"
date: 2024-{month:02d}-{day:02d}
lang: es
summary: "Lo que pasó en la semana {n}."
slug: semana-{n:02d}
number: {n}
---

## Novedades

La semana {n} trajo versiones nuevas de las herramientas que usamos. Una tabla:

| Herramienta | Versión |
|---|---|
| pandoc | 3.{n} |

```python
print("semana {n}")
```
"""


def start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    """A Dask process from this environment, in its own session (so it can be killed alone)."""
    return subprocess.Popen([sys.executable, "-m", *args], cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, worker processes, a function starting another worker)."""
    base = tmp_path_factory.mktemp("cluster")
    scheduler_file = base / "scheduler.json"
    processes = [start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(scheduler_file)], base, base / "scheduler.log")]

    def add_worker(name: str) -> subprocess.Popen:
        folder = base / name
        folder.mkdir()
        worker = start(["distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                        "--no-nanny", "--no-dashboard", "--local-directory", str(folder), "--name", name],
                       folder, base / f"{name}.log")
        processes.append(worker)
        return worker

    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = [add_worker("worker-1"), add_worker("worker-2")]
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers, add_worker
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def newsletter(root: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen([sys.executable, "-m", "exporter", "-q", "build", *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def build(root: Path, *args: str) -> Path:
    process = newsletter(root, *args)
    _, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, stderr
    return root / "output"


def archive_project(root: Path, issues: int = 20) -> Path:
    """A project of ``issues`` small Spanish issues (tables, code, a cover on every fifth)."""
    make_project(root, ("sample",), CONFIG.replace('["es", "en"]', '["es"]'))
    for n in range(1, issues + 1):
        folder = root / "source" / f"semana-{n:02d}"
        folder.mkdir()
        (folder / "index.md").write_text(ISSUE.format(n=n, month=1 + (n - 1) // 4, day=1 + 7 * ((n - 1) % 4)))
    return root


def test_sample_on_the_cluster_equals_the_local_build(cluster, tmp_path):
    address, _, _ = cluster
    local = published(build(make_project(tmp_path / "local", ("sample", "merge-tags"), CONFIG), "--jobs", "2"))
    remote = published(build(make_project(tmp_path / "remote", ("sample", "merge-tags"), CONFIG),
                             "--executor", address))
    assert len(local) > 20 and sorted(local) == sorted(remote)
    assert [name for name in local if local[name] != remote[name]] == []


def test_twenty_issue_archive_on_the_cluster_equals_the_local_build_even_when_a_worker_dies(cluster, tmp_path):
    address, workers, add_worker = cluster
    local = published(build(archive_project(tmp_path / "local"), "--jobs", "2"))
    root = archive_project(tmp_path / "remote")
    process = newsletter(root, "--executor", address)
    output = root / "output"
    deadline = time.monotonic() + 600
    while not any(output.glob("semana-*/es/*.pdf")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert process.poll() is None, "the build ended before a worker could be killed"
    os.killpg(workers[0].pid, signal.SIGKILL)  # mid-build: some editions published, others running
    workers[0].wait()
    _, stderr = process.communicate(timeout=900)
    add_worker("worker-3")
    assert process.returncode == 0, stderr  # the scheduler ran the lost worker's tasks on the other
    remote = published(output)
    assert len(local) > 21 * 6 and sorted(local) == sorted(remote)
    assert [name for name in local if local[name] != remote[name]] == []


def test_an_unreachable_scheduler_is_one_line_and_exit_1_within_bounded_time(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = make_project(tmp_path / "project", ("sample",), CONFIG)
    started = time.monotonic()
    process = newsletter(root, "--executor", f"tcp://127.0.0.1:{port}")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and time.monotonic() - started < 40
    assert stderr.strip().splitlines() == [stderr.strip()]
    assert stderr.startswith(f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} within 10 s")
    assert not (root / "output").exists() or published(root / "output") == {}
