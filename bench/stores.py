"""Store benchmark: the same workloads on FAISS (files, in the process) and Milvus (Lite, and a Milvus server
process) in one run: write throughput, MultiHop-RAG retrieval quality, query p50/p95, serving-process memory.

    python -m bench.stores             # MultiHop-RAG (609 articles, ~7k chunks) + 100k synthetic chunks
    python -m bench.stores --quick     # 8 questions over the articles they cite, 3k synthetic chunks: the CI smoke

Both stores get the same chunks and vectors (the FAISS version's, copied into Milvus), so differences are the
engines'. The MultiHop index is `.qa/multihop-index` when `qa eval multihop` built it, else built here.
Synthetic chunks: real MultiHop paragraphs with vectors made as in bench/query.py, ten chunks per article.
Memory is measured in a fresh process that opens the store and answers 20 questions; for the Milvus server,
the serving process is a client and Milvus runs in another process (`milvus-lite server`, the API a cluster
speaks), whose memory is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import (
    MULTIHOP,
    ROOT,
    children_rss_mb,
    in_fresh_process,
    percentiles,
    process_rss_mb,
    rss_mb,
    table,
    timed,
    write,
)

QUESTIONS = 20  # for the memory measurement
QUICK_QUESTIONS = 8  # --quick: questions scored, over the articles they cite (~20; 40 questions cite ~100)
EXACT_QUESTIONS = 100  # the exact BM25 pool costs ~1 s a question on Milvus Lite


# -- building -----------------------------------------------------------------------------------------------


def multihop_faiss(quick: bool, tmp: Path) -> tuple[Path, list[dict]]:
    """A FAISS index of the MultiHop corpus (quick: of 8 questions' cited articles) and the non-null dev queries."""
    from eval.multihop import build_index

    queries = [q for q in json.loads((MULTIHOP / "queries_dev.json").read_text()) if q["question_type"] != "null_query"]
    existing = ROOT / ".qa" / "multihop-index"
    if not quick and (existing / "CURRENT").is_file():
        return existing, queries
    queries = queries[:QUICK_QUESTIONS] if quick else queries
    folder = tmp / "multihop-faiss"
    build_index(MULTIHOP / "corpus.json", folder, QUICK_QUESTIONS if quick else None, queries)
    return folder, queries


def copy_to_milvus(faiss_dir: Path, milvus_dir: Path) -> dict[str, Any]:
    """Write the FAISS version's chunks, vectors and sentence vectors as a Milvus version; time both writers."""
    from index import IndexSettings, close_stores, load, write_version

    data = load(faiss_dir)
    documents = list(data.documents.values())
    vectors = data.vectors.vectors()

    def write(settings: IndexSettings) -> float:
        manifest = data.manifest.model_copy(deep=True)
        return timed(lambda: write_version(settings, manifest, data.chunks, documents, vectors, data.sentences))[0]

    milvus_s = write(IndexSettings(dir=milvus_dir, store="milvus"))
    with tempfile.TemporaryDirectory() as folder:
        faiss_s = write(IndexSettings(dir=Path(folder)))
    close_stores()
    return {"chunks": len(data.chunks), "faiss_write_s": faiss_s, "milvus_write_s": milvus_s}


def synthetic_index(n: int, faiss_source: Path, tmp: Path) -> tuple[Path, Path, dict[str, Any]]:
    """n synthetic chunks written to a FAISS folder and a Milvus Lite file; write times of both."""
    from index import Chunk, Document, DocumentEntry, IndexSettings, close_stores, corpus_stats, load, write_version

    from .query import synthetic

    real = load(faiss_source)
    vectors = synthetic(real.vectors.vectors(), n)
    texts = [c.text for c in real.chunks]
    chunks, documents, entries = [], [], {}
    for d in range(0, n, 10):
        doc_id = f"doc-{d // 10:07d}"
        ids = [f"{doc_id}-{i}" for i in range(min(10, n - d))]
        body = [texts[(d + i) % len(texts)] for i in range(len(ids))]
        source, date = f"Publisher {d // 10 % 97}", f"2023-{1 + d // 10 % 12:02d}-{1 + d // 10 % 28:02d}"
        chunks += [Chunk(c, doc_id, t, 0, len(t), source, f"Article {d // 10}", date) for c, t in zip(ids, body)]
        text = "\n".join(body)
        documents.append(Document(doc_id, doc_id, source, text, doc_id, f"Article {d // 10}", date))
        entries[doc_id] = DocumentEntry(key=doc_id, source=source, content_hash=doc_id, chunk_ids=ids, chars=len(text))
    summary = corpus_stats(entries.values())  # the summary must describe these documents, not the real ones
    manifest = real.manifest.model_copy(update={"documents": entries, "sentence_vectors": False, "corpus": summary})
    faiss_dir, milvus_dir = tmp / f"synthetic-{n}-faiss", tmp / f"synthetic-{n}-milvus"
    times = {}
    for name, settings in (
        ("faiss", IndexSettings(dir=faiss_dir)),
        ("milvus", IndexSettings(dir=milvus_dir, store="milvus")),
    ):
        copy = manifest.model_copy(deep=True)
        times[name] = timed(lambda: write_version(settings, copy, chunks, documents, vectors))[0]  # noqa: B023
    close_stores()
    faiss_s, milvus_s = times["faiss"], times["milvus"]
    return faiss_dir, milvus_dir, {"chunks": n, "faiss_write_s": faiss_s, "milvus_write_s": milvus_s}


# -- measuring ------------------------------------------------------------------------------------------------


def quality(faiss_dir: Path, milvus_dir: Path, queries: list[dict]) -> dict[str, dict[str, float]]:
    """The benchmark's retrieval metrics and latency of the default pipeline on each store, same process."""
    from eval import ablation
    from eval.metrics import squash
    from eval.multihop import judge
    from index import IndexSettings, close_stores, load, open_store
    from qa import Assistant, Settings

    on_faiss = Assistant(load(faiss_dir), Settings().updated(index_dir=faiss_dir))
    on_faiss.embedder.encode(["warm-up"])
    chunks = list(on_faiss.store.all_chunks())
    squashed, row_of = [squash(c.text) for c in chunks], {c.chunk_id: i for i, c in enumerate(chunks)}
    cases = [
        (q["query"], judge([squash(e["fact"]) for e in q["evidence_list"]], squashed, row_of), len(q["evidence_list"]))
        for q in queries
    ]
    exact = min(len(cases), EXACT_QUESTIONS)
    results = {}
    default = IndexSettings().milvus_keyword_pool
    for name, pool, some in (
        (f"Milvus Lite (BM25 pool {default}, default)", default, cases),
        ("Milvus Lite, BM25 pool 300", 300, cases),
        (f"Milvus Lite, exact BM25 pool (first {exact})", 16_384, cases[:exact]),
    ):
        settings = IndexSettings(dir=milvus_dir, store="milvus", milvus_keyword_pool=pool)
        on_milvus = Assistant(open_store(settings), Settings(), on_faiss.embedder)
        results[name] = ablation.score(on_milvus, some, "hybrid", None)
    results["Milvus Lite, server-side hybrid_search (RRF, one request)"] = server_hybrid(on_milvus, cases)
    results["FAISS"] = ablation.score(on_faiss, cases, "hybrid", None)
    results[f"FAISS (first {exact})"] = ablation.score(on_faiss, cases[:exact], "hybrid", None)
    close_stores()
    return results


def server_hybrid(assistant: Any, cases: list) -> dict[str, float]:
    """The metrics of Milvus's one-request hybrid search (RRF over dense and BM25), for comparison."""
    from eval.metrics import average_precision_at_k, hit_at_k, mrr_at_k
    from qa import Hit

    metrics: dict[str, list[float]] = {"hits@4": [], "hits@10": [], "mrr@10": [], "map@10": []}
    latencies = []
    for query, judge, n_relevant in cases:
        t0 = time.perf_counter()
        chunks = assistant.store.server_hybrid(query, assistant.embedder.encode([query])[0], 10)
        latencies.append(time.perf_counter() - t0)
        found = judge([Hit(c, 0.0, i) for i, c in enumerate(chunks, start=1)])
        relevant = [bool(f) for f in found]
        metrics["hits@4"].append(hit_at_k(relevant, 4))
        metrics["hits@10"].append(hit_at_k(relevant, 10))
        metrics["mrr@10"].append(mrr_at_k(relevant, 10))
        metrics["map@10"].append(average_precision_at_k(found, n_relevant, 10))
    timing = percentiles(latencies)
    result = {k: sum(v) / len(v) for k, v in metrics.items()}
    return {**result, "latency_p50_ms": timing["p50_ms"], "latency_p95_ms": timing["p95_ms"], "n": len(cases)}


def serving_worker(store: str, where: str, questions: list[str]) -> dict[str, Any]:
    """In a fresh process: open the store, answer questions; RSS and query latencies."""
    start = rss_mb()
    from index import IndexSettings, open_store
    from qa import Assistant, Settings

    settings = (
        IndexSettings(dir=Path(where))
        if store == "faiss"
        else IndexSettings(store="milvus", milvus_uri=where, dir=Path(tempfile.gettempdir()))
    )
    imported = rss_mb()
    open_s, opened = timed(lambda: open_store(settings))
    assistant = Assistant(opened, Settings(index=settings))
    assistant.embedder.encode(["warm-up"])
    latencies = []
    for question in questions:
        t0 = time.perf_counter()
        assistant.retrieve(question)
        latencies.append(time.perf_counter() - t0)
    return {
        "rss_start_mb": start,
        "rss_imported_mb": imported,
        "rss_mb": rss_mb(),
        **({"server_rss_mb": engine} if (engine := children_rss_mb()) else {}),  # Milvus Lite 2.5's engine
        "open_s": open_s,
        **percentiles(latencies),
    }


def serving(faiss_dir: Path, milvus_dir: Path, questions: list[str]) -> dict[str, dict[str, Any]]:
    """Memory and latency of a serving process on each store; for Milvus, Lite in the process and a server."""
    rows = {
        "FAISS": in_fresh_process(serving_worker, "faiss", str(faiss_dir), questions),
        "Milvus Lite (embedded)": in_fresh_process(serving_worker, "milvus", str(milvus_dir / "milvus.db"), questions),
    }
    with milvus_server(milvus_dir / "milvus.db") as (uri, server):
        rows["Milvus server (client process)"] = in_fresh_process(serving_worker, "milvus", uri, questions)
        rows["Milvus server (client process)"]["server_rss_mb"] = process_rss_mb(server.pid) + children_rss_mb(
            server.pid
        )
    return rows


class milvus_server:  # noqa: N801 - used as a context manager, like open()
    """`milvus-lite server` on a free port over an existing Milvus Lite data folder."""

    def __init__(self, data: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.data = data

    def __enter__(self) -> tuple[str, subprocess.Popen]:
        import socket

        from index import milvus_lite_server

        self.proc = subprocess.Popen(
            milvus_lite_server(self.data, self.port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"milvus-lite server exited with {self.proc.returncode}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return f"http://127.0.0.1:{self.port}", self.proc
            time.sleep(0.2)
        raise TimeoutError("milvus-lite server did not listen within 120 s")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- driver -------------------------------------------------------------------------------------------------


def run(quick: bool = False, out: Path | None = None, scale: int | None = None) -> dict[str, Any]:
    scale = scale or (3_000 if quick else 100_000)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        faiss_dir, queries = multihop_faiss(quick, tmp)
        print(f"MultiHop-RAG: FAISS index {faiss_dir}; copying into Milvus Lite", flush=True)
        milvus_dir = tmp / "multihop-milvus"
        written = copy_to_milvus(faiss_dir, milvus_dir)
        print(f"retrieval quality on {len(queries)} questions, both stores", flush=True)
        scored = quality(faiss_dir, milvus_dir, queries)
        questions = [q["query"] for q in queries[:QUESTIONS]]
        served = serving(faiss_dir, milvus_dir, questions)
        print(f"synthetic: {scale:,} chunks", flush=True)
        s_faiss, s_milvus, s_written = synthetic_index(scale, faiss_dir, tmp)
        s_served = serving(s_faiss, s_milvus, questions)
    result = {
        "multihop": {"write": written, "quality": scored, "serving": served, "queries": len(queries)},
        "synthetic": {"write": s_written, "serving": s_served},
    }
    write("stores", result, out, markdown(result))
    return result


def markdown(result: dict[str, Any]) -> str:
    mh, syn = result["multihop"], result["synthetic"]
    lines = [
        f"### MultiHop-RAG ({mh['write']['chunks']:,} chunks, {mh['queries']} dev questions, default pipeline)",
        "",
    ]
    lines.append(table(
        ["store", "MRR@10", "MAP@10", "Hits@10", "Hits@4", "p50 ms", "p95 ms", "questions"],
        [
            [name, f"{r['mrr@10']:.4f}", f"{r['map@10']:.4f}", f"{r['hits@10']:.4f}", f"{r['hits@4']:.4f}",
             f"{r['latency_p50_ms']:.1f}", f"{r['latency_p95_ms']:.1f}", r["n"]]
            for name, r in mh["quality"].items()
        ],
    ))  # fmt: skip
    for title, block in (("MultiHop-RAG", mh), (f"synthetic, {syn['write']['chunks']:,} chunks", syn)):
        w = block["write"]
        lines += ["", f"### {title}: writing a version and serving it", ""]
        lines += [
            f"Write (chunks already embedded): FAISS {w['faiss_write_s']:.1f} s "
            f"({w['chunks'] / w['faiss_write_s']:,.0f} chunks/s), Milvus Lite {w['milvus_write_s']:.1f} s "
            f"({w['chunks'] / w['milvus_write_s']:,.0f} chunks/s).",
            "",
        ]
        lines.append(table(
            ["serving process", "RSS MiB", "RSS after imports", "open s", "p50 ms", "p95 ms", "Milvus engine RSS MiB"],
            [
                [name, f"{r['rss_mb']:.0f}", f"{r['rss_imported_mb']:.0f}", f"{r['open_s']:.2f}", f"{r['p50_ms']:.1f}",
                 f"{r['p95_ms']:.1f}", f"{r['server_rss_mb']:.0f}" if "server_rss_mb" in r else ""]
                for name, r in block["serving"].items()
            ],
        ))  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stores", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="8 questions' articles, 3k synthetic chunks: CI smoke")
    parser.add_argument("--scale", type=int, help="synthetic chunks (default 100,000; --quick 3,000)")
    parser.add_argument("--out", type=Path, help="folder for the JSON and Markdown (default runs/bench)")
    args = parser.parse_args()
    run(args.quick, args.out, args.scale)


if __name__ == "__main__":
    main()
