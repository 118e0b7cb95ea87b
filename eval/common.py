"""What eval/ and bench/ both write: Markdown tables and the commit a result came from."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def table(headers: list[str], rows: list[list[Any]], digits: int = 3) -> str:
    """A Markdown table; floats get `digits` decimals (one above 10)."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.{digits}f}" if abs(value) < 10 else f"{value:,.1f}"
        return "" if value is None else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def git_commit() -> str | None:
    """The short commit of the checkout this code runs from, or None outside git."""
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent,
                timeout=5,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        return None
