"""Hostile-file benchmark: peak memory and time of `qa ingest` on one hostile file at a time, beside the same
command on one good article (the process's own floor: Python, torch and the encoder), in one run.

    python -m bench.hostile             # every file below, 3 runs each (about 6 min on 2 cores)
    python -m bench.hostile --quick     # one run each

Each run is a fresh `python -m qa ingest FOLDER --skip-bad` under /usr/bin/time -v, FOLDER holding the hostile
file and one good article; peak memory is the "Maximum resident set size" of the whole process. The goal
(issue 34): under 1 GiB for every file, and every good article indexed. The files are made here (the tests use
the same makers); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import table, write

GOOD = "Port plan\n\nCai Mep port will add four deep-water berths by 2028, the operator said.\n"
GOAL_MIB = 1024
FILE_SECONDS = "5"  # QA_FILE_TIMEOUT for these runs (the default is 60 s)

# YAML front matter whose aliases expand 9^9-fold if built (a safe loader builds them)
ALIAS_BOMB = (
    "---\n"
    + "".join(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(9))
    + "title: bomb\n---\nBody.\n"
)


def zip_bomb(expanded: int = 8_000_000) -> bytes:
    """A .docx whose word/document.xml expands ~1,000-fold (`expanded` bytes of whitespace), written in pieces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b"<w:document>")
            block = b" " * 1_000_000
            for _ in range(expanded // len(block)):
                member.write(block)
            member.write(b"</w:document>")
    return out.getvalue()


def billion_laughs() -> bytes:
    """A .docx whose document.xml declares entities that expand 10^10-fold."""
    entities = "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i else "lol") * 10 + '">' for i in range(10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return word_package(xml)


def word_package(document_xml: str, content_types: str | None = None) -> bytes:
    """A .docx holding `document_xml` as its main part (`content_types`: the package's [Content_Types].xml)."""
    package = "http://schemas.openxmlformats.org/package/2006"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = content_types or (
        f'<?xml version="1.0"?><Types xmlns="{package}/content-types"><Default Extension="xml" '
        f'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    )
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{office}" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def many_pages(count: int) -> bytes:
    """A PDF of `count` blank pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def busy_pages(count: int, texts: int = 400) -> bytes:
    """A small PDF whose `count` pages share one busy content stream: cheap to store, slow to read (1,500 pages:
    268 KB, 68 s and 24 M characters of text)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    names = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"}
    font = writer._add_object(DictionaryObject({NameObject(k): NameObject(v) for k, v in names.items()}))
    stream = DecodedStreamObject()
    shown = " ".join(
        f"1 0 0 1 {i % 200} {i % 300} Tm (Trade grew in 2025, officials said {i}) Tj" for i in range(texts)
    )
    stream.set_data(f"BT /F1 8 Tf {shown} ET".encode())
    content = writer._add_object(stream)
    fonts = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    for _ in range(count):
        page = writer.add_blank_page(width=200, height=200)
        page[NameObject("/Contents")] = content
        page[NameObject("/Resources")] = fonts
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


QUICK = ("baseline: one good article", "YAML alias bomb (.md)", "billion laughs (.docx)", "a PDF named .txt")


def cases(quick: bool = False) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name → (file name, maker); `quick`: the few that take seconds (the CI smoke)."""
    every = {
        "baseline: one good article": ("", lambda: b""),
        "YAML alias bomb (.md)": ("bomb.md", ALIAS_BOMB.encode),
        "zip bomb, 1 GB expanded (.docx)": ("bomb.docx", lambda: zip_bomb(1_000_000_000)),
        "billion laughs (.docx)": ("laughs.docx", billion_laughs),
        "5,000 blank pages (.pdf)": ("pages.pdf", lambda: many_pages(5000)),
        "1,500 pages sharing one busy stream (.pdf)": ("busy.pdf", lambda: busy_pages(1500)),
        "a PDF named .txt": ("notes.txt", lambda: busy_pages(1, texts=3)),
        "60 MB of text (.txt)": ("huge.txt", lambda: b"Trade grew in 2025, officials said. " * 1_700_000),
        "12 M characters of text in 11 MB (.md)": ("long.md", lambda: b"# Long\n\n" + b"Trade grew. " * 1_000_000),
    }
    return {name: case for name, case in every.items() if not quick or name in QUICK}


def run_once(folder: Path, index: Path) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "QA_FILE_TIMEOUT": FILE_SECONDS}
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "qa", "ingest", str(folder), "--index", str(index)]
    started = time.perf_counter()
    done = subprocess.run([*command, "--skip-bad", "--quiet"], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    skipped = [line for line in (done.stdout + done.stderr).splitlines() if "skipped" in line or "warning" in line]
    return {
        "peak_mib": int(peak.group(1)) / 1024 if peak else float("nan"),
        "wall_s": wall,
        "returncode": done.returncode,
        "traceback": "Traceback" in done.stderr,
        "said": skipped[0][:160] if skipped else "",
    }


def measure(name: str, file_name: str, data: bytes, repeats: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            folder = Path(tmp) / "articles"
            folder.mkdir()
            (folder / "good.txt").write_text(GOOD)
            if file_name:
                (folder / file_name).write_bytes(data)
            runs.append(run_once(folder, Path(tmp) / "index"))
            good_indexed = _sources(Path(tmp) / "index") >= {"good.txt"}
        runs[-1]["good_indexed"] = good_indexed
    return {
        "case": name,
        "bytes": len(data),
        "peak_mib": statistics.median(r["peak_mib"] for r in runs),
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "ok": all(r["returncode"] == 0 and not r["traceback"] and r["good_indexed"] for r in runs),
        "said": runs[0]["said"],
        "runs": runs,
    }


def _sources(index: Path) -> set[str]:
    from index import load

    try:
        return {d.source for d in load(index).documents.values()}
    except Exception:  # noqa: BLE001 - reported as "good article not indexed"
        return set()


def run(quick: bool = False, out: Path | None = None, repeats: int | None = None) -> dict[str, Any]:
    repeats = repeats or (1 if quick else 3)
    rows = []
    for name, (file_name, make) in cases(quick).items():
        data = make()
        rows.append(measure(name, file_name, data, repeats))
        print(f"  {name}: {rows[-1]['peak_mib']:.0f} MiB, {rows[-1]['wall_s']:.1f} s", flush=True)
    floor = rows[0]["peak_mib"]
    header = ["file", "size", "peak MiB (median)", "over baseline MiB", "wall s", "under 1 GiB", "good indexed", "said"]
    body = [
        [
            r["case"],
            f"{r['bytes'] / 1e6:.3f} MB",
            f"{r['peak_mib']:.0f}",
            f"{r['peak_mib'] - floor:+.0f}",
            f"{r['wall_s']:.1f}",
            "yes" if r["peak_mib"] < GOAL_MIB else "NO",
            "yes" if r["ok"] else "NO",
            r["said"].replace("|", "/"),
        ]
        for r in rows
    ]
    runs = f"{repeats} run(s) each, QA_FILE_TIMEOUT={FILE_SECONDS}"
    text = f"Peak memory of `qa ingest --skip-bad` per hostile file ({runs})\n\n"
    text += table(header, body)
    result = {"repeats": repeats, "goal_mib": GOAL_MIB, "rows": rows}
    write("hostile", result, out, text)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run per file")
    parser.add_argument("--out", type=Path, help="folder for the JSON and Markdown (default runs/bench)")
    args = parser.parse_args()
    run(quick=args.quick, out=args.out)


if __name__ == "__main__":
    main()
