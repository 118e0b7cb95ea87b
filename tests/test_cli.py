"""The real `qa` CLI (in this process through click's runner; the entry point, argv bytes and `qa serve` in a
subprocess): the documented commands, JSON schema, and bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from index import load

from .conftest import DEMO, PORTS, run_qa, run_qa_process

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    index = tmp_path_factory.mktemp("cli") / "index"
    result = run_qa("ingest", str(DEMO), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    return index


def test_ingest_twice_reports_up_to_date(cli_index):
    result = run_qa("ingest", str(DEMO), "--index", str(cli_index))
    assert result.returncode == 0 and "up to date" in result.stdout


def test_ask_json_has_the_documented_schema(cli_index):
    result = run_qa(
        "ask", "--json", "-g", "extractive", "--index", str(cli_index), "Which companies run chip packaging in Vietnam?"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"answer", "refused", "citations", "timings"} <= data.keys()
    assert {"retrieve", "generate", "total"} <= data["timings"].keys()
    citation = data["citations"][0]
    assert {"n", "source", "title", "date", "chunk_id", "text", "quote", "score"} <= citation.keys()
    assert "Intel" in data["answer"] and "[1]" in data["answer"] and not data["refused"]
    assert citation["source"] == "001_433e1422a287cbc7.txt" and citation["quote"] in citation["text"]


def test_ask_default_generator_answers_with_sources(cli_index):
    """The README's command in a fresh interpreter: imports, the encoder's offline load, exit status 0."""
    result = run_qa_process(
        "ask", "--index", str(cli_index), "How large was EU-Vietnam trade in the first 11 months of 2025?"
    )
    assert result.returncode == 0, result.stderr
    assert "66.8 billion" in result.stdout and "[1]" in result.stdout and "Sources:" in result.stdout


def test_verify_json_grounds_each_sentence_or_says_why_not(cli_index):
    draft = (
        "The President of the European Commission is António Costa. "
        "President Costa noted that the international rules-based order is under threat from multiple sides."
    )
    question = "What did President Costa say is under threat?"
    result = run_qa("verify", "--json", "--index", str(cli_index), question, draft)
    assert result.returncode == 1, result.stderr  # a sentence is not supported
    wrong, right = json.loads(result.stdout)
    assert not wrong["supported"] and wrong["reason"] == "name" and wrong["quote"] is None
    assert right["supported"] and right["kept"] and not right["reason"] and "President Costa noted" in right["quote"]
    assert right["source"] == "000_caad304b0dc37de2.txt"
    piped = run_qa("verify", "--index", str(cli_index), question, "-", stdin=right["text"])
    assert piped.returncode == 0 and piped.stdout.startswith("✓ President Costa noted"), piped.stderr


def test_info_describes_the_index(cli_index):
    result = run_qa("info", "--json", "--index", str(cli_index))
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and data["dimension"] == 384 and data["embedding_model"] == "all-MiniLM-L6-v2"
    assert data["chunks"] > 2 and data["size_bytes"] > 0


DEMO_EXAMPLE = "How large was EU-Vietnam trade in the first 11 months of 2025?"
UNTITLED = "The European Union and Vietnam are set to sign a joint statement on Thursday aimed at…"


def test_info_says_what_the_corpus_holds(cli_index):
    data = json.loads(run_qa("info", "--json", "--index", str(cli_index)).stdout)
    corpus = data["corpus"]
    assert corpus["articles"] == 2 and corpus["chunks"] == data["chunks"]
    assert corpus["publishers"] == [] and corpus["publisher_count"] == 0 and corpus["without_publisher"] == 2
    assert (corpus["date_from"], corpus["date_to"], corpus["undated"]) == ("2026-01-30", "2026-01-30", 1)
    newest = corpus["newest"]
    assert newest["title"] == "EU Elevates Vietnam Relations to Secure Critical Minerals and Tech Supply Chains"
    assert newest["date"] == "2026-01-30" and newest["source"] == "000_caad304b0dc37de2.txt"
    assert data["updated"] == load(cli_index).manifest.updated  # when this version was written
    assert data["examples"][0] == DEMO_EXAMPLE and len(data["examples"]) == 6  # data/articles/.qa-examples
    untitled = next(d for d in data["documents_list"] if d["source"] == "001_433e1422a287cbc7.txt")
    assert untitled["title"] is None and untitled["heading"] == UNTITLED

    text = run_qa("info", "--index", str(cli_index)).stdout
    assert "publishers       none recorded" in text and "dates            2026-01-30 (1 undated)" in text
    assert "newest           “EU Elevates Vietnam Relations" in text and f"example          {DEMO_EXAMPLE}" in text
    assert f"001_433e1422a287cbc7.txt  (3 chunks)  {UNTITLED}" in text


def test_info_on_another_corpus_and_examples_from_the_setting(tmp_path):
    index = tmp_path / "index"
    assert run_qa("ingest", str(PORTS), "--index", str(index)).returncode == 0
    data = json.loads(run_qa("info", "--json", "--index", str(index)).stdout)
    assert data["corpus"]["publishers"] == [
        {"name": "Harbour Gazette", "articles": 2},
        {"name": "Baltic Freight Review", "articles": 1},
    ]
    assert data["corpus"]["newest"]["title"] == "Rotterdam opens its first all-electric container terminal"
    assert data["examples"][0] == "What does “Rotterdam opens its first all-electric container terminal” report?"
    configured = run_qa("info", "--json", "--index", str(index), env={"QA_UI__EXAMPLES": '["Which ports?"]'})
    assert json.loads(configured.stdout)["examples"] == ["Which ports?"]
    bad = run_qa("info", "--index", str(index), env={"QA_UI__EXAMPLES": "Which ports?"})
    assert bad.returncode == 2 and "QA_UI__EXAMPLES is not a JSON list" in bad.stderr and "Traceback" not in bad.stderr


def _edit_manifest(index, edit) -> None:
    path = load(index).path / "manifest.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


def test_info_and_citations_on_an_index_written_before_the_corpus_summary(cli_index, tmp_path):
    """An index from before this change (no summary, no headings, no examples in its manifest) still loads: the
    summary and the headings are made once when it is read, and its examples come from its titles."""
    index = tmp_path / "index"
    shutil.copytree(cli_index, index)

    def old(manifest: dict) -> None:
        del manifest["corpus"], manifest["examples"], manifest["digest"]  # written before all three
        for entry in manifest["documents"].values():
            del entry["heading"]

    _edit_manifest(index, old)
    before = json.loads(run_qa("info", "--json", "--index", str(cli_index)).stdout)
    after = json.loads(run_qa("info", "--json", "--index", str(index)).stdout)
    assert after["corpus"] == before["corpus"] and after["documents_list"] == before["documents_list"]
    assert after["examples"] == [
        "What does “EU Elevates Vietnam Relations to Secure Critical Minerals and Tech Supply Chains” report?"
    ]
    answer = run_qa("ask", "--json", "--index", str(index), "Which companies run chip packaging in Vietnam?")
    citation = json.loads(answer.stdout)["citations"][0]
    assert citation["title"] == UNTITLED and citation["source"] == "001_433e1422a287cbc7.txt"


def test_info_refuses_a_corpus_summary_that_contradicts_the_manifest(cli_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(cli_index, index)
    _edit_manifest(index, lambda manifest: manifest["corpus"].update(articles=3))
    result = run_qa("info", "--index", str(index))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "corpus summary says 3 articles" in result.stderr and "qa ingest" in result.stderr


def test_ask_sets_the_articles_own_reference_marks_apart_in_quotes(cli_index):
    result = run_qa("ask", "--index", str(cli_index), DEMO_EXAMPLE)
    assert "year-on-year increase of 6.6% ⁽²⁾⁽⁵⁾.”" in result.stdout and "[2][5]" not in result.stdout


def test_python_dash_m_and_help_work():
    result = run_qa_process("--help")
    assert result.returncode == 0 and "ingest" in result.stdout and "ask" in result.stdout


@pytest.mark.parametrize(
    ("question", "message"),
    [("   ", "empty"), ("x" * 100_000, "limit is")],
)
def test_bad_questions_fail_clearly(cli_index, question, message):
    result = run_qa("ask", "-g", "extractive", "--index", str(cli_index), question)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_undecodable_bytes_in_the_question_fail_clearly(cli_index):
    """Bytes that are not UTF-8 on the command line reach Python as lone surrogates."""
    import subprocess
    import sys

    from .conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "qa", "ask", "--index", str(cli_index), b"Who \xff\xfe visited?"],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "not valid text" in stderr and "Traceback" not in stderr


def test_missing_index_names_the_next_step(tmp_path):
    """A real process: a typed error is one line and exit status 1, no traceback."""
    result = run_qa_process("ask", "--index", str(tmp_path / "none"), "anything?")
    assert result.returncode == 1 and "qa ingest" in result.stderr and "Traceback" not in result.stderr


def test_corrupt_index_fails_clearly_and_leaves_files(cli_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(cli_index, copy)
    vectors = load(copy).path / "vectors.faiss"
    vectors.write_bytes(b"\x00" * 10)
    result = run_qa("ask", "--index", str(copy), "anything?")
    assert result.returncode == 1 and "--rebuild" in result.stderr and "Traceback" not in result.stderr
    assert vectors.read_bytes() == b"\x00" * 10


def test_mismatched_model_is_refused(cli_index):
    result = run_qa("ask", "--index", str(cli_index), "anything?", env={"QA_EMBEDDING_MODEL": "other-model"})
    assert result.returncode == 1 and "--rebuild" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("bin.txt", b"\x00\xff\x00", "binary"),
        ("latin.txt", "Caf\u00e9".encode("latin-1"), "not UTF-8"),
        ("deck.pptx", b"PK", "unsupported"),
    ],
)
def test_bad_files_exit_non_zero_and_keep_the_index(cli_index, tmp_path, name, content, message):
    copy = tmp_path / "index"
    shutil.copytree(cli_index, copy)
    before = load(copy).path.name
    articles = tmp_path / "articles"
    shutil.copytree(DEMO, articles)
    (articles / name).write_bytes(content)
    result = run_qa("ingest", str(articles), "--index", str(copy))
    assert result.returncode == 1 and message in result.stderr and name in result.stderr
    assert "--skip-bad" in result.stderr and load(copy).path.name == before


@pytest.mark.parametrize("flag", ["--from", "--to"])
def test_a_date_filter_that_cannot_be_read_is_an_error_not_ignored(cli_index, flag):
    result = run_qa(
        "ask", "How large was EU-Vietnam trade in 2025?", flag, "last tuesday-ish", "--index", str(cli_index)
    )
    assert result.returncode == 1 and "Cannot read the" in result.stderr and "2026-01-29" in result.stderr
    assert "Traceback" not in result.stderr


def test_qa_serve_comes_from_ui_and_honours_qa_ui_port(cli_index, tmp_path):
    """`qa serve` is registered by ui.py through the qa.commands entry point and listens where QA_UI_PORT says."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT, free_port, wait_for_http

    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--index", str(cli_index)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "QA_UI_PORT": str(port), "QA_FEEDBACK_PATH": str(tmp_path / "f")},
        )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/config", 120, proc)
    finally:
        proc.terminate()
        proc.wait(10)
