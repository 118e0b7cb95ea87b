"""A screenshot of the chat UI over an index, taken as tests/test_ui.py drives it (a real `ui.py` server on loopback,
Debian's Chromium through Playwright): the corpus panel, the examples, and the answer to the first example.

    .venv/bin/python scripts/ui_screenshot.py --index .qa/multihop-index --out docs/img/ui-multihop.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_ui import CHROMIUM, ask, start_ui  # noqa: E402 - after the repository is on the path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--question", help="Default: the first example question the page offers.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_ui(args.index, Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.locator("#qa-corpus .qa-corpus").wait_for(timeout=60_000)
                question = args.question or page.locator("#qa-examples .qa-example").first.inner_text()
                ask(page, question)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out), full_page=True)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"{args.out} ({args.out.stat().st_size / 1000:.0f} kB): {question}")


if __name__ == "__main__":
    main()
