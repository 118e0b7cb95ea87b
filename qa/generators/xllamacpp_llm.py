"""The xllamacpp adapter: a llama-index CustomLLM over llama.cpp's in-process server (prebuilt wheel).

`llama-cpp-python` builds from source for 9–14 minutes here; xllamacpp installs in seconds with the same
speed (docs/generators.md). Chat requests use the model's own chat template from its GGUF file.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import PrivateAttr

from ..errors import LLMError, LLMUnavailableError

_END = object()


class XLlamaCppLLM(CustomLLM):
    """A GGUF model run by xllamacpp; loaded once, shared by all callers (requests are queued)."""

    model_path: str
    n_ctx: int = 4096
    threads: int = 2
    max_tokens: int = 256
    temperature: float = 0.0
    _server: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.n_ctx, num_output=self.max_tokens, is_chat_model=True, model_name=self.model_path
        )

    def load(self) -> None:
        """Load the model now rather than at the first request."""
        self._ensure_server()

    def _ensure_server(self) -> Any:
        with self._lock:
            if self._server is None:
                self._server = _start_server(self.model_path, self.n_ctx, self.threads)
        return self._server

    def _stream(self, body: dict[str, Any]) -> Iterator[str]:
        server = self._ensure_server()
        body = {"max_tokens": self.max_tokens, "temperature": self.temperature, **body, "stream": True}
        chunks: queue.Queue = queue.Queue()

        def run() -> None:
            try:
                server.handle_chat_completions(json.dumps(body), lambda raw: _put(chunks, raw))
            except Exception as exc:  # noqa: BLE001 - handed to the consumer thread below
                chunks.put(exc)
            finally:
                chunks.put(_END)

        threading.Thread(target=run, daemon=True, name="xllamacpp-generate").start()
        while (item := chunks.get()) is not _END:
            if isinstance(item, Exception):
                raise LLMError(f"The local model failed: {item}") from item
            yield from _deltas(item)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        wire = [{"role": m.role.value, "content": m.content or ""} for m in messages]

        def gen() -> ChatResponseGen:
            text = ""
            for delta in self._stream({"messages": wire, **kwargs}):
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        last = None
        for response in self.stream_chat(messages, **kwargs):
            last = response
        return last or ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=""))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for delta in self._stream({"messages": [{"role": "user", "content": prompt}], **kwargs}):
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        last = None
        for response in self.stream_complete(prompt, formatted, **kwargs):
            last = response
        return last or CompletionResponse(text="")


def _put(chunks: queue.Queue, raw: str) -> bool:
    """xllamacpp's stream callback: queue the chunk; False means "go on"."""
    chunks.put(raw)
    return False


def _deltas(raw: str) -> Iterator[str]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return
    if "error" in data:
        raise LLMError(f"The local model failed: {data['error']}")
    for choice in data.get("choices", []):
        content = (choice.get("delta") or {}).get("content")
        if content:
            yield content


def _start_server(model_path: str, n_ctx: int, threads: int) -> Any:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = -1
    params.warmup = False
    # The embedded server also listens on loopback; a random key keeps other local programs out of it.
    params.api_keys = [secrets.token_hex(16)]
    try:
        return xllamacpp.Server(params)
    except Exception as exc:  # noqa: BLE001 - xllamacpp raises plain RuntimeError/ValueError
        raise LLMUnavailableError(
            f"Cannot load the GGUF model {model_path!r}: {exc}. Check QA_MODEL_PATH, or use --generator extractive."
        ) from exc
