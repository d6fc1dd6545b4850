"""`jmap build --watch`, as a real process: edits rebuild what they touch until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import journey_folder, run_cli

TIMEOUT = 60.0  # seconds for a (re)build on a busy shared machine


def wait_for(
    what: str, ready: Callable[[], bool], process: subprocess.Popen[str], log: Path
) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{what}: not seen\n{log.read_text(encoding='utf-8')}")
        time.sleep(0.05)


@pytest.mark.slow
def test_watch_rebuilds_what_changed_until_ctrl_c(tmp_path: Path) -> None:
    first, second = journey_folder(tmp_path / "journeys", 2)
    maps = tmp_path / "maps"
    log = tmp_path / "output.txt"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "jmap", "build", "journeys", "-o", "maps", "--watch"],
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "CI": "1"},
        )
    try:
        first_svg, second_svg = maps / f"{first.stem}.svg", maps / f"{second.stem}.svg"
        wait_for("the first build", lambda: "watching journeys" in log.read_text(), process, log)
        wait_for("the first build's summary", lambda: "2 built" in log.read_text(), process, log)
        assert "Journey 0" in first_svg.read_text(encoding="utf-8")
        untouched = second_svg.stat().st_mtime_ns

        first.write_text(first.read_text("utf-8").replace("Journey 0", "Renamed journey"))
        wait_for(
            "the edited journey's map",
            lambda: "Renamed journey" in first_svg.read_text(encoding="utf-8"),
            process,
            log,
        )
        wait_for("the rebuild's summary", lambda: "1 unchanged" in log.read_text(), process, log)
        assert second_svg.stat().st_mtime_ns == untouched, "only what changed is rebuilt"

        # A mistake is reported where it is, the maps stay, and the watch goes on.
        first.write_text(first.read_text("utf-8").replace("emotion: 2", "emotion: 9"))
        wait_for(
            "the error",
            lambda: f"{Path('journeys') / first.name}:7:33: error: emotion" in log.read_text(),
            process,
            log,
        )
        assert "Renamed journey" in first_svg.read_text(encoding="utf-8")
        first.write_text(first.read_text("utf-8").replace("Renamed journey", "Fixed journey"))
        first.write_text(first.read_text("utf-8").replace("emotion: 9", "emotion: 2"))
        wait_for(
            "the fixed journey's map",
            lambda: "Fixed journey" in first_svg.read_text(encoding="utf-8"),
            process,
            log,
        )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    printed = log.read_text(encoding="utf-8")
    assert code == 0, printed
    assert "Traceback" not in printed, printed
    assert printed.rstrip().endswith("stopped"), printed


def test_watch_and_check_are_refused_together(tmp_path: Path) -> None:
    journey_folder(tmp_path / "journeys", 1)
    refused = run_cli(["build", str(tmp_path / "journeys"), "--watch", "--check"])
    assert refused.exit_code == 2
    assert refused.stderr == (
        "error: --watch writes the maps; --check writes nothing: use one of them\n"
    )
    assert not (tmp_path / "maps").exists()
