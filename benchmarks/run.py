"""`make bench`: every benchmark, each measuring the toolkit against a baseline in the same run."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_bench  # noqa: E402
import serve_bench  # noqa: E402
import draft_quality  # noqa: E402
import scripts_pdf  # noqa: E402
import pdf_engines  # noqa: E402
import cluster_bench  # noqa: E402
import translation  # noqa: E402


def machine() -> str:
    """One line describing this machine."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


if __name__ == "__main__":
    print(f"# Benchmarks ({machine()})")
    build_bench.main()
    pdf_engines.main()
    translation.main()
    serve_bench.main()  # newsletter serve: edit → reload, reported on its own
    draft_quality.main()
    scripts_pdf.main()
    cluster_bench.main()
