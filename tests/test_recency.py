"""Time in questions: the newest source older than the question assumes (a later year or date, the present tense), and periods such as "between January and November"."""

from __future__ import annotations

from datetime import date

from qa.recency import recency_note

SOURCES = ["2026-01-29", "2026-01-30", None]


def test_a_later_year_or_date_than_the_newest_source_is_said():
    assert "asks about 2027" in recency_note("How large was EU-Vietnam trade in 2027?", SOURCES)
    assert "asks about 2026-03-01" in recency_note("What happened on March 1, 2026?", SOURCES)
    assert "dated 2026-01-30" in recency_note("How large was trade in 2027?", SOURCES)


def test_a_plan_the_cited_sentence_dates_in_the_future_gets_no_note():
    plan = "Cai Mep port will add four deep-water berths by 2028, the operator said."
    assert recency_note("What will Cai Mep port add by 2028?", SOURCES, cited=[plan]) == ""
    assert "asks about 2028" in recency_note("What will Cai Mep port add by 2028?", SOURCES)  # nothing cited says it


def test_the_present_tense_needs_a_recent_source():
    question = "Who currently leads Vietnam's Communist Party?"
    assert recency_note(question, SOURCES, today=date(2026, 11, 30)).startswith("As of 2026-01-30")
    assert recency_note(question, SOURCES, today=date(2026, 2, 10)) == ""  # a fresh source: nothing to say


def test_no_note_when_the_question_is_within_the_sources_time():
    assert recency_note("How large was trade in the first 11 months of 2025?", SOURCES) == ""
    assert recency_note("When was To Lam re-elected?", SOURCES, today=date(2030, 1, 1)) == ""
    assert recency_note("How large was trade in 2027?", [None]) == ""  # undated sources: nothing to compare


def test_an_answer_carries_the_note_in_its_text_and_json(assistant):
    answer = assistant.ask("How large was EU-Vietnam trade in 2027?")
    assert "2027" in answer.as_of and answer.as_of in answer.text
    assert answer.to_dict()["as_of"] == answer.as_of
    assert assistant.ask("How large was EU-Vietnam trade in the first 11 months of 2025?").as_of == ""


def test_a_period_from_january_is_also_searched_as_the_first_months():
    from qa.rewrite import spell_out_periods

    assert spell_out_periods("How much trade was there between January and November 2025?").endswith(
        "November 2025 (the first 11 months of 2025)?"
    )
    assert "first 3 months" in spell_out_periods("What happened from January to March?")
    for written in ("for january to november 2025", "over January–November 2025", "in January-November 2025"):
        assert "(the first 11 months of 2025)" in spell_out_periods(f"EU-Vietnam trade {written}"), written
    assert spell_out_periods("What happened between March and May 2025?") == (
        "What happened between March and May 2025?"  # not from January: no "first N months" to say
    )


def test_a_paraphrased_period_is_answered(assistant):
    answer = assistant.ask("How much commerce did the two sides do between January and November 2025?")
    assert not answer.refused and answer.short == "$66.8 billion"
