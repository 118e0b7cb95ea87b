"""The chat UI driven in headless Chromium (Debian's), against a real Gradio server on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, PORTS, ROOT, free_port, wait_for_port

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
    wait_for_answer(page, answers_before)


def wait_for_answer(page, answers_before: int = 0) -> None:
    """Until the answer after the first `answers_before` is complete (or an error is shown)."""
    page.wait_for_function(
        """n => {
          const bots = document.querySelectorAll('#qa-chat [data-testid=bot]');
          if (bots.length <= n) return false;
          const last = bots[bots.length - 1].innerText.trim();
          if (last === '…' || last.includes('Searching') || last.includes('▌')) return false;
          return document.querySelector('#qa-cards').innerText.length > 0 || !!bots[bots.length - 1].querySelector('.qa-error');
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
        'Harbour <img src=x onerror="window.__pwned=3"> expansion report\n\n2026-02-01\n\n'
        "The harbour of Da Nang will add 12 berths by 2030 <script>window.__pwned=1</script>"
        ' and <img src=x onerror="window.__pwned=2"> new cranes.\n'
    )
    index = tmp_path / "index"
    ingest([articles], index, embedder)
    with running_ui(index, tmp_path, QA_GENERATOR="extractive") as url:
        page = browser.new_page()
        page.goto(url)
        page.locator("#qa-corpus .qa-corpus").wait_for(timeout=60_000)
        assert "Harbour <img" in page.locator("#qa-corpus").inner_text()  # the newest article's title, as text
        assert "Harbour <img" in page.locator("#qa-examples").inner_text()  # the example made of it, as text
        ask(page, "How many berths will the harbour of Da Nang add?")
        page.locator("#qa-cards .qa-card").first.click()
        page.locator("#qa-article mark").wait_for(timeout=30_000)
        assert "<script>window.__pwned=1</script>" in page.locator("#qa-article").inner_text()
        assert "onerror" in page.locator("#qa-cards").inner_text()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#qa-article img, #qa-cards img, #qa-article script, #qa-corpus img").count() == 0
        assert page.locator("#qa-examples img").count() == 0
        page.close()


def test_errors_show_as_a_message_not_a_stack_trace(browser, tmp_path, demo_index):
    with running_ui(tmp_path / "no-index", tmp_path) as url:
        page = browser.new_page()
        page.goto(url)
        ask(page, QUESTION)
        text = last_answer(page)
        assert "No index" in text and "qa ingest" in text and "Traceback" not in text
        assert page.locator("#qa-chat .qa-error").count() == 1
        assert "No index is loaded" in page.locator("#qa-corpus").inner_text()  # the panel says so too
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


# -- the corpus served: what is inside, examples that fit it, clean source cards (issue 38) ----------------------
# Each check runs on the demo corpus (data/articles: two .txt files, one untitled, with the articles' own reference
# marks and a shipped .qa-examples) and on tests/data/ports (other publishers, as JSON records, and an untitled
# draft; no examples file).

PICTOGRAPHS = r"/\p{Extended_Pictographic}/u"  # what needs an emoji font (👍, 🔎, ⚠): boxes on a fresh Debian
CORPORA = {
    "demo": {
        "panel": [
            "2 articles",
            "2026-01-30 (1 undated)",
            "Publishers: none recorded",
            "Newest: “EU Elevates Vietnam Relations to Secure Critical Minerals and Tech Supply Chains” (2026-01-30,",
        ],
        "marks": (
            QUESTION,
            "In the first 11 months of 2025 alone, bilateral trade volume reached $66.8 billion, "
            "representing a year-on-year increase of 6.6% [2][5].",
            "[2][5]",
        ),  # fmt: skip
        "untitled": (
            "Which companies run chip packaging in Vietnam?",
            "The European Union and Vietnam are set to sign a joint statement on Thursday aimed at…",
            "001_433e1422a287cbc7.txt",
        ),
        "refusal": "What is the population of Vietnam?",
    },
    "ports": {
        "panel": [
            "4 articles",
            "2025-09-02 to 2025-11-03 (1 undated)",
            "Publishers: Harbour Gazette 2, Baltic Freight Review 1 (2 publishers; 1 article without one)",
            "Newest: “Rotterdam opens its first all-electric container terminal” (2025-11-03, Harbour Gazette)",
        ],
        "marks": (
            "How many electric cranes does the Rotterdam terminal run?",
            "The terminal runs 24 electric ship-to-shore cranes powered by offshore wind [1][3].",
            "[1][3]",
        ),
        "untitled": (
            "When will the new deep-water berth in Gdansk open?",
            "Port authorities in Gdansk said on Monday that a new deep-water berth will open in 2027…",
            "3f9a1c0d7e2b5a64.txt",
        ),
        "refusal": "What is the population of Vietnam?",
    },
}


@pytest.fixture(scope="module")
def ports_index(tmp_path_factory, embedder) -> Path:
    from index import ingest

    path = tmp_path_factory.mktemp("ports") / "index"
    ingest([PORTS], path, embedder)
    return path


@pytest.fixture(scope="module")
def ports_ui(ports_index, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ports-ui")
    proc, url = start_ui(ports_index, tmp)
    yield url, tmp
    proc.terminate()
    proc.wait(10)


@pytest.fixture(params=sorted(CORPORA))
def served(request):
    """(corpus name, UI url, index folder) for the demo corpus and the ports corpus."""
    if request.param == "demo":
        return "demo", request.getfixturevalue("ui")[0], request.getfixturevalue("demo_index")
    return "ports", request.getfixturevalue("ports_ui")[0], request.getfixturevalue("ports_index")


def open_page(browser, url: str, loaded: bool = False):
    """A page of the UI, ready for a question; with `loaded`, once its corpus panel and examples are filled in."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.locator("#qa-question textarea").wait_for(timeout=60_000)
    if loaded:
        page.locator("#qa-corpus .qa-corpus").wait_for(timeout=60_000)
    return page


def example_buttons(page) -> list[str]:
    return [b.strip() for b in page.locator("#qa-examples .qa-example").all_inner_texts()]


def test_the_corpus_panel_says_what_is_inside(browser, served):
    name, url, index = served
    from index import read_manifest

    manifest = read_manifest(index)
    page = open_page(browser, url, loaded=True)
    panel = page.locator("#qa-corpus").inner_text()
    for fact in [*CORPORA[name]["panel"], f"{manifest.chunk_count:,} passages"]:
        assert fact in panel, (fact, panel)
    written = manifest.updated[:16].replace("T", " ")  # "2026-12-06 13:40" (the manifest's time is UTC)
    assert f"Index version {manifest_version(index)}, written {written} UTC" in panel
    page.screenshot(path=str(SHOTS / f"07-corpus-{name}.png"), full_page=True)
    page.close()


def manifest_version(index: Path) -> str:
    return (index / "CURRENT").read_text().strip()


def test_examples_are_the_ones_the_demo_corpus_ships_and_fill_the_question(browser, ui):
    url, _ = ui
    shipped = [
        line.strip()
        for line in (ROOT / "data" / "articles" / ".qa-examples").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    page = open_page(browser, url, loaded=True)
    assert example_buttons(page) == shipped
    page.locator("#qa-examples .qa-example").first.click()
    assert page.locator("#qa-question textarea").input_value() == shipped[0]
    page.locator("#qa-ask").click()
    wait_for_answer(page)
    assert "66.8 billion" in last_answer(page)
    page.close()


def test_examples_on_another_corpus_come_from_its_newest_titles(browser, ports_ui):
    url, _ = ports_ui
    page = open_page(browser, url, loaded=True)
    examples = example_buttons(page)
    assert examples == [
        "What does “Rotterdam opens its first all-electric container terminal” report?",
        "What does “Hamburg port volumes fall for a third quarter” report?",
        "What does “Antwerp and Zeebrugge agree on joint pilotage” report?",
    ]
    assert not any("Vietnam" in e for e in examples)  # never the demo corpus's
    page.locator("#qa-examples .qa-example").nth(1).click()
    page.locator("#qa-ask").click()
    wait_for_answer(page)
    assert "Hamburg port volumes fall" in page.locator("#qa-cards .qa-card").first.inner_text()
    page.close()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [('["Which ports share a pilotage service?"]', ["Which ports share a pilotage service?"]), ("[]", [])],  # fmt: skip
)
def test_examples_from_the_setting_replace_the_corpus_ones(browser, ports_index, tmp_path, setting, expected):
    with running_ui(ports_index, tmp_path, QA_UI__EXAMPLES=setting) as url:
        page = open_page(browser, url, loaded=True)
        assert example_buttons(page) == expected
        page.close()


def test_the_articles_own_reference_marks_look_unlike_our_markers(browser, served):
    name, url, _ = served
    question, sentence, marks = CORPORA[name]["marks"]
    page = open_page(browser, url)
    ask(page, question)
    card = page.locator("#qa-cards .qa-card").first
    quote = card.locator("mark")
    assert quote.inner_text() == sentence  # verbatim, marks included
    own = quote.locator("sup.qa-ref")
    assert own.inner_text() == marks and "own reference" in own.get_attribute("title")
    ours = page.locator("#qa-chat .qa-marker").first
    style = "e => [getComputedStyle(e).color, parseFloat(getComputedStyle(e).fontSize)]"
    (own_color, own_size), (our_color, our_size) = own.evaluate(style), ours.evaluate(style)
    assert own_color != our_color and own_size < 0.8 * our_size  # grey and small (and raised: a <sup>)
    assert "own reference marks" in page.locator("#qa-cards .qa-legend").inner_text()
    assert page.locator("#qa-chat .qa-ref").count() == 0  # the answer carries only our [n]

    card.click()
    mark = page.locator("#qa-article mark")
    mark.wait_for(timeout=30_000)
    assert mark.inner_text() == sentence  # highlighted by offsets in the whole article, still verbatim
    assert mark.locator("sup.qa-ref").inner_text() == marks
    page.screenshot(path=str(SHOTS / f"08-own-marks-{name}.png"), full_page=True)
    page.close()


def test_an_untitled_article_is_named_by_its_first_sentence(browser, served):
    name, url, _ = served
    question, heading, source = CORPORA[name]["untitled"]
    page = open_page(browser, url)
    ask(page, question)
    card = page.locator("#qa-cards .qa-card").first
    assert card.locator("h4").inner_text() == f"[1] {heading}"
    assert source in card.locator(".meta").inner_text()  # the file name stays the source
    card.click()
    page.locator("#qa-article mark").wait_for(timeout=30_000)
    assert page.locator("#qa-article h3").inner_text() == f"[1] {heading}"
    page.close()


def test_the_page_needs_no_emoji_font(browser, served):
    name, url, _ = served
    page = open_page(browser, url)
    assert page.locator("#qa-up").inner_text().strip() == "Helpful"
    assert page.locator("#qa-down").inner_text().strip() == "Not helpful"
    ask(page, CORPORA[name]["untitled"][0])
    ask(page, CORPORA[name]["refusal"], answers_before=1)
    assert page.locator("#qa-chat .qa-refusal").count() == 1
    page.locator("#qa-up").click()
    page.wait_for_function("() => document.querySelector('#qa-thanks').innerText.includes('saved')")
    text = page.evaluate("() => document.body.innerText")
    assert not page.evaluate(f"t => {PICTOGRAPHS}.test(t)", text), [c for c in text if ord(c) > 0x2000]
    page.close()
