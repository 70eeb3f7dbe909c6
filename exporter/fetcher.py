"""WeasyPrint URL fetcher confined to the issue's and theme's folders (no SSRF, no local leaks)."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher


class RefusedURL(ValueError):
    """A resource the build is not allowed to read."""


def is_public_host(host: str) -> bool:
    """True only if every address ``host`` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            return False
    return bool(infos)


class ConfinedFetcher(URLFetcher):
    """Serve ``file:`` URLs under the allowed folders, ``data:`` URLs, and public http(s) if enabled.

    ``mounts`` maps a fixed URL path prefix (``/newsletter-issue/``) to the folder that really holds its files,
    so no build folder's path reaches the output; the longest matching prefix wins.
    """

    def __init__(self, allowed_dirs: list[Path], allow_http: bool = False, timeout: float = 10,
                 mounts: dict[str, Path] | None = None):
        super().__init__(timeout=timeout, allow_redirects=False, allowed_protocols=("file", "data", "http", "https"))
        self.allowed_dirs = [Path(d).resolve() for d in allowed_dirs]
        self.allow_http = allow_http
        mounts = sorted((mounts or {}).items(), key=lambda item: len(item[0]), reverse=True)
        self.mounts = {prefix: Path(folder).resolve() for prefix, folder in mounts}

    def local_path(self, url_path: str) -> Path:
        """The file a ``file:`` URL's path names, a mounted prefix (``/newsletter-issue/``) mapped to its folder."""
        for prefix, folder in self.mounts.items():
            if url_path.startswith(prefix):
                return (folder / url_path[len(prefix):]).resolve()
        return Path(url_path).resolve()

    def fetch(self, url, headers=None):
        """Fetch ``url`` if policy allows it, else raise :class:`RefusedURL`."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"refused remote file URL {url}")
            path = self.local_path(unquote(parts.path))
            if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
                raise RefusedURL(f"refused {url}: outside the issue and theme folders")
            return super().fetch(path.as_uri(), headers)
        if scheme in ("http", "https"):
            if not self.allow_http:
                raise RefusedURL(f"refused {url}: remote resources are disabled")
            if not parts.hostname or not is_public_host(parts.hostname):
                raise RefusedURL(f"refused {url}: not a public address")
            return super().fetch(url, headers)
        raise RefusedURL(f"refused {url}: scheme '{scheme}' is not allowed")
