"""The preview server's Starlette application: the output folder, the preview pages, events and review saves."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from exporter.config import Settings, load_settings
from exporter.errors import NewsletterError
from exporter.serve import pages
from exporter.serve.catalog import IssueEntry, issue_catalog
from exporter.serve.events import EventHub
from exporter.serve.safety import allowed_hosts, resolve_inside, same_origin, token_matches

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


@dataclass
class ServeState:
    """What the application needs: the project, its events, this run's token, and who rebuilds."""

    project: Path
    hub: EventHub
    token: str
    host: str = "127.0.0.1"
    output: Path | None = None
    theme: str | None = None
    on_saved: object = None  # called with the source path after a review is saved (the rebuilder's request)
    last_settings: list = field(default_factory=list)

    def settings(self) -> Settings:
        """The project's settings, or the last good ones while newsletter.toml is broken."""
        try:
            settings = load_settings(self.project)
        except NewsletterError:
            if not self.last_settings:
                raise
            return self.last_settings[0]
        self.last_settings[:] = [settings]
        return settings

    def output_dir(self) -> Path:
        """The folder served."""
        return self.output or self.settings().output_path

    def edition(self, slug: str, lang: str) -> tuple[IssueEntry, pages.EditionRef] | None:
        """The issue and edition a URL names, if the project has them."""
        if not (NAME.match(slug) and NAME.match(lang)):
            return None
        settings = self.settings()
        entry = issue_catalog(settings.source_path).get(slug)
        if entry is None or (lang != entry.lang and lang not in settings.languages):
            return None
        return entry, pages.EditionRef(slug, lang, lang != entry.lang)

    def editions(self) -> list[pages.EditionRef]:
        """Every edition of every issue the project holds (for the archive index's previews)."""
        settings = self.settings()
        return [pages.EditionRef(slug, lang, lang != entry.lang)
                for slug, entry in sorted(issue_catalog(settings.source_path).items())
                for lang in dict.fromkeys([entry.lang, *settings.languages])]


def create_app(state: ServeState) -> Starlette:
    """The application serving ``state``'s project."""

    async def events(request: Request):
        from sse_starlette.sse import EventSourceResponse

        return EventSourceResponse(state.hub.stream(), ping=10, headers={"Cache-Control": "no-store"})

    def output_file(request: Request) -> Response:
        root = state.output_dir()
        path = resolve_inside(root, request.scope["path"], request.scope.get("raw_path", b""))
        if path is None:
            return not_found(request)
        if path.suffix != ".html":
            return FileResponse(path, headers=NO_STORE)
        html = path.read_text(encoding="utf-8", errors="replace")
        parts = path.relative_to(Path(root).resolve()).parts
        found = state.edition(parts[0], parts[1]) if len(parts) == 3 else None
        edition = found[1] if found else None
        if path.name.endswith(".email.html") and request.query_params.get("scheme") in ("light", "dark"):
            return HTMLResponse(pages.with_scheme(html, request.query_params["scheme"]), headers=NO_STORE)
        kind = "email" if path.name.endswith(".email.html") else "html"
        watch = f"{edition.slug}/{edition.lang}/{kind}" if edition else "*"
        previews = state.editions() if edition is None else []
        return HTMLResponse(pages.inject(html, pages.bar(edition, watch, state.hub.generation, previews)),
                            headers=NO_STORE)

    def not_found(request: Request) -> Response:
        snippet = pages.bar(None, "*", state.hub.generation)
        return HTMLResponse(f"<!DOCTYPE html><title>Not found</title><body><p>Nothing here (yet): {request.url.path} "
                            f"is not in the output folder.</p>{snippet}</body>", status_code=404, headers=NO_STORE)

    def theme_asset(request: Request) -> Response:
        from exporter.themes import load_theme

        name = request.path_params["path"]
        if not name.endswith(".toml"):
            for folder in load_theme(state.theme or state.settings().theme, state.project).dirs:
                path = resolve_inside(folder, "/" + name, request.scope.get("raw_path", b""))
                if path is not None:
                    return FileResponse(path, headers=NO_STORE)
        return not_found(request)

    def email_preview(request: Request) -> Response:
        found = state.edition(request.path_params["slug"], request.path_params["lang"])
        if found is None:
            return not_found(request)
        entry, edition = found
        folder = state.output_dir() / edition.slug / edition.lang
        html, text = folder / f"{edition.slug}.email.html", folder / f"{edition.slug}.txt"
        width = request.query_params.get("width", "600")
        width = int(width) if width.isdigit() and int(width) in pages.EMAIL_WIDTHS else 600
        scheme = "dark" if request.query_params.get("scheme") == "dark" else "light"
        email_url = f"/{edition.slug}/{edition.lang}/{html.name}" if html.is_file() else None
        plain_text = text.read_text(encoding="utf-8") if text.is_file() else "(not built yet)"
        return HTMLResponse(pages.email_page(edition, f"{entry.title} ({edition.lang})", email_url, plain_text,
                                             width, scheme, state.hub.generation), headers=NO_STORE)

    def edition_formats(request: Request) -> Response:
        found = state.edition(request.path_params["slug"], request.path_params["lang"])
        if found is None:
            return not_found(request)
        entry, edition = found
        base = f"/{edition.slug}/{edition.lang}/{edition.slug}"
        folder = state.output_dir() / edition.slug / edition.lang
        links = [(label, f"{base}{suffix}") for label, suffix in
                 (("Web page", ".html"), ("PDF", ".pdf"), ("EPUB", ".epub"), ("Email (.eml)", ".eml"))
                 if (folder / f"{edition.slug}{suffix}").is_file()]
        pdf = f"{base}.pdf" if (folder / f"{edition.slug}.pdf").is_file() else None
        return HTMLResponse(pages.edition_page(edition, f"{entry.title} ({edition.lang})", links, pdf,
                                               state.hub.generation), headers=NO_STORE)

    def review(request: Request) -> Response:
        from exporter.document import load_document
        from exporter.serve.reviews import review_page_data

        found = state.edition(request.path_params["slug"], request.path_params["lang"])
        if found is None or not found[1].translated:
            return not_found(request)
        entry, edition = found
        try:
            document = load_document(entry.path)
            data = review_page_data(state.settings(), document, edition.lang)
        except NewsletterError as error:
            snippet = pages.bar(edition, f"{edition.slug}/{edition.lang}/html", state.hub.generation)
            return HTMLResponse(f"<!DOCTYPE html><title>Review</title><body><p>{escape(str(error))}</p>{snippet}",
                                status_code=409, headers=NO_STORE)
        title = f"{entry.title} ({entry.lang} → {edition.lang})"
        return HTMLResponse(pages.review_page(edition, title, data, str(entry.path), entry.lang, state.token,
                                              state.hub.generation), headers=NO_STORE)

    async def save_review(request: Request) -> Response:
        if not same_origin(request.headers):
            return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
        if not token_matches(request.headers, state.token):
            return JSONResponse({"error": "missing or wrong token"}, status_code=403)
        found = state.edition(request.path_params["slug"], request.path_params["lang"])
        if found is None or not found[1].translated:
            return JSONResponse({"error": "no such translated edition"}, status_code=404)
        try:
            body = json.loads(await request.body())
            unit_id, translation = str(body["unit"]), str(body["translation"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "expected JSON with 'unit' and 'translation'"}, status_code=400)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(store, found[0], found[1].lang, unit_id, translation)

    def store(entry: IssueEntry, lang: str, unit_id: str, translation: str) -> Response:
        from exporter.document import load_document
        from exporter.translate.pipeline import segment_document
        from exporter.translate.review_files import save_reviewed_unit

        try:
            settings = state.settings()
            document = load_document(entry.path)
            units = {unit.id: unit for unit in segment_document(document, settings, lang).units}
            if unit_id not in units:
                return JSONResponse({"error": f"no unit '{unit_id}' in {entry.path}"}, status_code=404)
            where = save_reviewed_unit(document, lang, unit_id, units[unit_id].text, translation, settings)
        except NewsletterError as error:
            return JSONResponse({"error": error.message}, status_code=422)
        if state.on_saved is not None:
            state.on_saved({entry.path})
        shown = where.relative_to(settings.root) if where.is_relative_to(settings.root) else where
        return JSONResponse({"stored": str(shown), "unit": unit_id})

    routes = [
        Route("/__serve/events", events),
        Mount("/__serve/static", StaticFiles(directory=pages.STATIC), name="static"),
        Route("/__serve/theme/{path:path}", theme_asset),
        Route("/__serve/email/{slug}/{lang}/", email_preview),
        Route("/__serve/edition/{slug}/{lang}/", edition_formats),
        Route("/__serve/review/{slug}/{lang}/", review, methods=["GET"]),
        Route("/__serve/review/{slug}/{lang}/", save_review, methods=["POST"]),
        Route("/{path:path}", output_file, methods=["GET", "HEAD"]),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=sorted(allowed_hosts(state.host)))]
    return Starlette(routes=routes, middleware=middleware)
