"""What every HTTP surface shares: the Host names it answers, a request-size cap, no uploads, and a login
throttle (ASGI middleware).

Gradio parses a request before our code sees it (a 20 MB chat history cost 12 s of server time), so the cap
sits in front of it. See docs/security.md.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def loopback(host: str) -> bool:
    """Whether a bind address is this machine's loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, configured: str) -> frozenset[str] | None:
    """The names a server bound to `bind` answers in the Host header (None: any). `configured` is a comma-separated
    list ("*": any); the loopback names are always allowed. With none configured, a loopback server answers only to
    the loopback names, so a web page that rebinds its own name to 127.0.0.1 is refused; a server beyond loopback
    (which needs keys or a login) answers to any."""
    names = {n.strip().lower().strip("[]") for n in configured.split(",") if n.strip()}
    if "*" in names or (not names and not loopback(bind)):
        return None
    return LOOPBACK_NAMES | names


def host_name(value: str) -> str:
    """The name in a Host header, without its port: "localhost:7860" -> "localhost", "[::1]:80" -> "::1"."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """Refuses a Host header not in `hosts` (400), oversized bodies (413), uploads (403) and, per client address,
    logins after `login_failures` failed attempts within `login_window` seconds (429 with Retry-After)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        login_failures: int = 5,
        login_window: float = 300.0,
        blocked_paths: tuple[str, ...] = ("/gradio_api/upload",),
        login_paths: tuple[str, ...] = ("/login",),
        failed_status: tuple[int, ...] = (400, 401, 403),
        hosts: frozenset[str] | None = None,
        hosts_setting: str = "",
        trusted: Callable[[Mapping[bytes, bytes]], bool] | None = None,
        same_origin: bool = False,
        body_timeout: float = 30.0,
    ) -> None:
        """`login_paths`: requests (of any method) whose path starts with one of these (or, for a path beginning
        with "/login", ends with it: POST only) are login attempts; a response with a status in `failed_status`
        counts as a failed one. The UI: POST …/login; the HTTP API: every /v1/ request, failed on 401.
        `hosts` (allowed_hosts(); None: any) and `hosts_setting`, the variable that adds names, for the message.
        `trusted(headers)`: a request it accepts is never throttled (the API: one with a right key), so a client
        that sends wrong keys from an address cannot lock out the right key from it.
        `same_origin`: a request from a page of another origin (its `Origin` is neither the `Host` it was sent to nor
        a configured name of `hosts`) is refused (403). The UI: Gradio grants CORS to any localhost origin, and its
        middleware sits outside this one, so a page on another local port could otherwise read answers.
        A request body (declared or chunked) is read here before the application sees it: past `max_bytes` it is a
        413, and a client that sends no part of it for `body_timeout` seconds gets a 408."""
        self.body_timeout = body_timeout
        self.trusted = trusted
        self.same_origin = same_origin
        self.origins = (hosts or frozenset()) - LOOPBACK_NAMES
        self.hosts = hosts
        self.hosts_setting = hosts_setting
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
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and host and host_name(host) not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _error(
                send,
                400,
                f"This server does not answer to the name {host_name(host)[:100]!r}; open it by a loopback "
                f"name (localhost, 127.0.0.1), or add the name to {self.hosts_setting or 'its allowed hosts'}.",
            )
            return
        origin = headers.get(b"origin", b"").decode("latin-1")
        if self.same_origin and origin and not self._own(origin, host):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _error(send, 403, "Requests from another site's page are refused; open the chat UI itself.")
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope.get("method") == "POST" and any(path.rstrip("/").endswith(p) for p in self.blocked_paths):
            await _error(send, 403, "Uploads are disabled: the assistant answers from its index only.")
            return
        declared = headers.get(b"content-length")
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
        throttled = login and not (self.trusted is not None and self.trusted(headers))
        if throttled and (wait := self._locked_for(client)) > 0:
            await _error(
                send,
                429,
                f"Too many failed logins; try again in {wait:.0f} s.",
                [(b"retry-after", str(int(wait) + 1).encode())],
            )
            return
        await self._forward(scope, receive, send, client if login else None)

    async def _forward(self, scope: Scope, receive: Receive, send: Send, login_client: str | None) -> None:
        if scope.get("method") in _WITH_BODY:
            body = await self._read_body(receive, send)
            if body is None:
                return
            receive = _replay(body, receive)

        async def watched(message: Message) -> None:
            failed = message["type"] == "http.response.start" and message["status"] in self.failed_status
            if failed and login_client is not None:
                self._fail(login_client)
            await send(message)

        await self.app(scope, receive, watched)

    async def _read_body(self, receive: Receive, send: Send) -> bytes | None:
        """The whole request body, at most `max_bytes` (else 413), each part within `body_timeout` seconds (else
        408); None when the request was answered here or the client left."""
        parts: list[bytes] = []
        seen = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                await _error(send, 408, f"The request body did not arrive within {self.body_timeout:g} s.")
                return None
            if message["type"] == "http.disconnect":
                return None
            part = message.get("body", b"")
            seen += len(part)
            if seen > self.max_bytes:
                await _error(send, 413, f"The request is larger than {self.max_bytes:,} bytes.")
                return None
            parts.append(part)
            if not message.get("more_body"):
                return b"".join(parts)

    def _own(self, origin: str, host: str) -> bool:
        """Whether `origin` (scheme://name[:port]) is the server's own: the Host it was sent to, or a configured name
        (a reverse proxy may rewrite Host)."""
        where = origin.split("://", 1)[-1].lower()
        return where == host.lower() or host_name(where) in self.origins

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


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then whatever the client sends next (its disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def without_query_strings(record: logging.LogRecord) -> bool:
    """A filter for uvicorn's access log: a request's query string is not written (a client may put a key or a
    token there, and a log is read by more people than the key's owner)."""
    args = record.args
    if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
        record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
    return True


async def _error(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    kind = {403: "permission_error", 408: "timeout", 413: "request_too_large", 429: "rate_limit_error"}.get(
        status, "error"
    )
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
