"""A bounded waiting line in front of the answer slots (asyncio): beyond capacity — the line full, or a wait longer
than the timeout to be expected from recent answer times — a request is told at once to come back (429 with
Retry-After) instead of queueing without end; one that waited the whole timeout after all is told so (503)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .errors import BusyError, QueueTimeoutError


class Gate:
    """`slots` answers at once, at most `queue` waiting; `timeout` seconds of waiting at most. Used from one event
    loop (the server's), so the counters need no lock."""

    def __init__(self, name: str, slots: int, queue: int, timeout: float, expected_seconds: float = 1.0) -> None:
        self.name = name
        self.slots = slots
        self.queue = queue
        self.timeout = timeout
        self.running = 0
        self.waiting = 0
        self.served = 0
        self.refused = 0
        self._free = asyncio.Semaphore(slots)
        self._seconds = expected_seconds  # moving average of one answer's time: Retry-After and the expected wait

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a slot; BusyError (429) at once when the line is full or the wait it implies would outlast
        the timeout, QueueTimeoutError (503) when the wait did."""
        full = self.waiting >= self.queue or self.expected_wait() > self.timeout
        if self.running >= self.slots and full:
            self.refused += 1
            raise BusyError(
                f"The server is busy: {self.running} {self.name} answer(s) running and {self.waiting} waiting "
                f"(QA_API_QUEUE={self.queue}, QA_API_QUEUE_TIMEOUT={self.timeout:g} s). Retry after "
                f"{self.retry_after()} s.",
                self.retry_after(),
            )
        self.waiting += 1
        try:
            await asyncio.wait_for(self._free.acquire(), self.timeout)
        except TimeoutError as exc:
            self.refused += 1
            raise QueueTimeoutError(
                f"Waited {self.timeout:g} s for a free {self.name} answer slot (QA_API_QUEUE_TIMEOUT); the server is "
                f"overloaded. Retry after {self.retry_after()} s.",
                self.retry_after(),
            ) from exc
        finally:
            self.waiting -= 1
        self.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self.running -= 1
            self.served += 1
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
            self._free.release()

    def expected_wait(self) -> float:
        """Seconds a request arriving now would likely wait: one recent answer time per request ahead of it."""
        return self._seconds * (self.waiting + 1) / self.slots

    def retry_after(self) -> int:
        """Whole seconds until the line has likely moved on by one place per waiting request (at least 1)."""
        return max(1, math.ceil(self.expected_wait()))

    def state(self) -> dict[str, int]:
        return {
            "slots": self.slots,
            "running": self.running,
            "waiting": self.waiting,
            "queue": self.queue,
            "served": self.served,
            "refused": self.refused,
        }
