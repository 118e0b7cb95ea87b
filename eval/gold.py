"""Gold Q&A records and the check that every supporting sentence is verbatim in its article."""

from __future__ import annotations

import json
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_GOLD = GOLD_DIR / "demo.jsonl"
REQUIRED = {"id", "type", "question", "answer", "acceptable", "sources", "evidence", "answerable"}


def load_gold(path: Path = DEFAULT_GOLD) -> list[dict]:
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        missing = REQUIRED - record.keys()
        if missing:
            raise ValueError(f"gold record {record.get('id')!r} lacks {sorted(missing)}")
    return records


def missing_evidence(records: list[dict], articles: Path) -> list[str]:
    """Supporting sentences that are not verbatim in their article (should be none)."""
    problems = []
    for record in records:
        for item in record["evidence"]:
            text = (articles / item["source"]).read_text(encoding="utf-8")
            if item["sentence"] not in text:
                problems.append(f"{record['id']}: {item['sentence'][:60]!r} not in {item['source']}")
    return problems
