"""The FAISS index chosen by size: exact for small corpora, a tuned IVF above the limit, recall checked."""

from __future__ import annotations

import numpy as np
import pytest

from index import IndexSettings, ingest, load
from index.vectors import EXACT_LIMIT, TARGET_RECALL, VectorStore, choose_kind, recall_at, tuning_queries
from tests.conftest import DEMO


def clustered(n: int, dimension: int = 384, clusters: int = 400, seed: int = 0) -> np.ndarray:
    """Normalized vectors around random centres: structure like real embeddings have, unlike pure noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dimension)).astype(np.float32)
    vectors = centres[rng.integers(0, clusters, n)] + 0.7 * rng.standard_normal((n, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ vectors.T), axis=1)[:, :k]


def test_choice_by_size() -> None:
    assert choose_kind(7) == "flat"
    assert choose_kind(EXACT_LIMIT) == "flat"
    assert choose_kind(EXACT_LIMIT + 1) == "ivf"


def test_small_corpus_stays_exact(demo_index) -> None:
    data = load(demo_index)
    assert data.manifest.vector_index == "flat"
    assert data.vectors.kind == "flat"


@pytest.fixture(scope="module")
def large() -> tuple[np.ndarray, VectorStore]:
    vectors = clustered(EXACT_LIMIT + 5_000)
    return vectors, VectorStore.build(vectors, vectors.shape[1])


def test_above_the_limit_auto_builds_a_tuned_ivf(large) -> None:
    vectors, store = large
    assert store.kind == "ivf"
    assert 1 <= store.params["nprobe"] < store.params["nlist"]
    queries = tuning_queries(vectors, count=300, seed=7)  # not the tuning sample (seed 0)
    recall = recall_at(store._index, exact_top(vectors, queries, 10), queries)
    assert recall >= 0.95, recall


def test_ivf_round_trip_keeps_parameters_and_rows(large, tmp_path) -> None:
    vectors, store = large
    store.save(tmp_path / "vectors.faiss")
    loaded = VectorStore.load(tmp_path / "vectors.faiss")
    assert loaded.kind == "ivf" and loaded.params == store.params
    rows = [0, 17, len(vectors) - 1]
    np.testing.assert_allclose(loaded.vectors(rows), vectors[rows], atol=1e-6)
    assert loaded.vectors().shape == vectors.shape


def test_filtered_search_is_exact_on_an_approximate_index(large) -> None:
    vectors, store = large
    rng = np.random.default_rng(3)
    allowed = np.sort(rng.choice(len(vectors), 500, replace=False))
    query = vectors[allowed[10]] + vectors[allowed[20]]
    query /= np.linalg.norm(query)
    rows, scores = store.search(query, 10, allowed)
    expected = allowed[np.argsort(-(vectors[allowed] @ query))[:10]]
    assert rows.tolist() == expected.tolist()
    assert np.all(np.diff(scores) <= 1e-6)


def test_hnsw_on_request_reaches_target_recall() -> None:
    vectors = clustered(8_000, seed=1)
    store = VectorStore.build(vectors, vectors.shape[1], kind="hnsw")
    assert store.kind == "hnsw"
    queries = tuning_queries(vectors, count=200, seed=9)
    assert recall_at(store._index, exact_top(vectors, queries, 10), queries) >= TARGET_RECALL - 0.03


def test_ingest_can_force_an_approximate_index(embedder, tmp_path) -> None:
    report = ingest([DEMO], IndexSettings(dir=tmp_path / "index", vector_index="ivf"), embedder)
    data = load(tmp_path / "index")
    assert data.manifest.vector_index == "ivf" and data.vectors.kind == "ivf"
    assert len(data.vectors) == report.chunks_total
    # a re-ingest that changes nothing reads only the manifest and keeps the index as it is
    again = ingest([DEMO], IndexSettings(dir=tmp_path / "index", vector_index="ivf"), embedder)
    assert not again.changed and again.unchanged == report.documents_total
