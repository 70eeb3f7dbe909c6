"""What the preview server refuses: paths outside its folders, foreign Host headers, forged POSTs."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path

ENCODED_SEPARATORS = re.compile(r"%(2e|2f|5c|00)", re.IGNORECASE)  # an encoded '.', '/', '\' or NUL
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
TOKEN_HEADER = "x-newsletter-token"


def new_token() -> str:
    """A fresh per-run secret that state-changing requests must carry."""
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """True if ``host`` names this machine only (localhost or a loopback address)."""
    if host.strip("[]") in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bound: str) -> set[str]:
    """The Host names a request may carry: the bound address and localhost (DNS rebinding defence)."""
    return {bound.strip("[]").lower(), *LOCAL_NAMES}


def resolve_inside(root: Path, path: str, raw_path: bytes = b"") -> Path | None:
    """The file under ``root`` that a URL path names, or None if it is missing, hidden or escapes ``root``.

    Refuses ``..`` and ``.`` segments, empty segments (``//etc/passwd``), backslashes, NUL, percent-encoded
    dots and slashes in the raw request, dotfiles, and any symlink whose target lies outside ``root``.
    """
    if ENCODED_SEPARATORS.search(raw_path.decode("latin-1")) or "\\" in path or "\x00" in path:
        return None
    parts = path.split("/")[1:] if path.startswith("/") else path.split("/")
    if any(part in (".", "..") or part.startswith(".") for part in parts) or "" in parts[:-1]:
        return None
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *[part for part in parts if part]))
    if os.path.commonpath([real, real_root]) != real_root:
        return None
    if os.path.isdir(real):
        real = os.path.join(real, "index.html")
    return Path(real) if os.path.isfile(real) else None


def same_origin(headers, scheme: str = "http") -> bool:
    """True if a request's Origin (or, lacking it, Referer) is the server's own origin."""
    own = f"{scheme}://{headers.get('host', '')}"
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = headers.get("origin")
    if origin is not None:
        return origin == own
    referer = headers.get("referer", "")
    return referer == own or referer.startswith(own + "/")


def token_matches(headers, token: str) -> bool:
    """True if the request carries this run's token."""
    return secrets.compare_digest(headers.get(TOKEN_HEADER, ""), token)
