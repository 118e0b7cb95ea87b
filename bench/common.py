"""Shared helpers of the benchmarks: percentiles, RSS, fresh worker processes, tables and JSON output."""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from eval.common import git_commit, table  # noqa: F401 - the benchmarks' tables are eval's
from eval.metrics import percentiles  # noqa: F401 - one implementation of p50/p95/p99
from qa import Settings

ROOT = Path(__file__).resolve().parent.parent
MULTIHOP = Settings().bench_dir / "multihop"  # QA_BENCH_DIR
DEMO = ROOT / "data" / "articles"
OUT = ROOT / "runs" / "bench"


def children_rss_mb(parent: int | None = None) -> float:
    """Resident set size of a process's children (default: this one's), in MiB (Linux /proc; Milvus Lite 2.5
    runs its engine in a child process)."""
    parent = parent or os.getpid()
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, …
            if int(fields[1]) == parent:
                total += process_rss_mb(int(stat.parent.name))
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
    return total


def process_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


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
    commit = git_commit() or ""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "commit": commit,
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


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
