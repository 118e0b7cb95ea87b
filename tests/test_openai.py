"""The `openai` generator against a real OpenAI-compatible server (llama.cpp's, started here), down and slow."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from qa import LLMTimeoutError, LLMUnavailableError

from .conftest import ROOT, free_port, hanging_server, wait_for_http

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llama_server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "llama_server.py"), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/health", 300, proc)  # ready: model loaded, not just listening
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.kill()
        proc.wait()


def openai_assistant(assistant, **settings):
    from qa import Assistant

    return Assistant(assistant.store, assistant.settings.updated(generator="openai", **settings), assistant.embedder)


def test_openai_generator_answers_through_a_real_server(assistant, llama_server):
    qa = openai_assistant(assistant, openai_base_url=llama_server)
    answer = qa.ask("Which European companies play a central role in developing Vietnam's 5G network?")
    assert answer.generator == "openai" and answer.draft  # the server wrote a draft
    assert "Nokia" in answer.text and answer.citations[0].source == "001_433e1422a287cbc7.txt"
    assert answer.timings["first_token"] < answer.timings["generate"]


def test_an_openai_compatible_draft_passes_the_same_agreement_checks(assistant, llama_server):
    """Issue 37: the OpenAI-compatible path (here llama.cpp's server with the packaged model) keeps only sentences
    that agree with the direct answer; the checks are the local path's (qa.fit.disagrees)."""
    qa = openai_assistant(assistant, openai_base_url=llama_server)
    answer = qa.ask("Which news agency saw the draft of the joint statement?")
    assert answer.generator == "openai" and answer.short == "Reuters"
    assert "was the European Union" not in answer.text and "Reuters" in answer.citations[0].quote
    shown = [s for s in answer.text.split("[") if "news agency" in s.lower()]
    assert all("Reuters" in s for s in shown), answer.text


def test_server_down_is_a_clear_error(assistant):
    qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(LLMUnavailableError, match="Cannot reach.*--generator extractive"):
        qa.ask("Which companies run chip packaging in Vietnam?")


def test_slow_server_times_out_clearly(assistant):
    """A server that accepts connections and never answers."""
    with hanging_server() as port:
        qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{port}/v1", llm_timeout=1.5)
        with pytest.raises(LLMTimeoutError, match="QA_LLM_TIMEOUT"):
            qa.ask("Which companies run chip packaging in Vietnam?")


def test_refusal_needs_no_server(assistant):
    """Unanswerable questions are refused before any LLM call, so a dead server does not matter."""
    qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{free_port()}/v1")
    assert qa.ask("What is the population of Vietnam?").refused


class _LoadingServer:
    """An OpenAI-compatible endpoint on 127.0.0.1 that answers 503 "Loading model" `loading` times, then streams
    one fixed answer (what llama.cpp, vLLM and Ollama do while a model loads)."""

    ANSWER = "Nokia and Ericsson play a central role in developing Vietnam's 5G network. [1]"

    def __init__(self, loading: int) -> None:
        import http.server
        import json

        state = self
        self.loading = loading
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                state.requests += 1
                if state.requests <= state.loading:
                    body = json.dumps(
                        {"error": {"message": "Loading model", "type": "unavailable_error", "code": 503}}
                    ).encode()
                    self.send_response(503)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in state.ANSWER.split(" "):
                    chunk = {
                        "id": "x",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "m",
                        "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_server_still_loading_is_retried_until_it_answers(assistant):
    loading = _LoadingServer(loading=2)
    with loading as url:
        answer = openai_assistant(assistant, openai_base_url=url, llm_timeout=30).ask(
            "Which European companies play a central role in developing Vietnam's 5G network?"
        )
    assert loading.requests == 3  # two 503s, then the answer
    assert "Nokia" in answer.draft and "Nokia" in answer.text and not answer.refused


def test_a_server_loading_past_the_timeout_is_a_clear_error(assistant):
    loading = _LoadingServer(loading=10_000)
    with loading as url:
        qa = openai_assistant(assistant, openai_base_url=url, llm_timeout=1.0)
        with pytest.raises(LLMUnavailableError, match="503.*QA_LLM_TIMEOUT"):
            qa.ask("Which European companies play a central role in developing Vietnam's 5G network?")
    assert 2 <= loading.requests < 10  # retried with backoff, not hammered
