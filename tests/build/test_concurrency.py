"""Two builds into one output folder: the second waits for the first, and the folder ends up
consistent with its manifest. Tested with real `jmap build` processes, and the lock alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jmap.build.lock import LOCK_NAME, LockTimeout, build_lock
from tests.helpers import JOURNEY, journey_folder, run_cli


def _command(journeys: Path, out: Path, formats: str) -> list[str]:
    return [sys.executable, "-m", "jmap", "build", str(journeys), "-o", str(out), "-f", formats]


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _assert_consistent(out: Path) -> dict[str, str]:
    """Every file the manifest lists is there and is what it says; nothing else is left over."""
    manifest = json.loads((out / ".jmap-manifest.json").read_text())
    outputs: dict[str, str] = {}
    for entry in manifest["journeys"].values():
        outputs.update(entry["outputs"])
    assert "remove" not in manifest
    present = {path.name for path in out.iterdir()}
    assert present == {*outputs, ".jmap-manifest.json", ".jmap-portfolio.json", "index.md"}
    return outputs


FIRST_BUILD_JOURNEYS = 300


@pytest.mark.slow
def test_a_second_build_waits_and_the_folder_matches_its_manifest(tmp_path: Path) -> None:
    # Enough journeys that the first build (on one core) is still running, by a wide margin,
    # when the second has started Python and reaches the lock.
    journey_folder(tmp_path / "j", FIRST_BUILD_JOURNEYS)
    out = tmp_path / "maps"
    first = subprocess.Popen(
        [*_command(tmp_path / "j", out, "svg,md"), "-j", "1", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for((out / LOCK_NAME).exists)
    # Started while the first holds the lock, with other formats: its maps replace the first's.
    second_command = [*_command(tmp_path / "j", out, "json,md"), "-q"]
    second = subprocess.Popen(
        second_command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    first_out, first_err = first.communicate(timeout=300)
    second_out, second_err = second.communicate(timeout=300)

    assert first.returncode == 0, first_out + first_err
    assert second.returncode == 0, second_out + second_err
    assert second_err == f"waiting for another jmap build in {out}\n"
    # index.md is the same for both builds, so the second leaves the first's.
    n = FIRST_BUILD_JOURNEYS
    assert (
        second_out.splitlines()[-1] == f"{n} journeys in {out}: {n} built ({2 * n} files written)"
    )
    outputs = _assert_consistent(out)
    assert sorted(outputs) == sorted(
        f"journey-{number:03}.{extension}" for number in range(n) for extension in ("json", "md")
    )
    again = subprocess.run(second_command, capture_output=True, text=True, check=True)
    assert again.stdout.splitlines()[-1] == (
        f"{n} journeys in {out}: 0 built, {n} unchanged (0 files written)"
    )


@pytest.mark.slow
def test_builds_started_together_with_an_edit_between_end_consistent(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 40)
    out = tmp_path / "maps"
    command = [*_command(tmp_path / "j", out, "md,json"), "-q"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ]
    edited = tmp_path / "j" / "journey-007.yaml"
    edited.write_text(edited.read_text().replace("Journey 7", "Journey seven"))
    processes.append(
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    )
    for process in processes:
        output, errors = process.communicate(timeout=300)
        assert process.returncode == 0, output + errors
    _assert_consistent(out)
    assert json.loads((out / "journey-007.json").read_text())["title"] == "Journey seven"
    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert again.stdout.splitlines()[-1] == (
        f"40 journeys in {out}: 0 built, 40 unchanged (0 files written)"
    )


def _live_processes() -> dict[int, int]:
    """Every process that is running (not a zombie waiting to be reaped), with its parent."""
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=", "-o", "ppid=", "-o", "stat="],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = (line.split() for line in listing.splitlines())
    return {int(pid): int(ppid) for pid, ppid, state, *_ in rows if not state.startswith("Z")}


def _descendants(parent: int) -> set[int]:
    parents = _live_processes()
    found: set[int] = set()
    new = {parent}
    while new:
        new = {pid for pid, ppid in parents.items() if ppid in new} - found
        found |= new
    return found


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_build_killed_alone_leaves_no_process_and_no_lock(tmp_path: Path) -> None:
    n = FIRST_BUILD_JOURNEYS
    journey_folder(tmp_path / "j", n)
    out = tmp_path / "maps"
    # The layout engine's folders of DOT files go here, to see that none is left behind.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    killed = subprocess.Popen(
        [*_command(tmp_path / "j", out, "svg,md"), "-j", "2", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    _wait_for(lambda: any(out.glob("*.svg")))  # rendering in its workers
    workers = _descendants(killed.pid)
    killed.kill()  # the build alone, as a CI timeout or the OOM killer does
    killed.wait()
    stopped = time.monotonic()
    assert workers
    assert not (out / ".jmap-manifest.json").exists()  # killed half-way

    # Its workers never held the lock: it is free as soon as the build is gone.
    with build_lock(out, timeout=0):
        pass
    _wait_for(lambda: not workers & set(_live_processes()), seconds=5)
    assert time.monotonic() - stopped < 5
    assert list(temporary.glob("jmap-layout-*")) == []

    command = [*_command(tmp_path / "j", out, "svg,md"), "-q"]
    repair = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert (repair.returncode, repair.stderr) == (0, ""), repair.stdout + repair.stderr
    assert repair.stdout.splitlines()[-1] == (
        f"{n} journeys in {out}: {n} built ({2 * n + 1} files written)"
    )
    outputs = _assert_consistent(out)  # no .tmp file left: only maps, manifest and index
    assert sorted(outputs) == sorted(
        f"journey-{number:03}.{extension}" for number in range(n) for extension in ("svg", "md")
    )
    # Every map is what the journey says: --check renders them again and compares.
    check = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_build_stops_the_layout_engines_its_workers_run(tmp_path: Path) -> None:
    # A `dot` that notes its process id and never finishes, found first on PATH.
    engines = tmp_path / "engines.txt"
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho $$ >> "{engines}"\nexec sleep 600\n')
    fake.chmod(0o755)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    journey_folder(tmp_path / "j", 8)  # two per batch: each worker lays out a folder of files
    killed = subprocess.Popen(
        [*_command(tmp_path / "j", tmp_path / "maps", "flow"), "-j", "2", "--engine", "system"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={
            **os.environ,
            "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}",
            "TMPDIR": str(temporary),
        },
    )
    _wait_for(lambda: engines.exists() and len(engines.read_text().split()) == 2)
    running = {int(pid) for pid in engines.read_text().split()} | _descendants(killed.pid)
    assert list(temporary.glob("jmap-layout-*"))
    killed.kill()
    killed.wait()
    _wait_for(lambda: not running & set(_live_processes()), seconds=5)
    assert list(temporary.glob("jmap-layout-*")) == []


# The lock itself


def test_a_held_lock_makes_another_wait_then_give_up(tmp_path: Path) -> None:
    told: list[Path] = []
    with build_lock(tmp_path / "maps"):
        assert (tmp_path / "maps" / LOCK_NAME).exists()
        started = time.monotonic()
        with (
            pytest.raises(LockTimeout) as raised,
            build_lock(tmp_path / "maps", timeout=0.3, waiting=told.append),
        ):
            pass  # pragma: no cover - never reached
        assert time.monotonic() - started >= 0.3
    assert str(raised.value) == (
        f"another jmap build has been writing to {tmp_path / 'maps'} for more than 0.3 seconds;"
        " try again once it has finished"
    )
    assert told == [tmp_path / "maps"]
    # Released: the lock file is gone, and so is the folder that only the lock made.
    assert not (tmp_path / "maps").exists()
    with build_lock(tmp_path / "maps", timeout=0):
        pass


def test_a_build_that_waits_too_long_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY.format(n=1, emotion=4))
    out = tmp_path / "maps"
    monkeypatch.setattr("jmap.build.lock.DEFAULT_TIMEOUT", 0.2)
    with build_lock(out):
        result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(out)])
        # --check writes nothing, so it does not wait.
        check = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(out), "--check"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"waiting for another jmap build in {out}\n"
        f"error: another jmap build has been writing to {out} for more than 0.2 seconds;"
        " try again once it has finished\n"
    )
    assert check.exit_code == 1
    assert "missing: " in check.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_build_does_not_leave_the_folder_locked(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from jmap.build.lock import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n"
            "    time.sleep(600)\n",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert (out / LOCK_NAME).exists()  # left behind, but no longer locked
    with build_lock(out, timeout=5):
        pass
    assert list(out.iterdir()) == []


def _plant(lock: Path, what: str, target: Path) -> None:
    if what == "link-to-a-file":
        target.write_text("mine")
    if what.startswith("link"):
        lock.symlink_to(Path("..") / target.name)
    elif what == "folder":
        lock.mkdir()
    else:
        os.mkfifo(lock)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs are POSIX here")
@pytest.mark.parametrize(
    ("what", "kind"),
    [
        ("link-to-nothing", "a symbolic link"),
        ("link-to-a-file", "a symbolic link"),
        ("folder", "a folder"),
        ("fifo", "a special file"),
    ],
)
def test_a_lock_file_that_is_not_a_file_is_refused(tmp_path: Path, what: str, kind: str) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY.format(n=1, emotion=4))
    out = tmp_path / "maps"
    out.mkdir()
    target = tmp_path / "x"
    _plant(out / LOCK_NAME, what, target)

    result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(out)])

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{out / LOCK_NAME}: error: is {kind}, not jmap's lock file; remove it, then build again\n"
    )
    # Nothing created or written through the link (a FIFO is not waited on), nothing built.
    if what == "link-to-a-file":
        assert target.read_text() == "mine"
    else:
        assert not target.exists()
    assert [path.name for path in out.iterdir()] == [LOCK_NAME]
