"""The disagreement sets: pairs of sentences from different articles, labelled conflicting or consistent, and the
precision and recall of `qa.short.conflict` on them. eval/gold/disagreement.jsonl: the demo corpus's pairs and
written ones; eval/gold/disagreement_multihop.jsonl: the pairs the check flagged on the first 400 MultiHop-RAG
dev questions before sentences had to read alike, each labelled by reading (articles from QA_BENCH_DIR)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from qa import Settings, conflict

from .gold import GOLD_DIR

DEMO_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
DEMO = {"demo:000": "000_caad304b0dc37de2.txt", "demo:001": "001_433e1422a287cbc7.txt"}
MULTIHOP_PAIRS = GOLD_DIR / "disagreement_multihop.jsonl"


def load_pairs(path: Path = GOLD_DIR / "disagreement.jsonl") -> list[dict]:
    """The pairs of `path`, each article key replaced by the article's text."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        for key in ("first_article", "second_article"):
            if row[key] in DEMO:
                row[key] = (DEMO_ARTICLES / DEMO[row[key]]).read_text(encoding="utf-8")
            elif row[key].startswith("multihop:"):
                row[key] = _multihop_bodies()[row[key].removeprefix("multihop:")]
    return rows


@cache
def _multihop_bodies() -> dict[str, str]:
    corpus = Settings().bench_dir / "multihop" / "corpus.json"
    if not corpus.is_file():
        raise FileNotFoundError(f"No MultiHop-RAG corpus at {corpus}; set QA_BENCH_DIR to the benchmark's folder.")
    return {article["url"]: article["body"] for article in json.loads(corpus.read_text(encoding="utf-8"))}


def score(rows: list[dict], encode: Callable[[list[str]], np.ndarray] | None = None) -> dict[str, float]:
    """Precision and recall of flagging the conflicting pairs; with `encode` (normalised vectors), the two
    sentences must read alike, as in the assistant."""
    alike = [1.0] * len(rows)
    if encode is not None and rows:
        first, second = encode([r["first"] for r in rows]), encode([r["second"] for r in rows])
        alike = [float(x) for x in (first * second).sum(axis=1)]
    flagged = [
        conflict(r["first"], r["first_article"], r["second"], r["second_article"], a) is not None
        for r, a in zip(rows, alike)
    ]
    tp = sum(f and r["conflict"] for f, r in zip(flagged, rows))
    fp = sum(f and not r["conflict"] for f, r in zip(flagged, rows))
    fn = sum(not f and r["conflict"] for f, r in zip(flagged, rows))
    return {
        "pairs": len(rows),
        "conflicting": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "missed": [r["note"] for f, r in zip(flagged, rows) if not f and r["conflict"]],
        "false_alarms": [r["note"] for f, r in zip(flagged, rows) if f and not r["conflict"]],
    }
