"""Attribution on hand-made drafts: what the system keeps, drops and falls back on, whatever the LLM wrote."""

from __future__ import annotations

import pytest

from qa.attribution import attribute, declines, draft_sentences
from qa.evidence import rank_evidence

QUESTION = "How large was EU-Vietnam trade in the first 11 months of 2025?"


@pytest.fixture(scope="module")
def evidence(assistant):
    hits = assistant.retrieve(QUESTION)
    return rank_evidence(QUESTION, hits, assistant._encode, assistant.store.idf)


def check(assistant, evidence, draft, question=QUESTION):
    s = assistant.settings.answer
    return attribute(
        draft,
        question,
        evidence,
        assistant._encode,
        assistant.store.idf,
        s.attribution_threshold,
        s.refusal_threshold,
    )


def test_supported_sentence_is_kept_with_its_passage(assistant, evidence):
    [claim] = check(assistant, evidence, "Bilateral trade reached $66.8 billion in the first 11 months of 2025 [3].")
    assert claim.evidence is not None and "66.8" in claim.evidence.sentence.text and not claim.reason


@pytest.mark.parametrize("invented", ["11.1 million", "$3 billion", "70.2 billion"])
def test_invented_figure_is_unsupported(assistant, evidence, invented):
    [claim] = check(assistant, evidence, f"Bilateral trade reached {invented} in the first 11 months of 2025.")
    assert claim.evidence is None and claim.reason == "unsupported"


def test_swapped_name_is_unsupported(assistant):
    question = "Which Chinese company was awarded 5G construction contracts by Hanoi in 2025?"
    hits = assistant.retrieve(question)
    ev = rank_evidence(question, hits, assistant._encode, assistant.store.idf)
    [wrong] = check(assistant, ev, "Hanoi awarded 5G construction contracts to Nokia in 2025.", question)
    [right] = check(assistant, ev, "Hanoi awarded 5G construction contracts to Huawei in 2025.", question)
    assert wrong.evidence is None and right.evidence is not None


def test_echo_of_the_question_is_not_an_answer(assistant, evidence):
    [claim] = check(assistant, evidence, "EU-Vietnam trade in the first 11 months of 2025 was large.")
    assert claim.evidence is None


def test_model_markers_and_boilerplate_are_stripped():
    assert draft_sentences("The answer is: Intel and Amkor run plants [2].\n[1] Vietnam") == [
        "Intel and Amkor run plants."
    ]


def test_llm_decline_is_detected():
    assert declines("The sources do not say.") and not declines("Trade rose 6.6%.")


def test_unsupported_draft_falls_back_to_quoted_evidence(assistant, monkeypatch):
    """Whatever the LLM writes, the final answer is grounded: here a fake draft invents a figure."""

    class Inventor:
        name = "inventor"

        def generate(self, question, evidence):
            yield "Trade was 11.1 million euros, up 3 euros."

    monkeypatch.setitem(assistant._generators, "inventor", Inventor())
    answer = assistant.ask(QUESTION, generator="inventor")
    assert "66.8 billion" in answer.text and "11.1" not in answer.text
    assert answer.dropped == ["Trade was 11.1 million euros, up 3 euros."]
