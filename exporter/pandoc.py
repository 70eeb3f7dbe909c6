"""The one place that runs pandoc: a confined subprocess with a timeout and a memory cap."""

from __future__ import annotations

import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path

from exporter.errors import ExportError

PANDOC_TIMEOUT_SECONDS = 120
PANDOC_HEAP_LIMIT = "1024m"
MARKDOWN_READER = "markdown-yaml_metadata_block"


@lru_cache(maxsize=1)
def pandoc_binary() -> str:
    """The path of the pandoc shipped by pypandoc-binary (found without importing pypandoc)."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(next(iter(spec.submodule_search_locations))) / "files" / "pandoc"
        if bundled.is_file():
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    """pandoc's version (part of every output's rebuild key), read without running it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"pypandoc-binary {version('pypandoc-binary')}"
    except PackageNotFoundError:
        out = subprocess.run([pandoc_binary(), "--version"], capture_output=True, text=True, check=True)
        return out.stdout.split("\n", 1)[0].split()[-1]


def run_pandoc(
    args: list[str],
    input_text: str | None = None,
    resource_path: list[Path] | None = None,
    timeout: float = PANDOC_TIMEOUT_SECONDS,
    what: str = "pandoc",
    env: dict[str, str] | None = None,
    sandbox: bool = True,
) -> str:
    """Run pandoc with ``args`` (sandboxed unless told otherwise) and return its standard output.

    Only the EPUB writer runs unsandboxed, because pandoc's sandbox also refuses the images,
    stylesheet and cover it must embed; its input AST is confined first (see ``confine``).
    """
    command = [pandoc_binary(), *(["--sandbox"] if sandbox else []), "--wrap=none", *args]
    if resource_path:
        command.append("--resource-path=" + os.pathsep.join(str(p) for p in resource_path))
    command += ["+RTS", f"-M{PANDOC_HEAP_LIMIT}", "-RTS"]
    try:
        result = subprocess.run(
            command,
            input=input_text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        raise ExportError(f"{what} took longer than {timeout:.0f} s and was stopped") from None
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        if "Heap exhausted" in result.stderr or result.returncode == 251:
            detail = f"ran out of memory (limit {PANDOC_HEAP_LIMIT})"
        raise ExportError(f"{what} failed: {detail}")
    return result.stdout


def markdown_to_ast(markdown: str) -> dict:
    """Parse pandoc Markdown into pandoc's JSON AST."""
    return json.loads(run_pandoc(["-f", MARKDOWN_READER, "-t", "json"], markdown, what="pandoc (parsing)"))


def ast_to(ast: dict | str, to: str, extra_args: list[str] | None = None, resource_path=None) -> str:
    """Render a pandoc JSON AST (a dict, or its JSON text) into another format (html5, markdown, plain…)."""
    return run_pandoc(
        ["-f", "json", "-t", to, *(extra_args or [])],
        ast if isinstance(ast, str) else json.dumps(ast),
        resource_path=resource_path,
        what=f"pandoc (writing {to})",
    )
