"""`qa eval` (registered on the qa CLI through the `qa.commands` entry point) and `python -m eval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from qa import Assistant, QAError, Settings

from . import report
from .gold import DEFAULT_GOLD, load_gold


@click.group(name="eval", invoke_without_command=True)
@click.option("--gold", type=click.Path(exists=True, path_type=Path), default=DEFAULT_GOLD, show_default=True)
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Index of the gold set's articles.")
@click.option("--generator", "-g", type=click.Choice(["local", "openai", "extractive"]))
@click.option("--top-k", "-k", type=int)
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option("--out", type=click.Path(path_type=Path), help="Run folder (default runs/<time>-<generator>).")
@click.pass_context
def eval_cmd(
    ctx: click.Context,
    gold: Path,
    index_dir: Path | None,
    generator: str | None,
    top_k: int | None,
    limit: int | None,
    out: Path | None,
) -> None:
    """Run the gold Q&A set with the current settings; write results.json and a report with plots."""
    if ctx.invoked_subcommand:
        return
    from tqdm import tqdm

    from .adversarial import HELD_OUT, load_drafts
    from .run import run_gold, save

    records = load_gold(gold)[:limit]
    try:
        assistant = Assistant.load(index_dir, Settings())
    except QAError as exc:
        raise click.ClickException(str(exc)) from exc
    name = generator or assistant.settings.answer.generator
    out = out or Path("runs") / f"{__import__('time').strftime('%Y%m%d-%H%M%S')}-{name}"
    with tqdm(total=len(records), desc="Questions", file=sys.stderr) as bar:
        demo = gold.resolve() == DEFAULT_GOLD.resolve() and not limit
        drafts = {"development": load_drafts(), "held out": load_drafts(HELD_OUT)} if demo else None
        result = run_gold(assistant, records, generator=generator, top_k=top_k, progress=bar.update, drafts=drafts)
    save(result, out)
    paths = report.write(result, out)
    agg = result["aggregate"]
    click.echo(
        " ".join(
            f"{k}={agg[k]:.3f}"
            for k in (
                "accuracy",
                "hit@k",
                "mrr@10",
                "exact_match",
                "f1",
                "citation_recall",
                "citation_precision",
                "refusal_recall",
                "wrong_refusal_rate",
                "verifier_catch_rate",
                "verifier_false_alarm_rate",
                "verifier_catch_rate_held_out",
                "verifier_false_alarm_rate_held_out",
            )
            if k in agg
        )
    )
    click.echo(f"Wrote {out / 'results.json'} and {', '.join(str(p) for p in paths)}")


@eval_cmd.command("compare")
@click.argument("run_a", type=click.Path(exists=True, path_type=Path))
@click.argument("run_b", type=click.Path(exists=True, path_type=Path))
def compare_cmd(run_a: Path, run_b: Path) -> None:
    """Metric deltas (B − A) and the questions that changed outcome."""
    click.echo(report.compare(report.load_run(run_a), report.load_run(run_b)))


@eval_cmd.command("multihop")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    help="Folder with corpus.json and queries_dev.json (default: QA_BENCH_DIR/multihop).",
)
@click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=Path(".qa/multihop-index"), show_default=True
)
@click.option("--limit", type=int, help="Only the first N queries (smoke run).")
@click.option("--articles", "limit_articles", type=int, help="Index only the cited articles plus others up to N.")
@click.option(
    "--generator",
    "-g",
    type=click.Choice(["local", "openai", "extractive"]),
    default="extractive",
    show_default=True,
    help="Generator for the answer-accuracy part.",
)
@click.option("--pages", is_flag=True, help="Index the articles as saved web pages (eval/pages.py), not as records.")
@click.option("--no-answers", is_flag=True, help="Score retrieval only.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs/multihop"), show_default=True)
def multihop_cmd(
    data: Path | None,
    index_dir: Path,
    limit: int | None,
    limit_articles: int | None,
    generator: str,
    pages: bool,
    no_answers: bool,
    out: Path,
) -> None:
    """Score MultiHop-RAG's dev queries as the benchmark does, beside the paper's table."""
    from . import multihop

    data = data or Settings().bench_dir / "multihop"
    if not (data / "corpus.json").exists():
        raise click.ClickException(
            f"No corpus.json in {str(data)!r}; set QA_BENCH_DIR to the benchmark's folder "
            "or pass --data …/bench/multihop"
        )
    result = multihop.run(
        data, index_dir, limit, limit_articles, generator=generator, answers=not no_answers, pages=pages
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, indent=1))
    (out / "report.md").write_text(multihop.markdown(result))
    click.echo(multihop.markdown(result))


@eval_cmd.command("natural")
@click.option("--gold", type=click.Path(exists=True, path_type=Path), help="Default: eval/gold/natural.jsonl.")
@click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=Path(".qa/multihop-index"), show_default=True
)
@click.option(
    "--demo-index", type=click.Path(path_type=Path), default=Path(".qa/natural-demo-index"), show_default=True
)
@click.option("--corpus", type=click.Choice(["multihop", "demo"]), help="Only the questions over this corpus.")
@click.option("--generator", "-g", type=click.Choice(["local", "openai", "extractive"]))
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option(
    "--without-answers",
    is_flag=True,
    help="Ask the answerable questions with the chunks that answer them left out: a direct answer is wrong.",
)
@click.option("--out", type=click.Path(path_type=Path), default=Path("runs/natural"), show_default=True)
def natural_cmd(
    gold: Path | None,
    index_dir: Path,
    demo_index: Path,
    corpus: str | None,
    generator: str | None,
    limit: int | None,
    without_answers: bool,
    out: Path,
) -> None:
    """Natural questions over MultiHop-RAG's articles and the demo corpus: per answer type, right, wrong and refused
    direct answers, and unanswerable questions refused (an index that does not exist is built first). With
    --without-answers, the held-out protocol's other half: only the near-miss passages are read."""
    from tqdm import tqdm

    from . import natural

    records = [r for r in natural.load(gold or natural.NATURAL) if corpus in (None, r["corpus"])][:limit]
    records = natural.without_answers(records) if without_answers else records
    try:
        assistants = natural.assistants(records, index_dir, demo_index, Settings().bench_dir)
    except QAError as exc:
        raise click.ClickException(str(exc)) from exc
    with tqdm(total=len(records), desc="Questions", file=sys.stderr) as bar:
        result = natural.run(records, assistants, generator, bar.update)
    natural.save(result, out)
    click.echo(natural.markdown(result))
    click.echo(f"Wrote {out / 'results.json'} and {out / 'report.md'}")


def main() -> None:
    eval_cmd(prog_name="python -m eval")
