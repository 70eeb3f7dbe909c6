"""Rebuilds for the preview server: web pages first, then the other quick formats, PDF and EPUB last.

Each stage is one incremental run of the ordinary pipeline (``exporter.build.build``), so only
outputs whose inputs changed are exported again. Every edition published during a stage is
announced to open pages at once. PDF and EPUB run in a child process (``background.py``) that a
newer save stops. A failed stage is shown as an overlay and the server keeps running; the next
good save recovers.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

from exporter.build import build, plan_from
from exporter.config import load_settings
from exporter.document import discover_sources
from exporter.errors import NewsletterError
from exporter.serve.background import BackgroundBuild, problem_of
from exporter.serve.events import BuildProblem, EventHub

log = logging.getLogger(__name__)
SLOW_FORMATS = ("pdf", "epub")
BUILT = re.compile(r"^built (?P<edition>[^/\s]+/[^/\s]+)$")


def stages(formats: list[str]) -> list[list[str]]:
    """The formats of each stage: the web page alone, the other quick formats, then PDF and EPUB."""
    first = [f for f in formats if f == "html"]
    quick = [f for f in formats if f not in SLOW_FORMATS and f != "html"]
    slow = [f for f in formats if f in SLOW_FORMATS]
    return [stage for stage in (first, quick, slow) if stage]


def affected_sources(changed: set[Path] | None, source_dir: Path, wanted: list[Path]) -> list[Path] | None:
    """The issues a set of changed files touches (None: every issue, e.g. after a theme or config change)."""
    if changed is None:
        return None
    issues = discover_sources(source_dir) if source_dir.is_dir() else []
    touched = set()
    for path in changed:
        owners = [issue for issue in issues
                  if path == issue or (issue.name == "index.md" and issue.parent in path.parents)
                  or is_review_file_of(path, issue)]
        if not owners:
            return None  # a theme file, newsletter.toml, the glossary, a new issue: rebuild everything
        touched.update(owners)
    if wanted:
        touched = {issue for issue in touched if any(issue == w or w in issue.parents for w in wanted)}
    return sorted(touched)


def is_review_file_of(path: Path, issue: Path) -> bool:
    """Whether ``path`` is the review file of a single-file issue (``source/<name>.<lang>.po``)."""
    return (path.suffix == ".po" and path.parent == issue.parent and issue.name != "index.md"
            and path.stem.rpartition(".")[0] == issue.stem)


class Rebuilder:
    """A build thread: takes change notices, runs the stages, tells the EventHub what it published."""

    def __init__(self, project: Path, hub: EventHub, sources: list[Path] = (), output: Path | None = None,
                 say: Callable[[str], None] = print):
        self.project, self.hub, self.output, self.say = project, hub, output, say
        self.sources = [Path(s).resolve() for s in sources]
        self.condition = threading.Condition()
        self.pending: set[Path] | None = set()
        self.wanted = False  # a build was requested since the last one started
        self.stopping = False
        self.busy = False
        self.thread = threading.Thread(target=self.run, name="newsletter-rebuild", daemon=True)
        self.background = BackgroundBuild(project, hub, output, say)

    def start(self) -> None:
        """Start the build thread with a first build of whatever is out of date."""
        self.request(None)
        self.thread.start()

    def stop(self) -> None:
        """Ask the build thread to finish its current stage and stop."""
        with self.condition:
            self.stopping = True
            self.condition.notify_all()
        self.thread.join(timeout=60)
        self.background.cancel()

    def request(self, changed: set[Path] | None) -> None:
        """Queue a rebuild for these changed files (None: everything); callable from any thread."""
        with self.condition:
            if changed is None or self.pending is None:
                self.pending = None
            else:
                self.pending |= {Path(p).resolve() for p in changed}
            self.wanted = True
            self.condition.notify_all()

    def run(self) -> None:
        """The thread: wait for requests and build; a newer request interrupts between stages."""
        while True:
            with self.condition:
                self.condition.wait_for(lambda: self.wanted or self.stopping)
                if self.stopping:
                    return
                changed, self.pending, self.wanted, self.busy = self.pending, set(), False, True
            try:
                self.build_stages(changed)
            finally:
                with self.condition:
                    self.busy = False
                    self.condition.notify_all()

    def build_stages(self, changed: set[Path] | None) -> None:
        """Run every stage for what changed; stop at the first error or when a newer change arrives."""
        self.background.cancel()  # its sources changed again: it starts over after the quick formats
        try:
            settings = load_settings(self.project)
            plan = plan_from(settings, self.sources, output=self.output, jobs=1)
            sources = affected_sources(changed, settings.source_path.resolve(), self.sources)
            if sources is not None:
                if not sources:
                    return
                plan.sources = sources
            for formats in stages(plan.formats):
                if any(name in SLOW_FORMATS for name in formats):
                    self.background.start(formats, sources if sources is not None else (self.sources or None))
                    return
                plan.formats = formats
                result = build(settings, plan, progress=lambda message, f=formats: self.progress(message, f))
                if result.built:
                    self.say(f"rebuilt {', '.join(result.built)}")
                if result.failed:  # an issue or edition that failed while the others were published
                    lines = [f"error: {message}" for message in result.failed.values()]  # as the CLI prints them
                    for line in lines:
                        self.say(line)
                    self.hub.failed(problem_of(lines[0]))
                    return
                if self.hub.problem is not None:
                    self.hub.recovered()
                with self.condition:
                    if self.wanted:  # a newer save: start again from the web pages, keeping what is left to do
                        self.pending = None if changed is None or self.pending is None else self.pending | changed
                        return
        except NewsletterError as error:
            self.say(f"error: {error}")
            self.hub.failed(BuildProblem.from_error(error))

    def progress(self, message: str, formats: list[str]) -> None:
        """Turn the pipeline's 'built slug/lang' messages into reload events."""
        match = BUILT.match(message)
        if match:
            self.hub.reloaded([f"{match['edition']}/{name}" for name in formats])
