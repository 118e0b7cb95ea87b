"""Chat UI for staff (Gradio): what the corpus holds, example questions that fit it, streamed answers with [n]
markers, source cards, the article viewer, feedback.

    qa serve [--index DIR] [--port 7860] [--host 127.0.0.1]      (or: python ui.py …)

Binds to 127.0.0.1 unless told otherwise; Gradio analytics are off and share links are never made.
Set QA_UI_USER and QA_UI_PASSWORD to require a login (failed logins are throttled). Article text is never
markup; requests over QA_UI_MAX_REQUEST_BYTES and uploads are refused (docs/security.md).
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import click  # noqa: E402
import gradio as gr  # noqa: E402 - the environment above must be set before Gradio is imported
from starlette.middleware import Middleware  # noqa: E402

from qa import (  # noqa: E402
    Answer,
    Assistant,
    Citation,
    CorpusInfo,
    Done,
    Filters,
    Guard,
    LiveAssistant,
    QAError,
    Retrieved,
    Settings,
    Token,
    allowed_hosts,
    corpus_info,
    inert,
    loopback,
)

# The article's own reference marks ("… Hanoi offers [2][4].") are the article's footnotes, not our sources: shown
# as written (the quote stays verbatim, its offsets right) but small, grey and raised, unlike our blue [n].
OWN_MARKS = re.compile(r"(?:\[\d{1,3}\])+")
OWN_MARK_TITLE = "The article's own reference mark, not one of this answer's sources"
LEGEND = (
    f'<p class="qa-legend"><sup class="qa-ref" title="{OWN_MARK_TITLE}">[2]</sup> small and grey: the article\'s '
    "own reference marks; the answer's sources are the numbered cards.</p>"
)


CSS = """
.qa-card {border:1px solid #d0d7de; border-radius:8px; padding:10px 12px; margin:8px 0; background:#fff; cursor:pointer}
.qa-card:hover {border-color:#0969da}
.qa-card h4 {margin:0 0 4px 0; font-size:0.95em}
.qa-card .meta {color:#57606a; font-size:0.85em; margin-bottom:6px}
.qa-card .passage, #qa-article .article {white-space:pre-wrap; font-size:0.9em; line-height:1.45}
.qa-card mark, #qa-article mark {background:#fff3b0; padding:0 2px}
.qa-refusal {border-left:4px solid #bf8700; padding:6px 10px; background:#fff8e5}
#qa-article .article {max-height:480px; overflow-y:auto; border:1px solid #d0d7de; padding:10px; border-radius:8px}
.qa-marker {color:#0969da; cursor:pointer; font-weight:600}
.qa-draft {color:#6e7781; border-left:3px dashed #d0d7de; padding-left:8px}
.qa-warning {color:#9a6700; font-size:0.85em; margin-bottom:6px}
.qa-error {border-left:4px solid #cf222e; padding:6px 10px; background:#ffebe9}
.qa-ref {color:#8c959f; font-size:0.75em; font-weight:400; cursor:help}
.qa-legend {color:#57606a; font-size:0.8em; margin:0 0 6px 0}
#qa-corpus .qa-corpus {border:1px solid #d0d7de; border-radius:8px; padding:8px 12px; background:#f6f8fa;
  font-size:0.9em}
#qa-corpus .qa-corpus div {margin:2px 0}
#qa-corpus .meta {color:#57606a; font-size:0.9em}
#qa-examples .qa-example {border:1px solid #d0d7de; border-radius:14px; padding:3px 10px; margin:0 6px 6px 0;
  background:#fff; cursor:pointer; font-size:0.85em; font-weight:400; text-align:left}
#qa-examples .qa-example:hover {border-color:#0969da}
"""
# Clicking a source card or an [n] marker selects that source, which opens the article at the passage; clicking an
# example question puts it in the question box.
JS = r"""
() => {
  document.addEventListener('click', (event) => {
    const example = event.target.closest('.qa-example');
    const question = document.querySelector('#qa-question textarea');
    if (example && question) {
      question.value = example.textContent;
      question.dispatchEvent(new Event('input', {bubbles: true}));
      question.focus();
      return;
    }
    const el = event.target.closest('[data-cite], .qa-marker');
    if (!el) return;
    const n = el.dataset.cite || (el.className.match(/qa-cite-(\d+)/) || [])[1];
    const box = document.querySelector('#qa-open-cite textarea, #qa-open-cite input');
    if (!n || !box) return;
    box.value = n + '#' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  });
}
"""
SCROLL_JS = (
    "() => { setTimeout(() => document.querySelector('#qa-article mark')?.scrollIntoView({block: 'center'}), 150); }"
)


class App:
    """One loaded Assistant shared by all sessions; per-session state lives in gr.State."""

    def __init__(self, assistant: Assistant | LiveAssistant | None, settings: Settings, load_error: str = "") -> None:
        if not isinstance(assistant, LiveAssistant):
            assistant = LiveAssistant(settings, assistant, None if assistant else QAError(load_error))
        self.live = assistant  # a new index version written by `qa ingest` is picked up without a restart
        self.settings = settings
        self.feedback_path = settings.ui.feedback_path
        self._feedback_lock = threading.Lock()

    def respond(
        self,
        question: str,
        chat: list,
        state: dict,
        top_k: int,
        generator: str,
        date_from: str,
        date_to: str,
        sources: str,
    ):
        """Stream one answer: yields (chat, state, cards html, details markdown, question box)."""
        question = (question or "").strip()
        turns = self.settings.ui.history_turns
        chat = list(chat or [])[-2 * turns :]
        history = list((state or {}).get("history", []))[-turns:]
        # shown as the client sent it, but as valid text: a lone surrogate cannot be sent back (the Assistant
        # answers the question itself with a typed error)
        chat.append({"role": "user", "content": question.encode("utf-8", "replace").decode("utf-8")})
        chat.append({"role": "assistant", "content": "…"})
        yield chat, state, "", "", ""
        options: dict[str, Any] = {"history": history, "generator": generator, "top_k": int(top_k), "filters": None}
        draft = ""
        try:
            options["filters"] = Filters.make(
                date_from or None, date_to or None, [s.strip() for s in (sources or "").split(",") if s.strip()]
            )
            for event in self.live.get().stream(question, **options):
                if isinstance(event, Retrieved):
                    chat[-1] = {"role": "assistant", "content": f"_Searching {len(event.hits)} passages…_"}
                    yield chat, state, "", _query_details(event.query, question), ""
                elif isinstance(event, Token):
                    draft += event.text
                    chat[-1] = {"role": "assistant", "content": _provisional(draft)}
                    yield chat, state, "", gr.skip(), ""
                elif isinstance(event, Done):
                    answer = event.answer
        except QAError as exc:
            chat[-1] = {
                "role": "assistant",
                "content": f'<div class="qa-error"><strong>Error:</strong> {inert(str(exc))}</div>',
            }
            yield chat, state, "", "", ""
            return
        rewritten = (
            f'<p class="qa-rewritten"><em>Understood as: {inert(answer.query)}</em></p>'
            if answer.query and answer.query != question
            else ""
        )
        chat[-1] = {"role": "assistant", "content": rewritten + render_answer(answer)}
        state = {"history": history + [(question, answer.text)], "last": answer_record(answer, options)}
        yield chat, state, render_cards(answer), render_details(answer, question), ""

    def page(self) -> tuple[str, str]:
        """The corpus panel and the example questions, when a page loads: from the version served now (its
        manifest's summary, written at ingest), so a new version shows on the next load."""
        try:
            info = corpus_info(self.live.get().store, self.settings.ui.examples)
        except QAError as exc:
            return f'<div class="qa-corpus"><strong>No index is loaded.</strong> {html.escape(str(exc))}</div>', ""
        return render_corpus(info), render_examples(info.examples)

    def open_citation(self, value: str, state: dict) -> str:
        """The whole article of citation `value` ("n#nonce") with the cited passage highlighted."""
        last = (state or {}).get("last")
        match = re.match(r"(\d+)", value or "")
        if not last or not match:
            return ""
        n = int(match.group(1))
        citation = next((c for c in last["citations"] if c["n"] == n), None)
        if citation is None:
            return ""
        try:
            document = self.live.get().store.documents.get(citation["doc_id"])
        except QAError:
            document = None
        return render_article(citation, document.text if document else citation["text"])

    def feedback(self, rating: str, comment: str, state: dict) -> str:
        last = (state or {}).get("last")
        if not last:
            return "Ask a question first."
        limit = self.settings.ui.feedback_max_chars
        if len(comment or "") > limit:
            return f"The comment is {len(comment):,} characters; the limit is {limit:,}. Shorten it and send again."
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "rating": rating,
            "comment": comment or "",
            **last,
        }
        self.feedback_path.parent.mkdir(parents=True, exist_ok=True)
        with self._feedback_lock, self.feedback_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return f"Thanks — feedback ({rating}) saved."


def answer_record(answer: Answer, options: dict) -> dict[str, Any]:
    """What feedback stores: question, answer, citations, settings and timings."""
    data = answer.to_dict()
    filters = options.get("filters")
    data["settings"] = {
        "generator": options["generator"],
        "top_k": options["top_k"],
        "filters": filters.__dict__ if filters else None,
    }
    return data


def _provisional(draft: str) -> str:
    """The draft while it streams: visibly unchecked, replaced by the verified answer when it is done."""
    return f'<div class="qa-draft"><em>Draft, being checked against the sources…</em><br>{inert(draft)} ▌</div>'


def _markers(text: str) -> str:
    """[n] markers (in text escaped by inert) as clickable spans."""
    return re.sub(r"&#91;(\d{1,3})&#93;", r'<span class="qa-marker qa-cite-\1" data-cite="\1">[\1]</span>', text)


def render_answer(answer: Answer) -> str:
    """The direct answer in bold, then the cited sentences, then each part of a multi-part question."""
    text = _markers(inert(answer.text))
    if answer.refused:
        return f'<div class="qa-refusal">{text}</div>'
    short = f'<p class="qa-short"><strong>{inert(answer.short)}</strong></p>' if answer.short else ""
    parts = ""
    if answer.parts:
        items = "".join(
            f"<li>{inert(p.text)}: "
            + (_markers(inert(f"[{p.n}]")) if p.found and p.n else p.not_found)
            + (" (stated otherwise)" if p.contradicted else "")
            + "</li>"
            for p in answer.parts
        )
        parts = f'<ul class="qa-parts">{items}</ul>'
    return f"{short}{text}{parts}"


def render_cards(answer: Answer) -> str:
    if not answer.citations:
        return ""
    heading = "Closest passages (none answers the question)" if answer.refused else "Sources"
    cards = "".join(render_card(c) for c in answer.citations)
    legend = LEGEND if any(OWN_MARKS.search(c.text) for c in answer.citations) else ""
    return f"<h3>{heading}</h3>{legend}{cards}"


def render_card(c: Citation) -> str:
    shown = (c.date, c.source, c.where)
    meta = " · ".join([*(html.escape(x) for x in shown if x), *([_link(c.url)] if c.url else [])])
    passage = _highlight(c.text, c.quote_start, c.quote_end)  # the article's own marks set apart
    title = html.escape(c.title or c.source)
    warning = (
        f'<div class="qa-warning"><strong>Note:</strong> this article contains {c.quarantined} paragraph(s) '
        "addressed to an AI assistant; they are never used as evidence.</div>"
        if c.quarantined
        else ""
    )
    return (
        f'<div class="qa-card" data-cite="{c.n}" title="Open the article at this passage">'
        f'<h4>[{c.n}] {title}</h4><div class="meta">{meta}</div>{warning}'
        f'<div class="passage">{passage}</div></div>'
    )


def _link(url: str) -> str:
    """The article's own URL: the only link rendered, and only an http(s) one; anything else is text."""
    if re.fullmatch(r"https?://[^\s\"'<>]+", url):
        return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer nofollow">{html.escape(url)}</a>'
    return html.escape(url)


def render_article(citation: dict, text: str) -> str:
    start = citation["chunk_start"] + citation["quote_start"]
    end = citation["chunk_start"] + citation["quote_end"]
    if text[start:end] != citation["quote"]:  # fall back to a search if offsets moved
        start = text.find(citation["quote"])
        end = start + len(citation["quote"]) if start >= 0 else -1
    title = html.escape(citation.get("title") or citation["source"])
    meta = " · ".join(html.escape(x) for x in (citation.get("date"), citation["source"], citation.get("url")) if x)
    body = _highlight(text, start, end) if start >= 0 else _text(text)
    legend = LEGEND if OWN_MARKS.search(text) else ""
    return f'<h3>[{citation["n"]}] {title}</h3><div class="meta">{meta}</div>{legend}<div class="article">{body}</div>'


def _highlight(text: str, start: int, end: int) -> str:
    """The text with [start, end) in <mark>: every character as written, at its offset."""
    return f"{_text(text[:start])}<mark>{_text(text[start:end])}</mark>{_text(text[end:])}"


def _text(text: str) -> str:
    """Article text as HTML: escaped, its own reference marks set apart."""
    return OWN_MARKS.sub(
        lambda m: f'<sup class="qa-ref" title="{OWN_MARK_TITLE}">{m.group(0)}</sup>', html.escape(text)
    )


def render_corpus(info: CorpusInfo) -> str:
    """The corpus panel: how many articles and passages, from which publishers, over which dates, the newest
    article and when the index version was written (all from the manifest's summary, written at ingest)."""
    stats = info.stats
    return (
        f'<div class="qa-corpus"><div><strong>{stats.articles:,} articles</strong> · {stats.chunks:,} passages · '
        f"{html.escape(info.dates())}</div>"
        f"<div>Publishers: {html.escape(info.publishers(shown=6))}</div>"
        f"<div>Newest: {html.escape(info.newest())}</div>"
        f'<div class="meta">Index version {html.escape(info.version)}, written {html.escape(_when(info.written))}'
        "</div></div>"
    )


def _when(iso: str) -> str:
    """ "2026-12-06 13:40 UTC" from the manifest's ISO time (as written when it is not one)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_examples(examples: list[str]) -> str:
    """Example questions as buttons that put their text in the question box (JS above); none: nothing."""
    if not examples:
        return ""
    buttons = "".join(f'<button type="button" class="qa-example">{html.escape(q)}</button>' for q in examples)
    return f'<div class="qa-examples-label">Examples</div><div>{buttons}</div>'


def _query_details(query: str, question: str) -> str:
    return f"**Searched for:** {inert(query)}" + ("  _(rewritten from the conversation)_" if query != question else "")


def _understood(understood: dict[str, list[str]]) -> list[str]:
    labels = {"publishers": "Publishers named", "dates": "Dates named", "sub_questions": "Sub-questions searched"}
    return [
        f"**{labels[k]}:** " + "; ".join(inert(v) for v in values)
        for k, values in understood.items()
        if values and k in labels
    ]


def render_details(answer: Answer, question: str) -> str:
    t = answer.timings
    lines = [
        _query_details(answer.query or question, question),
        "",
        *_understood(answer.understood),
        f"**Generator:** {answer.generator} · **support:** {answer.support:.2f}",
        "**Timings:** " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in t.items()),
        "",
        "**Retrieved passages:**",
    ]
    lines += [
        f"{h.rank}. {inert(h.chunk.title or h.chunk.source)} — `{h.chunk.chunk_id}` ({h.score:.3f})"
        for h in answer.retrieved
    ]
    if answer.dropped:
        lines += ["", "**Dropped from the draft (no supporting passage):**"]
        lines += [f"- {inert(s)}" for s in answer.dropped]
    return "\n".join(lines)


def build(app: App) -> gr.Blocks:
    settings = app.settings
    with gr.Blocks(title="Article QA") as demo:
        gr.Markdown(
            "## Ask the articles\nAnswers cite the passages they come from; click a source or a "
            "[n] marker to read it in the article."
        )
        corpus = gr.HTML(elem_id="qa-corpus")
        state = gr.State({})
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Conversation", height=420, elem_id="qa-chat", sanitize_html=True)
                question = gr.Textbox(label="Question", placeholder="Ask about the articles…", elem_id="qa-question")
                with gr.Row():
                    ask = gr.Button("Ask", variant="primary", elem_id="qa-ask")
                    clear = gr.Button("New conversation", elem_id="qa-clear")
                examples = gr.HTML(elem_id="qa-examples")
                with gr.Row():  # words, not emoji: a machine without an emoji font shows 👍 as an empty box
                    up = gr.Button("Helpful", elem_id="qa-up", size="sm")
                    down = gr.Button("Not helpful", elem_id="qa-down", size="sm")
                    comment = gr.Textbox(label="Comment (optional)", elem_id="qa-comment", scale=3)
                thanks = gr.Markdown(elem_id="qa-thanks")
                with gr.Accordion("Search details (rewritten query, timings, passages)", open=False):
                    details = gr.Markdown(elem_id="qa-details")
            with gr.Column(scale=2):
                cards = gr.HTML(elem_id="qa-cards")
                article = gr.HTML(elem_id="qa-article")
                with gr.Accordion("Settings", open=False):
                    top_k = gr.Slider(1, 20, value=settings.retrieval.top_k, step=1, label="Sources to retrieve")
                    generator = gr.Dropdown(
                        ["local", "openai", "extractive"], value=settings.answer.generator, label="Generator"
                    )
                    date_from = gr.Textbox(label="From date (e.g. 2026-01-01)")
                    date_to = gr.Textbox(label="To date")
                    sources = gr.Textbox(label="Sources (comma-separated, part of a file name or publisher)")
        open_cite = gr.Textbox(visible="hidden", elem_id="qa-open-cite")
        inputs = [question, chat, state, top_k, generator, date_from, date_to, sources]
        outputs = [chat, state, cards, details, question]
        # answers share one queue: at most `ui.concurrency` at once, the others wait and see their position,
        # instead of every session slowing down together on a 2-core CPU
        demo.load(app.page, None, [corpus, examples])
        limit = settings.ui.concurrency
        ask.click(app.respond, inputs, outputs, concurrency_limit=limit, concurrency_id="answer")
        question.submit(app.respond, inputs, outputs, concurrency_limit=limit, concurrency_id="answer")
        clear.click(lambda: ([], {}, "", "", "", ""), None, [chat, state, cards, details, article, thanks])
        open_cite.change(app.open_citation, [open_cite, state], article).then(None, js=SCROLL_JS)
        up.click(lambda c, s: app.feedback("up", c, s), [comment, state], thanks)
        down.click(lambda c, s: app.feedback("down", c, s), [comment, state], thanks)
    return demo


@click.command("serve")
@click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), help="Index folder (default: QA_INDEX_DIR or .qa/index)."
)
@click.option("--port", type=int, help="Default: QA_UI_PORT or 7860.")
@click.option("--host", help="Bind address (default: QA_UI_HOST or 127.0.0.1); any other needs QA_UI_USER/PASSWORD.")
def serve_cmd(index_dir: Path | None, port: int | None, host: str | None) -> None:
    """Start the chat UI (Gradio) for staff. Registered as `qa serve` (the qa.commands entry point)."""
    ui = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    overrides: dict[str, Any] = {"index_dir": index_dir} if index_dir else {}
    try:
        settings = Settings().updated(**overrides, **({"ui": ui} if ui else {}))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        serve(settings)
    except QAError as exc:
        raise click.ClickException(str(exc)) from exc


def check_exposure(settings: Settings) -> None:
    """Refuse to serve the UI beyond loopback without a login, as the API refuses to without keys."""
    ui = settings.ui
    if loopback(ui.host) or (ui.user and ui.password):
        return
    raise QAError(
        f"Refusing to serve the chat UI on {ui.host!r} without a login: anyone who can reach it could read the "
        "articles and use the server. Set QA_UI_USER and QA_UI_PASSWORD, or bind to 127.0.0.1."
    )


def serve(settings: Settings) -> None:
    """Run the UI until interrupted; it starts without an index too and shows how to build one."""
    check_exposure(settings)
    live = LiveAssistant.start(settings)  # without an index too: the page shows the error and how to fix it
    if live.error:
        print(f"warning: {live.error}", flush=True)
    app = App(live, settings)
    ui = settings.ui
    password = ui.password.get_secret_value() if ui.password else None
    guard = Middleware(
        Guard,
        max_bytes=ui.max_request_bytes,
        body_timeout=ui.body_timeout,
        login_failures=ui.login_failures,
        hosts=allowed_hosts(ui.host, ui.allowed_hosts),
        hosts_setting="QA_UI_ALLOWED_HOSTS",
        same_origin=True,
    )
    build(app).queue(default_concurrency_limit=4).launch(
        server_name=ui.host,
        server_port=ui.port,
        share=False,
        auth=(ui.user, password) if ui.user and password else None,
        css=CSS,
        js=JS,
        footer_links=[],
        show_error=False,
        max_file_size=1,
        app_kwargs={"middleware": [guard]},
    )


if __name__ == "__main__":
    serve_cmd()
