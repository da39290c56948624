"""Check a build of the shared sample-300 data (not a test: it needs ../shared, which users lack).

    .venv/bin/python bench/check_sample.py ../shared/data/sample-300

For each of export.csv, export.xlsx and txt/: build into a temporary folder, then compare
the fragment pages with manifest.json's public_ids and grep every file for canaries.txt.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def gunzipped(data: bytes) -> bytes:
    """Pagefind's index and sitemap.xml.gz are compressed: canaries must be looked for inside."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def slug(fragment_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fragment_id.lower()).strip("-")


def main(sample: Path) -> int:
    manifest = json.loads((sample / "manifest.json").read_text())
    canaries = [c for c in (sample / "canaries.txt").read_text().splitlines() if c]
    expected = {slug(i) for i in manifest["public_ids"]}
    failures = 0
    for source in ("export.csv", "export.xlsx", "txt"):
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", "build", "-q", "--content", str(sample / source),
                 "--site-dir", str(site), "--docs-dir", str(Path(tmp) / "docs")],
                capture_output=True, text=True,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            if result.returncode != 0:
                print(f"{source}: build failed\n{result.stderr}")
                failures += 1
                continue
            # A fragment's page is fragments/<slug>/index.html; All outcomes' pages 2, 3… are
            # fragments/page/<n>/, which is no fragment.
            pages = {p.parent.name for p in (site / "fragments").glob("*/index.html")} - {"page"}
            # The project's site is in two languages: the French tree (fr/) has the same pages.
            twins = {p.parent.name for p in (site / "fr" / "fragments").glob("*/index.html")} - {"page"}
            text = "\n".join(
                str(p) + "\n" + gunzipped(p.read_bytes()).decode("utf-8", errors="replace")
                for p in site.rglob("*") if p.is_file() and p.suffix not in {".png", ".woff2"}
            )  # fmt: skip
            leaks = sorted({c for c in canaries if c in text})
            index = site / "pagefind"
            ok = pages == expected and not leaks and (not (site / "fr").is_dir() or twins == expected)
            failures += not ok
            print(
                f"{source:12s} pages {len(pages)} (expected {len(expected)}, same set: {pages == expected}), "
                f"French twins {len(twins)} (same set: {twins == expected}), "
                f"canaries found: {len(leaks)} {leaks[:5]}, build {seconds:.1f} s, "
                f"search index {sum(p.stat().st_size for p in index.rglob('*') if p.is_file()) / 1024:.0f} KiB"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/sample-300")))
