"""Run export tasks in worker processes and publish each edition once all of its formats succeed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from exporter.document import Document
from exporter.errors import ExportError, NewsletterError
from exporter.formats.base import Exporter
from exporter.output import output_lock, publish
from exporter.themes import Theme, load_theme


@dataclass(frozen=True)
class ExportTask:
    """One format of one edition, as sent to a worker process."""

    ident: str
    key: str
    edition: Document
    exporter: Exporter
    theme_name: str
    project_root: Path

    @property
    def edition_id(self) -> str:
        """``<slug>/<lang>``."""
        return self.ident.rsplit("/", 1)[0]


@lru_cache(maxsize=8)
def cached_theme(name: str, project_root: Path) -> Theme:
    """A worker's theme, loaded once per process."""
    return load_theme(name, project_root)


def run_task(task: ExportTask, staging: Path) -> list[Path]:
    """Run one exporter on one edition inside ``staging`` (in a worker process)."""
    exporter, edition = task.exporter, task.edition
    staging.mkdir(parents=True, exist_ok=True)
    try:
        written = exporter.export(edition, cached_theme(task.theme_name, task.project_root), staging)
    except NewsletterError as error:
        raise type(error)(f"{exporter.name}: {error.message}", error.path or edition.source, error.line) from None
    except Exception as error:  # an engine's own exception: one line naming the format and file
        raise ExportError(f"{exporter.name} failed: {type(error).__name__}: {error}", edition.source) from None
    return list(dict.fromkeys(written))


def task_cost(task: ExportTask) -> int:
    """Rough relative cost, so the slowest outputs (PDF) start first."""
    return {"pdf": 3, "epub": 2}.get(task.exporter.name, 1)


class TaskRunner:
    """Accepts an edition's tasks as soon as the edition exists; runs them on ``jobs`` workers."""

    def __init__(self, output: Path, staging: Path, jobs: int, progress: Callable[[str], None], cluster=None):
        self.output, self.staging, self.jobs, self.progress = output, staging, jobs, progress
        self.cluster = cluster  # an exporter.cluster.ClusterExecutor: tasks travel as data, files return as bytes
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Future, ExportTask] = {}
        self.waiting: dict[str, list[ExportTask]] = {}
        self.finished: dict[str, list[tuple[ExportTask, list[Path]]]] = {}
        self.done: dict[str, tuple[str, list[Path]]] = {}

    def submit(self, tasks: list[ExportTask]) -> None:
        """Queue every task of one edition (run at once when there is a single worker)."""
        if not tasks:
            return
        self.waiting[tasks[0].edition_id] = tasks
        self.finished[tasks[0].edition_id] = []
        for task in sorted(tasks, key=task_cost, reverse=True):
            if self.cluster is not None:
                self.futures[self.cluster.submit(task.ident, task.edition, task.exporter)] = task
                continue
            if self.jobs <= 1:
                self.finish(task, run_task(task, self.staging / task.ident))
                continue
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.jobs)
            self.futures[self.pool.submit(run_task, task, self.staging / task.ident)] = task

    def finish(self, task: ExportTask, files: list[Path]) -> None:
        """Record a finished task; publish its edition when it was the last one."""
        edition = task.edition_id
        self.finished[edition].append((task, files))
        if len(self.finished[edition]) < len(self.waiting[edition]):
            return
        with output_lock(self.output):
            for finished, staged in self.finished[edition]:
                published = publish(staged, self.staging / finished.ident, self.output / edition)
                self.done[finished.ident] = (finished.key, published)
        self.progress(f"built {edition}")

    def wait(self) -> dict[str, tuple[str, list[Path]]]:
        """Wait for every task; on the first failure cancel the rest and raise it."""
        try:
            remaining = set(self.futures)
            while remaining:
                completed, remaining = wait(remaining, return_when=FIRST_EXCEPTION)
                for future in completed:
                    if future.exception() is not None:
                        for other in remaining:
                            other.cancel()
                        raise future.exception()
                    task = self.futures[future]
                    self.finish(task, self.staged(task, future.result()))
        finally:
            self.close()
        return self.done

    def staged(self, task: ExportTask, result) -> list[Path]:
        """A task's files in staging: as written by a local worker, or written now from a remote one's bytes."""
        if self.cluster is None:
            return result
        from exporter.remote import stage_files

        return stage_files(self.staging / task.ident, result)

    def close(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
