"""`jmap diff` in a real git repository: revisions, renames and git's errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.diff_cases import base, diff_json, only_journey, touchpoint, write
from tests.helpers import GIT_ENV, ROOT, run_cli

# A real git repository ---------------------------------------------------------------------------


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository as the current folder, with no user or system git settings."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    git("-c", "init.defaultBranch=main", "init", "-q")
    return root


def commit(message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def test_revision_and_path_against_the_working_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "journeys" / "shoes.yaml", base())
    commit("shoes")
    changed = base()
    touchpoint(changed, "size-guide")["emotion"] = {"maya": 5, "sam": 3}
    write(repo / "journeys" / "shoes.yaml", changed)
    result = only_journey("HEAD:journeys/shoes.yaml", "journeys/shoes.yaml")
    assert result["old"]["label"] == "HEAD:journeys/shoes.yaml"
    assert result["old"]["id"] == result["new"]["id"] == "shoes"  # from the file name, not REV
    assert [(e["old"], e["new"]) for e in result["emotions"]] == [(2, 5)]
    assert (
        run_cli(
            ["diff", "main:journeys/shoes.yaml", "journeys/shoes.yaml", "--exit-code"]
        ).exit_code
        == 1
    )
    # Two revisions; a path from the current folder, as with `git show REV:./PATH`.
    commit("happier")
    monkeypatch.chdir(repo / "journeys")
    result = only_journey("HEAD~1:shoes.yaml", "HEAD:shoes.yaml")
    assert [(e["old"], e["new"]) for e in result["emotions"]] == [(2, 5)]
    assert only_journey("HEAD:shoes.yaml", "shoes.yaml")["changed"] is False
    # The path from the top of the repository works from a subfolder too.
    assert only_journey("HEAD~1:journeys/shoes.yaml", "shoes.yaml")["changed"] is True
    # `:PATH` is the staged version.
    touchpoint(changed, "search")["name"] = "Searches the web"
    write(repo / "journeys" / "shoes.yaml", changed)
    assert only_journey(":shoes.yaml", "shoes.yaml")["changed"] is True
    git("add", "shoes.yaml")
    assert only_journey(":shoes.yaml", "shoes.yaml")["changed"] is False


def test_git_errors(repo: Path) -> None:
    write(repo / "shoes.yaml", base())
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text("notes\n", encoding="utf-8")
    commit("shoes")
    broken = base()
    broken["stages"] = []
    write(repo / "broken.yaml", broken)
    commit("broken")
    cases = {
        ("nope:shoes.yaml", "shoes.yaml"): "nope:shoes.yaml: error: unknown revision 'nope'\n",
        ("HEAD:shose.yaml", "shoes.yaml"): (
            "HEAD:shose.yaml: error: no file 'shose.yaml' in 'HEAD' (did you mean 'shoes.yaml'?)\n"
        ),
        ("HEAD:docs", "shoes.yaml"): "HEAD:docs: error: 'docs' is a folder in 'HEAD'\n",
        (
            "HEAD:../x.yaml",
            "shoes.yaml",
        ): "HEAD:../x.yaml: error: '../x.yaml' is outside the repository\n",
        ("HEAD:", "shoes.yaml"): "HEAD:: error: name a journey file after 'HEAD:'\n",
        ("--git", "nope"): "--git nope: error: unknown revision 'nope'\n",
    }
    for args, stderr in cases.items():
        result = run_cli(["diff", *args])
        assert (result.exit_code, result.stderr) == (2, stderr), args
    # A version that is not a valid journey: its problems under the name the user gave.
    result = run_cli(["diff", "HEAD:broken.yaml", "shoes.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("HEAD:broken.yaml:")
    assert result.stderr.endswith(": error: a journey needs at least one stage under `stages:`\n")


def test_git_rev_lists_every_changed_journey(repo: Path) -> None:
    write(repo / "a-shoes.yaml", base())
    write(repo / "b-gone.yaml", {**base(), "title": "Gone soon"})
    write(repo / "c-same.yaml", {**base(), "title": "Stays the same"})
    (repo / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    commit("journeys")
    changed = base()
    touchpoint(changed, "checkout")["emotion"] = {"maya": 2, "sam": 4}
    write(repo / "a-shoes.yaml", changed)
    (repo / "b-gone.yaml").unlink()
    # Unlike the deleted one, or git would call the pair a rename.
    shutil.copy(ROOT / "examples" / "omnichannel-support.yaml", repo / "d-new.yaml")
    git("add", "d-new.yaml")  # untracked files are not listed, as with `git diff`
    write(repo / "e-untracked.yaml", base())
    (repo / "ci.yaml").write_text("on: [push, pull_request]\njobs: {}\n", encoding="utf-8")
    document = diff_json("--git", "HEAD")
    journeys = document["journeys"]
    assert [(j["status"], (j["new"] or j["old"])["label"]) for j in journeys] == [
        ("changed", "a-shoes.yaml"),
        ("removed", "HEAD:b-gone.yaml"),
        ("added", "d-new.yaml"),
    ]
    changed_one, gone, added = journeys
    assert changed_one["old"]["label"] == "HEAD:a-shoes.yaml"
    assert [(e["touchpoint"]["id"], e["delta"]) for e in changed_one["emotions"]] == [
        ("checkout", -2)
    ]
    # Deleted: everything removed; added: everything added.
    assert gone["new"] is None
    assert {e["change"] for e in gone["touchpoints"]} == {"removed"}
    assert len(gone["touchpoints"]) == 6
    assert added["old"] is None
    assert {e["change"] for e in added["touchpoints"]} == {"added"}
    assert run_cli(["diff", "--git", "HEAD", "--exit-code"]).exit_code == 1
    text = run_cli(["diff", "--git", "HEAD"]).stdout
    assert "Gone soon (deleted)\n  HEAD:b-gone.yaml → (none)\n" in text
    assert (
        "Damaged delivery, from tweet to replacement (new journey)\n  (none) → d-new.yaml\n" in text
    )
    assert text.endswith("\n3 journeys compared, 3 changed\n")


def test_git_rev_follows_renames_and_reports_invalid_versions(repo: Path) -> None:
    write(repo / "old-name.yaml", base())
    write(repo / "other.yaml", base())
    commit("journeys")
    git("mv", "old-name.yaml", "new-name.yaml")
    broken = base()
    touchpoint(broken, "search")["channel"] = "tv"
    write(repo / "other.yaml", broken)
    result = run_cli(["diff", "--git", "HEAD", "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.startswith("other.yaml:")
    assert "unknown channel 'tv'" in result.stderr
    (renamed,) = json.loads(result.stdout)["journeys"]
    assert (renamed["old"]["label"], renamed["new"]["label"]) == (
        "HEAD:old-name.yaml",
        "new-name.yaml",
    )
    assert renamed["journey"] == [{"field": "id", "old": "old-name", "new": "new-name"}]


def test_git_rev_compares_journeys_whose_shared_file_changed(repo: Path) -> None:
    shared = {"personas": base()["personas"]}
    write(repo / "shared" / "people.yaml", shared)
    journey = {**base(), "include": ["../shared/people.yaml"]}
    del journey["personas"]
    write(repo / "journeys" / "a.yaml", journey)
    write(repo / "journeys" / "b.yaml", {**base(), "title": "Includes nothing"})
    commit("journeys")
    assert diff_json("--git", "HEAD")["journeys"] == []
    shared["personas"][0]["name"] = "Maya R."
    write(repo / "shared" / "people.yaml", shared)
    (only,) = diff_json("--git", "HEAD")["journeys"]
    assert (only["old"]["label"], only["new"]["label"]) == (
        "HEAD:journeys/a.yaml",
        "journeys/a.yaml",
    )
    assert only["changed"] is True


def test_git_rev_with_nothing_changed(repo: Path) -> None:
    write(repo / "shoes.yaml", base())
    commit("shoes")
    result = run_cli(["diff", "--git", "HEAD", "--exit-code"])
    assert (result.exit_code, result.stdout) == (0, "no journeys changed\n")
    assert diff_json("--git", "HEAD") == {
        "jmap_diff": 1,
        "generator": diff_json("--git", "HEAD")["generator"],
        "changed": False,
        "journeys": [],
    }
