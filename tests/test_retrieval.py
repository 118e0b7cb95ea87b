"""Each retrieval stage on small hand-made corpora, with the real encoder, FAISS and BM25."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index import ingest, load
from qa import Assistant, Settings
from qa.query_plan import SourceMatcher, clauses, named_dates, understand
from qa.retrieval import Filters, Retriever
from qa.rewrite import rewrite_question
from qa.settings import RetrievalSettings

ARTICLES = [
    {
        "title": "Chip plant opens in Bac Ninh",
        "source": "TechCrunch",
        "published_at": "2023-10-07T09:00:00Z",
        "body": "The XK-7741 packaging line started production on Saturday. Amkor said the plant in Bac Ninh will "
        "employ 2,000 people. The company plans a second phase for advanced packaging next year.",
    },
    {
        "title": "Semiconductor investment grows",
        "source": "The Verge",
        "published_at": "October 30, 2023",
        "body": "Investment in semiconductor assembly keeps rising across Southeast Asia. Analysts expect chip "
        "makers to expand further as demand for processors grows and supply chains diversify.",
    },
    {
        "title": "Ferry timetable changes",
        "source": "Sporting News",
        "published_at": "30/11/2023",
        "body": "The river ferry will run every twenty minutes during the holiday season. Tickets can be bought "
        "on board, and children under six travel for free on all routes.",
    },
    {
        "title": "Chip makers look abroad",
        "source": "Fortune",
        "published_at": "2023-11-02 05:26:05.000000000Z",
        "body": "Chip makers are looking for factories abroad as costs rise at home. Executives said packaging and "
        "testing plants in Asia are cheaper to run, and governments offer tax breaks.",
    },
    {
        "title": "Cup final preview",
        "source": "The Independent - Sports",
        "published_at": "2023-12-01",
        "body": "The cup final will be played on Saturday in front of a sold-out crowd. Both coaches expect a tight "
        "match decided by set pieces and the weather.",
    },
    {
        "title": "Winter travel tips",
        "source": "The Independent - Travel",
        "published_at": "2023-12-02",
        "body": "Pack layers and check rail strikes before you travel this winter. Airports expect record numbers "
        "of passengers over the holidays, so arrive early.",
    },
]


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("hand")
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES))
    ingest([folder / "articles.jsonl"], folder / "index", embedder, sentence_vectors=True)
    return folder / "index"


@pytest.fixture(scope="module")
def retriever(hand_index, embedder) -> Retriever:
    return Retriever(load(hand_index), embedder)


def titles(hits) -> list[str]:
    return [h.chunk.title for h in hits]


def test_exact_term_that_dense_retrieval_misses(retriever):
    query = "Amkor investment plans"  # the company name is the point; the encoder hears "chip investment"
    assert titles(retriever.search(query, 1, "dense")) == ["Semiconductor investment grows"]
    assert titles(retriever.search(query, 1, "keyword")) == ["Chip plant opens in Bac Ninh"]
    assert titles(retriever.search(query, 1, "hybrid")) == ["Chip plant opens in Bac Ninh"]


def test_dates_are_normalised_across_formats(retriever):
    dates = {h.chunk.title: h.chunk.date for h in retriever.search("news", 6, "hybrid")}
    assert retriever.store.chunks([0])[0].date  # every format above became ISO
    assert {c.title: c.date for c in retriever.store.all_chunks()} == {
        "Chip plant opens in Bac Ninh": "2023-10-07",
        "Semiconductor investment grows": "2023-10-30",
        "Ferry timetable changes": "2023-11-30",
        "Chip makers look abroad": "2023-11-02",
        "Cup final preview": "2023-12-01",
        "Winter travel tips": "2023-12-02",
    } | {t: d for t, d in dates.items()}


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("1 November 2023", "2023-11-30", {"Ferry timetable changes", "Chip makers look abroad"}),
        ("2023-12-01", None, {"Cup final preview", "Winter travel tips"}),
        (None, "Oct 7, 2023", {"Chip plant opens in Bac Ninh"}),
    ],
)
def test_date_filters_in_any_format(retriever, date_from, date_to, expected):
    hits = retriever.search("chip ferry cup travel plant", 6, "hybrid", Filters.make(date_from, date_to))
    assert set(titles(hits)) == expected


def test_publisher_filter(retriever):
    hits = retriever.search("chip makers packaging", 6, "hybrid", Filters.make(sources=["fortune"]))
    assert titles(hits) == ["Chip makers look abroad"]


def test_named_publisher_is_recognised_and_favoured(retriever):
    query = "What did Fortune report about chip packaging plants?"
    assert understand(query, retriever.matcher).publishers == ("Fortune",)
    with_metadata = titles(retriever.search(query, 1, "hybrid"))
    assert with_metadata == ["Chip makers look abroad"]
    bare = retriever.search(query, 6, "hybrid", settings=RetrievalSettings.plain("zscore"))
    fortune = next(h for h in bare if h.chunk.source == "Fortune")
    boosted = next(h for h in retriever.search(query, 6, "hybrid") if h.chunk.source == "Fortune")
    assert boosted.score > fortune.score


def test_publishers_the_index_does_not_hold_are_named(retriever):
    plan = understand(
        "Did a Bloomberg article and the TechCrunch piece both report the plant in Bac Ninh?", retriever.matcher
    )
    assert plan.outlets == (("Bloomberg", True),)
    assert retriever.unheld_publishers(plan) == ("Bloomberg",)
    # a report by a body the articles mention is theirs to discuss; one that no article mentions is not held
    plan = understand("What do the Amkor report and the report by the Acme Institute say?", retriever.matcher)
    assert plan.outlets == (("Amkor", False), ("Acme Institute", False))
    assert retriever.unheld_publishers(plan) == ("Acme Institute",)
    asked = "Did the TechCrunch article on the EU's plan agree with the November article from Fortune?"
    assert understand(asked, retriever.matcher).outlets == ()


def test_which_source_is_answered_with_a_publisher_the_question_names(hand_index):
    assistant = Assistant.load(hand_index, Settings(index_dir=hand_index, generator="extractive"))
    for asked, publisher in [
        ("the plant in Bac Ninh will employ 2,000 people", "TechCrunch"),
        ("packaging and testing plants in Asia are cheaper to run", "Fortune"),
    ]:
        answer = assistant.ask(
            f"Between the TechCrunch article and the Fortune article, which news source said {asked}?"
        )
        assert answer.short == publisher and answer.citations[0].source == publisher


def test_named_date_is_recognised_and_favoured(retriever):
    query = "What did the chip report published on October 30, 2023 say about investment?"
    assert understand(query, retriever.matcher).days == ("2023-10-30",)
    assert titles(retriever.search(query, 1, "hybrid")) == ["Semiconductor investment grows"]
    assert named_dates("anything in November 2023?") == ((), ("2023-11",))
    assert named_dates("on 7 October 2023 and in October 2023") == (("2023-10-07",), ())


def test_source_matcher_prefers_the_full_name():
    matcher = SourceMatcher(
        ["The Independent - Sports", "The Independent - Travel", "Fortune", "Cnbc | World Business News Leader"]
    )
    assert matcher.find("Did The Independent - Sports say so?") == ("The Independent - Sports",)
    assert matcher.find("What did The Independent say?") == ("The Independent - Sports", "The Independent - Travel")
    assert matcher.find("as CNBC reported") == ("Cnbc | World Business News Leader",)
    assert matcher.find("a fortune was lost") == ()  # a common word is not the publisher


def test_decomposition_finds_both_halves_of_a_comparison(retriever):
    query = (
        "Does the article about the ferry say children travel free, while the article about the cup "
        "final expects a tight match decided by set pieces?"
    )
    assert len(clauses(query)) == 2
    top2 = set(titles(retriever.search(query, 2, "hybrid")))
    assert top2 == {"Ferry timetable changes", "Cup final preview"}


def test_rerank_uses_sentence_vectors_and_changes_scores(retriever):
    assert retriever.store.has_sentences and len(
        retriever.store.sentences_of(np.arange(len(retriever.store)))[0]
    ) >= len(ARTICLES)
    query = "Which company will employ two thousand workers at its new factory?"
    reranked = retriever.search(query, 3, "hybrid")
    plain = retriever.search(query, 3, "hybrid", settings=RetrievalSettings(rerank="off"))
    assert reranked[0].chunk.title == "Chip plant opens in Bac Ninh"
    assert [h.score for h in reranked] != [h.score for h in plain]


def test_follow_up_is_rewritten_before_retrieval(hand_index):
    history = [("What did Fortune report about chip factories abroad?", "Chip makers are looking abroad [1].")]
    assert rewrite_question("And why are they cheaper?", history).startswith("What did Fortune report")
    assert rewrite_question("When does the ferry run?", history) == "When does the ferry run?"
    assistant = Assistant.load(hand_index, Settings(index_dir=hand_index, generator="extractive"))
    answer = assistant.ask("And why are they cheaper?", history=history)
    assert answer.citations and answer.citations[0].title == "Chip makers look abroad"


def test_sentence_vectors_spare_the_encoder_during_evidence_ranking(hand_index):
    assistant = Assistant.load(hand_index, Settings(index_dir=hand_index, generator="extractive", rerank="off"))
    encoded: list[str] = []
    real = assistant.embedder.encode

    def counting(texts, *args, **kwargs):
        encoded.extend(texts)
        return real(texts, *args, **kwargs)

    assistant.embedder.encode = counting
    answer = assistant.ask("How many people will the Bac Ninh plant employ?")
    assert "2,000" in answer.text and answer.citations[0].title == "Chip plant opens in Bac Ninh"
    # only the question and the answer's own sentences (attribution) were encoded, not the passages' sentences
    assert "How many people will the Bac Ninh plant employ?" in encoded
    assert "The company plans a second phase for advanced packaging next year." not in encoded


def test_llm_subquestions_are_parsed_defensively():
    from qa.generators.base import parse_subquestions

    reply = "1. Ferry tickets for children\n- Cup final tight match\n\nok\n2. ferry tickets for children\n"
    assert parse_subquestions(reply) == ("Ferry tickets for children", "Cup final tight match")
    assert parse_subquestions("") == ()


def test_llm_decomposition_feeds_retrieval(hand_index, monkeypatch):
    assistant = Assistant.load(hand_index, Settings(index_dir=hand_index, generator="local", decompose="llm"))
    generator = assistant.generator("local")
    real = generator.decompose(ARTICLES[0]["title"] + " and " + ARTICLES[2]["title"] + "?")  # the real model runs
    assert isinstance(real, tuple) and all(isinstance(q, str) for q in real)
    monkeypatch.setattr(
        generator, "decompose", lambda q: ("children travel free on the ferry", "cup final decided by set pieces")
    )
    seen = {}
    search = assistant.retriever.search

    def spy(*args, **kwargs):
        seen["subquestions"] = kwargs["plan"].clauses
        return search(*args, **kwargs)

    monkeypatch.setattr(assistant.retriever, "search", spy)
    assistant.ask("Compare the two articles.")
    assert seen["subquestions"] == ("children travel free on the ferry", "cup final decided by set pieces")


def test_answer_reports_what_the_question_named(hand_index):
    assistant = Assistant.load(hand_index, Settings(index_dir=hand_index, generator="extractive"))
    answer = assistant.ask(
        "What did Fortune report on November 2, 2023 about chip plants, while The Verge "
        "described semiconductor investment?"
    )
    assert answer.understood["publishers"] == ["Fortune", "The Verge"]
    assert answer.understood["dates"] == ["2023-11-02"]
    assert len(answer.understood["sub_questions"]) == 2
    assert answer.to_dict()["understood"] == answer.understood
    from ui import render_details

    details = render_details(answer, answer.question)
    assert "Publishers named:** Fortune; The Verge" in details and "Sub-questions searched" in details


def test_a_soft_wrapped_line_does_not_end_a_sentence():
    from index import split_sentences

    text = (
        "Headline\n\nThe terminal can store\n4,500 tonnes of hydrogen.\nA new paragraph starts Here.\nTitle Case Line"
    )
    sentences = split_sentences(text)
    assert [s.clean for s in sentences] == [
        "Headline",
        "The terminal can store 4,500 tonnes of hydrogen.",
        "A new paragraph starts Here.",
        "Title Case Line",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.timeout(60)  # a bound, not a speed target: linear takes seconds, a copy per sentence minutes
def test_one_huge_paragraph_is_split_in_time_linear_in_its_length():
    """Article text is untrusted: a 13 MB paragraph of 600,000 sentences (abbreviations among them) is split
    without copying the rest of the paragraph at every full stop."""
    from index import split_sentences

    sentences = split_sentences("Word word word Dec. 5 word. Mr. Smith went. " * 300_000)
    assert len(sentences) == 600_000 and sentences[0].text == "Word word word Dec. 5 word."


def test_an_abbreviation_does_not_end_a_sentence():
    """ "Dec. 20" is a date and "Mr. Smith" a name: cut there, the sentence loses its day or its subject."""
    from index import split_sentences

    text = (
        "Aquaman and The Lost Kingdom: Dec.  20\nRobin Williams died on Aug. 11, 2014. Mr. Smith went to Washington. "
        "He left in Dec. He came back. No. 1 seed Sinner won. He said no. Then he left."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Aquaman and The Lost Kingdom: Dec.  20",
        "Robin Williams died on Aug. 11, 2014.",
        "Mr. Smith went to Washington.",
        "He left in Dec.",
        "He came back.",
        "No. 1 seed Sinner won.",
        "He said no.",
        "Then he left.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
