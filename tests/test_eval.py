"""Eval suite: metrics on hand-made cases, the gold set's integrity, and the demo-corpus floors."""

from __future__ import annotations

import json

import pytest

from eval import load_gold, missing_evidence
from eval.metrics import (
    all_facts_at_k,
    average_precision_at_k,
    exact_match,
    hit_at_k,
    mrr_at_k,
    normalize,
    recall_at_k,
    refusal_scores,
    token_f1,
    word_overlap_correct,
)

from .conftest import DEMO, GOLD, MULTIHOP, run_qa


def test_gold_set_is_complete_and_verbatim():
    gold = load_gold(GOLD)
    assert len(gold) >= 50 and sum(not g["answerable"] for g in gold) >= 10
    assert {"numeric", "date", "person", "organisation", "paraphrase", "multi", "differ", "hedge"} <= {
        g["type"] for g in gold
    }
    assert missing_evidence(gold, DEMO) == []
    assert len({g["id"] for g in gold}) == len(gold)


@pytest.mark.parametrize(
    ("prediction", "acceptable", "em"),
    [
        ("Trade reached $66.8 billion [1].", ["$66.8 billion"], 1.0),
        ("During Costa’s visit", ["Costa"], 1.0),
        ("It was 66.9 billion", ["66.8 billion"], 0.0),
        ("The Intelligence unit", ["Intel"], 0.0),
    ],
)
def test_exact_match_is_a_normalised_contained_match(prediction, acceptable, em):
    assert exact_match(prediction, acceptable) == em


def test_token_f1_and_normalisation():
    assert token_f1("Intel and Amkor", ["Intel and Amkor Technology"]) == pytest.approx(2 * 1 * 0.75 / 1.75)
    assert token_f1("nothing here", ["Intel"]) == 0.0
    assert normalize("The U.S. grew 6.6%!") == "u s grew 6.6%"


def test_ranking_metrics_on_hand_made_lists():
    ranks = [False, True, False, True]
    assert hit_at_k(ranks, 1) == 0.0 and hit_at_k(ranks, 2) == 1.0
    assert mrr_at_k(ranks) == 0.5 and mrr_at_k([False] * 10) == 0.0


def test_map_is_the_benchmarks_formula_not_textbook_average_precision():
    """MultiHop-RAG's retrieval_evaluate.py: new facts at a rank add (their count)/rank; repeats add 0."""
    # facts 0 and 1 at ranks 2 and 4: (1/2 + 1/4) / 2, where textbook AP would give (1/2 + 2/4) / 2
    assert average_precision_at_k([set(), {0}, set(), {1}], n_gold=2) == pytest.approx((1 / 2 + 1 / 4) / 2)
    # a chunk repeating an already-found fact adds nothing
    assert average_precision_at_k([{0}, {0}, {1}], n_gold=2) == pytest.approx((1 + 1 / 3) / 2)
    # a chunk holding two new facts adds 2/rank
    assert average_precision_at_k([set(), {0, 1}], n_gold=2) == pytest.approx((2 / 2) / 2)
    assert average_precision_at_k([{0, 1}, {1, 2}], n_gold=3) == pytest.approx((2 / 1 + 1 / 2) / 3)
    # divided by min(n_gold, k); nothing past k counts
    assert average_precision_at_k([{0}], n_gold=20, k=10) == pytest.approx(1 / 10)
    assert average_precision_at_k([set()] * 10 + [{0}], n_gold=1, k=10) == 0.0
    assert average_precision_at_k([{0}], n_gold=0) == 0.0


def test_the_best_order_puts_the_most_new_facts_first():
    """The MAP-headroom oracle (eval/headroom.py): each next chunk adds the most facts not yet found."""
    from eval.headroom import best_order

    found = [set(), {0}, {0}, {1, 2}]
    assert best_order(found) == [{1, 2}, {0}, set(), {0}]
    assert average_precision_at_k(best_order(found), n_gold=3) == pytest.approx((2 / 1 + 1 / 2) / 3)
    assert average_precision_at_k(best_order(found), 3) > average_precision_at_k(found, 3)


def test_all_facts_recall_needs_every_fact_in_the_top_k():
    found = [{0}, {0}, {1}, set(), {2}]
    assert all_facts_at_k(found, 3, 4) == 0.0 and all_facts_at_k(found, 3, 5) == 1.0
    assert all_facts_at_k(found, 2, 3) == 1.0 and all_facts_at_k([], 1, 10) == 0.0
    assert recall_at_k([{"a"}, set(), {"b"}], {"a", "b", "c"}, 2) == pytest.approx(1 / 3)


def test_refusal_scores():
    scores = refusal_scores(refused=[True, True, False, False], answerable=[False, True, False, True])
    assert scores == {"refusal_precision": 0.5, "refusal_recall": 0.5, "wrong_refusal_rate": 0.5}


def test_word_overlap_rule_is_lenient():
    assert word_overlap_correct("Sam Bankman-Fried was convicted", "Sam Bankman-Fried")
    assert not word_overlap_correct("Insufficient information", "Yes")


FLOORS = {  # the demo-corpus eval with the default generator must keep these (measured values in docs/evaluation.md)
    "accuracy": 0.97,  # issue 10's goal, met since answers are deterministic and periods are spelled out
    "hit@k": 0.95,
    "mrr@10": 0.80,
    "exact_match": 0.80,
    "cited_right_source": 0.85,
    "citation_recall": 0.85,
    "citation_precision": 0.85,
    "refusal_recall": 0.80,
    "wrong_refusal_rate": 0.10,
    "short_exact_match": 0.95,
}


VERIFIER_FLOORS = {"development": (0.95, 0.05), "held out": (0.80, 0.10)}  # catch rate ≥, false alarms ≤


def test_adversarial_sets_are_labelled_and_cite_verbatim_sentences():
    from eval.adversarial import ADVERSARIAL, HELD_OUT, load_drafts

    articles = "".join(p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt")))
    for path, wrong in ((ADVERSARIAL, 60), (HELD_OUT, 20)):
        rows = load_drafts(path)
        assert sum(not r["supported"] for r in rows) >= wrong and sum(r["supported"] for r in rows) >= wrong
        assert all(r["cited"] in articles and r["question"].endswith("?") for r in rows)
    assert not {r["draft"] for r in load_drafts(ADVERSARIAL)} & {r["draft"] for r in load_drafts(HELD_OUT)}


@pytest.mark.slow
def test_demo_eval_keeps_its_floors(assistant, tmp_path):
    from eval.adversarial import HELD_OUT, load_drafts
    from eval.report import write
    from eval.run import run_gold, save

    drafts = {"development": load_drafts(), "held out": load_drafts(HELD_OUT)}
    result = run_gold(assistant, load_gold(GOLD), drafts=drafts)
    save(result, tmp_path)
    assert (tmp_path / "results.json").exists() and all(p.exists() for p in write(result, tmp_path))
    agg = result["aggregate"]
    for metric, floor in FLOORS.items():
        if metric == "wrong_refusal_rate":
            assert agg[metric] <= floor, (metric, agg[metric])
        else:
            assert agg[metric] >= floor, (metric, agg[metric])
    assert result["settings"]["generator"] == "extractive" and result["commit"]
    ablation = result["ablation"]  # every retrieval stage side by side, in the same run
    assert len(ablation) == 9 and all(r["n"] == agg["answerable"] for r in ablation.values())
    assert ablation["+ part interleaving = default"]["hits@10"] >= FLOORS["hit@k"]
    assert "## Retrieval ablation" in (tmp_path / "report.md").read_text()
    assert "## Verifier: adversarial drafts" in (tmp_path / "report.md").read_text()
    for name, floors in VERIFIER_FLOORS.items():  # the figures of docs/answers.md, as floors
        found = result["verifier"][name]
        assert found["catch_rate"] >= floors[0] and found["false_alarm_rate"] <= floors[1], (name, found)
        judged = found["citations"]  # hand-labelled: the verifier sees what the lexical grader cannot
        assert judged["verifier"]["precision"] >= judged["lexical"]["precision"] + 0.25, judged


@pytest.mark.slow
def test_eval_cli_run_and_compare(demo_index, tmp_path):
    for name in ("a", "b"):
        done = run_qa(
            "eval",
            "--index",
            str(demo_index),
            "-g",
            "extractive",
            "--limit",
            "6",
            "--out",
            str(tmp_path / name),
            *(["-k", "2"] if name == "b" else []),
        )
        assert done.returncode == 0, done.stderr
        assert json.loads((tmp_path / name / "results.json").read_text())["aggregate"]["questions"] == 6
    compared = run_qa("eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"))
    assert compared.returncode == 0 and "| mrr@10 |" in compared.stdout and "changed outcome" in compared.stdout


@pytest.mark.slow
def test_multihop_smoke(tmp_path):
    from .conftest import MULTIHOP

    if not (MULTIHOP / "corpus.json").exists():
        pytest.skip("../shared/bench/multihop is not beside the checkout")
    done = run_qa(
        "eval",
        "multihop",
        "--data",
        str(MULTIHOP),
        "--index",
        str(tmp_path / "mh"),
        "--limit",
        "8",
        "--articles",
        "20",  # the 20 articles the 8 queries cite, and no others
        "--out",
        str(tmp_path / "out"),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out" / "results.json").read_text())
    rows = result["retrieval"]
    assert (
        len(rows) == 9
    )  # the ablation: dense, BM25, RRF, z-score, + metadata, + decomposition, + diversity, + rerank,
    # + part interleaving
    default = rows["+ part interleaving = default"]
    assert default["n"] > 0 and 0.0 <= default["hits@10"] <= 1.0 and default["latency_p50_ms"] > 0
    assert 0.0 <= default["map@10"] <= default["hits@10"] and default["all@10"] <= default["hits@10"]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "paper: voyage-02 (best)" in report and "dense only" in report and "all facts@10" in report
    room = result["headroom"]  # where MAP is lost: the same retrieval beside oracles that know the facts
    assert room["map"]["as retrieved"] == pytest.approx(default["map@10"])
    assert room["map"]["as retrieved"] <= room["map"]["its top 10 in the best order"] <= 1.0
    assert room["map"]["its top 10 in the best order"] <= room["map"]["the best 10 of its top 30"]
    assert 0.0 <= room["fact_chunk_shown"] <= 1.0 and "Where MAP@10 is lost" in report
    answers = result["answers"]  # scored on Answer.short, per question type, beside the priors
    assert {"ours (Answer.short)", "prior: Yes / most frequent name"} <= set(answers["table"])
    assert answers["table"]["ours (Answer.short)"]["all"]["n"] == 8


def test_natural_questions_are_judged_on_the_direct_answer():
    from eval.natural import outcome
    from qa import INSUFFICIENT

    class Said:  # the two fields of an Answer the judge reads
        def __init__(self, short: str, differ: str = "", text: str = "") -> None:
            self.short, self.differ, self.text = short, differ, text

    asked = {"answerable": True, "acceptable": ["Iga Swiatek", "Swiatek"]}
    assert outcome(asked, Said("Iga Swiatek")) == "right"
    assert outcome(asked, Said("Jasmine Paolini")) == "wrong"  # the finalist who lost
    assert outcome(asked, Said(INSUFFICIENT)) == outcome(asked, Said("")) == "refused"
    tempting = {"answerable": False, "acceptable": []}
    assert outcome(tempting, Said(INSUFFICIENT)) == "refused" and outcome(tempting, Said("2025")) == "wrong"
    both = {"answerable": True, "conflict": True, "acceptable": ["Huawei", "Nokia", "Ericsson"]}
    assert outcome(both, Said("Nokia", "The sources differ", "Nokia [1] vs Huawei [2]")) == "right"
    assert outcome(both, Said("Nokia")) == "wrong"  # one side silently


def test_the_natural_question_set_is_large_and_verbatim():
    from eval.natural import load

    records = load()
    unanswerable = [r for r in records if not r["answerable"]]
    assert len(records) >= 250 and len(unanswerable) >= 80
    assert {r["type"] for r in records} >= {"person", "organisation", "place", "date", "year", "count", "money"}
    corpus = {a["url"]: a["body"] for a in json.loads((MULTIHOP / "corpus.json").read_text())}
    demo = {p.name: p.read_text(encoding="utf-8") for p in DEMO.glob("*.txt")}
    for record in records:
        texts = demo if record["corpus"] == "demo" else corpus
        for item in record["evidence"]:
            assert item["sentence"] in texts[item["source"]], (record["id"], item["sentence"][:60])


def test_qa_eval_natural_writes_a_report_per_answer_type(tmp_path):
    done = run_qa(
        "eval", "natural", "--corpus", "demo", "--limit", "8",
        "--demo-index", str(tmp_path / "index"), "--out", str(tmp_path / "run"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "run" / "report.md").read_text()
    assert "answerable_right" in report and "## By answer type" in report
    rows = json.loads((tmp_path / "run" / "results.json").read_text())["rows"]
    assert len(rows) == 8 and {r["outcome"] for r in rows} <= {"right", "wrong", "refused"}


def test_without_answers_reads_only_the_passages_that_do_not_answer(assistant):
    """The held-out protocol's other half on the dev set: an answerable question asked with the chunks holding its
    answer left out is judged as unanswerable — the passages left about the same event must not yield a name."""
    from eval.natural import _Without, load, markdown, run, without_answers

    record = next(r for r in load() if r["id"] == "demo-001")  # António Costa, asked the way people ask
    assert run([record], {"demo": assistant})["rows"][0]["outcome"] == "right"
    hidden = without_answers([record])
    assert hidden[0]["answerable"] is False and hidden[0]["hidden"] == record["acceptable"]
    result = run(hidden, {"demo": assistant})
    row = result["rows"][0]
    assert row["outcome"] == "refused" and not any("Costa" in quote for quote in row["cited"])
    kept = _Without(assistant.retriever, ["Costa"]).search(record["question"], 3)
    assert len(kept) == 3 and not any("costa" in h.chunk.text.lower() for h in kept)
    assert not isinstance(assistant.retriever, _Without)  # the assistant reads every chunk again afterwards
    assert "Asked without the chunks that answer them" in markdown(result)
