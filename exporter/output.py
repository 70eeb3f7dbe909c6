"""The output folder: atomic publication, manifest.json and index.html."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MANIFEST = "manifest.json"
INDEX = "index.html"


def current_umask() -> int:
    """The process umask (read without changing it for long)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())  # mkstemp's 0600 would hide published files from web servers
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def staging_dir(output_root: Path) -> Iterator[Path]:
    """A private folder inside the output root (same filesystem, so moves are atomic), removed after."""
    output_root.mkdir(parents=True, exist_ok=True)
    remove_stale(output_root)
    folder = Path(tempfile.mkdtemp(prefix=f".staging-{os.getpid()}-", dir=output_root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """True if a process with ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(output_root: Path) -> None:
    """Delete staging folders and temporary files left by builds that were killed."""
    for path in output_root.rglob(".*"):
        match = re.match(r"^\.(?:staging-(\d+)-.*|.+\.(\d+)\.[^.]+\.tmp)$", path.name)
        if match and not pid_alive(int(match.group(1) or match.group(2))):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


@contextlib.contextmanager
def output_lock(output_root: Path) -> Iterator[None]:
    """Serialise publication between concurrent builds of the same output folder."""
    output_root.mkdir(parents=True, exist_ok=True)
    with open(output_root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(files: list[Path], staging: Path, destination: Path) -> list[Path]:
    """Move staged files to ``destination`` keeping their relative paths; each move is atomic."""
    published, mode = [], 0o666 & ~current_umask()
    for staged in files:
        target = destination / staged.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged, mode)
        os.replace(staged, target)
        published.append(target)
    return published


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def edition_files(output_root: Path) -> Iterator[tuple[str, str, Path]]:
    """(slug, lang, file) for every published file under ``<slug>/<lang>/``."""
    for slug_dir in sorted(p for p in output_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for lang_dir in sorted(p for p in slug_dir.iterdir() if p.is_dir()):
            for path in sorted(lang_dir.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    yield slug_dir.name, lang_dir.name, path


def format_of(path: Path, suffixes: dict[str, str]) -> str:
    """The format that wrote ``path``, by the longest matching suffix (``asset`` for images)."""
    for suffix, name in sorted(suffixes.items(), key=lambda item: -len(item[0])):
        if path.name.endswith(suffix) and path.parent.name != "images":
            if path.name == path.parent.parent.name + suffix:
                return name
    return "asset"


def image_pixels(path: Path) -> dict:
    """``{"pixels": [width, height]}`` for a published raster image, else nothing."""
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
        return {}
    from exporter.formats.resize import pixel_size

    width, height = pixel_size(path)
    return {"pixels": [width, height]} if width else {}


def build_manifest(output_root: Path, suffixes: dict[str, str], titles: dict[str, dict]) -> dict:
    """Describe every published file: format, language, size, sha256 (and pixel size for images)."""
    files = []
    for slug, lang, path in edition_files(output_root):
        files.append({
            "path": path.relative_to(output_root).as_posix(),
            "slug": slug,
            "lang": lang,
            "format": format_of(path, suffixes),
            "size": path.stat().st_size,
            "sha256": sha256_file(path),
            **image_pixels(path),
        })
    return {"issues": titles, "files": files}


def read_manifest(output_root: Path) -> dict:
    """The current manifest (empty if none yet)."""
    try:
        return json.loads((output_root / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"issues": {}, "files": []}


def write_manifest(output_root: Path, manifest: dict) -> None:
    """Write manifest.json atomically, keys sorted for stable diffs."""
    write_atomic(output_root / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
