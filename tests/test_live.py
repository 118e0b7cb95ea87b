"""LiveAssistant: the UI (and the API, tests/test_api.py) answer from a new index version without a restart, keep
serving the old one when the new one is broken, and pick up a first index that appears after they started."""

from __future__ import annotations

import html
import shutil
import time

import pytest

import ui
from index import ingest
from qa import LiveAssistant, Settings

from .test_api import NEW_ARTICLE

pytestmark = pytest.mark.slow

QUESTION = "How many tonnes of hydrogen can the Da Nang terminal store?"


def answer_text(app: ui.App, question: str) -> str:
    *_, (chat, _state, _cards, _details, _box) = app.respond(question, [], {}, 5, "extractive", "", "", "")
    return html.unescape(chat[-1]["content"])


def wait_for_version(live: LiveAssistant, before: str | None, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while live.version == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"still on {before}")
        live.get() if live.version else live.poll()
        time.sleep(0.05)
    assert live.version is not None
    return live.version


def test_the_ui_answers_from_a_new_version_and_keeps_the_old_when_the_new_is_broken(tmp_path, articles, embedder):
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    settings = Settings(index_dir=index, reload_seconds=0.05)
    live = LiveAssistant.start(settings)
    app = ui.App(live, settings)
    assert "don't say" in answer_text(app, QUESTION)
    first, encoder = live.version, live.get().embedder

    (articles / "hydrogen.md").write_text(NEW_ARTICLE)
    ingest([articles], index, embedder)
    second = wait_for_version(live, first)
    assert "4,500 tonnes" in answer_text(app, QUESTION)
    assert live.get().embedder is encoder  # shared with the first version's Assistant, not loaded again

    broken = index / "v-999999"
    shutil.copytree(index / second, broken)
    (broken / "chunks.jsonl").write_text("not json\n")
    (index / "CURRENT").write_text(broken.name)
    deadline = time.monotonic() + 5
    while live._failed != broken.name and time.monotonic() < deadline:  # noqa: SLF001 - what the log reports
        live.get()
        time.sleep(0.05)
    assert live._failed == broken.name  # noqa: SLF001
    assert live.version == second and "4,500 tonnes" in answer_text(app, QUESTION)


def test_a_server_started_without_an_index_picks_up_the_first(tmp_path, articles, embedder):
    index = tmp_path / "index"
    live = LiveAssistant.start(Settings(index_dir=index, reload_seconds=0.05))
    app = ui.App(live, live.settings)
    assert "No index at" in live.error and "qa ingest" in answer_text(app, QUESTION)
    ingest([articles], index, embedder)
    wait_for_version(live, None)
    assert live.error == ""
    assert "6.6%" in answer_text(app, "How much did EU-Vietnam trade grow year on year in 2025?")
