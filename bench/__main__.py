"""`python -m bench [--quick]`: the ingest, query, end-to-end, HTTP API and store benchmarks (see bench/README.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import api, e2e, hostile, ingest, query, stores

BENCHMARKS: dict[str, Callable[..., Any]] = {
    "ingest": ingest.run,
    "query": query.run,
    "e2e": e2e.run,
    "api": api.run,
    "stores": stores.run,
    "hostile": hostile.run,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes only: the CI smoke run (about 2 min)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated: {','.join(BENCHMARKS)}")
    parser.add_argument("--out", type=Path, help="folder for the JSON, Markdown and PNG (default runs/bench)")
    args = parser.parse_args()
    for name in args.only.split(","):
        if name not in BENCHMARKS:
            parser.error(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        print(f"\n=== {name} ===", flush=True)
        BENCHMARKS[name](quick=args.quick, out=args.out)


if __name__ == "__main__":
    main()
