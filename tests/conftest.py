"""Shared fixtures: the real packaged encoder, a real index of the demo corpus, one loaded Assistant."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two workers on two cores: one thread each for torch, FAISS (OpenMP) and llama.cpp, in the worker and the
    # servers it starts. Two threads each would put four busy threads on two cores.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("QA_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "articles"
PORTS = ROOT / "tests" / "data" / "ports"  # a second small corpus: other publishers (JSON records), an untitled draft
GOLD = ROOT / "eval" / "gold" / "demo.jsonl"
MULTIHOP = ROOT.parent / "shared" / "bench" / "multihop"  # the default of QA_BENCH_DIR
ARTIFACTS = ROOT / "artifacts"


# The longest test files first (seconds on one quiet worker: bench 209, milvus 103, eval 54, api 52, reliability
# 51, answers 49, ui 39), the rest as collected: on two workers (make test) a long file then runs beside the short
# ones instead of alone at the end. The Makefile passes --no-loadscope-reorder, so xdist keeps this order.
LONGEST_FIRST = ["test_bench.py", "test_milvus.py", "test_eval.py", "test_api.py", "test_reliability.py"]
LONGEST_FIRST += ["test_answers.py", "test_ui.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def embedder():
    from index import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory, embedder) -> Path:
    from index import ingest

    path = tmp_path_factory.mktemp("demo") / "index"
    ingest([DEMO], path, embedder)
    return path


@pytest.fixture(scope="session")
def assistant(demo_index, embedder):
    """The Assistant with default settings (the extractive generator) over the demo index."""
    from index import load
    from qa import Assistant, Settings

    return Assistant(load(demo_index), Settings(index_dir=demo_index), embedder)


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]


@pytest.fixture
def articles(tmp_path) -> Path:
    """A writable copy of the demo articles."""
    folder = tmp_path / "articles"
    shutil.copytree(DEMO, folder)
    return folder


@dataclass
class Ran:
    """What a `qa` command did: its exit status and what it printed on each stream."""

    returncode: int
    stdout: str
    stderr: str


def run_qa(*args: str, env: dict | None = None, stdin: str | None = None) -> Ran:
    """Run the real `qa` command line in this process (click's runner), from the repository root: the same
    commands, plug-ins, exit codes and streams as `python -m qa`, without a fresh interpreter importing torch and
    loading the encoder each time. An exception the CLI lets escape is printed as the real process would print
    it ("Traceback …" on stderr, status 1). What only a real process shows (the entry point, bytes in argv,
    signals, a second process on a held file) is tested with `run_qa_process`."""
    from click.testing import CliRunner

    from qa.cli import _plugin_commands, cli

    _plugin_commands()
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(cli, list(args), input=stdin, env=env, prog_name="qa")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))  # "Traceback (most recent call last):…"
    return Ran(result.exit_code, result.stdout, stderr)


def run_qa_process(
    *args: str, env: dict | None = None, timeout: float = 300, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run the real CLI (`python -m qa`) in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "qa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 120.0, process: subprocess.Popen | None = None) -> None:
    """Wait until `url` answers 200 (a server that listens may still be loading: llama.cpp answers 503)."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer 200 within {timeout}s")


def wait_for_port(port: int, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@contextmanager
def hanging_server() -> Iterator[int]:
    """A port that accepts connections and never answers (an LLM server that hangs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


@contextmanager
def background(command: list[str], log: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """`command` running until the block ends (terminated, killed if it will not stop). Output goes to `log`."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=ROOT
        )
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def qa_watch(paths: Path, index: Path, log: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """`qa ingest PATHS --index INDEX --watch` (looking every 0.3 s) running until the block ends."""
    command = [sys.executable, "-m", "qa", "ingest", str(paths), "--index", str(index), "--watch", "--interval", "0.3"]
    with background(command, log, env) as proc:
        yield proc


def wait_until(condition, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Wait until `condition()` holds (an exception counts as not yet: the index is being written), failing at
    once when `proc` has exited."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - the index is being written: look again
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[2:4]} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.1)


@contextmanager
def qa_server(args: list[str], ready: str, log: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """`python -m qa ARGS…` running until the block ends; waits for `ready` to answer 200. Output goes to `log`."""
    with background([sys.executable, "-m", "qa", *args], log, env) as proc:
        wait_for_http(ready, timeout=180, process=proc)
        yield proc
