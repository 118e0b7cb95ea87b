"""Attribution on hand-made drafts: what the system keeps, drops and falls back on, whatever the LLM wrote."""

from __future__ import annotations

import pytest

from qa.attribution import attribute, declines, draft_sentences
from qa.evidence import EvidencePool, rank_evidence
from qa.grounding import ground

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
        EvidencePool(assistant._encode, assistant.store.idf),  # reads the evidence's passages when asked
        s.attribution_threshold,
        s.refusal_threshold,
    )


def test_supported_sentence_is_kept_with_its_passage(assistant, evidence):
    [claim] = check(assistant, evidence, "Bilateral trade reached $66.8 billion in the first 11 months of 2025 [3].")
    assert claim.evidence is not None and "66.8" in claim.evidence.sentence.text and not claim.reason


@pytest.mark.parametrize("invented", ["11.1 million", "$3 billion", "70.2 billion"])
def test_invented_figure_is_unsupported(assistant, evidence, invented):
    [claim] = check(assistant, evidence, f"Bilateral trade reached {invented} in the first 11 months of 2025.")
    assert claim.evidence is None and claim.reason == "quantity"


def test_swapped_name_is_unsupported(assistant):
    question = "Which Chinese company was awarded 5G construction contracts by Hanoi in 2025?"
    hits = assistant.retrieve(question)
    ev = rank_evidence(question, hits, assistant._encode, assistant.store.idf)
    [wrong] = check(assistant, ev, "Hanoi awarded 5G construction contracts to Nokia in 2025.", question)
    [right] = check(assistant, ev, "Hanoi awarded 5G construction contracts to Huawei in 2025.", question)
    assert wrong.evidence is None and right.evidence is not None


def test_echo_of_the_question_is_not_an_answer(assistant, evidence):
    [claim] = check(assistant, evidence, "EU-Vietnam trade in the first 11 months of 2025 was large.")
    assert not claim.kept and claim.reason in ("echo", "kind")


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


# The verifier on each family of fabrication (eval/gold/adversarial.jsonl has the full set), through the API.
FAMILIES = [
    ("Which companies run chip assembly, testing and packaging operations in Vietnam?",
     "Samsung and Amkor Technology run chip assembly, testing and packaging operations in Vietnam.", "name"),
    ("Who is the President of the European Commission?",
     "The President of the European Commission is António Costa.", "name"),
    ("Which EU leader was visiting Hanoi when the upgrade was finalized?",
     "The upgrade was finalized while EU foreign policy chief António Costa was visiting Hanoi.", "name"),
    ("By how much did EU-Vietnam trade grow year on year in the first 11 months of 2025?",
     "Trade grew by 66.8% year on year in the first 11 months of 2025.", "quantity"),
    ("When was To Lam re-elected General Secretary?",
     "To Lam was re-elected General Secretary of the Communist Party on February 23, 2026.", "date"),
    ("Does the agreement include binding commitments?",
     "The agreement entails binding commitments and carries substantial political weight.", "polarity"),
    ("Which European companies play a central role in developing Vietnam's 5G network?",
     "Nokia and Ericsson were banned from Vietnam's 5G network over cybersecurity risks.", "polarity"),
    ("What is Vietnam's position among the EU's trading partners in Southeast Asia?",
     "Vietnam is the EU's smallest trading partner in Southeast Asia.", "polarity"),
    ("Why are multinational firms shifting production away from China to Vietnam?",
     "Multinational firms are shifting production to China to increase geopolitical risks.", "polarity"),
    ("Who was re-elected Communist Party General Secretary on January 23, 2026?",
     "To Lam, who was re-elected on January 23, 2026, described the upgrade as a historical milestone.", "stitched"),
    ("Which critical minerals does Vietnam hold deposits of?",
     "Vietnam holds deposits of rare earths and gallium, which Hanoi awarded to Huawei in 2025.", None),
]  # fmt: skip


@pytest.mark.parametrize(("question", "draft", "reason"), FAMILIES, ids=[r or "any" for _, _, r in FAMILIES])
def test_each_kind_of_fabrication_is_caught(assistant, question, draft, reason):
    [claim] = assistant.verify(question, draft)
    assert claim.evidence is None
    assert claim.reason == reason if reason else claim.reason


@pytest.mark.parametrize(
    ("claim", "sentence", "reason"),
    [
        ("The pact is legally binding.", "The pact isn’t legally binding, officials said.", "polarity"),
        ("The pact is legally binding.", "The pact isn't legally binding, officials said.", "polarity"),
        ("Vietnam doesn't export tungsten to China.", "Vietnam exports tungsten to China.", "polarity"),
        ("The pact is not legally binding.", "The pact isn’t legally binding, officials said.", ""),
        ("Vietnam doesn't export tungsten to China.", "Vietnam does not export tungsten to China.", ""),
    ],
)  # fmt: skip
def test_a_contraction_is_a_negation(claim, sentence, reason):
    """ "isn't", "doesn’t" (either apostrophe) negate as "not" does: a claim that drops one is caught, a claim
    that spells it out is grounded."""
    assert ground(claim, sentence) == reason


@pytest.mark.parametrize(
    ("question", "draft"),
    [
        ("Which EU leader was visiting Hanoi when the upgrade was finalized?",
         "The upgrade was finalized while European Council President António Costa was visiting Hanoi."),
        ("How large was EU-Vietnam bilateral trade in the first 11 months of 2025?",
         "EU-Vietnam bilateral trade volume reached $66.8 billion in the first 11 months of 2025, up 6.6% year on year."),
        ("Does the agreement include binding commitments?",
         "The agreement entails no binding commitments but carries substantial political weight."),
        ("In what year did the EU–Vietnam Free Trade Agreement enter into force?", "It entered into force in 2020."),
        ("Which Chinese company was awarded 5G construction contracts by Hanoi in 2025?",
         "Chinese firms, Huawei among them, won 5G construction contracts from Hanoi in 2025."),
    ],
)  # fmt: skip
def test_correct_paraphrases_are_kept_with_the_sentence_that_grounds_them(assistant, question, draft):
    [claim] = assistant.verify(question, draft)
    assert claim.evidence is not None and not claim.reason, claim


def test_one_evidence_pass_reads_each_passage_once(assistant, monkeypatch):
    """The question, each of its parts and the disagreement topic are ranked over one read of the passages: each
    hit is split once, and with the index's sentence vectors no sentence is encoded — only the texts ranked for.
    Attribution scores with the same vectors and the same support()."""
    import qa.evidence as evidence_module

    assert assistant.store.has_sentences
    splits: list[str] = []
    split = evidence_module.prose_sentences
    monkeypatch.setattr(
        evidence_module, "prose_sentences", lambda text, title=None: splits.append(text) or split(text, title)
    )
    encoded: list[str] = []

    def encode(texts):
        encoded.extend(texts)
        return assistant._encode(texts)

    hits = assistant.retrieve(QUESTION)
    pool = EvidencePool(encode, assistant.store.idf, assistant.store.chunk_sentences)
    asked = [QUESTION, "EU-Vietnam trade in 2025", "trade growth year on year"]
    ranked = [pool.rank(text, hits) for text in asked]
    assert len(splits) == len({h.chunk.chunk_id for h in hits}) and encoded == asked
    best = ranked[0][0]
    claims = attribute(best.sentence.clean, QUESTION, ranked[0], pool, 0.55, 0.0)
    assert encoded == [*asked, QUESTION]  # the quoted sentence is not encoded again: it has its stored vector
    assert claims[0].evidence == best and claims[0].score >= 0.99 * (0.5 + 0.5)  # a quote fully supports itself
    fresh = {(e.chunk.chunk_id, e.sentence): e.support for e in rank_evidence(QUESTION, hits, encode, pool.idf)}
    assert len(fresh) == len(ranked[0])  # encoded afresh, the same sentences score as with the stored vectors
    assert all(abs(fresh[e.chunk.chunk_id, e.sentence] - e.support) < 1e-3 for e in ranked[0])
