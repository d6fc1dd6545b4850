"""`jmap schema` (and the committed copy editors use) and `jmap init` starters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import jmap
from tests.helpers import EXAMPLES, ROOT, run_cli

COMMITTED_SCHEMA = ROOT / "schema" / "jmap.schema.json"
STARTERS = ["aida", "lifecycle"]


def test_committed_schema_is_current() -> None:
    printed = run_cli(["schema"]).stdout
    assert COMMITTED_SCHEMA.read_text(encoding="utf-8") == printed, "run `make schema`"


def test_schema_describes_the_format() -> None:
    schema = json.loads(run_cli(["schema"]).stdout)
    assert schema["required"] == ["jmap", "title", "stages"]
    assert schema["additionalProperties"] is False
    touchpoint = schema["$defs"]["Touchpoint"]["properties"]
    # Shorthands stay valid in editors: a pain point may be plain text.
    assert {"type": "string"} in touchpoint["pain_points"]["items"]["anyOf"]


def test_schema_can_be_written_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "jmap.schema.json"
    assert run_cli(["schema", "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == run_cli(["schema"]).stdout


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_examples_point_editors_at_the_schema(example: Path) -> None:
    first_line = example.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/jmap.schema.json"


@pytest.mark.parametrize("starter", STARTERS)
def test_init_writes_a_starter_that_validates(starter: str, tmp_path: Path) -> None:
    target = tmp_path / "journeys" / "new.yaml"
    result = run_cli(["init", str(target), "--template", starter])
    assert result.exit_code == 0, result.stderr
    assert jmap.validate(target) == []
    journey = jmap.load(target)
    assert journey.id == "new"
    assert len(journey.stages) == 5
    assert target.read_text(encoding="utf-8").count("#") > 20, "the starter explains itself"


def test_init_stage_models() -> None:
    names = {}
    for starter in STARTERS:
        text = (ROOT / "templates" / "init" / f"{starter}.yaml").read_text(encoding="utf-8")
        names[starter] = [stage.name for stage in jmap.loads(text).stages]
    assert names["aida"] == ["Awareness", "Interest", "Desire", "Action", "Loyalty"]
    assert names["lifecycle"] == ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"]


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "journey.yaml"
    target.write_text("my notes\n")
    refused = run_cli(["init", str(target)])
    assert refused.exit_code == 2
    assert refused.stderr == f"{target}: error: already exists; use --force to overwrite it\n"
    assert target.read_text() == "my notes\n"
    assert run_cli(["init", str(target), "--force"]).exit_code == 0
    assert jmap.validate(target) == []


def test_init_title_is_kept_exactly(tmp_path: Path) -> None:
    title = 'Returns: "fast" # or not; 日本語 & <b>'
    target = tmp_path / "returns.yaml"
    assert run_cli(["init", str(target), "--title", title]).exit_code == 0
    assert jmap.load(target).title == title


def test_init_rejects_an_unknown_template(tmp_path: Path) -> None:
    result = run_cli(["init", str(tmp_path / "x.yaml"), "--template", "nope"])
    assert result.exit_code == 2
    assert not (tmp_path / "x.yaml").exists()


def test_schema_has_a_stable_id_with_the_format_version() -> None:
    schema = json.loads(run_cli(["schema"]).stdout)
    assert schema["$id"] == "https://jmap.dev/schema/v1/journey.schema.json"
    assert schema["properties"]["jmap"]["const"] == 1  # the `v1` of the `$id`


def _glob_matches(pattern: str, path: str) -> bool:
    """The YAML language server's globs: `*` within a folder, `**/` any number of folders."""
    regex = "".join(
        "(?:.*/)?" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
        for part in re.split(r"(\*\*/|\*)", pattern)
    )
    return re.fullmatch(rf"(?:.*/)?{regex}", path) is not None


def test_documented_vs_code_settings_map_journeys_to_the_schema(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    (settings,) = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", docs, re.S)]
    ((schema_path, patterns),) = settings["yaml.schemas"].items()
    assert set(patterns) == {"*.journey.yaml", "journeys/**/*.yaml"}
    for name in ["checkout.journey.yaml", "journeys/shop/return.yaml", "journeys/a.yaml"]:
        assert any(_glob_matches(pattern, name) for pattern in patterns), name
    assert not any(_glob_matches(pattern, ".github/workflows/ci.yaml") for pattern in patterns)
    # The file the settings name is what `jmap schema -o` writes, and it checks a journey
    # offline: another schema reaches it by its `$id`, from a registry that never downloads.
    written = tmp_path / schema_path
    assert run_cli(["schema", "-o", str(written)]).exit_code == 0
    schema = json.loads(written.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    wrapper = {"$schema": schema["$schema"], "$ref": schema["$id"]}
    validator = Draft202012Validator(wrapper, registry=registry)
    # As the YAML language server sees it: dates are text in JSON.
    example = json.loads(json.dumps(yaml.safe_load(EXAMPLES[0].read_text("utf-8")), default=str))
    assert list(validator.iter_errors(example)) == []
    assert list(validator.iter_errors({**example, "jmap": 2})) != []
