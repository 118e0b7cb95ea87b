"""The layers (docs/architecture.md): no import runs back up, and other layers use a package's face only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

LAYERS = {"index": 0, "qa": 1, "eval": 2, "bench": 3, "ui": 3}
# modules other layers may import beside the packages themselves: the LlamaIndex components are imported by name,
# so that `import qa` does not import llama-index
FACES = {"qa.llama_index"}


def modules(package: str) -> list[Path]:
    path = ROOT / package
    return [path.with_suffix(".py")] if not path.is_dir() else sorted(path.rglob("*.py"))


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_no_import_runs_back_up_the_layers(package):
    upward = [
        (path.relative_to(ROOT), name)
        for path in modules(package)
        for name in imports(path)
        if name.split(".")[0] in LAYERS and LAYERS[name.split(".")[0]] > LAYERS[package]
    ]
    assert not upward, upward


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_other_layers_are_used_through_their_face(package):
    inner = [
        (path.relative_to(ROOT), name)
        for path in modules(package)
        for name in imports(path)
        if "." in name and name.split(".")[0] in ("index", "qa") and name.split(".")[0] != package and name not in FACES
    ]
    assert not inner, inner


def test_import_qa_leaves_llama_index_unimported():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, qa; print(sorted(m for m in sys.modules if m.startswith('llama_index')))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert loaded.stdout.strip() == "[]", loaded.stdout
