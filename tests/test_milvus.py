"""The Milvus store on Milvus Lite (a real engine, embedded): ingest, re-ingest, delete, filters, hybrid results,
a writer that dies before the swap, and answers identical in outcome to the FAISS path."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import httpx
import numpy as np
import pytest

from index import (
    IndexNotFoundError,
    IndexSettings,
    Scope,
    StoreUnavailableError,
    ingest,
    live_version,
    load,
    milvus,
    open_store,
)
from index.milvus import DensePool, SparseScores
from qa import Assistant, Filters, LiveAssistant, Settings

from . import no_aliases
from .conftest import DEMO, ROOT, background, free_port, qa_server, run_qa_process, wait_for_port


def milvus_settings(path: Path) -> IndexSettings:
    return IndexSettings(dir=path, store="milvus")


@pytest.fixture(autouse=True)
def _close_clients():
    yield

    milvus.close_all()  # a Lite file is opened by one process at a time; later tests open their own


@pytest.fixture
def pair(tmp_path, demo_index, embedder):
    """The demo corpus in Milvus Lite, and the same corpus in FAISS, as Assistants with the same settings."""
    report = ingest([DEMO], milvus_settings(tmp_path / "milvus"), embedder)
    assert report.version == "v-000001" and report.sentence_vectors
    on_milvus = Assistant(open_store(milvus_settings(tmp_path / "milvus")), Settings(), embedder)
    on_faiss = Assistant(load(demo_index), Settings(index_dir=demo_index), embedder)
    return on_milvus, on_faiss


def test_milvus_answers_the_demo_gold_set_as_faiss_does(pair, gold):
    on_milvus, on_faiss = pair
    assert on_milvus.store.describe()["store"] == "milvus" and on_faiss.store.describe()["store"] == "faiss"
    for record in gold:
        a, b = on_milvus.ask(record["question"]), on_faiss.ask(record["question"])
        assert (a.short, a.refused, a.text) == (b.short, b.refused, b.text), record["question"]
        assert [(c.source, c.quote, c.page) for c in a.citations] == [(c.source, c.quote, c.page) for c in b.citations]


def test_hybrid_ranking_and_scores_match_faiss(pair, gold):
    on_milvus, on_faiss = pair
    for record in gold:
        a, b = on_milvus.retrieve(record["question"]), on_faiss.retrieve(record["question"])
        assert [h.chunk.chunk_id for h in a] == [h.chunk.chunk_id for h in b], record["question"]
        assert [h.score for h in a] == pytest.approx([h.score for h in b], abs=1e-3)
        assert [h.dense_score for h in a] == pytest.approx([h.dense_score for h in b], abs=1e-4)
    for mode in ("dense", "keyword"):
        a = on_milvus.retrieve("Huawei 5G contracts", mode=mode)
        b = on_faiss.retrieve("Huawei 5G contracts", mode=mode)
        assert a and [h.chunk.chunk_id for h in a] == [h.chunk.chunk_id for h in b]


def test_a_sources_best_rows_are_picked_from_the_pools_as_milvus_ranks_them(pair, monkeypatch):
    """A named publisher's candidates come from the question's BM25 and dense results when those hold enough of
    its rows (no request; 34 + 17 ms a question on Milvus Lite), else from a filtered search: the same rows."""
    store, embedder = pair[0].store, pair[0].embedder
    question = "Which contracts did the EU and Vietnam sign on trade and 5G?"
    vector = embedder.encode([question])[0]
    keyword = store.keyword([question])[0]
    store.dense(vector, 100)
    requests = []
    search = store.client.search
    monkeypatch.setattr(store.client, "search", lambda *a, **k: requests.append(k["filter"]) or search(*a, **k))
    for source in store.sources():
        within = store.within_source(None, source)
        plain = Scope(within.size, expr=within.expr)  # the same rows, as a filter only: always a request
        for n in (1, 3, 30):
            asked = len(requests)
            assert keyword.top(n, within).tolist() == keyword.top(n, plain).tolist()
            assert store.dense(vector, n, within)[0].tolist() == store.dense(vector, n, plain)[0].tolist()
            assert len(requests) - asked == 2  # the demo's pools hold every row: only the plain scopes ask
    assert requests and all(r == f'source == "{s}"' for r, s in zip(requests[::6], store.sources()))


def test_a_pool_short_of_a_sources_rows_asks_milvus():
    """Picking from a pool is exact only when it holds k of the source's rows (or every row): else a request."""
    pool = DensePool(b"", np.asarray([4, 7, 9]), np.asarray([0.9, 0.8, 0.7]), ["A", "B", "A"], whole=False)
    assert pool.within("A", 2)[0].tolist() == [4, 9] and pool.within("B", 1)[0].tolist() == [7]
    assert pool.within("A", 3) is None and pool.within("C", 1) is None
    whole = DensePool(b"", pool.rows, pool.distances, pool.sources, whole=True)
    assert whole.within("A", 3)[0].tolist() == [4, 9] and whole.within("C", 1)[0].tolist() == []
    assert pool.scores([9, 5, 4]) == {9: pytest.approx(0.7), 4: pytest.approx(0.9)}

    class Asked:
        def __init__(self):
            self.calls = []

        def keyword_search(self, texts, scope, limit):
            self.calls.append((texts, scope.expr, limit))
            return [[{"row": 2, "distance": 5.0, "source": "B"}]]

    found = [{"row": r, "distance": d, "source": s} for r, d, s in [(4, 3.0, "A"), (7, 2.0, "B"), (9, 1.0, "A")]]
    asked = Asked()
    scores = SparseScores(asked, "trade", found, 100, limit=3)  # a full pool: more rows may have a query term
    a, b = Scope(10, expr='source == "A"', source="A"), Scope(10, expr='source == "B"', source="B")
    assert scores.top(2, a).tolist() == [4, 9] and not asked.calls
    assert scores.top(2, b).tolist() == [2] and asked.calls == [(["trade"], 'source == "B"', 2)]
    assert SparseScores(asked, "trade", found, 100, limit=300).top(2, b).tolist() == [7]  # every row with a term


def test_filters_become_milvus_expressions(pair):
    on_milvus, on_faiss = pair
    docs = list(on_faiss.store.documents.values())
    source = docs[0].source
    for filters in (
        Filters.make(sources=[source[:6].upper()]),
        Filters.make(date_from="2026-01-30"),
        Filters.make(date_to="2026-01-29"),
        Filters.make(date_from="2030-01-01"),
        Filters.make(sources=['no "such" 100%_source']),
    ):
        a = on_milvus.retrieve("EU Vietnam partnership", filters=filters)
        b = on_faiss.retrieve("EU Vietnam partnership", filters=filters)
        assert [h.chunk.chunk_id for h in a] == [h.chunk.chunk_id for h in b], filters
    only = on_milvus.retrieve("EU Vietnam partnership", filters=Filters.make(sources=[source]))
    assert only and {h.chunk.source for h in only} == {source}


@pytest.mark.parametrize(
    "value", ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x85b", "a\u2028b", "x\\", 'no "such"\n%_', "it's"]
)
def test_a_filter_value_never_changes_the_expression_or_stops_the_engine(pair, value):
    """A raw newline in a source filter hung Milvus Lite 2.5's engine: every later answer waited forever."""
    on_milvus, on_faiss = pair
    filters = Filters.make(sources=[value])
    assert on_milvus.retrieve("EU Vietnam partnership", filters=filters) == []
    assert on_faiss.retrieve("EU Vietnam partnership", filters=filters) == []
    assert len(on_milvus.retrieve("EU Vietnam partnership")) == 5  # the engine still answers


def test_reingest_reuses_unchanged_articles_and_removes_deleted_ones(tmp_path, embedder):
    articles = tmp_path / "articles"
    shutil.copytree(DEMO, articles)
    settings = milvus_settings(tmp_path / "index")
    first = ingest([articles], settings, embedder)
    again = ingest([articles], settings, embedder)
    assert not again.changed and again.chunks_embedded == 0 and live_version(settings) == first.version
    files = sorted(articles.iterdir())
    with files[0].open("a") as handle:
        handle.write("\nThe ministry also confirmed a new ferry route between Hai Phong and Rotterdam.\n")
    changed = ingest([articles], settings, embedder)
    store = open_store(settings)
    ours = [c for c in store.all_chunks() if c.source == files[0].name]
    assert changed.updated == [files[0].name] and changed.chunks_embedded == len(ours)
    assert changed.version == "v-000002" and store.version == "v-000002"
    assistant = Assistant(store, Settings(), embedder)
    assert "Rotterdam" in assistant.ask("Which ferry route did the ministry confirm?").text
    files[1].unlink()
    removed = ingest([articles], settings, embedder)
    store = open_store(settings)
    assert removed.removed == [files[1].name] and {c.source for c in store.all_chunks()} == {files[0].name}
    assert len(store.documents) == 1 and files[1].name not in {d.source for d in store.manifest.documents.values()}

    client = milvus.client_for(settings)
    assert milvus.versions(client, "articles") == [2, 3]  # the live one and the one before it


def test_a_writer_that_dies_before_the_swap_leaves_the_old_version_serving(tmp_path, embedder):
    articles = tmp_path / "articles"
    shutil.copytree(DEMO, articles)
    settings = milvus_settings(tmp_path / "index")
    ingest([articles], settings, embedder)
    before = [c.chunk_id for c in open_store(settings).all_chunks()]

    milvus.close_all()  # Milvus Lite: the dying writer must be the file's only opener
    (articles / "extra.txt").write_text("A new article about rice exports from the Mekong delta to the EU.\n")
    dies = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from index import IndexSettings, ingest, milvus
        milvus._swap = lambda *a, **k: os._exit(9)   # killed after writing, before the swap
        ingest([Path({str(articles)!r})], IndexSettings(dir=Path({str(settings.dir)!r}), store="milvus"))
        """
    )
    done = subprocess.run([sys.executable, "-c", dies], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 9, done.stderr[-2000:]
    store = open_store(settings)
    assert store.version == "v-000001" and [c.chunk_id for c in store.all_chunks()] == before
    client = milvus.client_for(settings)
    assert milvus.versions(client, "articles") == [1, 2]  # the dead writer's collection, not live
    report = ingest([articles], settings, embedder)
    assert report.added == ["extra.txt"] and report.version == "v-000002"
    assert milvus.versions(client, "articles") == [1, 2]
    assert "extra.txt" in {c.source for c in open_store(settings).all_chunks()}


def test_an_engine_without_aliases_swaps_versions_by_a_pointer_row(tmp_path, embedder, monkeypatch):
    """Milvus Lite 2.5 (the compiled engine) answers alias calls UNIMPLEMENTED: versions are swapped by a row
    inserted into `<name>__live`, with the same guarantees (a writer that dies before it leaves the old serving)."""
    for method in no_aliases.ALIAS_CALLS:
        monkeypatch.setattr(f"pymilvus.MilvusClient.{method}", no_aliases.unimplemented)
    articles = tmp_path / "articles"
    shutil.copytree(DEMO, articles)
    settings = milvus_settings(tmp_path / "index")
    assert ingest([articles], settings, embedder).version == "v-000001" and live_version(settings) == "v-000001"
    (articles / "extra.txt").write_text("The Mekong delta exported 7.9 million tonnes of rice to the EU in 2025.\n")
    assert ingest([articles], settings, embedder).version == "v-000002" and open_store(settings).version == "v-000002"

    milvus.close_all()
    (articles / "more.txt").write_text("A new article about coffee exports from the Central Highlands.\n")
    dies = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from index import IndexSettings, ingest, milvus
        from tests import no_aliases
        no_aliases.patch()
        milvus._point = lambda *a, **k: os._exit(9)   # killed after writing, before the pointer row
        ingest([Path({str(articles)!r})], IndexSettings(dir=Path({str(settings.dir)!r}), store="milvus"))
        """
    )
    done = subprocess.run([sys.executable, "-c", dies], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 9, done.stderr[-2000:]
    store = open_store(settings)
    assert store.version == "v-000002" and "more.txt" not in {c.source for c in store.all_chunks()}
    assert milvus.versions(milvus.client_for(settings), "articles") == [1, 2, 3]
    report = ingest([articles], settings, embedder)
    assert report.added == ["more.txt"] and report.version == "v-000003" and live_version(settings) == "v-000003"
    assistant = Assistant(open_store(settings), Settings(), embedder)
    assert "7.9 million tonnes" in assistant.ask("How much rice did the Mekong delta export to the EU?").text


def test_a_live_assistant_follows_a_new_milvus_version(tmp_path, embedder):
    articles = tmp_path / "articles"
    shutil.copytree(DEMO, articles)
    settings = Settings(index_dir=tmp_path / "index", store="milvus", reload_seconds=0.01)
    ingest([articles], settings.index, embedder)
    live = LiveAssistant(settings, Assistant(open_store(settings.index), settings, embedder))
    assert live.version == "v-000001"
    (articles / "extra.txt").write_text("The Mekong delta exported 7.9 million tonnes of rice to the EU in 2025.\n")
    ingest([articles], settings.index, embedder)
    deadline = time.monotonic() + 300
    while live.version != "v-000002" and time.monotonic() < deadline:  # loads in a background thread; the
        live.get()  # old version answers meanwhile
        time.sleep(0.05)
    assert live.version == "v-000002"
    assert "7.9 million tonnes" in live.get().ask("How much rice did the Mekong delta export to the EU?").text


def test_no_milvus_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexNotFoundError, match="QA_STORE=milvus qa ingest"):
        open_store(milvus_settings(tmp_path / "empty"))


@contextmanager
def milvus_server(data: Path, log: Path) -> Iterator[str]:
    """A Milvus server process (Milvus Lite's engine on a TCP port: the API a Milvus cluster speaks)."""
    port = free_port()
    with background(milvus.lite_server_command(data / "milvus.db", port), log) as proc:
        wait_for_port(port, timeout=120, process=proc)
        yield f"http://127.0.0.1:{port}"
    assert not processes_naming(data / "milvus.db")  # the engine stops with the command that started it


def processes_naming(path: Path) -> list[int]:
    """Processes whose command line names `path` (a Milvus Lite engine left running would)."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(path).encode() in cmdline.read_bytes():
                pids.append(int(cmdline.parent.name))
        except OSError:  # the process ended while we looked
            continue
    return pids


def test_two_api_servers_share_one_milvus_server_and_see_a_reingest(tmp_path, articles):
    with milvus_server(tmp_path / "milvus-data", tmp_path / "milvus.log") as uri:
        env = {"QA_STORE": "milvus", "QA_MILVUS_URI": uri, "QA_RELOAD_SECONDS": "0.2"}
        built = run_qa_process("ingest", str(articles), "--index", str(tmp_path / "index"), env=env)
        assert built.returncode == 0, built.stderr
        ports = [free_port(), free_port()]
        with (
            qa_server(["api", "--port", str(ports[0])], f"http://127.0.0.1:{ports[0]}/readyz", tmp_path / "a.log", env),
            qa_server(["api", "--port", str(ports[1])], f"http://127.0.0.1:{ports[1]}/readyz", tmp_path / "b.log", env),
        ):
            ask = "How much rice did the Mekong delta export to the EU?"
            for port in ports:
                reply = httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": ask}, timeout=120).json()
                assert reply["refused"], reply
            (articles / "rice.txt").write_text(
                "The Mekong delta exported 7.9 million tonnes of rice to the EU in 2025.\n"
            )
            again = run_qa_process("ingest", str(articles), "--index", str(tmp_path / "index"), env=env)
            assert again.returncode == 0 and "1 added" in again.stdout, again.stderr
            for port in ports:  # each server notices the new version by itself, without a restart
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    info = httpx.get(f"http://127.0.0.1:{port}/v1/info", timeout=30).json()
                    if info["version"] == "v-000002":
                        break
                    time.sleep(0.2)
                assert info["version"] == "v-000002" and info["store"] == "milvus"
                reply = httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": ask}, timeout=120).json()
                assert "7.9 million tonnes" in reply["answer"], reply


def test_an_unreachable_milvus_server_is_a_clear_error(tmp_path):
    settings = IndexSettings(dir=tmp_path, store="milvus", milvus_uri=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailableError, match="Is the Milvus server running.*QA_MILVUS_URI"):
        open_store(settings)


def test_a_lite_path_the_other_engine_wrote_says_to_ingest_anew(tmp_path):
    """Milvus Lite 3 keeps a folder, Lite 2 one file, and neither reads the other's (docs/scale.md)."""
    path = tmp_path / "milvus.db"
    engine = metadata.version("milvus-lite")
    if engine.startswith("2."):
        path.mkdir()
    else:
        path.write_bytes(b"SQLite format 3\0")
    with pytest.raises(StoreUnavailableError, match=rf"Milvus Lite {engine}, which cannot read it.*QA_MILVUS_URI"):
        open_store(milvus_settings(tmp_path))
    assert path.exists()  # nothing the other engine wrote is removed


def test_a_lite_file_held_by_another_process_says_so(tmp_path, embedder, articles):
    settings = milvus_settings(tmp_path / "index")
    ingest([articles], settings, embedder)
    assert open_store(settings).version == "v-000001"  # this process now holds the Lite file
    info = run_qa_process("info", "--index", str(tmp_path / "index"), env={"QA_STORE": "milvus"})
    assert info.returncode != 0 and "one process at a time" in info.stderr, info.stderr
    assert info.stderr.strip().startswith("Error:") and "\n" not in info.stderr.strip(), info.stderr  # one line
    assert open_store(settings).version == "v-000001"
