"""The `openai` generator against a real OpenAI-compatible server (llama.cpp's, started here), down and slow."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

from qa import LLMTimeoutError, LLMUnavailableError

from .conftest import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llama_server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "llama_server.py"), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        wait_for_port(port, 120, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.kill()
        proc.wait()


def openai_assistant(assistant, **settings):
    from qa import Assistant

    return Assistant(assistant.data, assistant.settings.model_copy(update={"generator": "openai", **settings}),
                     assistant.embedder)


def test_openai_generator_answers_through_a_real_server(assistant, llama_server):
    qa = openai_assistant(assistant, openai_base_url=llama_server)
    answer = qa.ask("Which European companies play a central role in developing Vietnam's 5G network?")
    assert answer.generator == "openai" and answer.draft  # the server wrote a draft
    assert "Nokia" in answer.text and answer.citations[0].source == "001_433e1422a287cbc7.txt"
    assert answer.timings["first_token"] < answer.timings["generate"]


def test_server_down_is_a_clear_error(assistant):
    qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(LLMUnavailableError, match="Cannot reach.*--generator extractive"):
        qa.ask("Which companies run chip packaging in Vietnam?")


def test_slow_server_times_out_clearly(assistant):
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{port}/v1", llm_timeout=1.5)
        with pytest.raises(LLMTimeoutError, match="QA_LLM_TIMEOUT"):
            qa.ask("Which companies run chip packaging in Vietnam?")
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def test_refusal_needs_no_server(assistant):
    """Unanswerable questions are refused before any LLM call, so a dead server does not matter."""
    qa = openai_assistant(assistant, openai_base_url=f"http://127.0.0.1:{free_port()}/v1")
    assert qa.ask("What is the population of Vietnam?").refused
