"""Running Typst (PDF editions, PNG diagrams for email): the typst wheel in this process, or in a fresh child process
when that is safer.

Two cases compile in a new Python process (``python -m exporter.formats.typst_compile``, a pickled
request on stdin, about 0.2 s more per PDF or PNG):

- Typst's runtime keeps threads that do not survive ``fork()``: a worker forked from a process that
  has compiled with Typst would wait forever on them.
- Typst memoises layout across compilations and a process keeps that memory: after
  ``IN_PROCESS_LIMIT`` PDFs, a long build (an archive) compiles the rest in children, so a worker's
  memory stays what a few PDFs need, however many issues it lays out.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from functools import lru_cache

from exporter.errors import ExportError

GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
TYPST_TIMEOUT_SECONDS = 120
IN_PROCESS_LIMIT = 4  # PDFs one process compiles itself
_USED_BY_PID: int | None = None  # the process whose Typst runtime is initialised
_COMPILED = 0  # PDFs this process has compiled itself


@lru_cache(maxsize=1)
def font_book():
    """The system fonts, scanned once per process and shared by every compilation."""
    import typst

    global _USED_BY_PID
    _USED_BY_PID = os.getpid()
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """The font families Typst can use here, lower-cased."""
    return frozenset(family.lower() for family in font_book().families())


def font_list(css_families: str) -> list[str]:
    """The installed faces of a CSS ``font-family`` list, in order (generic names and missing faces dropped)."""
    names = [name.strip().strip("'\"").strip() for name in str(css_families).split(",")]
    known = installed_families()
    return [name for name in names if name and name.lower() not in GENERIC_FAMILIES and name.lower() in known]


def compile_request(request: dict) -> bytes:
    """Compile a request in this process: a PDF ``{source, root, edition, standards, timestamp}``, or a PNG
    ``{source, root, format: "png", ppi, inputs}`` (one page; ``inputs`` become ``sys.inputs``)."""
    import typst

    global _COMPILED
    if request.get("format", "pdf") == "png":
        options = {"format": "png", "ppi": request["ppi"], "sys_inputs": request.get("inputs", {})}
    else:
        _COMPILED += 1
        fonts = {key: font_list(css) for key, css in request["edition"]["fonts"].items()}
        edition = {**request["edition"], "fonts": fonts}
        options = {"format": "pdf", "sys_inputs": {"edition": json.dumps(edition, ensure_ascii=False)},
                   "pdf_standards": request["standards"], "timestamp": request["timestamp"]}
    compiler = typst.Compiler(root=request["root"], font_paths=font_book(), ignore_system_fonts=True)
    try:
        return compiler.compile(input=request["source"].encode("utf-8"), **options)
    except typst.TypstError as error:
        raise ExportError(f"typst: {' '.join(str(error.message).split())}") from None


def compile_in_child(request: dict) -> bytes:
    """Compile in a fresh Python process (see the module docstring)."""
    try:
        done = subprocess.run([sys.executable, "-m", "exporter.formats.typst_compile"], input=pickle.dumps(request),
                              capture_output=True, timeout=TYPST_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ExportError(f"typst took longer than {TYPST_TIMEOUT_SECONDS} s and was stopped") from None
    if done.returncode != 0:
        message = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise ExportError(message if message.startswith("typst") else f"typst failed: {message}")
    return done.stdout


def compile_typst(request: dict) -> bytes:
    """Compile a request (see ``compile_request``), here or in a fresh child (see the module docstring)."""
    forked = _USED_BY_PID is not None and _USED_BY_PID != os.getpid()
    return compile_in_child(request) if forked or _COMPILED >= IN_PROCESS_LIMIT else compile_request(request)


if __name__ == "__main__":  # the child of compile_in_child: a pickled request in, the PDF or PNG out
    try:
        sys.stdout.buffer.write(compile_request(pickle.loads(sys.stdin.buffer.read())))
    except ExportError as error:
        sys.exit(str(error))
