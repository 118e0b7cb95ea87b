"""The Assistant of the index's live version, for long-running servers (the UI and the HTTP API).

`qa ingest` writes a new version and swaps the CURRENT pointer; a server started before keeps answering from the
version it loaded. `LiveAssistant.get()` looks at the pointer at most every `reload_seconds` and, when it names
another version, loads that one in a background thread while requests go on being answered from the old one;
the new one replaces it once loaded (sharing the encoder and the generators' models, so nothing loads twice). A
new version that cannot be loaded is reported once and the old one keeps serving. A server started before any
index existed picks up the first one the same way.
"""

from __future__ import annotations

import logging
import threading
import time

import index as idx

from .assistant import Assistant, open_index
from .settings import Settings

log = logging.getLogger("qa.live")


class LiveAssistant:
    """Holds the current Assistant; `get()` returns it (or raises why there is none) and notices new versions."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None, error: idx.QAError | None = None):
        if assistant is not None:  # follow the index that assistant was opened on, with its settings
            settings = assistant.settings.updated(reload_seconds=settings.api.reload_seconds)
        self.settings = settings
        self._assistant = assistant
        self._error = error
        self._lock = threading.Lock()
        self._loading = False
        self._checking = False
        self._checked = time.monotonic()
        self._failed: str | None = None  # the version that could not be loaded (not retried until another comes)

    @classmethod
    def start(cls, settings: Settings) -> LiveAssistant:
        """Load the index now; without one (or with a broken one) start anyway and keep the error to show."""
        try:
            return cls(settings, Assistant.load(settings=settings))
        except idx.QAError as exc:
            log.warning("%s", exc)
            return cls(settings, None, exc)

    @property
    def version(self) -> str | None:
        """The loaded version's name (v-000007), None before one is loaded."""
        return self._assistant.store.version if self._assistant else None

    @property
    def error(self) -> str:
        """Why there is no Assistant ("" when there is one)."""
        return "" if self._assistant is not None or self._error is None else str(self._error)

    def get(self) -> Assistant:
        """The current Assistant; raises the load error (a QAError naming the fix) while there is none."""
        self.poll()
        assistant = self._assistant
        if assistant is None:
            raise self._error or idx.IndexNotFoundError("No index is loaded.")
        return assistant

    def poll(self) -> None:
        """Start loading a new live version if the pointer moved since the last look (at most every
        reload_seconds; never with 0)."""
        every = self.settings.api.reload_seconds
        now = time.monotonic()
        if (every <= 0 and self._assistant is not None) or now - self._checked < every:
            return
        with self._lock:
            if self._loading or self._checking:
                return
            self._checked, self._checking = now, True
        try:  # outside the lock: a store that is slow to answer holds up this request only, not every other
            live = idx.live_version(self.settings.index)
        finally:
            self._checking = False
        if live is None or live == self.version or live == self._failed:
            return
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._load, args=(live,), name="qa-reload", daemon=True).start()

    def _load(self, version: str) -> None:
        try:
            store = open_index(self.settings)
            current = self._assistant
            fresh = current.reopen(store) if current is not None else Assistant(store, self.settings)
            fresh.embedder.encode(["warm-up"])
            self._assistant, self._error, self._failed = fresh, None, None
            log.warning("Now answering from index version %s (%s documents).", store.version, len(store.documents))
        except idx.QAError as exc:
            self._failed = version
            if self._assistant is None:
                self._error = exc
            log.warning("Index version %s was not loaded; still answering from %s: %s", version, self.version, exc)
        finally:
            with self._lock:
                self._loading = False
