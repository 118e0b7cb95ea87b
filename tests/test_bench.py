"""The benchmarks' smoke run (`python -m bench --quick`): they run end to end and write what they promise.

Figures are never asserted as times (these machines vary 3–4× run to run); only shape and sanity."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest

from .conftest import MULTIHOP, ROOT


@pytest.mark.slow
@pytest.mark.timeout(1500)  # the smoke run takes 3-4 min on a quiet machine (it took 12-20 before it was cut down)
def test_quick_benchmarks_write_tables_json_and_plot(tmp_path):
    if not (MULTIHOP / "corpus.json").exists():
        pytest.skip("../shared/bench/multihop is not beside the checkout")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    query = json.loads((tmp_path / "query.json").read_text())
    systems = {(r["chunks"], r["system"]) for r in query["rows"]}
    assert (5_000, "ours (auto → flat)") in systems and (60_000, "ours (auto → ivf)") in systems
    assert any(s.startswith("llama-index") for _, s in systems)  # the baseline ran in the same run
    ivf = next(r for r in query["rows"] if r["system"] == "ours (auto → ivf)")
    assert ivf["recall@10"] >= 0.9 and 0 < ivf["memory_ratio"] < 2
    assert (tmp_path / "query.png").stat().st_size > 10_000
    ingest = json.loads((tmp_path / "ingest.json").read_text())
    assert [r["ours"]["chunks"] > 0 for r in ingest["rows"]] == [True, True]
    assert all(not r["ours"]["warm_changed"] for r in ingest["rows"])  # re-ingest of unchanged files writes nothing
    assert all(r["pipeline_vs_raw"] > 0 for r in ingest["rows"]) and "llama_index" in ingest["rows"][0]
    e2e = json.loads((tmp_path / "e2e.json").read_text())
    assert {r["generator"] for r in e2e["rows"]} >= {"extractive", "local"}
    api = json.loads((tmp_path / "api.json").read_text())
    load = api["rows"][0]["load"]
    assert load["ok"] > 0 and load["clients"] == 8 and not load["not_ok"]  # no errors, no 429 at 8 clients
    stores = json.loads((tmp_path / "stores.json").read_text())
    scored = stores["multihop"]["quality"]
    for metric in ("mrr@10", "map@10", "hits@10", "hits@4"):  # same chunks, same model, exact BM25 pool
        assert abs(scored["FAISS"][metric] - scored["Milvus Lite, exact BM25 pool (first 8)"][metric]) <= 0.01, metric
    assert set(stores["synthetic"]["serving"]) == {
        "FAISS",
        "Milvus Lite (embedded)",
        "Milvus server (client process)",
    }
    assert stores["synthetic"]["serving"]["Milvus server (client process)"]["server_rss_mb"] > 0
    compiled = metadata.version("milvus-lite").startswith("2.")  # its engine is a child process, measured apart
    assert ("server_rss_mb" in stores["synthetic"]["serving"]["Milvus Lite (embedded)"]) == compiled
    hostile = json.loads((tmp_path / "hostile.json").read_text())
    assert len(hostile["rows"]) == 4 and all(r["ok"] for r in hostile["rows"])  # good article indexed, no traceback
    for name in ("query", "ingest", "e2e", "api", "stores", "hostile"):
        assert "|---" in (tmp_path / f"{name}.md").read_text()
