"""Reports of an eval run (Markdown and HTML with plots) and the comparison of two runs."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from qa import inert

from .common import table

HEADLINE = [
    "accuracy",
    "hit@1",
    "hit@k",
    "recall@k",
    "mrr@10",
    "exact_match",
    "f1",
    "semantic",
    "cited_right_source",
    "citation_recall",
    "citation_precision",
    "refusal_precision",
    "refusal_recall",
    "wrong_refusal_rate",
    "short_exact_match",
    "short_in_quote",
    "short_coverage",
]


def plots(result: dict[str, Any], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    agg = result["aggregate"]
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.barh(HEADLINE[::-1], [agg[m] for m in HEADLINE[::-1]], color="#4c78a8")
    ax.set_xlim(0, 1)
    ax.set_title(f"Gold-set metrics ({result['settings']['generator']})")
    fig.tight_layout()
    bars = out / "metrics.png"
    fig.savefig(bars, dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    totals = [q["timings"]["total"] for q in result["questions"]]
    ax.hist(totals, bins=20, color="#f58518")
    ax.set_xlabel("seconds per question (total)")
    ax.set_ylabel("questions")
    fig.tight_layout()
    hist = out / "latency.png"
    fig.savefig(hist, dpi=100)
    plt.close(fig)
    return [bars, hist]


def worst_first(result: dict[str, Any]) -> list[dict]:
    return sorted(result["questions"], key=lambda q: (q["correct"], q.get("f1", 1.0), q["id"]))


def markdown(result: dict[str, Any]) -> str:
    agg, s = result["aggregate"], result["settings"]
    lines = [
        f"# Eval report — {s['generator']} generator, top_k {s['top_k']}, retrieval {s['retrieval']}",
        "",
        f"Commit `{result['commit']}`, {result['created']}; {agg['questions']} questions "
        f"({agg['answerable']} answerable, {agg['unanswerable']} not).",
        "",
        "![metrics](metrics.png) ![latency](latency.png)",
        "",
        table(
            ["metric", "value"],
            [[m, float(agg[m])] for m in HEADLINE] + [[k, float(v)] for k, v in agg.items() if k.endswith("_s")],
        ),
    ]
    lines += [
        "",
        "citation_recall and citation_precision above are *lexical*: graded by a support score of the kind the "
        "verifier itself uses, so they cannot see its errors. The verifier section below is graded by hand labels.",
    ]
    if result.get("verifier"):
        lines += ["", *verifier_section(result["verifier"])]
    if result.get("ablation"):
        from .ablation import COLUMNS, rows

        lines += [
            "",
            "## Retrieval ablation (answerable questions; each row adds one stage)",
            "",
            table(COLUMNS, rows(result["ablation"])),
        ]
    questions = [
        [
            q["id"],
            q["type"],
            "✓" if q["correct"] else "✗",
            q["refused"],
            f"{q.get('f1', 0):.2f}",
            inert(q["answer"].replace("\n", " ")[:160]),
        ]  # article text: never a live link or image
        for q in worst_first(result)
    ]
    lines += [
        "",
        "## Questions, worst first",
        "",
        table(["id", "type", "correct", "refused", "f1", "answer"], questions),
    ]
    return "\n".join(lines) + "\n"


def verifier_section(sets: dict[str, dict[str, Any]]) -> list[str]:
    """The adversarial sets (eval/adversarial.py): catch rate per family, false alarms, citation judgements."""
    names = list(sets)
    families = sorted({f for v in sets.values() for f in v["by_family"]})
    lines = [
        "## Verifier: adversarial drafts (eval/gold/adversarial*.jsonl)",
        "",
        "Wrong drafts caught and correct ones called unsupported, end to end (retrieval, evidence, attribution). "
        "The development set was written before the rules and tuned on; the held-out set was written after "
        "they were frozen.",
        "",
        table(
            ["", *names],
            [
                ["wrong / correct drafts", *(f"{sets[n]['wrong']} / {sets[n]['correct']}" for n in names)],
                ["catch rate", *(sets[n]["catch_rate"] for n in names)],
                ["false alarms", *(sets[n]["false_alarm_rate"] for n in names)],
                ["correct but not shown (relevance)", *(sets[n]["correct_dropped_rate"] for n in names)],
                *([f"caught: {f}", *(_family(sets[n], f) for n in names)] for f in families),
            ],
        ),
        "",
        "Citations judged against the hand labels (is this sentence supported by the cited one?), precision / "
        "recall / wrong ones accepted:",
        "",
        table(
            ["judge", *names],
            [
                ["verifier (qa.check_citation)", *(_judged(sets[n]["citations"]["verifier"]) for n in names)],
                ["lexical (grades citation_precision)", *(_judged(sets[n]["citations"]["lexical"]) for n in names)],
            ],
        ),
    ]
    for name in names:
        v = sets[name]
        lines += [
            "",
            f"Missed ({name}): " + ("; ".join(inert(m) for m in v["missed"]) or "none"),
            "",
            f"False alarms ({name}): " + ("; ".join(inert(m) for m in v["false_alarms"]) or "none"),
        ]
    return lines


def _family(v: dict[str, Any], family: str) -> str:
    row = v["by_family"].get(family)
    return f"{row['caught']:.3f} of {row['drafts']}" if row else "–"


def _judged(row: dict[str, float]) -> str:
    return f"{row['precision']:.3f} / {row['recall']:.3f} / {row['accepted_wrong']}"


def html_report(result: dict[str, Any]) -> str:
    agg = result["aggregate"]
    rows = "".join(f"<tr><td>{m}</td><td>{agg[m]:.3f}</td></tr>" for m in HEADLINE)
    questions = "".join(
        f"<tr><td>{html.escape(q['id'])}</td><td>{'✓' if q['correct'] else '✗'}</td><td>{q['refused']}</td>"
        f"<td>{html.escape(q['question'])}</td><td>{html.escape(q['answer'])}</td></tr>"
        for q in worst_first(result)
    )
    return (
        "<!doctype html><meta charset=utf-8><title>Eval report</title>"
        f"<h1>Eval report ({html.escape(result['settings']['generator'])})</h1>"
        f"<p>Commit {html.escape(str(result['commit']))}, {html.escape(result['created'])}</p>"
        f"<img src=metrics.png><img src=latency.png><table border=1>{rows}</table>{_ablation_html(result)}"
        f"<h2>Questions, worst first</h2><table border=1><tr><th>id</th><th>ok</th><th>refused</th>"
        f"<th>question</th><th>answer</th></tr>{questions}</table>"
    )


def _ablation_html(result: dict[str, Any]) -> str:
    ablation = result.get("ablation") or {}
    if not ablation:
        return ""
    cells = ("mrr@10", "map@10", "hits@10", "hits@4", "latency_p50_ms", "latency_p95_ms")
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td>" + "".join(f"<td>{r[c]:.3f}</td>" for c in cells) + "</tr>"
        for name, r in ablation.items()
    )
    head = "".join(f"<th>{c}</th>" for c in ("retrieval", *cells))
    return f"<h2>Retrieval ablation</h2><table border=1><tr>{head}</tr>{rows}</table>"


def write(result: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = plots(result, out)
    (out / "report.md").write_text(markdown(result), encoding="utf-8")
    (out / "report.html").write_text(html_report(result), encoding="utf-8")
    return [out / "report.md", out / "report.html", *paths]


def load_run(path: Path) -> dict[str, Any]:
    path = Path(path)
    return json.loads((path / "results.json" if path.is_dir() else path).read_text())


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Deltas per metric (B − A) and the questions whose outcome changed."""
    deltas = []
    judged = [k for k in b["aggregate"] if k.startswith(("verifier_", "citation_precision_judged"))]
    for metric in (
        HEADLINE + [k for k in judged if k in b["aggregate"]] + [k for k in a["aggregate"] if k.endswith("_s")]
    ):
        va, vb = a["aggregate"].get(metric), b["aggregate"].get(metric)
        if va is None or vb is None:  # measured in one run only (an older run, a smaller gold set)
            deltas.append([metric, "–" if va is None else f"{va:.3f}", "–" if vb is None else f"{vb:.3f}", "–"])
            continue
        deltas.append([metric, f"{va:.3f}", f"{vb:.3f}", f"{vb - va:+.3f}"])
    lines = [table(["metric", "A", "B", "Δ"], deltas)]
    before = {q["id"]: q for q in a["questions"]}
    changed = [
        (before[q["id"]], q)
        for q in b["questions"]
        if q["id"] in before
        and (before[q["id"]]["correct"], before[q["id"]]["refused"]) != (q["correct"], q["refused"])
    ]
    lines += ["", f"{len(changed)} question(s) changed outcome:"]
    for old, new in changed:
        lines.append(
            f"- {new['id']}: {'✓' if old['correct'] else '✗'}→{'✓' if new['correct'] else '✗'} "
            f"(refused {old['refused']}→{new['refused']}) {new['answer'][:100]!r}"
        )
    return "\n".join(lines) + "\n"
