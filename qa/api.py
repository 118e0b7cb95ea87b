"""The HTTP API (`qa api`): OpenAI-compatible chat completions with citations, and native endpoints.

    POST /v1/chat/completions   OpenAI's chat format; the answer's citations ride in an extra `citations` field
    GET  /v1/models             article-qa (the configured generator), article-qa-extractive, -local, -openai
    POST /v1/ask                the JSON of `qa ask --json`        POST /v1/retrieve   ranked passages
    GET  /v1/info               the JSON of `qa info --json`       GET /healthz, /readyz, /docs

This module owns FastAPI and uvicorn. One LiveAssistant serves every request (a new index version is picked up
without a restart); answers run in worker threads behind two bounded waiting lines (qa/gate.py): extractive
answers and LLM answers. Message content is the verified answer only (never the unverified draft), made inert for
Markdown renderers (qa/markup.py). docs/api.md has examples.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

import index as idx

from .assistant import Assistant
from .errors import BusyError, InvalidQuestionError, LLMError, QueueTimeoutError
from .gate import Gate
from .info import index_facts
from .live import LiveAssistant
from .markup import markdown_text, raised_marks
from .records import Answer, Citation
from .retrieval import Filters
from .settings import Settings
from .web import Guard, allowed_hosts, loopback, without_query_strings

log = logging.getLogger("qa.api")
PREFIX = "article-qa"
GENERATORS = ("extractive", "local", "openai")
Generator = Literal["extractive", "local", "openai"]
Credentials = Annotated[
    HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False, description="One of QA_API_KEYS."))
]


# -- request bodies ---------------------------------------------------------------------------------------------


class FilterFields(BaseModel):
    """Date range (any format `qa ask --from` reads) and source/publisher substrings."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    date_from: str | None = Field(None, alias="from", description="Only articles dated on or after this date.")
    date_to: str | None = Field(None, alias="to", description="Only articles dated on or before this date.")
    sources: list[str] = Field(default_factory=list, description="Only articles whose source/publisher contains one.")

    def filters(self) -> Filters | None:
        return Filters.make(self.date_from, self.date_to, self.sources)


class AskBody(FilterFields):
    question: str = Field(description="The question, as a user would ask it.")
    generator: Generator | None = Field(None, description="Default: QA_GENERATOR.")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages to retrieve (default QA_TOP_K).")
    history: list[tuple[str, str]] = Field(
        default_factory=list, description="Earlier (question, answer) turns; a follow-up is rewritten with them."
    )


class RetrieveBody(FilterFields):
    query: str
    top_k: int = Field(10, ge=1, le=50)
    mode: Literal["hybrid", "dense", "keyword"] | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatBody(BaseModel):
    """OpenAI's chat completion request. `max_tokens`, `temperature` and OpenAI's other options are accepted; the
    answer's length and wording are the server's (QA_MAX_TOKENS, QA_TEMPERATURE). Extra: `top_k`, `filters`,
    `sources_in_text`."""

    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    stream_options: dict[str, Any] | None = None
    top_k: int | None = Field(None, ge=1, le=50)
    filters: FilterFields | None = None
    sources_in_text: bool | None = None


# -- the application --------------------------------------------------------------------------------------------


class Service:
    """What the endpoints share: the live assistant, the waiting lines and the readiness of the models."""

    def __init__(self, settings: Settings, live: LiveAssistant) -> None:
        self.settings = settings
        self.live = live
        api = settings.api
        self.gates = {
            "extractive": Gate("extractive", api.concurrency, api.queue, api.queue_timeout, expected_seconds=0.1),
            "llm": Gate("LLM", api.llm_concurrency, api.queue, api.queue_timeout, expected_seconds=2.0),
        }
        self.warm = threading.Event()
        self.warm_error = ""

    def gate(self, generator: str) -> Gate:
        return self.gates["extractive" if generator == "extractive" else "llm"]

    def warm_up(self) -> None:
        """Load the default generator's model (the encoder is loaded with the index), so /readyz means ready."""
        try:
            name = self.settings.answer.generator
            if name != "extractive":
                self.live.get().generator(name).warm()
        except idx.QAError as exc:
            self.warm_error = str(exc)
            log.warning("The %s generator is not ready: %s", self.settings.answer.generator, exc)
        finally:
            self.warm.set()

    async def run(self, generator: str, work: Callable[[Assistant], Any]) -> Any:
        """`work(assistant)` in a worker thread once a slot of `generator`'s line is free."""
        assistant = self.live.get()
        async with self.gate(generator).slot():
            return await run_in_threadpool(work, assistant)


def create_app(settings: Settings, live: LiveAssistant | None = None) -> FastAPI:
    """The FastAPI application (serve() runs it with uvicorn; tests may mount it themselves)."""
    service = Service(settings, live or LiveAssistant.start(settings))
    api = settings.api
    guard = Middleware(
        Guard,
        max_bytes=api.max_request_bytes,
        body_timeout=api.body_timeout,
        login_failures=api.login_failures,
        blocked_paths=(),
        login_paths=("/v1/",),
        failed_status=(401,),
        hosts=allowed_hosts(api.host, api.allowed_hosts),
        hosts_setting="QA_API_ALLOWED_HOSTS",
        trusted=_has_valid_key(settings) if api.tokens() else None,
    )
    app = FastAPI(
        title="article-qa",
        version=_version(),
        description="Answers about your articles with citations the system verifies. Send `Authorization: "
        "Bearer <key>` when the server has QA_API_KEYS.",
        middleware=[guard],
    )
    app.state.service = service
    _errors(app)
    authorised = _auth(settings)
    _native_routes(app, service, authorised)
    _openai_routes(app, service, authorised)
    threading.Thread(target=service.warm_up, name="qa-warm", daemon=True).start()
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("article-qa")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def _valid_key(settings: Settings) -> Callable[[str], bool]:
    """Whether a bearer token is one of the server's keys (constant-time comparison)."""
    tokens = [t.encode() for t in settings.api.tokens()]
    return lambda given: any(hmac.compare_digest(given.encode(), token) for token in tokens)


def _has_valid_key(settings: Settings) -> Callable[[Mapping[bytes, bytes]], bool]:
    """For the guard: a request that carries a right key is never throttled for other clients' wrong ones."""
    valid = _valid_key(settings)

    def check(headers: Mapping[bytes, bytes]) -> bool:
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return scheme.lower() == "bearer" and bool(token.strip()) and valid(token.strip())

    return check


def _auth(settings: Settings) -> Callable[..., None]:
    tokens = settings.api.tokens()
    valid = _valid_key(settings)

    def authorised(credentials: Credentials) -> None:
        if not tokens:
            return
        if not valid(credentials.credentials if credentials else ""):
            raise HTTPException(
                401,
                "A valid API key is required: send the header 'Authorization: Bearer <key>' with one of the "
                "server's QA_API_KEYS.",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return authorised


# -- native endpoints -------------------------------------------------------------------------------------------


def _native_routes(app: FastAPI, service: Service, authorised: Callable[..., None]) -> None:
    secured = [Depends(authorised)]

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        """200 once the index is loaded, its store answers and the default generator's model is warm; 503 (with
        why) otherwise."""
        try:
            assistant = service.live.get()
        except idx.QAError as exc:
            return _error(503, str(exc), "index_unavailable")
        if not service.warm.is_set():
            return _error(503, "The models are still loading.", "loading", retry_after=2)
        if service.warm_error:
            return _error(503, service.warm_error, "generator_unavailable")
        try:
            assistant.store.ping()  # a Milvus engine that stopped answering is not ready, whatever /healthz says
        except idx.QAError as exc:
            return _error(503, str(exc), "store_unavailable")
        return JSONResponse(
            {
                "status": "ready",
                "version": assistant.store.version,
                "documents": len(assistant.store.documents),
                "generator": service.settings.answer.generator,
            }
        )

    @app.post("/v1/ask", dependencies=secured, tags=["native"])
    async def ask(body: AskBody) -> dict[str, Any]:
        """The verified answer: the JSON of `qa ask --json` (short answer, text with [n], citations, parts)."""
        generator = body.generator or service.settings.answer.generator
        filters = body.filters()
        options = {"history": body.history, "generator": generator, "top_k": body.top_k, "filters": filters}
        answer = await service.run(generator, lambda a: a.ask(body.question, **options))
        return answer.to_dict()

    @app.post("/v1/retrieve", dependencies=secured, tags=["native"])
    async def retrieve(body: RetrieveBody) -> dict[str, Any]:
        """The passages retrieval ranks highest (no answer generated): the list of `qa retrieve --json`."""
        filters = body.filters()
        hits = await service.run(
            "extractive", lambda a: a.retrieve(body.query, top_k=body.top_k, filters=filters, mode=body.mode)
        )
        return {"query": body.query, "hits": [h.to_dict() for h in hits]}

    @app.get("/v1/info", dependencies=secured, tags=["native"])
    def info() -> dict[str, Any]:
        """What is indexed (the JSON of `qa info --json`) and how busy the server is."""
        facts = index_facts(service.live.get().store, service.settings.ui.examples)
        facts["server"] = {name: gate.state() for name, gate in service.gates.items()}
        return facts


# -- OpenAI-compatible endpoints --------------------------------------------------------------------------------


def _openai_routes(app: FastAPI, service: Service, authorised: Callable[..., None]) -> None:
    secured = [Depends(authorised)]

    def models() -> dict[str, str]:
        default = service.settings.answer.generator
        return {PREFIX: default, **{f"{PREFIX}-{name}": name for name in GENERATORS}}

    @app.get("/v1/models", dependencies=secured, tags=["openai"])
    def list_models() -> dict[str, Any]:
        """The models a chat completion may name: one per generator, `article-qa` being the configured one."""
        return {
            "object": "list",
            "data": [{"id": m, "object": "model", "created": 0, "owned_by": PREFIX} for m in models()],
        }

    @app.post("/v1/chat/completions", dependencies=secured, tags=["openai"], response_model=None)
    async def chat_completions(body: ChatBody) -> JSONResponse | StreamingResponse:
        """OpenAI's chat completion: the last user message is the question, earlier turns the conversation."""
        generator = models().get(body.model)
        if generator is None:
            return _error(
                404,
                f"The model {body.model!r} does not exist; choose one of {', '.join(models())} (GET /v1/models).",
                "model_not_found",
            )
        question, history = conversation(body.messages)
        filters = body.filters.filters() if body.filters else None
        answer: Answer = await service.run(
            generator,
            lambda a: a.ask(question, history=history, generator=generator, top_k=body.top_k, filters=filters),
        )
        sources = service.settings.api.sources_in_text if body.sources_in_text is None else body.sources_in_text
        content = message_content(answer, sources)
        reply = _Reply(body.model, answer, content)
        if body.stream:
            usage = bool((body.stream_options or {}).get("include_usage"))
            return StreamingResponse(reply.chunks(usage), media_type="text/event-stream")
        return JSONResponse(reply.completion())


class _Reply:
    """One answer in OpenAI's shapes: a chat.completion, or chat.completion.chunk events."""

    def __init__(self, model: str, answer: Answer, content: str) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model
        self.answer = answer
        self.content = content

    def extras(self) -> dict[str, Any]:
        return {
            "citations": [citation_record(c) for c in self.answer.citations],
            "short": self.answer.short,
            "refused": self.answer.refused,
        }

    def usage(self) -> dict[str, int]:
        """Word counts (the pipeline has no single tokenizer): question in, content out."""
        prompt, completion = len(self.answer.question.split()), len(self.content.split())
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def completion(self) -> dict[str, Any]:
        message = {"role": "assistant", "content": self.content}
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            "usage": self.usage(),
            **self.extras(),
        }

    def chunk(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        event = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return f"data: {_json(event)}\n\n"

    async def chunks(self, include_usage: bool) -> AsyncIterator[str]:
        """The verified answer a few words at a time, citations in the last chunk, then [DONE]."""
        yield self.chunk({"role": "assistant", "content": ""})
        for piece in re.findall(r"\S+\s*|\s+", self.content):
            yield self.chunk({"content": piece})
        yield self.chunk({}, "stop", **self.extras(), **({"usage": self.usage()} if include_usage else {}))
        yield "data: [DONE]\n\n"


def conversation(messages: list[Message]) -> tuple[str, list[tuple[str, str]]]:
    """(the question, earlier (question, answer) turns) from OpenAI messages; system messages are ignored: the
    server's grounding rules are not the client's to change."""
    turns: list[tuple[str, str]] = []
    asked: str | None = None
    last_role = ""
    for message in messages:
        if message.role not in ("user", "assistant"):
            continue
        text = _text(message)
        if message.role == "user":
            if asked is not None and last_role == "user":
                asked = f"{asked} {text}"  # two user messages in a row are one question
            else:
                asked = text
        elif asked is not None:
            turns.append((asked, _plain(text)))
            asked = None
        last_role = message.role
    if asked is None or last_role != "user":
        raise InvalidQuestionError("The last message must be the user's question (role 'user').")
    return asked, turns


def _text(message: Message) -> str:
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise InvalidQuestionError(
                f"Only text message parts are supported, not {part.get('type')!r}: the assistant answers "
                "from its articles, not from images or files."
            )
        parts.append(part["text"])
    return "\n".join(parts)


def _plain(content: str) -> str:
    """An earlier answer as this API wrote it, back to plain text for rewriting follow-ups."""
    content = content.split("\n\nSources:\n", 1)[0].replace("\u200b", "")
    return re.sub(r"\\(.)", r"\1", content)


def message_content(answer: Answer, sources_in_text: bool) -> str:
    """The short answer, then the cited sentences with [n]; a plain Sources block when asked for."""
    text = markdown_text(answer.text, markers=True)
    if answer.short and not answer.refused:
        text = f"{markdown_text(answer.short)}\n\n{text}"
    if sources_in_text and answer.citations:
        lines = [
            f"[{c.n}] {markdown_text(_heading(c))}: “{markdown_text(raised_marks(c.quote))}”" for c in answer.citations
        ]
        text += "\n\nSources:\n" + "\n".join(lines)
    return text


def _heading(c: Citation) -> str:
    return " · ".join(filter(None, (c.title, c.date, c.source, c.where, c.url)))


def citation_record(c: Citation) -> dict[str, Any]:
    """A citation as the API sends it: what a client needs to show and link it."""
    return {
        "n": c.n,
        "source": c.source,
        "title": c.title,
        "date": c.date,
        "quote": c.quote,
        "url": c.url,
        "page": c.page,
        "score": c.score,
        "support": c.support,
        "chunk_id": c.chunk_id,
        "doc_id": c.doc_id,
        "quarantined": c.quarantined,
    }


# -- errors -----------------------------------------------------------------------------------------------------


def _error(status: int, message: str, kind: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status, headers=headers)


def status_of(exc: idx.QAError) -> tuple[int, str]:
    """The HTTP status and error type of a typed error."""
    if isinstance(exc, QueueTimeoutError):
        return 503, "overloaded"
    if isinstance(exc, BusyError):
        return 429, "rate_limit_error"
    if isinstance(exc, InvalidQuestionError):
        return 400, "invalid_request_error"
    if isinstance(exc, idx.IndexNotFoundError | idx.CorruptIndexError | idx.IndexMismatchError):
        return 503, "index_unavailable"
    if isinstance(exc, idx.StoreUnavailableError):
        return 503, "store_unavailable"
    if isinstance(exc, LLMError):
        return 503, "generator_unavailable"
    return 500, "server_error"


def _errors(app: FastAPI) -> None:
    @app.exception_handler(idx.QAError)
    async def typed(request: Request, exc: idx.QAError) -> JSONResponse:
        status, kind = status_of(exc)
        return _error(status, str(exc), kind, getattr(exc, "retry_after", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return _error(400, "The request body is not valid JSON.", "invalid_request_error")
        where = "; ".join(
            f"{'.'.join(str(x) for x in p.get('loc', ())[1:]) or 'body'}: {p.get('msg')}" for p in problems[:5]
        )
        return _error(422, f"The request does not match the schema (see /docs): {where}.", "invalid_request_error")

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> JSONResponse:
        kind = {401: "authentication_error", 404: "not_found", 405: "invalid_request_error"}.get(
            exc.status_code, "error"
        )
        response = _error(exc.status_code, str(exc.detail), kind)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "Internal error; the server log has the details.", "server_error")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- serving ----------------------------------------------------------------------------------------------------


def check_exposure(settings: Settings) -> None:
    """Refuse to serve beyond loopback without keys."""
    host = settings.api.host
    if settings.api.tokens() or loopback(host):
        return
    raise idx.QAError(
        f"Refusing to serve the API on {host!r} without keys: anyone who can reach it could use it. Set "
        "QA_API_KEYS=<key>[,<key>…] (clients send 'Authorization: Bearer <key>'), or bind to 127.0.0.1."
    )


def serve(settings: Settings) -> None:
    """Run the API with uvicorn until interrupted (it starts without an index too; /readyz says why not ready)."""
    import uvicorn

    check_exposure(settings)
    live = LiveAssistant.start(settings)
    if live.error:
        print(f"warning: {live.error}", flush=True)
    app = create_app(settings, live)
    keys = "with keys" if settings.api.tokens() else "without keys (loopback only)"
    print(f"Serving the API on http://{settings.api.host}:{settings.api.port} {keys}; docs at /docs.", flush=True)
    config = uvicorn.Config(app, host=settings.api.host, port=settings.api.port, log_level="info", server_header=False)
    logging.getLogger("uvicorn.access").addFilter(without_query_strings)  # after Config has set logging up
    uvicorn.Server(config).run()
