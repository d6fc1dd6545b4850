"""The output folder holds the user's files too: jmap replaces or deletes only what it can show
it wrote, distrusts a manifest it did not write, and reports a file it cannot write."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jmap.build.manifest import MAX_MANIFEST_BYTES
from tests.helpers import run_cli

CHECKOUT = """jmap: 1
title: Checkout
stages:
  - name: Pay
    touchpoints:
      - {name: Pays, emotion: 3}
"""
WARNING = "warning: ignored ({}); rebuilding everything"
# The portfolio row a build keeps (in .jmap-portfolio.json) for the journey CHECKOUT, named
# checkout.
ROW: dict[str, Any] = {
    "id": "checkout",
    "title": "Checkout",
    "state": "current",
    "owner": None,
    "tags": [],
    "personas": [],
    "stages": [{"id": "pay", "name": "Pay"}],
    "channels": [],
    "touchpoints": 1,
    "tallies": [{"channel": None, "stage": "pay", "count": 1}],
    "averages": [{"who": None, "value": 3.0}],
    "lows": [
        {
            "who": None,
            "score": 3,
            "touchpoint": {"id": "pays", "name": "Pays", "stage": "Pay", "channel": None},
        }
    ],
    "pains": [],
    "kpis": [],
    "freshness": {"review_due": None, "review_every": None, "evidence": [], "abandoned": []},
}


def _journeys(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.yaml"
        path.write_text(CHECKOUT.replace("Checkout", name.title()))
        paths.append(path)
    return paths


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(folder: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((folder / ".jmap-manifest.json").read_text())
    assert document["manifest"] == 4
    return document


def _rows(folder: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((folder / ".jmap-portfolio.json").read_text())
    assert document["portfolio"] == 2
    return document


def _temporary_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


# A planted manifest deletes nothing of the user's


def test_a_planted_manifest_deletes_nothing_of_the_users(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (checkout,) = _journeys(docs, "checkout")
    (docs / "README.md").write_text("# Our docs\n")
    (docs / ".jmap-manifest.json").write_text(
        '{"manifest":1,"journeys":{},"remove":["README.md","checkout.yaml"]}'
    )
    result = run_cli(["build", str(docs), "-o", str(docs), "-f", "md"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[0] == (
        f"{docs / '.jmap-manifest.json'}: " + WARNING.format("written by an older jmap")
    )
    assert (docs / "README.md").read_text() == "# Our docs\n"
    assert checkout.read_text() == CHECKOUT
    assert list(_manifest(docs)["journeys"]) == ["checkout.yaml"]


def test_a_manifest_of_jmaps_shape_deletes_only_what_jmap_wrote(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    checkout, _ = _journeys(docs, "checkout", "returns")
    (docs / "people.json").write_text('{"personas": [{"name": "Maya"}]}\n')
    checkout.write_text(CHECKOUT.replace("stages:", "include: people.json\nstages:"))
    flow = docs / "flow.json"  # a journey too, named on the command line
    flow.write_text('{"jmap": 1, "title": "Flow", "stages": [{"name": "A"}]}\n')
    assert run_cli(["build", str(docs), str(flow), "-o", str(docs), "-f", "md"]).exit_code == 0
    (docs / "notes.md").write_text("mine, edited since\n")
    planted = _manifest(docs)
    planted["remove"] = {
        # The user's file, under a hash jmap could have recorded for an old version of it.
        "notes.md": hashlib.sha256(b"what jmap once wrote\n").hexdigest(),
        # A journey and an included file, with their current hashes.
        "flow.json": _sha(flow),
        "people.json": _sha(docs / "people.json"),
        # A map jmap wrote and no journey makes any more: this one goes.
        "gone.md": _sha(docs / "returns.md"),
    }
    (docs / "gone.md").write_bytes((docs / "returns.md").read_bytes())
    (docs / ".jmap-manifest.json").write_text(json.dumps(planted))
    result = run_cli(["build", str(docs), str(flow), "-o", str(docs), "-f", "md"])
    assert result.exit_code == 0, result.stdout
    assert f"removed {docs / 'gone.md'} (its journey is gone)" in result.stdout
    assert "removed" not in result.stdout.replace(f"removed {docs / 'gone.md'}", "")
    assert (docs / "notes.md").read_text() == "mine, edited since\n"
    assert flow.exists()
    assert (docs / "people.json").exists()
    assert "remove" not in _manifest(docs)


# A file at a map's name that jmap did not write is never overwritten


def test_a_users_file_at_a_maps_name_is_kept_until_overwrite(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    checkout, returns = _journeys(journeys, "checkout", "returns")
    (journeys / "checkout.md").write_text("My notes on checkout\n")
    args = ["build", str(journeys), "-o", str(journeys), "-f", "md,json"]
    result = run_cli(args)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{checkout}: error: {journeys / 'checkout.md'} was not written by jmap;"
        " move it or pass --overwrite"
    )
    assert result.stdout.splitlines()[-1].endswith("1 built, 1 failed (2 files written)")
    assert (journeys / "checkout.md").read_text() == "My notes on checkout\n"
    assert not (journeys / "checkout.json").exists()  # all of a journey's maps, or none
    assert (journeys / "returns.md").exists()
    # Reported again by the next build, not forgotten.
    assert run_cli(args).exit_code == 1
    assert (journeys / "checkout.md").read_text() == "My notes on checkout\n"

    replaced = run_cli([*args, "--overwrite"])
    assert replaced.exit_code == 0, replaced.stdout
    assert (journeys / "checkout.md").read_text().startswith("<!-- Generated by jmap")
    assert run_cli(args).exit_code == 0
    assert returns.exists()


def test_a_map_edited_by_hand_is_not_overwritten_by_a_rebuild(tmp_path: Path) -> None:
    (checkout,) = _journeys(tmp_path / "j", "checkout")
    out = tmp_path / "maps"
    args = ["build", str(checkout), "-o", str(out), "-f", "md"]
    assert run_cli(args).exit_code == 0
    (out / "checkout.md").write_text("edited by hand\n")
    checkout.write_text(CHECKOUT.replace("Pays", "Pays by card"))
    result = run_cli(args)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{checkout}: error: {out / 'checkout.md'} was changed since jmap wrote it;"
        " move it or pass --overwrite"
    )
    assert (out / "checkout.md").read_text() == "edited by hand\n"
    assert run_cli([*args, "--overwrite"]).exit_code == 0
    assert "Pays by card" in (out / "checkout.md").read_text()


def test_a_users_portfolio_page_is_kept_and_reported(tmp_path: Path) -> None:
    _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    out.mkdir()
    (out / "index.html").write_text("<p>our own start page</p>\n")
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "html"]
    result = run_cli(args)
    assert result.exit_code == 1
    assert (
        f"{out / 'index.html'}: error: {out / 'index.html'} was not written by jmap;"
        " move it or pass --overwrite"
    ) in result.stdout.splitlines()
    assert (out / "index.html").read_text() == "<p>our own start page</p>\n"
    assert (out / "checkout.html").exists()
    assert (out / "returns.html").exists()
    assert run_cli([*args, "--overwrite"]).exit_code == 0
    assert "<html" in (out / "index.html").read_text()
    assert run_cli(args).exit_code == 0


def test_maps_without_a_manifest_are_taken_over_when_they_are_what_jmap_writes(
    tmp_path: Path,
) -> None:
    """A folder of maps from an older jmap, or whose manifest was deleted: a map that holds
    what jmap writes now is jmap's; one that differs is reported like any unknown file."""
    checkout, _ = _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "md"]
    assert run_cli(args).exit_code == 0
    (out / ".jmap-manifest.json").unlink()
    again = run_cli(args)
    assert again.exit_code == 0, again.stdout
    assert ": warning: " not in again.stdout  # no manifest is nothing to warn about

    (out / ".jmap-manifest.json").unlink()
    checkout.write_text(CHECKOUT.replace("Pays", "Pays by card"))
    result = run_cli(args)
    assert result.exit_code == 1
    assert f"{out / 'checkout.md'} was not written by jmap" in result.stdout
    assert run_cli([*args, "--overwrite"]).exit_code == 0


# A manifest jmap did not write is never trusted


def _manifests(project: Path) -> dict[str, tuple[bytes, str]]:
    """Bad manifests, each with the reason the build gives for ignoring it."""
    sha = "0" * 64
    entry = {"key": sha, "id": "checkout", "outputs": {"checkout.json": sha}}

    def document(**changes: object) -> bytes:
        journeys = {"../j/checkout.yaml": entry}
        return json.dumps({"manifest": 4, "journeys": journeys, **changes}).encode()

    return {
        "malformed": (b'{"manifest": 4, "journeys": {', "not valid JSON"),
        "not-utf8": (b'{"manifest": 4, "journeys": {"\xff": {}}}', "not UTF-8"),
        "deep": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        "list": (b"[]", "the document is not an object"),
        "number": (b"7", "the document is not an object"),
        "string-journeys": (
            b'{"manifest": 4, "journeys": "all"}',
            "'journeys' is not an object",
        ),
        "version-as-text": (b'{"manifest": "4", "journeys": {}}', "not a manifest jmap writes"),
        # Version 3 kept the portfolio rows in the manifest.
        "version-3": (
            json.dumps(
                {"manifest": 3, "journeys": {"../j/checkout.yaml": {**entry, "row": ROW}}}
            ).encode(),
            "written by an older jmap",
        ),
        "key-not-a-hash": (
            document(journeys={"../j/checkout.yaml": {**entry, "key": 1}}),
            "'key' of the journey '../j/checkout.yaml' is not a SHA-256 hash",
        ),
        "outputs-list": (
            document(journeys={"../j/checkout.yaml": {**entry, "outputs": ["checkout.json"]}}),
            "'outputs' of the journey '../j/checkout.yaml' is not an object",
        ),
        "remove-elsewhere": (
            document(remove={"../victim.json": sha}),
            "'remove' names '../victim.json', which is not a file jmap writes here",
        ),
        "remove-a-journey": (
            document(remove={"checkout.yaml": sha}),
            "'remove' names 'checkout.yaml', which is not a file jmap writes here",
        ),
        "unknown-key": (document(extra=True), "the document has an unknown key 'extra'"),
        "absolute-input": (
            document(journeys={"../j/checkout.yaml": {**entry, "inputs": {"/dev/zero": sha}}}),
            "the input '/dev/zero' is not a path relative to the folder",
        ),
        "input-outside": (
            document(
                journeys={
                    "../j/checkout.yaml": {
                        **entry,
                        "inputs": {os.path.relpath("/dev/zero", project / "maps"): sha},
                    }
                }
            ),
            f"the input '{os.path.relpath('/dev/zero', project / 'maps')}' is outside the project",
        ),
        "input-a-fifo": (
            document(journeys={"../j/checkout.yaml": {**entry, "inputs": {"../j/pipe": sha}}}),
            "the input '../j/pipe' is not a regular file",
        ),
        "row-in-the-manifest": (
            document(journeys={"../j/checkout.yaml": {**entry, "row": ROW}}),
            "the journey '../j/checkout.yaml' has an unknown key 'row'",
        ),
        "huge": (
            b" " * (MAX_MANIFEST_BYTES + 1) + b"{}",
            f"larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MB",
        ),
    }


@pytest.mark.parametrize("kind", list(_manifests(Path("/project"))))
def test_a_manifest_jmap_did_not_write_is_ignored_and_replaced(tmp_path: Path, kind: str) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)  # the project root, for included files
    _journeys(project / "j", "checkout")
    os.mkfifo(project / "j" / "pipe")
    out = project / "maps"
    out.mkdir()
    data, reason = _manifests(project)[kind]
    (out / ".jmap-manifest.json").write_bytes(data)
    command = [sys.executable, "-m", "jmap", "build", "j", "-o", "maps", "-f", "json,md"]
    # A real process with a time limit: a build that hangs on a FIFO fails here, not forever.
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{Path('maps') / '.jmap-manifest.json'}: " + WARNING.format(reason)
    assert lines[-1] == "1 journey in maps: 1 built (2 files written)"
    assert [line for line in lines if ": warning: " in line] == [lines[0]]
    assert list(_manifest(out)["journeys"]) == ["../j/checkout.yaml"]  # a good one now
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert (
        again.stdout.splitlines()[-1] == "1 journey in maps: 0 built, 1 unchanged (0 files written)"
    )


# Write errors


def test_a_map_that_cannot_be_written_fails_its_journey_only(tmp_path: Path) -> None:
    checkout, _ = _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    (out / "checkout.json").mkdir(parents=True)  # a folder where the map goes
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "md,json"]
    for extra in ([], ["--overwrite"]):
        result = run_cli([*args, *extra])
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0] == (
            f"{checkout}: error: cannot write {out / 'checkout.json'}: Is a directory"
        )
        assert (out / "returns.json").exists()
        assert (out / "returns.md").exists()
        assert _temporary_files(out) == []
    (out / "checkout.json").rmdir()
    assert run_cli(args).exit_code == 0
    assert (out / "checkout.json").is_file()


def test_a_file_size_limit_fails_the_journey_too_large_and_leaves_no_partial_file(
    tmp_path: Path,
) -> None:
    big, _ = _journeys(tmp_path / "j", "big", "small")
    description = "A long description. " * 400  # 8,000 characters
    touchpoints = "".join(
        f"      - {{name: Step {n}, emotion: 3, description: {description}}}\n" for n in range(20)
    )
    big.write_text(CHECKOUT.split("      - ")[0] + touchpoints)
    out = tmp_path / "maps"

    def limit_file_size() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG.
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "jmap", "build", str(tmp_path / "j"), "-o", str(out), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_file_size,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == (
        f"{big}: error: cannot write {out / 'big.json'}: File too large"
    )
    assert sorted(path.name for path in out.iterdir()) == [".jmap-manifest.json", "small.json"]
    assert list(_manifest(out)["journeys"]) == ["../j/small.yaml"]


def test_a_manifest_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    _journeys(tmp_path / "j", "checkout")
    out = tmp_path / "maps"
    manifest = out / ".jmap-manifest.json"
    manifest.mkdir(parents=True)
    result = run_cli(["build", str(tmp_path / "j"), "-o", str(out), "-f", "json"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{manifest}: " + WARNING.format("it is not a regular file that can be read")
    )
    assert f"{manifest}: error: cannot write {manifest}: Is a directory" in result.stdout
    assert (out / "checkout.json").exists()
    assert _temporary_files(out) == []


def test_portfolio_rows_that_cannot_be_written_are_reported(tmp_path: Path) -> None:
    _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    rows = out / ".jmap-portfolio.json"
    rows.mkdir(parents=True)
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "md"]
    error = f"{rows}: error: cannot write {rows}: Is a directory"
    first = run_cli(args)
    assert first.exit_code == 1
    assert error in first.stdout.splitlines()
    assert ": warning: " not in first.stdout  # every journey was rendered: no rows were read
    assert (out / "index.md").is_file()
    (tmp_path / "j" / "returns.yaml").write_text(CHECKOUT.replace("Checkout", "Refunds"))
    result = run_cli(args)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{rows}: " + WARNING.format("it is not a regular file that can be read")
    )
    assert error in result.stdout.splitlines()
    assert "Refunds" in (out / "index.md").read_text()  # made from the rows of this build
    assert _temporary_files(out) == []
    rows.rmdir()
    (tmp_path / "j" / "returns.yaml").write_text(CHECKOUT.replace("Checkout", "Returns"))
    again = run_cli(args)
    assert again.exit_code == 0, again.stdout
    assert again.stdout.splitlines()[-1].endswith("2 built (3 files written)")  # no rows kept
    assert sorted(_rows(out)["rows"]) == ["../j/checkout.yaml", "../j/returns.yaml"]


def test_a_portfolio_page_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    (out / "index.md").mkdir(parents=True)
    result = run_cli(["build", str(tmp_path / "j"), "-o", str(out), "-f", "md"])
    assert result.exit_code == 1
    assert (
        f"{out / 'index.md'}: error: cannot write {out / 'index.md'}: Is a directory"
    ) in result.stdout.splitlines()
    assert (out / "checkout.md").exists()
    assert (out / "returns.md").exists()
    (out / "index.md").rmdir()
    assert run_cli(["build", str(tmp_path / "j"), "-o", str(out), "-f", "md"]).exit_code == 0
    assert (out / "index.md").is_file()


# The portfolio rows: beside the manifest, read only to make the pages again, trusted no more


def _portfolio_project(tmp_path: Path, config: str = "") -> tuple[Path, list[str]]:
    """Two journeys built into maps/ with their portfolio (and this jmap.toml): the output
    folder and the build's command (in the project's folder)."""
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "jmap.toml").write_text(config)
    _journeys(project / "j", "checkout", "returns")
    command = [sys.executable, "-m", "jmap", "build", "j", "-o", "maps", "-f", "md", "-q"]
    first = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout
    return project / "maps", command


@pytest.mark.parametrize("config", ["", 'title = "Our journeys"\n'])
def test_the_rows_are_kept_beside_the_manifest_and_read_only_to_make_the_pages(
    tmp_path: Path, config: str
) -> None:
    out, command = _portfolio_project(tmp_path, config)
    assert "row" not in json.dumps(_manifest(out))  # what every build reads stays small
    rows = _rows(out)["rows"]
    assert sorted(rows) == ["../j/checkout.yaml", "../j/returns.yaml"]
    assert rows["../j/checkout.yaml"]["row"] == ROW
    assert (
        rows["../j/checkout.yaml"]["key"] == _manifest(out)["journeys"]["../j/checkout.yaml"]["key"]
    )
    project = out.parent
    good = (out / ".jmap-portfolio.json").read_bytes()
    (out / ".jmap-portfolio.json").write_text("not JSON")
    noop = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    # Nothing changed, so the pages are current: the rows are not even read.
    assert (
        noop.stdout.splitlines()[-1] == "2 journeys in maps: 0 built, 2 unchanged (0 files written)"
    )
    assert ": warning: " not in noop.stdout
    assert (out / ".jmap-portfolio.json").read_text() == "not JSON"
    (out / ".jmap-portfolio.json").write_bytes(good)
    (project / "j" / "returns.yaml").write_text(CHECKOUT.replace("Checkout", "Refunds"))
    edited = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    # One journey changed: it alone is read, and the pages are made from its new row and the
    # row kept of the other.
    assert (
        edited.stdout.splitlines()[-1]
        == "2 journeys in maps: 1 built, 1 unchanged (2 files written)"
    )
    assert "Refunds" in (out / "index.md").read_text()
    assert _rows(out)["rows"]["../j/returns.yaml"]["row"]["title"] == "Refunds"
    assert _rows(out)["rows"]["../j/checkout.yaml"] == rows["../j/checkout.yaml"]


def test_the_rows_go_when_the_folder_has_no_portfolio_any_more(tmp_path: Path) -> None:
    out, command = _portfolio_project(tmp_path)
    (out.parent / "j" / "returns.yaml").unlink()
    result = subprocess.run(command, cwd=out.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert sorted(path.name for path in out.iterdir()) == [".jmap-manifest.json", "checkout.md"]


def _bad_rows(good: dict[str, Any]) -> dict[str, tuple[bytes | None, str]]:
    """Bad rows files (None: a FIFO) made from a good one, each with the reason the build gives
    for ignoring it."""
    kept = good["rows"]["../j/checkout.yaml"]

    def document(row: object = None, **changes: object) -> bytes:
        rows = {**good["rows"], "../j/checkout.yaml": {**kept, "row": row or kept["row"]}}
        return json.dumps({**good, "rows": rows, **changes}).encode()

    shape = "not the portfolio rows jmap writes"
    where = "rows.../j/checkout.yaml"
    return {
        "malformed": (b'{"portfolio": 2, "rows": {', "not valid JSON: EOF while parsing"),
        "not-utf8": (b'{"portfolio": 2, "rows": {"\xff": 1}}', "not valid JSON: invalid unicode"),
        "deep": (b"[" * 200_000 + b"]" * 200_000, "not valid JSON: recursion limit exceeded"),
        "list": (b"[]", f"{shape} ('it': Input should be an object)"),
        # Rows of version 1 had no KPIs and no dates for the stale list: made again.
        "other-version": (document(portfolio=1), f"{shape} ('portfolio': Input should be 2)"),
        "unknown-key": (document(extra=True), f"{shape} ('extra': Unexpected keyword argument)"),
        "key-not-a-hash": (
            json.dumps({**good, "rows": {"../j/checkout.yaml": {**kept, "key": "0"}}}).encode(),
            f"{shape} ('{where}.key': String should match pattern",
        ),
        "row-with-markup-key": (
            document({**ROW, "html": "<script>"}),
            f"{shape} ('{where}.row.html': Unexpected keyword argument)",
        ),
        "row-count-as-text": (
            document({**ROW, "touchpoints": "1"}),
            f"{shape} ('{where}.row.touchpoints': Input should be a valid integer)",
        ),
        "row-mood-out-of-range": (
            document({**ROW, "lows": [{**ROW["lows"][0], "score": 9}]}),
            f"{shape} ('{where}.row.lows.0.score': Input should be less than or equal to 5)",
        ),
        "huge": (b" " * (64 * 1024 * 1024 + 1) + b"{}", "larger than 64 MB"),
        "fifo": (None, "it is not a regular file that can be read"),
    }


_SOME_ROWS = {"portfolio": 2, "rows": {"../j/checkout.yaml": {"key": "0" * 64, "row": ROW}}}


@pytest.mark.parametrize("kind", list(_bad_rows(_SOME_ROWS)))
def test_rows_jmap_did_not_write_are_ignored_and_made_again(tmp_path: Path, kind: str) -> None:
    out, command = _portfolio_project(tmp_path)
    index = (out / "index.md").read_text()
    data, reason = _bad_rows(_rows(out))[kind]
    rows = out / ".jmap-portfolio.json"
    rows.unlink()
    if data is None:
        os.mkfifo(rows)
    else:
        rows.write_bytes(data)
    (out / "index.md").unlink()  # the pages are made again, from every journey's row
    # A real process with a time limit: a build that hangs on a FIFO fails here, not forever.
    result = subprocess.run(command, cwd=out.parent, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    warning = f"{Path('maps') / '.jmap-portfolio.json'}: warning: ignored ("
    assert lines[0].startswith(warning + reason), lines[0]
    assert lines[0].endswith("); rebuilding everything")
    assert [line for line in lines if ": warning: " in line] == [lines[0]]
    assert lines[-1] == "2 journeys in maps: 2 built (3 files written)"
    assert (out / "index.md").read_text() == index
    assert sorted(_rows(out)["rows"]) == ["../j/checkout.yaml", "../j/returns.yaml"]


def test_a_row_of_another_render_is_not_used(tmp_path: Path) -> None:
    # A row kept under another key, or of another journey id, is not that of the maps in the
    # folder: that journey is rendered again for the pages, with no warning (a build killed
    # between writing the rows and the manifest leaves such rows).
    out, command = _portfolio_project(tmp_path)
    rows = _rows(out)
    checkout = rows["rows"]["../j/checkout.yaml"]
    returns = rows["rows"]["../j/returns.yaml"]
    checkout["key"] = "0" * 64
    checkout["row"]["title"] = "Planted"
    returns["row"]["id"] = "other"
    returns["row"]["title"] = "Planted"
    (out / ".jmap-portfolio.json").write_text(json.dumps(rows))
    (out / "index.md").unlink()
    result = subprocess.run(command, cwd=out.parent, capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1] == "2 journeys in maps: 2 built (3 files written)"
    assert ": warning: " not in result.stdout
    assert "Planted" not in (out / "index.md").read_text()
    assert "Planted" not in (out / ".jmap-portfolio.json").read_text()


def test_a_planted_row_of_the_right_shape_is_escaped_like_a_journey(tmp_path: Path) -> None:
    # A row that passes every check (it names the journey, its key is current) still reaches
    # the portfolio only through the templates' escaping.
    _journeys(tmp_path / "j", "checkout", "returns")
    out = tmp_path / "maps"
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "html,md"]
    assert run_cli(args).exit_code == 0
    rows = _rows(out)
    row = rows["rows"]["../j/checkout.yaml"]["row"]
    assert row["title"] == "Checkout"  # kept, so the next build need not read the journey
    hostile = "<script>alert(1)</script> | [x](javascript:alert(1))"
    row["title"] = hostile
    (out / ".jmap-portfolio.json").write_text(json.dumps(rows))
    (out / "index.html").unlink()  # the pages are made again, from the rows
    result = run_cli(args)
    assert result.exit_code == 0, result.stdout
    assert "0 built, 2 unchanged" in result.stdout
    page = (out / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert r"\[x\](javascript:alert(1))" in (out / "index.md").read_text("utf-8")  # no link
