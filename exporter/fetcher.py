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

    ``aliases`` maps a folder named in URLs to the folder that really holds its files (PDF scratch images).
    """

    def __init__(self, allowed_dirs: list[Path], allow_http: bool = False, timeout: float = 10,
                 aliases: dict[Path, Path] | None = None):
        super().__init__(timeout=timeout, allow_redirects=False, allowed_protocols=("file", "data", "http", "https"))
        self.aliases = {Path(alias).resolve(): Path(folder).resolve() for alias, folder in (aliases or {}).items()}
        self.allowed_dirs = [Path(d).resolve() for d in allowed_dirs] + list(self.aliases.values())
        self.allow_http = allow_http

    def fetch(self, url, headers=None):
        """Fetch ``url`` if policy allows it, else raise :class:`RefusedURL`."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"refused remote file URL {url}")
            path = Path(unquote(parts.path)).resolve()
            for alias, folder in self.aliases.items():  # a fixed URL standing for a scratch folder
                if path.is_relative_to(alias):
                    path = (folder / path.relative_to(alias)).resolve()
                    break
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
