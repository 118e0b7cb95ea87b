"""The adversarial set: draft answer sentences, wrong on purpose (swapped names, altered numbers and dates, the
wrong office, negations, opposite words, sentences stitched from two passages, invented details) beside as many
correct paraphrases, each with the article sentence it was written from and a hand label (eval/gold/
adversarial.jsonl). It measures the verifier two ways:

- **end to end** — `Assistant.verify(question, draft)`, as an LLM's draft is checked: retrieval, evidence, then
  attribution. A wrong draft is *caught* when the verifier calls a sentence of it unsupported; a correct draft
  called unsupported is a *false alarm*. (A supported sentence an answer would still not show — it repeats the
  question or does not address it — is neither; `correct_dropped_rate` counts those too.)
- **hand-labelled citations** — each (draft, cited sentence) pair judged by the verifier alone, and by the
  lexical test `qa eval` grades citations with, against the hand label: the precision and recall of calling a
  citation supported. The lexical grader is the one the verifier must not be graded by (issue 10).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from qa import Assistant, check_citation

from .disagreement import DEMO_ARTICLES
from .gold import GOLD_DIR

ADVERSARIAL = GOLD_DIR / "adversarial.jsonl"
HELD_OUT = GOLD_DIR / "adversarial_heldout.jsonl"
RELEVANCE = {"", "echo", "off-topic"}  # supported, though an answer would not show it: not a fabrication call


def load_drafts(path: Path = ADVERSARIAL) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(assistant: Assistant, rows: list[dict]) -> dict[str, Any]:
    """Catch rate and false alarms end to end, per family; citation judgements against the hand labels."""
    from .run import supports

    verdicts = [assistant.verify(r["question"], r["draft"]) for r in rows]
    kept = [all(c.reason in RELEVANCE for c in claims) for claims in verdicts]  # called supported
    shown = [all(not c.reason for c in claims) for claims in verdicts]
    wrong = [(r, k) for r, k in zip(rows, kept) if not r["supported"]]
    right = [(r, k) for r, k in zip(rows, kept) if r["supported"]]
    families = Counter(r["family"] for r, _ in wrong)
    caught = Counter(r["family"] for r, k in wrong if not k)
    articles = [path.read_text(encoding="utf-8") for path in sorted(DEMO_ARTICLES.glob("*.txt"))]
    verifier = [_judge(assistant, r["draft"], r["cited"], articles) for r in rows]
    lexical = [supports(assistant, r["draft"], r["cited"]) for r in rows]
    return {
        "drafts": len(rows),
        "wrong": len(wrong),
        "correct": len(right),
        "catch_rate": sum(not k for _, k in wrong) / len(wrong) if wrong else 1.0,
        "false_alarm_rate": sum(not k for _, k in right) / len(right) if right else 0.0,
        "correct_dropped_rate": sum(not s for r, s in zip(rows, shown) if r["supported"]) / max(len(right), 1),
        "by_family": {f: {"drafts": n, "caught": caught[f] / n} for f, n in sorted(families.items())},
        "missed": [r["draft"] for r, k in wrong if k],
        "false_alarms": [r["draft"] for r, k in right if not k],
        "citations": {
            "verifier": _agreement(verifier, rows),
            "lexical": _agreement(lexical, rows),
        },
    }


def _judge(assistant: Assistant, draft: str, cited: str, articles: list[str]) -> bool:
    """The verifier's call on one (draft sentence, cited sentence) pair, with the title of the article cited."""
    title = next((text.split("\n", 1)[0] for text in articles if cited in text), "")
    threshold = assistant.settings.answer.attribution_threshold
    return not check_citation(draft, cited, title, assistant.embedder.encode, assistant.store.idf, threshold)


def _agreement(called: list[bool], rows: list[dict]) -> dict[str, float]:
    """Precision and recall of calling a citation supported, against the hand labels."""
    tp = sum(c and r["supported"] for c, r in zip(called, rows))
    fp = sum(c and not r["supported"] for c, r in zip(called, rows))
    fn = sum(not c and r["supported"] for c, r in zip(called, rows))
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "accepted_wrong": fp,
    }
