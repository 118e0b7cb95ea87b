"""Query benchmark: vector retrieval latency, QPS, recall@10, memory, disk and load time from 10k to 1M chunks,
side by side with llama-index's default in-memory VectorStoreIndex (SimpleVectorStore) in the same run.

    python -m bench.query            # 10k, 100k, 1M chunks (about 15 min on 2 cores)
    python -m bench.query --quick    # 5k and 60k chunks, llama-index at 5k only: the CI smoke (under a minute)

Vectors past the real corpus are synthetic but shaped like real ones: each is a normalized mix of two real
MiniLM chunk vectors plus noise, so the clusters an approximate index relies on exist as they do in real data.
Queries are real questions (MultiHop-RAG's) encoded with the same model. Every measurement that involves
loading runs in a fresh process, so memory and load time start from nothing.
"""

from __future__ import annotations

import argparse
import functools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from index import Kind, exact_top, recall

from .common import MULTIHOP, ROOT, in_fresh_process, percentiles, rss_mb, table, timed, write

DIMENSION = 384
NOISE = 0.025  # per-dimension noise; a normalized 384-d vector has per-dimension spread ~0.05


# -- data ---------------------------------------------------------------------------------------------------


def seeds_and_queries(quick: bool) -> tuple[np.ndarray, np.ndarray]:
    """Real chunk vectors (the MultiHop-RAG index if built, else freshly encoded sentences) and real queries."""
    from index import Embedder, load

    embedder = Embedder()
    questions = [q["query"] for q in json.loads((MULTIHOP / "queries_dev.json").read_text())]
    questions = questions[: 100 if quick else 300]
    index_dir = ROOT / ".qa" / "multihop-index"
    if index_dir.exists() and not quick:
        seeds = load(index_dir).vectors.vectors()
    else:
        articles = json.loads((MULTIHOP / "corpus.json").read_text())[: 40 if quick else 609]
        paragraphs = [p for a in articles for p in a["body"].split("\n") if len(p.split()) > 12]
        seeds = embedder.encode(paragraphs[: 400 if quick else 5000])
    return seeds, embedder.encode(questions)


def synthetic(seeds: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """n vectors: normalize(seed_a + w·seed_b + noise), generated in blocks to bound memory."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, seeds.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        block = (
            seeds[rng.integers(0, len(seeds), m)]
            + rng.uniform(0, 0.6, (m, 1)).astype(np.float32) * seeds[rng.integers(0, len(seeds), m)]
        )
        block += NOISE * rng.standard_normal(block.shape).astype(np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


# -- ours ---------------------------------------------------------------------------------------------------


def ours_worker(path: str, queries_path: str, exact_path: str) -> dict[str, Any]:
    """In a fresh process: load the saved index, then time single queries as the retriever issues them."""
    before = rss_mb()
    from index import VectorStore  # imports count as start-up, not as the index's memory

    imported = rss_mb()
    load_s, store = timed(lambda: VectorStore.load(Path(path)))
    loaded = rss_mb()
    queries, exact = np.load(queries_path), np.load(exact_path)
    for q in queries[:5]:  # warm caches
        store.search(q, 10)
    latencies, found = [], []
    for q in queries:
        t0 = time.perf_counter()
        rows, _ = store.search(q, 10)
        latencies.append(time.perf_counter() - t0)
        found.append(rows.tolist())
    return {
        "load_s": load_s,
        "rss_index_mb": loaded - imported,
        "rss_total_mb": loaded,
        "rss_start_mb": before,
        "qps": len(latencies) / sum(latencies),
        "recall@10": recall(found, exact),
        **percentiles(latencies),
        "kind": store.kind,
        "params": store.params,
    }


def run_ours(vectors: np.ndarray, tmp: Path, queries_path: Path, exact_path: Path, kind: Kind) -> dict[str, Any]:
    from index import VectorStore

    build_s, store = timed(lambda: VectorStore.build(vectors, vectors.shape[1], kind))
    path = tmp / f"vectors-{kind}.faiss"
    store.save(path)
    disk_mb = path.stat().st_size / 2**20
    result = in_fresh_process(ours_worker, str(path), str(queries_path), str(exact_path))
    path.unlink()
    return {"system": f"ours ({kind})", "build_s": build_s, "disk_mb": disk_mb, **result}


# -- llama-index baseline -----------------------------------------------------------------------------------


def baseline_worker(vectors_path: str, queries_path: str, exact_path: str, tmp: str, limit: int) -> dict[str, Any]:
    """llama-index's default: VectorStoreIndex over SimpleVectorStore, nodes carrying precomputed embeddings."""
    from llama_index.core import MockEmbedding, QueryBundle, StorageContext, VectorStoreIndex, load_index_from_storage
    from llama_index.core.schema import TextNode

    embed = MockEmbedding(embed_dim=DIMENSION)  # never called: nodes and queries carry their vectors
    vectors = np.load(vectors_path)
    imported = rss_mb()
    nodes = [TextNode(id_=str(i), text=f"chunk {i}", embedding=v.tolist()) for i, v in enumerate(vectors)]
    del vectors
    build_s, index = timed(functools.partial(VectorStoreIndex, nodes, embed_model=embed))
    del nodes
    built = rss_mb()
    persist_s, _ = timed(lambda: index.storage_context.persist(persist_dir=tmp))
    disk = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 2**20
    del index
    load_s, index = timed(
        lambda: load_index_from_storage(StorageContext.from_defaults(persist_dir=tmp), embed_model=embed)
    )
    retriever = index.as_retriever(similarity_top_k=10)
    queries, exact = np.load(queries_path)[:limit], np.load(exact_path)[:limit]
    latencies, found = [], []
    for q in queries:
        bundle = QueryBundle(query_str="q", embedding=q.tolist())
        t0 = time.perf_counter()
        nodes_found = retriever.retrieve(bundle)
        latencies.append(time.perf_counter() - t0)
        found.append([int(n.node.node_id) for n in nodes_found])
    return {
        "system": "llama-index SimpleVectorStore",
        "build_s": build_s,
        "persist_s": persist_s,
        "load_s": load_s,
        "disk_mb": disk,
        "rss_index_mb": built - imported,
        "qps": len(latencies) / sum(latencies),
        "recall@10": recall(found, exact),
        **percentiles(latencies),
    }


# -- driver -------------------------------------------------------------------------------------------------


def run(
    quick: bool = False, out: Path | None = None, sizes: list[int] | None = None, baseline_max: int = 100_000
) -> dict[str, Any]:
    sizes = sizes or ([5_000, 60_000] if quick else [10_000, 100_000, 1_000_000])
    if quick:  # the baseline at 60k alone took 2-4 min (Python float lists persisted as JSON): 5k shows it
        baseline_max = min(baseline_max, 10_000)
    seeds, queries = seeds_and_queries(quick)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp_name:
        tmp = Path(tmp_name)
        np.save(tmp / "queries.npy", queries)
        for n in sizes:
            vectors = synthetic(seeds, n)
            exact = exact_top(vectors, queries)
            np.save(tmp / "exact.npy", exact)
            raw_mb = vectors.nbytes / 2**20
            kinds: list[Kind] = ["auto"]
            if n > 50_000:
                kinds.append("flat")
            if n == 100_000 and not quick:
                kinds.append("hnsw")
            for kind in kinds:
                row = {
                    "chunks": n,
                    "raw_mb": raw_mb,
                    **run_ours(vectors, tmp, tmp / "queries.npy", tmp / "exact.npy", kind),
                }
                if kind == "auto":
                    row["system"] = f"ours (auto → {row['kind']})"
                rows.append(_report(row))
            if n <= baseline_max:
                np.save(tmp / "vectors.npy", vectors)
                limit = 50 if n <= 10_000 else 20
                row = {
                    "chunks": n,
                    "raw_mb": raw_mb,
                    **in_fresh_process(
                        baseline_worker,
                        str(tmp / "vectors.npy"),
                        str(tmp / "queries.npy"),
                        str(tmp / "exact.npy"),
                        str(tmp / f"llama-{n}"),
                        limit,
                    ),
                }
                rows.append(_report(row))
            else:
                rows.append(
                    {
                        "chunks": n,
                        "system": "llama-index SimpleVectorStore",
                        "skipped": f"not run: {n:,} nodes as Python float lists need "
                        f"~{n * DIMENSION * 32 / 2**30:.0f} GiB "
                        "and JSON persistence of that size",
                    }
                )
            del vectors
    result = {"quick": quick, "dimension": DIMENSION, "queries": len(queries), "rows": rows}
    text = markdown(result)
    path = write("query", result, out, text)
    _plot(result, path.with_suffix(".png"))
    return result


def _report(row: dict[str, Any]) -> dict[str, Any]:
    row["memory_ratio"] = row["rss_index_mb"] / row["raw_mb"] if row.get("raw_mb") else None
    print(
        f"  {row['chunks']:>9,} {row['system']:<32} p50 {row['p50_ms']:8.2f} ms  recall@10 {row['recall@10']:.3f}"
        f"  load {row['load_s']:.2f} s",
        flush=True,
    )
    return row


def markdown(result: dict[str, Any]) -> str:
    headers = [
        "chunks",
        "system",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "QPS",
        "recall@10",
        "build s",
        "load s",
        "RSS MiB",
        "× raw",
        "disk MiB",
    ]
    rows = []
    for r in result["rows"]:
        if "skipped" in r:
            rows.append([f"{r['chunks']:,}", r["system"], r["skipped"]] + [None] * 9)
            continue
        rows.append(
            [
                f"{r['chunks']:,}",
                r["system"],
                r["p50_ms"],
                r["p95_ms"],
                r["p99_ms"],
                r["qps"],
                r["recall@10"],
                r["build_s"],
                r["load_s"],
                r["rss_index_mb"],
                r["memory_ratio"],
                r["disk_mb"],
            ]
        )
    speedups = []
    for n in sorted({r["chunks"] for r in result["rows"]}):
        ours = next((r for r in result["rows"] if r["chunks"] == n and r["system"].startswith("ours (auto")), None)
        base = next(
            (r for r in result["rows"] if r["chunks"] == n and r["system"].startswith("llama") and "skipped" not in r),
            None,
        )
        if ours and base:
            speedups.append(f"{n:,} chunks: {base['p50_ms'] / ours['p50_ms']:,.0f}× faster p50 than llama-index")
    return "\n".join(
        [
            "# Query benchmark: top-10 vector retrieval, one query at a time",
            "",
            f"{result['queries']} real questions; recall@10 against exact search; RSS = memory the loaded index "
            "adds to a fresh process; × raw = RSS / raw float32 vector bytes.",
            "",
            table(headers, rows),
            "",
            *speedups,
        ]
    )


def _plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4))
    systems = dict.fromkeys(
        r["system"].split(" (auto")[0] + (" (auto)" if "auto" in r["system"] else "")
        for r in result["rows"]
        if "skipped" not in r
    )
    for system in systems:
        points = sorted(
            (r["chunks"], r["p50_ms"], r["p95_ms"])
            for r in result["rows"]
            if "skipped" not in r
            and (r["system"].split(" (auto")[0] + (" (auto)" if "auto" in r["system"] else "")) == system
        )
        xs, p50, p95 = zip(*points)
        (line,) = ax.plot(xs, p50, marker="o", label=f"{system} p50")
        ax.plot(xs, p95, linestyle=":", color=line.get_color(), label=f"{system} p95")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("top-10 retrieval latency (ms)")
    ax.set_title("Query latency against corpus size (2-core CPU)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"Wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: the CI smoke run")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 10000,100000")
    parser.add_argument("--out", type=Path, help="folder for query.json/.md/.png (default runs/bench)")
    args = parser.parse_args()
    run(args.quick, args.out, args.sizes)


if __name__ == "__main__":
    main()
