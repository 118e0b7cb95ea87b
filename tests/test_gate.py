"""The bounded waiting line (qa/gate.py): slots, a bounded queue, 429 when full or when the wait would be too long,
503 after the timeout."""

from __future__ import annotations

import asyncio

import pytest

from qa.errors import BusyError, QueueTimeoutError
from qa.gate import Gate


async def until(condition, tries: int = 1000) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the gate never reached that state")


def test_slots_then_a_bounded_line_then_429():
    async def main() -> list[str]:
        gate = Gate("test", slots=1, queue=1, timeout=5, expected_seconds=0.01)
        release = asyncio.Event()
        outcomes: list[str] = []

        async def hold(name: str) -> None:
            try:
                async with gate.slot():
                    outcomes.append(f"{name} ran")
                    await release.wait()
            except BusyError as exc:
                outcomes.append(f"{name} {type(exc).__name__} {exc.retry_after}")

        first = asyncio.create_task(hold("first"))
        await until(lambda: gate.running == 1)
        second = asyncio.create_task(hold("second"))
        await until(lambda: gate.waiting == 1)
        assert (gate.running, gate.waiting) == (1, 1)
        await hold("third")  # the line is full: refused at once
        release.set()
        await asyncio.gather(first, second)
        assert gate.state()["served"] == 2 and gate.state()["refused"] == 1
        return outcomes

    assert asyncio.run(main()) == ["first ran", "third BusyError 1", "second ran"]


def test_a_wait_longer_than_the_timeout_is_refused_at_once_and_a_long_wait_is_503():
    async def main() -> None:
        slow = Gate("slow", slots=1, queue=100, timeout=0.2, expected_seconds=1.0)
        async with slow.slot():
            with pytest.raises(BusyError) as refused:  # 1 s expected > 0.2 s timeout: no point waiting
                async with slow.slot():
                    pass
            assert not isinstance(refused.value, QueueTimeoutError)
        quick = Gate("quick", slots=1, queue=100, timeout=0.2, expected_seconds=0.01)
        async with quick.slot():
            with pytest.raises(QueueTimeoutError, match="QA_API_QUEUE_TIMEOUT"):  # admitted, then waited too long
                async with quick.slot():
                    pass
        assert quick.running == 0 and quick.waiting == 0

    asyncio.run(main())
