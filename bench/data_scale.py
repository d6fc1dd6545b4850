"""How long and how much memory a journey takes to read its KPIs from a large data file.

    .venv/bin/python bench/data_scale.py [--rows 1000000]

Writes a CSV of `--rows` NPS answers (date, touchpoint, segment, value) and a journey with
three KPIs and one emotion reading it, then runs `jmap validate` on it in a fresh process, as
a user would, and prints the wall time, processor time and peak memory (maximum resident set
size) of that process. The file is read once, as a stream, however many sources name it.
Target: under 2 s and 200 MB for 1,000,000 rows. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOUCHPOINTS = ["ordered", "shipped", "delivered", "returned"]
SEGMENTS = ["new", "returning", "vip"]

JOURNEY = """jmap: 1
title: Delivery
stages:
  - name: Receive
    kpis:
      - name: NPS after delivery
        source: {file: ../data/nps.csv, where: {touchpoint: delivered}, aggregate: nps}
        direction: higher
        target: 40
      - name: Answers from VIPs
        source: {file: ../data/nps.csv, where: {segment: vip}, aggregate: count}
      - name: Mean answer
        source: {file: ../data/nps.csv}
    touchpoints:
      - name: Delivered
        emotion_source: {file: ../data/nps.csv, where: {touchpoint: delivered}, scale: 0-10}
"""


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date,touchpoint,segment,value\n")
        for number in range(rows):
            month, day = 1 + number % 12, 1 + number % 28
            out.write(
                f"2025-{month:02d}-{day:02d},{TOUCHPOINTS[number % 4]},"
                f"{SEGMENTS[number % 3]},{number * 7 % 11}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "jmap.toml").write_text("")
        (root / "data").mkdir()
        (root / "journeys").mkdir()
        data = root / "data" / "nps.csv"
        write_rows(data, options.rows)
        (root / "journeys" / "delivery.yaml").write_text(JOURNEY)
        size = data.stat().st_size / 1e6
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "jmap", "validate", "journeys/delivery.yaml"],
            cwd=root,
            env=os.environ,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(done.stdout + done.stderr)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        # ru_maxrss is in KB on Linux (bytes on macOS): the largest child jmap has run so far.
        peak_mb = used.ru_maxrss / 1e6 if sys.platform == "darwin" else used.ru_maxrss / 1024
        # The processor time too: on a shared machine the wall time says more about the others.
        cpu = used.ru_utime + used.ru_stime
        print(
            f"{options.rows:,} rows ({size:.0f} MB), 4 sources: {elapsed:.2f} s"
            f" ({cpu:.2f} s of processor time), peak {peak_mb:.0f} MB"
            " (target < 2 s, < 200 MB)"
        )


if __name__ == "__main__":
    main()
