"""Ingest benchmark: chunks/s and MB/s of `qa ingest` per stage, beside the raw sentence-transformers encoder on
the same chunks and llama-index's default VectorStoreIndex ingest of the same chunks, in one run.

    python -m bench.ingest              # demo corpus and all 609 MultiHop-RAG articles (about 20 min on 2 cores)
    python -m bench.ingest --quick      # demo corpus and 6 MultiHop-RAG articles (the CI smoke)

Every system runs in its own fresh process (model load included in its wall time, reported apart).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import DEMO, MULTIHOP, in_fresh_process, table, timed, write


def corpus_bytes(paths: list[Path]) -> int:
    return sum(
        p.stat().st_size for path in paths for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()
    )


def ours_worker(paths: list[str], index_dir: str) -> dict[str, Any]:
    """Cold ingest into an empty folder, then a warm re-ingest of the same, unchanged files."""
    from index import Embedder, embedding_text, ingest, load

    embedder = Embedder()
    model_s, _ = timed(lambda: embedder.encode(["warm-up"]))
    cold = ingest(paths, index_dir, embedder)
    warm = ingest(paths, index_dir, embedder)
    texts = [embedding_text(c) for c in load(index_dir).chunks]
    return {
        "model_load_s": model_s,
        "timings": cold.timings,
        "chunks": cold.chunks_total,
        "documents": cold.documents_total,
        "warm_s": warm.timings["total"],
        "warm_changed": warm.changed,
        "texts": texts,
    }


def raw_worker(texts: list[str]) -> dict[str, Any]:
    """The physical limit: SentenceTransformer.encode over exactly the texts the pipeline embedded."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from index import DEFAULT_MODEL, resolve_model_path

    model_s, model = timed(lambda: SentenceTransformer(resolve_model_path(DEFAULT_MODEL), device="cpu"))
    model.encode(["warm-up"])
    encode_s, _ = timed(lambda: model.encode(texts, batch_size=64, normalize_embeddings=True))
    return {"model_load_s": model_s, "encode_s": encode_s}


def baseline_worker(texts: list[str], persist_dir: str) -> dict[str, Any]:
    """llama-index's default path: HuggingFaceEmbedding + VectorStoreIndex (SimpleVectorStore) + persist."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from index import DEFAULT_MODEL, resolve_model_path

    model_s, embed = timed(lambda: HuggingFaceEmbedding(model_name=resolve_model_path(DEFAULT_MODEL), device="cpu"))
    embed.get_text_embedding("warm-up")
    nodes = [TextNode(text=t) for t in texts]
    index_s, index = timed(lambda: VectorStoreIndex(nodes, embed_model=embed))
    persist_s, _ = timed(lambda: index.storage_context.persist(persist_dir=persist_dir))
    return {"model_load_s": model_s, "index_s": index_s, "persist_s": persist_s}


def corpora(quick: bool, tmp: Path) -> list[tuple[str, list[Path]]]:
    multihop = MULTIHOP / "corpus.json"
    if quick:
        subset = tmp / "multihop-6.json"
        subset.write_text(json.dumps(json.loads(multihop.read_text())[:6]))
        return [("demo (2 articles)", [DEMO]), ("MultiHop-RAG (6 articles)", [subset])]
    return [("demo (2 articles)", [DEMO]), ("MultiHop-RAG (609 articles)", [multihop])]


def run(quick: bool = False, out: Path | None = None, baseline: bool = True) -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        for name, paths in corpora(quick, tmp):
            print(f"{name}: ours…", flush=True)
            index_dir = tmp / "index"
            shutil.rmtree(index_dir, ignore_errors=True)
            started = time.perf_counter()
            ours = in_fresh_process(ours_worker, [str(p) for p in paths], str(index_dir))
            ours["wall_s"] = time.perf_counter() - started
            texts = ours.pop("texts")
            print(f"{name}: raw encoder…", flush=True)
            raw = in_fresh_process(raw_worker, texts)
            row = {"corpus": name, "bytes": corpus_bytes(paths), "ours": ours, "raw": raw}
            if baseline:
                print(f"{name}: llama-index…", flush=True)
                row["llama_index"] = in_fresh_process(baseline_worker, texts, str(tmp / "llama"))
                shutil.rmtree(tmp / "llama", ignore_errors=True)
            rows.append(_derive(row))
    result = {"quick": quick, "rows": rows}
    write("ingest", result, out, markdown(result))
    return result


def _derive(row: dict[str, Any]) -> dict[str, Any]:
    ours, raw, n = row["ours"], row["raw"], row["ours"]["chunks"]
    t = ours["timings"]
    row["ours_chunks_per_s"] = n / t["total"]
    row["ours_mb_per_s"] = row["bytes"] / 2**20 / t["total"]
    row["raw_chunks_per_s"] = n / raw["encode_s"]
    row["pipeline_vs_raw"] = row["ours_chunks_per_s"] / row["raw_chunks_per_s"]
    if "llama_index" in row:
        li = row["llama_index"]
        li["total_s"] = li["index_s"] + li["persist_s"]
        row["llama_chunks_per_s"] = n / li["total_s"]
    return row


def markdown(result: dict[str, Any]) -> str:
    headers = [
        "corpus",
        "chunks",
        "MB",
        "load+parse s",
        "chunk s",
        "embed s",
        "write s",
        "total s",
        "chunks/s",
        "MB/s",
        "raw encoder chunks/s",
        "pipeline / raw",
        "llama-index chunks/s",
        "warm re-ingest s",
    ]
    rows = []
    for r in result["rows"]:
        t = r["ours"]["timings"]
        rows.append(
            [
                r["corpus"],
                r["ours"]["chunks"],
                r["bytes"] / 2**20,
                t.get("load", 0.0),
                t.get("chunk", 0.0),
                t.get("embed", 0.0),
                t.get("write", 0.0),
                t["total"],
                r["ours_chunks_per_s"],
                r["ours_mb_per_s"],
                r["raw_chunks_per_s"],
                f"{r['pipeline_vs_raw']:.0%}",
                r.get("llama_chunks_per_s"),
                r["ours"]["warm_s"],
            ]
        )
    return "\n".join(
        [
            "# Ingest benchmark",
            "",
            "Times exclude the model load (reported in the JSON for each system); every system ran in its own process.",
            "pipeline / raw = end-to-end ingest throughput (parse, chunk, embed, write) over the bare encoder's on the "
            "same chunk texts.",
            "",
            table(headers, rows),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="demo + 6 MultiHop articles: the CI smoke run")
    parser.add_argument("--no-baseline", action="store_true", help="skip llama-index (saves a third of the time)")
    parser.add_argument("--out", type=Path, help="folder for ingest.json/.md (default runs/bench)")
    args = parser.parse_args()
    run(args.quick, args.out, baseline=not args.no_baseline)


if __name__ == "__main__":
    main()
