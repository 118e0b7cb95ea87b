"""Load benchmark of the HTTP API: N concurrent clients for S seconds against `qa api` on the demo index.

    python -m bench.api                  # 50 clients × 60 s, extractive and local generators
    python -m bench.api --quick          # 8 clients × 2 s, extractive (the CI smoke)
    python -m bench.api --clients 50 --seconds 60 --generators extractive

Each client posts OpenAI chat completions (the 60 demo gold questions in turn, answerable and not) and waits for
each answer before the next. Reported per generator: requests/s, latency p50/p95/p99 of successful answers, and
every non-200 by status (429s are the bounded waiting line saying "come back later", by design). Baselines in the
same run: one client (sequential requests) against the same server, and the same questions answered in-process
by one Assistant, with no HTTP at all. Both are warmed first by each question once (the caches of a server that
has been running).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .common import DEMO, ROOT, in_fresh_process, percentiles, table, write


def questions() -> list[str]:
    gold = ROOT / "eval" / "gold" / "demo.jsonl"
    return [json.loads(line)["question"] for line in gold.read_text().splitlines() if line.strip()]


async def _client(url: str, model: str, asked: list[str], start: int, deadline: float, out: list) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=120) as http:
        i = start
        while time.monotonic() < deadline:
            body = {"model": model, "messages": [{"role": "user", "content": asked[i % len(asked)]}]}
            t0 = time.perf_counter()
            status: int | str
            try:
                response = await http.post(f"{url}/v1/chat/completions", json=body)
                status = response.status_code
                if status == 429:  # the line is full: back off as told, as a client should
                    wait = float(response.headers.get("retry-after", "1"))
                    out.append((status, time.perf_counter() - t0))
                    await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))
                    i += 1
                    continue
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((status, time.perf_counter() - t0))
            i += 1


def load(url: str, model: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` concurrent clients for `seconds`: requests/s, latency percentiles, statuses."""
    asked = questions()
    out: list[tuple[Any, float]] = []
    deadline = time.monotonic() + seconds

    async def main() -> None:
        await asyncio.gather(*(_client(url, model, asked, k * 7, deadline, out) for k in range(clients)))

    started = time.monotonic()
    asyncio.run(main())
    elapsed = time.monotonic() - started
    ok = [t for s, t in out if s == 200]
    statuses = Counter(str(s) for s, _ in out if s != 200)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(out),
        "ok": len(ok),
        "ok_per_s": round(len(ok) / elapsed, 1),
        "latency": percentiles(ok),
        "not_ok": dict(statuses),
    }


def in_process(index_dir: str, generator: str, seconds: float) -> dict[str, Any]:
    """The baseline without HTTP: one Assistant answering the same questions one after another."""
    from qa import Assistant

    assistant = Assistant.load(index_dir, generator=generator)
    asked = questions()
    for question in asked:  # warm, as the server is warmed: each question once
        assistant.ask(question)
    times = []
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        assistant.ask(asked[i % len(asked)])
        times.append(time.perf_counter() - t0)
        i += 1
    rate = round(len(times) / sum(times), 1)
    return {"clients": 1, "requests": len(times), "ok_per_s": rate, "latency": percentiles(times)}


def serve(index_dir: str, generator: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "QA_GENERATOR": generator, "QA_RELOAD_SECONDS": "0", "HF_HUB_OFFLINE": "1"}
    with log.open("w") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa", "api", "--index", index_dir, "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    _wait_ready(f"http://127.0.0.1:{port}/readyz", proc)
    return proc


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"qa api exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} was not ready within {timeout} s")


def _warm(url: str) -> None:
    """Each question once, so caches hold what a server that has been running holds."""
    import httpx

    for question in questions():
        body = {"model": "article-qa", "messages": [{"role": "user", "content": question}]}
        httpx.post(f"{url}/v1/chat/completions", json=body, timeout=300)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(
    quick: bool = False,
    out: Path | None = None,
    clients: int | None = None,
    seconds: float | None = None,
    generators: list[str] | None = None,
) -> dict[str, Any]:
    from index import Embedder, ingest

    clients = clients or (8 if quick else 50)
    seconds = seconds or (2.0 if quick else 60.0)
    generators = generators or (["extractive"] if quick else ["extractive", "local"])
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-api-") as tmp:
        index_dir = str(Path(tmp) / "index")
        ingest([DEMO], index_dir, Embedder())
        for generator in generators:
            print(f"{generator}: in-process baseline…", flush=True)
            base = in_fresh_process(in_process, index_dir, generator, min(seconds, 20.0))
            port = _free_port()
            proc = serve(index_dir, generator, port, Path(tmp) / f"{generator}.log")
            try:
                url = f"http://127.0.0.1:{port}"
                _warm(url)
                print(f"{generator}: 1 client…", flush=True)
                one = load(url, "article-qa", 1, min(seconds, 20.0))
                print(f"{generator}: {clients} clients × {seconds:g} s…", flush=True)
                many = load(url, "article-qa", clients, seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            rows.append({"generator": generator, "in_process": base, "one_client": one, "load": many})
    result = {"quick": quick, "clients": clients, "seconds": seconds, "rows": rows}
    write("api", result, out, markdown(result))
    return result


def markdown(result: dict[str, Any]) -> str:
    headers = ["generator", "setup", "clients", "answers/s", "p50 ms", "p95 ms", "p99 ms", "not 200"]
    rows = []
    for r in result["rows"]:
        for label, key in (("in-process, no HTTP", "in_process"), ("API, 1 client", "one_client"), ("API", "load")):
            m = r[key]
            lat = m["latency"]
            not_ok = ", ".join(f"{k}: {v}" for k, v in m.get("not_ok", {}).items()) or "none"
            times = [lat["p50_ms"], lat["p95_ms"], lat["p99_ms"]]
            rows.append([r["generator"], label, m["clients"], m["ok_per_s"], *times, not_ok])
    return "\n".join(
        [
            "# HTTP API load benchmark: `qa api` on the demo index",
            "",
            f"{result['clients']} concurrent clients for {result['seconds']:g} s posting OpenAI chat completions "
            "(the 60 demo gold questions in turn); a 429 is the bounded waiting line at work (the client waits "
            "Retry-After and goes on). Latency is of answered requests.",
            "",
            table(headers, rows),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 clients × 2 s, extractive: the CI smoke run")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--generators", help="comma-separated: extractive,local,openai")
    parser.add_argument("--out", type=Path, help="folder for api.json/.md (default runs/bench)")
    args = parser.parse_args()
    generators = args.generators.split(",") if args.generators else None
    run(args.quick, args.out, args.clients, args.seconds, generators)


if __name__ == "__main__":
    main()
