"""Answers on the demo corpus: the default (extractive) generator and the local SmolLM2 through llama.cpp."""

from __future__ import annotations

import re
import unicodedata

import pytest

from qa import INSUFFICIENT, Done, InvalidQuestionError, Retrieved, Token

pytestmark = pytest.mark.slow


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9.%$ ]", " ", text).split())


def gold_cases(kind: str) -> list:
    import json

    from .conftest import GOLD

    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    if kind == "answerable":
        # Factual questions about both articles; paraphrase and "differ" cases are measured by the eval suite.
        return [
            r for r in rows if r["answerable"] and r["type"] in {"factual", "numeric", "date", "person", "organisation"}
        ][:26]
    return [r for r in rows if not r["answerable"]]


def test_default_generator_is_extractive(assistant):
    """The most accurate configuration measured, with no fabricated sentence shown (docs/generators.md)."""
    assert assistant.settings.answer.generator == "extractive"


def correct(answer, case) -> bool:
    return (
        not answer.refused
        and any(norm(ok) in norm(answer.text) for ok in case["acceptable"])
        and bool(answer.citations)
        and answer.citations[0].source in case["sources"]
    )


LOCAL_FLOOR = 0.85  # share of the factual cases the local LLM path must get right: 25/26 before the reranker was on
# by default, 23/26 since (its drafts change with the passages; why it is no longer the default: docs/generators.md)


def test_local_llm_answers_factual_questions_about_both_articles(assistant):
    cases = gold_cases("answerable")
    assert {s for c in cases for s in c["sources"]} == {"000_caad304b0dc37de2.txt", "001_433e1422a287cbc7.txt"}
    answers = {c["id"]: assistant.ask(c["question"], generator="local") for c in cases}
    wrong = {c["id"]: answers[c["id"]].text for c in cases if not correct(answers[c["id"]], c)}
    assert len(wrong) <= (1 - LOCAL_FLOOR) * len(cases), wrong
    for answer in answers.values():
        assert_markers_resolve(answer)


@pytest.mark.parametrize("case", gold_cases("answerable"), ids=lambda c: c["id"])
def test_extractive_answers_each_factual_question_with_the_right_citation(assistant, case):
    answer = assistant.ask(case["question"], generator="extractive")
    assert correct(answer, case), answer.text
    assert_markers_resolve(answer)


UNANSWERABLE_FLOOR = 12  # of the 14 in the gold set; measured 13 (docs/evaluation.md)


def test_refuses_questions_the_articles_do_not_answer(assistant):
    cases = gold_cases("unanswerable")
    refused = [c["id"] for c in cases if assistant.ask(c["question"]).refused]
    assert len(cases) >= 10 and len(refused) >= UNANSWERABLE_FLOOR, set(c["id"] for c in cases) - set(refused)


def test_a_publisher_the_index_does_not_hold_is_refused_by_name(assistant):
    answer = assistant.ask("What did the Bloomberg article say about EU-Vietnam trade?")
    assert answer.refused and answer.short == INSUFFICIENT
    assert "no articles from Bloomberg" in answer.text and "qa ingest" in answer.text
    cited = assistant.ask("What did the Reuters report say about the joint statement?")  # the articles cite it
    assert not cited.refused and "Reuters" in cited.text


def test_an_either_or_question_gets_one_of_its_options(assistant):
    asked = "Do the sources give a consistent or inconsistent account of which companies build Vietnam's 5G network?"
    assert assistant.ask(asked).short == "Inconsistent"  # Nokia and Ericsson in one article, Huawei in the other
    asked = "Was the reporting on EU-Vietnam trade in the first 11 months of 2025 consistent or inconsistent?"
    assert assistant.ask(asked).short == "Consistent"


def test_refusal_says_so_and_shows_what_was_closest(assistant):
    answer = assistant.ask("What is the population of Vietnam?")
    assert answer.refused and "don't say" in answer.text
    assert answer.citations and not re.search(r"\[\d+\]", answer.text)
    assert answer.generator == assistant.settings.answer.generator and "generate" not in answer.timings


def assert_markers_resolve(answer) -> None:
    """Every [n] points at a citation, and every citation is a retrieved chunk whose text holds its quote."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == (set() if answer.refused else {c.n for c in answer.citations})
    retrieved = {h.chunk.chunk_id for h in answer.retrieved}
    for citation in answer.citations:
        assert citation.chunk_id in retrieved
        assert citation.text[citation.quote_start : citation.quote_end] == citation.quote


@pytest.mark.parametrize("generator", ["local", "extractive"])
def test_markers_always_resolve_to_retrieved_chunks(assistant, gold, generator):
    for case in gold[::4]:
        assert_markers_resolve(assistant.ask(case["question"], generator=generator))


def test_stream_yields_retrieved_tokens_then_done(assistant):
    events = list(assistant.stream("Which European companies help build Vietnam's 5G network?", generator="local"))
    assert isinstance(events[0], Retrieved) and isinstance(events[-1], Done)
    assert any(isinstance(e, Token) for e in events)
    draft = "".join(e.text for e in events if isinstance(e, Token))
    answer = events[-1].answer
    assert answer.draft == draft.strip() and "Nokia" in answer.text
    assert answer.timings["first_token"] <= answer.timings["generate"] <= answer.timings["total"]


def test_follow_up_question_uses_the_conversation(assistant):
    history = [("Which companies run chip assembly and packaging in Vietnam?", "Intel and Amkor Technology [1].")]
    answer = assistant.ask("And what is it developing itself?", history=history, generator="extractive")
    assert "chip" in answer.query and "domestic semiconductor manufacturing facility" in answer.text


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("x" * 100_000, "limit is"),
        ("Who visited \ud800 Hanoi?", "not valid text"),  # a lone surrogate (was a TypeError deep in the tokenizer)
        (b"Who visited Hanoi?", "must be text"),
    ],
)
def test_bad_questions_raise_typed_errors(assistant, question, message):
    with pytest.raises(InvalidQuestionError, match=message):
        assistant.ask(question)


def test_retrieve_ranks_chunks_with_scores(assistant):
    hits = assistant.retrieve("Nokia Ericsson 5G", top_k=3)
    assert len(hits) == 3 and hits[0].rank == 1 and hits[0].score >= hits[-1].score
    assert "Nokia" in hits[0].chunk.text
