"""Build events for open pages: a hub that build threads publish to and each server-sent-event stream reads."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class BuildProblem:
    """A failed build as the overlay shows it: file, line, message."""

    file: str
    line: int | None
    message: str

    @classmethod
    def from_error(cls, error) -> BuildProblem:
        """The problem a NewsletterError describes."""
        return cls(str(error.path) if getattr(error, "path", None) else "", getattr(error, "line", None),
                   " ".join(str(getattr(error, "message", error)).split()))


class EventHub:
    """Fans build events out to every connected page; remembers the current error for pages that join later."""

    def __init__(self):
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: set[asyncio.Queue] = set()
        self.generation = 0  # bumped by every publication, so a page can tell it missed one
        self.problem: BuildProblem | None = None

    def hello(self) -> dict:
        """The first event a page receives: the generation and the current error, if any."""
        with self.lock:
            return {"type": "hello", "generation": self.generation,
                    "problem": asdict(self.problem) if self.problem else None}

    def publish(self, kind: str, **data) -> None:
        """Send an event to every page (callable from any thread)."""
        with self.lock:
            self.generation += 1
            if kind == "error":
                self.problem = data["problem"]
                data["problem"] = asdict(self.problem)
            elif kind == "ok":
                self.problem = None
            message = {"type": kind, "generation": self.generation, **data}
            loop, queues = self.loop, list(self.queues)
        if loop is not None and not loop.is_closed():
            for queue in queues:
                loop.call_soon_threadsafe(queue.put_nowait, message)

    def reloaded(self, outputs: list[str]) -> None:
        """Tell pages that these outputs (``slug/lang/format``) were rebuilt."""
        self.publish("reload", outputs=outputs)

    def failed(self, problem: BuildProblem) -> None:
        """Tell pages that the last build failed."""
        self.publish("error", problem=problem)

    def recovered(self) -> None:
        """Tell pages that a build succeeded after a failure."""
        self.publish("ok")

    async def stream(self) -> AsyncIterator[dict]:
        """Server-sent events for one page: hello, then every publication until it disconnects."""
        queue: asyncio.Queue = asyncio.Queue()
        with self.lock:
            self.loop = asyncio.get_running_loop()
            self.queues.add(queue)
        try:
            yield {"event": "message", "data": json.dumps(self.hello())}
            while True:
                yield {"event": "message", "data": json.dumps(await queue.get())}
        finally:
            with self.lock:
                self.queues.discard(queue)
