"""``newsletter serve``: build what is out of date, serve the output folder, rebuild on every save.

The pieces: ``app`` (Starlette routes), ``rebuild`` (the staged build thread), ``watch`` (watchfiles),
``events`` (server-sent events to open pages), ``pages`` (preview and review pages, the injected
bar and live-reload script), ``reviews`` (the review page's units and saves), ``safety`` (what is
refused). Nothing here imports the CLI; ``exporter.cli.serve`` calls :func:`serve`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from exporter.serve.safety import is_loopback

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(project: Path, sources: list[Path] = (), host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          open_browser: bool = False, output: Path | None = None, say: Callable[[str], None] = print) -> None:
    """Run the preview server until interrupted: first build, watch, rebuild, serve."""
    import uvicorn

    from exporter.config import load_settings
    from exporter.serve.app import ServeState, create_app
    from exporter.serve.events import EventHub
    from exporter.serve.rebuild import Rebuilder
    from exporter.serve.safety import new_token
    from exporter.serve.watch import ProjectWatcher

    settings = load_settings(project)
    if not is_loopback(host):
        log.warning("serving on %s: other machines can reach this preview (it is meant for 127.0.0.1)", host)
    check_port(host, port)
    hub = EventHub()
    rebuilder = Rebuilder(settings.root, hub, sources, output, say)
    state = ServeState(settings.root, hub, new_token(), host, output, on_saved=rebuilder.request)
    watcher = ProjectWatcher(settings, rebuilder.request)
    config = uvicorn.Config(create_app(state), host=host, port=port, log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(quiet_shutdown)
    url = f"http://{'localhost' if is_loopback(host) else host}:{port}/"
    rebuilder.start()
    watcher.start()
    say(f"serving {state.output_dir()} at {url} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.run()  # uvicorn handles Ctrl+C and SIGTERM
    finally:
        watcher.stop()
        rebuilder.stop()


def check_port(host: str, port: int) -> None:
    """Fail with one line, before anything starts, if ``host:port`` cannot be listened on."""
    import socket

    from exporter.errors import UsageError

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def quiet_shutdown(record: logging.LogRecord) -> bool:
    """Drop uvicorn's complaint about event streams cut by Ctrl+C (they never complete, by design)."""
    return "returned without completing response" not in record.getMessage()
