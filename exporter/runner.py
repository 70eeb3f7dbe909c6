"""Run export tasks in worker processes and publish each edition once all of its formats succeed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from exporter.document import Document
from exporter.errors import ExportError, NewsletterError
from exporter.formats.base import Exporter
from exporter.output import output_lock, publish
from exporter.themes import Theme, load_theme

log = logging.getLogger(__name__)


class WarningCollector(logging.Handler):
    """Keeps the package's warnings of one task, to be reported once by the main process."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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


def run_task(task: ExportTask, staging: Path) -> tuple[list[Path], list[str]]:
    """Run one exporter on one edition inside ``staging`` (in a worker process): (files, warnings)."""
    exporter, edition = task.exporter, task.edition
    staging.mkdir(parents=True, exist_ok=True)
    package = logging.getLogger("exporter")
    collector, saved = WarningCollector(), (package.handlers[:], package.propagate)
    package.handlers[:], package.propagate = [collector], False
    try:
        exporter = exporter.for_language(edition.meta.lang)
        written = exporter.export(edition, cached_theme(task.theme_name, task.project_root), staging)
    except NewsletterError as error:
        raise type(error)(f"{exporter.name}: {error.message}", error.path or edition.source, error.line) from None
    except Exception as error:  # an engine's own exception: one line naming the format and file
        raise ExportError(f"{exporter.name} failed: {type(error).__name__}: {error}", edition.source) from None
    finally:
        package.handlers[:], package.propagate = saved
    return list(dict.fromkeys(written)), collector.messages


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
        self.failed: dict[str, str] = {}  # edition → why it was not published

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
                try:
                    self.finish(task, run_task(task, self.staging / task.ident))
                except NewsletterError as error:
                    self.fail(task, error)
                continue
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.jobs)
            self.futures[self.pool.submit(run_task, task, self.staging / task.ident)] = task

    def fail(self, task: ExportTask, error: BaseException) -> None:
        """Record a failed task: its edition is not published; the other editions go on."""
        edition = task.edition_id
        self.failed.setdefault(edition, str(error))

    def finish(self, task: ExportTask, outcome: tuple[list[Path], list[str]]) -> None:
        """Record a finished task (reporting its warnings); publish its edition when it was the last one."""
        files, warnings = outcome
        for message in warnings:
            log.warning("%s", message)
        edition = task.edition_id
        self.finished[edition].append((task, files))
        if edition in self.failed or len(self.finished[edition]) < len(self.waiting[edition]):
            return
        with output_lock(self.output):
            for finished, staged in self.finished[edition]:
                published = publish(staged, self.staging / finished.ident, self.output / edition)
                self.done[finished.ident] = (finished.key, published)
        self.progress(f"built {edition}")

    def wait(self) -> dict[str, tuple[str, list[Path]]]:
        """Wait for every task; a failure stops only its own edition (listed in ``failed``)."""
        try:
            remaining = set(self.futures)
            while remaining:
                completed, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in completed:
                    error = future.exception()
                    if isinstance(error, NewsletterError):
                        self.fail(self.futures[future], error)
                    elif error is not None:
                        for other in remaining:
                            other.cancel()
                        raise error
                    else:
                        task = self.futures[future]
                        self.finish(task, self.staged(task, future.result()))
        finally:
            self.close()
        return self.done

    def staged(self, task: ExportTask, result) -> tuple[list[Path], list[str]]:
        """A task's (files, warnings) in staging: as a local worker wrote them, or written now from a remote
        one's bytes (a remote worker's warnings stay on the worker)."""
        if self.cluster is None:
            return result
        from exporter.remote import stage_files

        return stage_files(self.staging / task.ident, result), []

    def close(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
