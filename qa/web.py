"""What every HTTP surface shares: a request-size cap, no uploads, and a login throttle (ASGI middleware).

Gradio parses a request before our code sees it (a 20 MB chat history cost 12 s of server time), so the cap
sits in front of it. See docs/security.md.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TooLarge(Exception):
    pass


class Guard:
    """Refuses oversized bodies (413), uploads (403) and, per client address, logins after `login_failures`
    failed attempts within `login_window` seconds (429 with Retry-After)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        login_failures: int = 5,
        login_window: float = 300.0,
        blocked_paths: tuple[str, ...] = ("/gradio_api/upload",),
        login_paths: tuple[str, ...] = ("/login",),
        failed_status: tuple[int, ...] = (400, 401, 403),
    ) -> None:
        """`login_paths`: requests (of any method) whose path starts with one of these (or, for a path beginning
        with "/login", ends with it: POST only) are login attempts; a response with a status in `failed_status`
        counts as a failed one. The UI: POST …/login; the HTTP API: every /v1/ request, failed on 401."""
        self.app = app
        self.max_bytes = max_bytes
        self.login_failures = login_failures
        self.login_window = login_window
        self.blocked_paths = blocked_paths
        self.login_paths = login_paths
        self.failed_status = failed_status
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope.get("method") == "POST" and any(path.rstrip("/").endswith(p) for p in self.blocked_paths):
            await _error(send, 403, "Uploads are disabled: the assistant answers from its index only.")
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _error(
                send,
                413,
                f"The request is larger than {self.max_bytes:,} bytes; shorten the question, or "
                "start a new conversation.",
            )
            return
        login = self._is_login(scope.get("method", ""), path)
        client = (scope.get("client") or ("?", 0))[0]
        if login and (wait := self._locked_for(client)) > 0:
            await _error(
                send,
                429,
                f"Too many failed logins; try again in {wait:.0f} s.",
                [(b"retry-after", str(int(wait) + 1).encode())],
            )
            return
        await self._forward(scope, receive, send, client if login else None)

    async def _forward(self, scope: Scope, receive: Receive, send: Send, login_client: str | None) -> None:
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if login_client is not None and message["status"] in self.failed_status:
                    self._fail(login_client)
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await _error(send, 413, f"The request is larger than {self.max_bytes:,} bytes.")

    def _is_login(self, method: str, path: str) -> bool:
        for prefix in self.login_paths:
            if prefix == "/login":
                if method == "POST" and path.rstrip("/").endswith("/login"):
                    return True
            elif path.startswith(prefix):
                return True
        return False

    def _fail(self, client: str) -> None:
        with self._lock:
            self._failures[client].append(time.monotonic())

    def _locked_for(self, client: str) -> float:
        """Seconds until `client` may try to log in again (0: now)."""
        now = time.monotonic()
        with self._lock:
            recent = self._failures[client]
            while recent and now - recent[0] > self.login_window:
                recent.popleft()
            if len(recent) < self.login_failures:
                return 0.0
            return self.login_window - (now - recent[0])


async def _error(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    kind = {403: "permission_error", 413: "request_too_large", 429: "rate_limit_error"}.get(status, "error")
    body = json.dumps({"error": {"message": message, "type": kind, "code": status}, "detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
