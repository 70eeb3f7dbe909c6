"""PDF and EPUB for the preview server: a child ``newsletter build`` that a newer save stops and restarts.

The slow formats run in their own process (their own interpreter, so WeasyPrint never holds the
server's GIL; their own workers, ``jobs`` from newsletter.toml), and a save made meanwhile is built
at once: the child is stopped (builds are atomic, so it leaves no torn file) and started again after
the web pages and email are up to date.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from exporter.serve.events import BuildProblem, EventHub

BUILT = re.compile(r"^built (?P<edition>[^/\s]+/[^/\s]+)$")
ERROR = re.compile(r"^error: (?:(?P<file>[^:\n]+?):(?:(?P<line>\d+):)? )?(?P<message>.*)$")


def build_command(project: Path, formats: list[str], sources: list[Path] | None, output: Path | None) -> list[str]:
    """The ``newsletter build`` command line of a background build."""
    command = [sys.executable, "-m", "exporter", "--project", str(project), "build"]
    for name in formats:
        command += ["-f", name]
    if output is not None:
        command += ["-o", str(output)]
    return command + [str(source) for source in sources or []]


def problem_of(line: str) -> BuildProblem:
    """The overlay's problem for one ``error: file:line: message`` line."""
    match = ERROR.match(line)
    if match is None:
        return BuildProblem("", None, line)
    file = match["file"] if match["file"] and (match["line"] or os.path.exists(match["file"])) else ""
    message = match["message"] if file else line.removeprefix("error: ")
    return BuildProblem(file, int(match["line"]) if file and match["line"] else None, message)


class BackgroundBuild:
    """At most one child build of the slow formats at a time; starting another stops the running one."""

    def __init__(self, project: Path, hub: EventHub, output: Path | None, say: Callable[[str], None]):
        self.project, self.hub, self.output, self.say = project, hub, output, say
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.reader: threading.Thread | None = None
        self.interrupted: list[list[Path] | None] = []  # the sources of children stopped before they finished

    def start(self, formats: list[str], sources: list[Path] | None) -> None:
        """Stop any running child, then build ``formats`` of ``sources`` (None: all) in a new one."""
        self.cancel()
        for unfinished in self.interrupted:
            sources = None if sources is None or unfinished is None else sorted({*sources, *unfinished})
        self.interrupted.clear()
        command = build_command(self.project, formats, sources, self.output)
        with self.lock:
            self.process = subprocess.Popen(command, cwd=self.project, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                            start_new_session=True)
            self.process.sources = sources
            self.reader = threading.Thread(target=self.follow, args=(self.process, formats), daemon=True,
                                           name="newsletter-background-build")
            self.reader.start()

    def cancel(self) -> None:
        """Stop the running child build, if any, and wait for it."""
        with self.lock:
            process, reader, self.process = self.process, self.reader, None
        if process is not None and process.poll() is None:
            process.cancelled = True
            self.interrupted.append(process.sources)
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            process.wait()
        if reader is not None:
            reader.join(timeout=5)

    def running(self) -> bool:
        """True while a child build runs."""
        with self.lock:
            return self.process is not None and self.process.poll() is None

    def follow(self, process: subprocess.Popen, formats: list[str]) -> None:
        """Read the child's progress: announce each published edition, report its errors."""
        errors = []
        for line in process.stderr:
            line = line.rstrip("\n")
            match = BUILT.match(line)
            if match:
                self.hub.reloaded([f"{match['edition']}/{name}" for name in formats])
                self.say(f"rebuilt {match['edition']} ({', '.join(formats)})")
            elif line.startswith("error: "):
                errors.append(line)
            elif line.startswith("warning: "):
                self.say(line)
        code = process.wait()
        if code != 0 and not getattr(process, "cancelled", False) and errors:
            self.say(errors[-1])
            self.hub.failed(problem_of(errors[-1]))
