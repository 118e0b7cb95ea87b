"""The chat UI driven in headless Chromium (Debian's), against a real Gradio server on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT, free_port, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
QUESTION = "How large was EU-Vietnam trade in the first 11 months of 2025?"
SHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing; scripts/setup.sh test installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def running_ui(index: Path, tmp: Path, **env: str):
    """A UI server for one test, stopped afterwards."""
    proc, url = start_ui(index, tmp, **env)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def start_ui(index: Path, tmp: Path, **env: str):
    port = free_port()
    with open(tmp / f"ui-{port}.log", "w") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "ui.py"), "--index", str(index), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "QA_FEEDBACK_PATH": str(tmp / "feedback.jsonl"), **env},
        )
    wait_for_port(port, 120, proc)
    return proc, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def ui(demo_index, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    proc, url = start_ui(demo_index, tmp)
    yield url, tmp
    proc.terminate()
    proc.wait(10)


def ask(page, question: str, answers_before: int = 0) -> None:
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-ask").click()
    page.wait_for_function(
        """n => {
          const bots = document.querySelectorAll('#qa-chat [data-testid=bot]');
          if (bots.length <= n) return false;
          const last = bots[bots.length - 1].innerText.trim();
          if (last === '…' || last.includes('Searching') || last.includes('▌')) return false;
          return document.querySelector('#qa-cards').innerText.length > 0 || last.includes('⚠');
        }""",
        arg=answers_before,
        timeout=120_000,
    )


def last_answer(page) -> str:
    return page.locator("#qa-chat [data-testid=bot]").last.inner_text()


def test_ask_read_source_follow_up_and_feedback(browser, ui):
    url, tmp = ui
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    ask(page, QUESTION)
    answer = last_answer(page)
    assert "66.8 billion" in answer and "[1]" in answer
    card = page.locator("#qa-cards .qa-card").first
    assert "EU Elevates Vietnam Relations" in card.inner_text()
    assert "66.8 billion" in card.locator("mark").inner_text()
    page.screenshot(path=str(SHOTS / "01-answer.png"), full_page=True)

    card.click()
    mark = page.locator("#qa-article mark")
    mark.wait_for(timeout=30_000)
    assert "66.8 billion" in mark.inner_text()
    assert "Comprehensive Strategic Partnership" in page.locator("#qa-article").inner_text()  # the whole article
    page.screenshot(path=str(SHOTS / "02-article.png"), full_page=True)

    ask(page, "And by how much did it grow year on year?", answers_before=1)
    assert "6.6%" in last_answer(page)
    page.screenshot(path=str(SHOTS / "03-follow-up.png"), full_page=True)

    page.locator("#qa-comment textarea").fill("right figure")
    page.locator("#qa-up").click()
    page.wait_for_function("() => document.querySelector('#qa-thanks').innerText.includes('saved')")
    records = [json.loads(line) for line in (tmp / "feedback.jsonl").read_text().splitlines()]
    assert records[-1]["rating"] == "up" and records[-1]["comment"] == "right figure"
    assert "6.6%" in records[-1]["answer"] and records[-1]["citations"] and records[-1]["timings"]["total"] > 0
    assert records[-1]["settings"]["generator"] == "extractive"  # the default
    page.close()


def test_marker_click_opens_the_article(browser, ui):
    url, _ = ui
    page = browser.new_page()
    page.goto(url)
    ask(page, "Which companies run chip packaging in Vietnam?")
    page.locator("#qa-chat .qa-marker").first.click()
    page.locator("#qa-article mark").wait_for(timeout=30_000)
    assert "Intel" in page.locator("#qa-article mark").inner_text()
    page.close()


def test_refusal_looks_different_and_sessions_are_separate(browser, ui):
    url, _ = ui
    first, second = browser.new_page(), browser.new_page()
    first.goto(url)
    second.goto(url)
    ask(first, "What is the population of Vietnam?")
    assert first.locator("#qa-chat .qa-refusal").count() == 1
    assert "don't say" in last_answer(first)
    assert "Closest passages" in first.locator("#qa-cards").inner_text()
    first.screenshot(path=str(SHOTS / "04-refusal.png"), full_page=True)
    assert second.locator("#qa-chat [data-testid=bot]").count() == 0
    first.close()
    second.close()


def test_article_html_is_shown_as_text(browser, tmp_path, embedder):
    from index import ingest

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "evil.txt").write_text(
        "Harbour expansion report\n\nThe harbour of Da Nang will add 12 berths by 2030 <script>window.__pwned=1</script>"
        ' and <img src=x onerror="window.__pwned=2"> new cranes.\n'
    )
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    with running_ui(index, tmp_path, QA_GENERATOR="extractive") as url:
        page = browser.new_page()
        page.goto(url)
        ask(page, "How many berths will the harbour of Da Nang add?")
        page.locator("#qa-cards .qa-card").first.click()
        page.locator("#qa-article mark").wait_for(timeout=30_000)
        assert "<script>window.__pwned=1</script>" in page.locator("#qa-article").inner_text()
        assert "onerror" in page.locator("#qa-cards").inner_text()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#qa-article img, #qa-cards img, #qa-article script").count() == 0
        page.close()


def test_errors_show_as_a_message_not_a_stack_trace(browser, tmp_path, demo_index):
    with running_ui(tmp_path / "no-index", tmp_path) as url:
        page = browser.new_page()
        page.goto(url)
        ask(page, QUESTION)
        text = last_answer(page)
        assert "No index" in text and "qa ingest" in text and "Traceback" not in text
        page.close()
    with running_ui(
        demo_index, tmp_path, QA_GENERATOR="openai", QA_OPENAI_BASE_URL=f"http://127.0.0.1:{free_port()}/v1"
    ) as url:
        page = browser.new_page()
        page.goto(url)
        ask(page, QUESTION)
        text = last_answer(page)
        assert "Cannot reach" in text and "Traceback" not in text
        page.screenshot(path=str(SHOTS / "05-server-down.png"), full_page=True)
        page.close()


def test_direct_answer_and_the_5g_disagreement_are_shown(browser, ui):
    """The short answer leads in bold; the two articles' conflicting 5G passages are both cited and flagged."""
    url, _ = ui
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    ask(page, "Do the two articles agree about Huawei's role in Vietnam's 5G?")
    bot = page.locator("#qa-chat [data-testid=bot]").last
    assert bot.locator(".qa-short strong").inner_text().strip() == "No"
    answer = bot.inner_text()
    assert "The sources differ" in answer and "Huawei" in answer and "Nokia" in answer
    cards = page.locator("#qa-cards").inner_text()
    assert "000_caad304b0dc37de2.txt" in cards and "001_433e1422a287cbc7.txt" in cards
    page.screenshot(path=str(SHOTS / "05-disagreement.png"), full_page=True)

    ask(page, "Does Vietnam supply tungsten, and did Nokia help develop Vietnam's 5G network?", answers_before=1)
    bot = page.locator("#qa-chat [data-testid=bot]").last
    assert bot.locator(".qa-short strong").inner_text().strip() == "Yes"
    assert bot.locator(".qa-parts li").count() == 2
    page.screenshot(path=str(SHOTS / "06-parts.png"), full_page=True)
    page.close()
