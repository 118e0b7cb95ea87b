"""Shared helpers of the benchmarks: percentiles, RSS, fresh worker processes, tables and JSON output."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from qa import Settings

ROOT = Path(__file__).resolve().parent.parent
MULTIHOP = Settings().bench_dir / "multihop"  # QA_BENCH_DIR
DEMO = ROOT / "data" / "articles"
OUT = ROOT / "runs" / "bench"


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (nearest rank), and the mean."""
    if not seconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}
    ordered = sorted(seconds)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))] * 1000

    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": rank(0.95), "p99_ms": rank(0.99),
            "mean_ms": statistics.fmean(ordered) * 1000}


def rss_mb() -> float:
    """Resident set size now, in MiB (Linux /proc; falls back to the peak)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function(*args)` in a new interpreter, so load times and memory start from nothing."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def machine() -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            "commit": commit, "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; floats get three significant decimals."""
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
        return "" if value is None else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write(name: str, result: dict[str, Any], out: Path | None, text: str) -> Path:
    """Print the table and write `<out>/<name>.json` and `<name>.md`."""
    out = out or OUT
    out.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "machine": machine(), **result}
    (out / f"{name}.json").write_text(json.dumps(result, indent=1))
    (out / f"{name}.md").write_text(text + "\n")
    print(text)
    print(f"\nWrote {out / (name + '.json')}")
    return out / f"{name}.json"
