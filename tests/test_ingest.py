"""Ingestion: idempotence, incremental updates, removal, mismatches, corruption, crashes, locking."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from index import (
    CorruptIndexError,
    IndexLockedError,
    IndexMismatchError,
    IndexNotFoundError,
    IndexSettings,
    IngestError,
    ingest,
    load,
    writer_lock,
)
from index import snapshot as snapshot_files  # what `qa ingest --watch` compares

from .conftest import ROOT


def snapshot(path):
    data = load(path)
    return data.path.name, [c.chunk_id for c in data.chunks], data.vectors.vectors()


def test_reingest_of_unchanged_files_writes_nothing(articles, tmp_path, embedder):
    index = tmp_path / "index"
    first = ingest([articles], index, embedder)
    assert sorted(first.added) == sorted(p.name for p in articles.glob("*.txt"))  # not .qa-examples
    second = ingest([articles], index, embedder)
    assert not second.changed and second.unchanged == 2 and second.chunks_embedded == 0
    assert load(index).path.name == first.version


def test_changed_file_replaces_only_its_chunks(articles, tmp_path, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    before = load(index)
    seed = articles / "001_433e1422a287cbc7.txt"
    seed.write_text(seed.read_text() + "\nThe summit ended with a state banquet in Hanoi.\n")
    report = ingest([articles], index, embedder)
    after = load(index)
    assert report.updated == ["001_433e1422a287cbc7.txt"] and report.unchanged == 1
    assert report.chunks_embedded == len([c for c in after.chunks if c.source == seed.name])
    kept = [i for i, c in enumerate(before.chunks) if c.source != seed.name]
    kept_after = [i for i, c in enumerate(after.chunks) if c.source != seed.name]
    np.testing.assert_allclose(before.vectors.vectors(kept), after.vectors.vectors(kept_after), atol=1e-6)
    assert any("state banquet" in c.text for c in after.chunks)


def test_removed_file_is_removed_and_no_prune_keeps_it(articles, tmp_path, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    (articles / "000_caad304b0dc37de2.txt").unlink()
    kept = ingest([articles], index, embedder, prune=False)
    assert not kept.changed
    report = ingest([articles], index, embedder)
    assert report.removed == ["000_caad304b0dc37de2.txt"]
    assert {c.source for c in load(index).chunks} == {"001_433e1422a287cbc7.txt"}


def test_other_chunking_is_refused_with_the_rebuild_command(articles, tmp_path, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        ingest([articles], IndexSettings(dir=index, chunk_size=128), embedder)
    rebuilt = ingest([articles], IndexSettings(dir=index, chunk_size=128), embedder, rebuild=True)
    assert rebuilt.changed and load(index).manifest.chunk_size == 128


def test_a_bad_file_stops_ingest_and_leaves_the_index_intact(articles, tmp_path, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    before = snapshot(index)
    (articles / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (articles / "new.txt").write_text("A new article about ports.\nThe port of Hai Phong grew fast in 2025.")
    with pytest.raises(IngestError, match="(?s)broken.txt.*--skip-bad"):
        ingest([articles], index, embedder)
    assert snapshot(index)[:2] == before[:2]
    report = ingest([articles], index, embedder, skip_bad=True)
    assert report.added == ["new.txt"] and "broken.txt" in report.skipped[0]


@pytest.mark.parametrize("victim", ["vectors.faiss", "chunks.jsonl", "manifest.json", "keyword/params.index.json"])
def test_corrupt_files_raise_corrupt_index_error(demo_index, tmp_path, victim):
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(demo_index, copy)
    target = load(copy).path / victim
    target.write_bytes(b"garbage" if victim != "chunks.jsonl" else b'{"chunk_id": 1}\n')
    with pytest.raises(CorruptIndexError, match="Rebuild|rebuild"):
        load(copy)


def test_missing_index_names_the_ingest_command(tmp_path):
    with pytest.raises(IndexNotFoundError, match="qa ingest data/articles"):
        load(tmp_path / "nowhere")


def test_second_writer_is_refused(tmp_path):
    with writer_lock(tmp_path), pytest.raises(IndexLockedError, match="Another process"), writer_lock(tmp_path):
        pass


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_previous_index_loadable(demo_index, tmp_path, embedder):
    """Kill `qa ingest` while it embeds a large batch; the old version must still load, then ingest recovers."""
    import shutil

    index = tmp_path / "index"
    shutil.copytree(demo_index, index)
    before = snapshot(index)
    corpus = tmp_path / "big"
    corpus.mkdir()
    for i in range(60):  # ~400 chunks: embedding them takes seconds, the kill comes 0.5 s after it starts
        (corpus / f"a{i:03}.txt").write_text(f"Report {i}\n\n" + f"Paragraph {i} about trade and ports. " * 120)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa", "ingest", str(corpus), "--index", str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
    )
    seen = bytearray()

    def pump() -> None:
        while byte := proc.stderr.read(1):
            seen.extend(byte)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and b"Embedding" not in seen and proc.poll() is None:
        time.sleep(0.05)  # the progress bar appears once embedding (the long part) has begun
    time.sleep(0.5)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(10)
    proc.stdout.close()
    proc.stderr.close()
    assert snapshot(index)[:2] == before[:2]
    np.testing.assert_array_equal(snapshot(index)[2], before[2])
    for path in sorted(corpus.iterdir())[3:]:
        path.unlink()
    report = ingest([corpus], index, embedder)
    assert len(report.added) == 3 and not list(index.glob(".tmp-*"))


def test_manifest_records_what_built_the_index(demo_index):
    manifest = json.loads((load(demo_index).path / "manifest.json").read_text())
    assert manifest["embedding_model"] == "all-MiniLM-L6-v2" and manifest["dimension"] == 384
    assert manifest["chunk_size"] == 256 and len(manifest["documents"]) == 2


def test_crash_leftovers_are_cleared_by_the_next_write(demo_index, articles, tmp_path, embedder):
    """A writer killed mid-swap leaves `.CURRENT.<pid>.tmp`, a `.tmp-<pid>-` folder, or an extra version (killed
    between the swap and the pruning); the next ingest removes them and keeps the live version."""
    import shutil

    index = tmp_path / "index"
    shutil.copytree(demo_index, index)
    live = load(index).path.name
    dead = 2**22 + 12345  # above the default pid_max, so no live process has it
    (index / f".CURRENT.{dead}.tmp").write_text("v-000099")
    (index / f".tmp-{dead}-abc").mkdir()
    for n in (50, 51, 52):
        shutil.copytree(index / live, index / f"v-{n:06d}")
    (articles / "new.txt").write_text("Port of Hai Phong\n\nThe port handled a record volume of containers in 2025.")
    ingest([articles], index, embedder)
    assert not list(index.glob(".CURRENT.*")) and not list(index.glob(".tmp-*"))
    versions = sorted(p.name for p in index.glob("v-*"))
    assert len(versions) == 2 and load(index).path.name == versions[-1]


def test_manifest_summarises_the_corpus_and_names_untitled_articles_at_ingest(demo_index):
    """Written with the version, so `qa info`, /v1/info and the UI read it instead of scanning the chunks."""
    from index import read_manifest

    manifest = read_manifest(demo_index)
    corpus = manifest.corpus
    assert corpus is not None and (corpus.articles, corpus.chunks) == (2, manifest.chunk_count)
    assert (corpus.date_from, corpus.date_to, corpus.undated) == ("2026-01-30", "2026-01-30", 1)
    assert [a.title for a in corpus.newest] == [
        "EU Elevates Vietnam Relations to Secure Critical Minerals and Tech Supply Chains"
    ]
    untitled = next(e for e in manifest.documents.values() if e.source == "001_433e1422a287cbc7.txt")
    assert untitled.title is None  # retrieval still sees no title: the heading is for display only
    assert untitled.heading == "The European Union and Vietnam are set to sign a joint statement on Thursday aimed at…"


def test_a_folders_example_questions_are_recorded_and_an_edit_alone_is_ingested(articles, tmp_path, embedder):
    index = tmp_path / "index"
    first = ingest([articles], index, embedder)
    folder = str(articles.resolve())
    shipped = load(index).manifest.examples[folder]
    assert first.examples == len(shipped) == 6 and shipped[0].startswith("How large was EU-Vietnam trade")
    examples = articles / ".qa-examples"
    before = snapshot_files([articles])
    examples.write_text(examples.read_text() + "# a comment\n\nWho is Vietnam's top leader?\n")
    assert snapshot_files([articles]) != before  # what --watch compares: an edit is seen
    edited = ingest([articles], index, embedder)
    assert edited.changed and edited.examples == 7 and edited.chunks_embedded == 0 and not edited.added
    assert load(index).manifest.examples[folder][-1] == "Who is Vietnam's top leader?"
    assert not ingest([articles], index, embedder).changed  # as recorded: nothing to write
    examples.unlink()
    removed = ingest([articles], index, embedder)
    assert removed.examples == 0 and load(index).manifest.examples == {}


def test_an_oversized_or_undecodable_examples_file_is_a_warning_and_keeps_what_was_recorded(tmp_path):
    from index.loaders import MAX_EXAMPLES_BYTES, load_paths

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("Port plan\n\nCai Mep port will add four deep-water berths by 2028.")
    (folder / ".qa-examples").write_text("Which port?\n" * (MAX_EXAMPLES_BYTES // 10))
    big = load_paths([folder])
    assert str(folder.resolve()) not in big.examples and any("not read (over" in w for w in big.warnings)
    (folder / ".qa-examples").write_bytes(b"\xff\xfe bad")
    bad = load_paths([folder])
    assert str(folder.resolve()) not in bad.examples and any("UTF-8" in w for w in bad.warnings)
    assert [d.source for d in bad.documents] == ["good.txt"]
