"""The disagreement set: pairs of sentences from different articles, labelled conflicting or consistent, and the
precision and recall of `qa.short.conflict` on them (eval/gold/disagreement.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

from qa import conflict

from .gold import GOLD_DIR

DEMO_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
DEMO = {"demo:000": "000_caad304b0dc37de2.txt", "demo:001": "001_433e1422a287cbc7.txt"}


def load_pairs(path: Path = GOLD_DIR / "disagreement.jsonl") -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        for key in ("first_article", "second_article"):
            if row[key] in DEMO:
                row[key] = (DEMO_ARTICLES / DEMO[row[key]]).read_text(encoding="utf-8")
    return rows


def score(rows: list[dict]) -> dict[str, float]:
    """Precision and recall of flagging the conflicting pairs."""
    flagged = [conflict(r["first"], r["first_article"], r["second"], r["second_article"]) is not None for r in rows]
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
