"""Every `jmap init --template` starter: valid, lint clean, titled on request, true to its kind.

tests/cli/test_schema_and_init.py covers `init` itself (overwriting, unknown templates, the exact
title) and the stages of `aida` and `lifecycle`; this file holds every starter to the same bar.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

import jmap
from jmap.lint import LintSettings, lint_paths
from jmap.loading.starters import STARTERS
from tests.helpers import run_cli

NAMES = list(STARTERS)


def _init(tmp_path: Path, name: str, *options: str) -> Path:
    target = tmp_path / "journeys" / "new.yaml"
    result = run_cli(["init", str(target), "--template", name, *options])
    assert result.exit_code == 0, result.stderr
    return target


def test_every_starter_file_is_listed_and_every_listed_starter_has_a_file() -> None:
    folder = files("jmap") / "templates" / "init"
    on_disk = {item.name.removesuffix(".yaml") for item in folder.iterdir()}
    assert on_disk == set(STARTERS)


def test_the_starters_come_in_the_documented_order() -> None:
    assert NAMES == [
        "aida",
        "lifecycle",
        "ecommerce",
        "b2b",
        "saas-onboarding",
        "support-case",
        "future-state",
    ]
    assert all(description and "\n" not in description for description in STARTERS.values())


@pytest.mark.parametrize("name", NAMES)
def test_starter_validates_and_lints_without_warnings(name: str, tmp_path: Path) -> None:
    target = _init(tmp_path, name)
    assert jmap.validate(target) == []
    # Every rule at its default level, whatever the project's configuration says.
    report = lint_paths([target], LintSettings())
    serious = [f"{f.line}: {f.rule} {f.message}" for f in report.findings if f.level != "info"]
    assert serious == []
    assert not report.failed(strict=True)
    # The same through the command line, as a user would check it.
    strict = run_cli(["lint", str(target), "--strict"])
    assert strict.exit_code == 0, strict.stdout


@pytest.mark.parametrize("name", NAMES)
def test_starter_explains_itself_to_a_first_time_user(name: str, tmp_path: Path) -> None:
    text = _init(tmp_path, name).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 40
    assert "yaml-language-server" not in text  # the schema's path depends on where it lands
    journey = jmap.load(tmp_path / "journeys" / "new.yaml")
    assert journey.id == "new", "the id comes from the file name"
    for stage in journey.stages:
        assert 1 <= len(stage.touchpoints) <= 3, stage.name


@pytest.mark.parametrize("name", NAMES)
def test_title_option_replaces_the_title_of_every_starter(name: str, tmp_path: Path) -> None:
    plain = _init(tmp_path / "plain", name).read_text(encoding="utf-8").splitlines()
    title = 'Returns: "fast" # or not; 日本語'
    target = _init(tmp_path / "titled", name, "--title", title)
    assert jmap.load(target).title == title
    titled = target.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(plain, titled, strict=True) if old != new]
    assert len(changed) == 1
    old, new = changed[0]
    assert old.startswith("title: ")
    assert new.startswith("title: ")
    assert jmap.validate(target) == []


@pytest.mark.parametrize("name", NAMES)
def test_only_the_future_state_starter_maps_a_future_journey(name: str, tmp_path: Path) -> None:
    journey = jmap.load(_init(tmp_path, name))
    assert journey.state == ("future" if name == "future-state" else "current")


def test_b2b_starter_has_two_personas_who_feel_differently(tmp_path: Path) -> None:
    journey = jmap.load(_init(tmp_path, "b2b"))
    assert len(journey.personas) == 2
    touchpoints = [t for stage in journey.stages for t in stage.touchpoints]
    per_persona = [t.emotion for t in touchpoints if isinstance(t.emotion, dict)]
    assert any(len(set(emotions.values())) > 1 for emotions in per_persona)
    assert sum(1 for t in touchpoints if t.backstage) * 2 >= len(touchpoints), "backstage"


def test_support_case_starter_branches_for_an_escalation(tmp_path: Path) -> None:
    journey = jmap.load(_init(tmp_path, "support-case"))
    touchpoints = {t.id: t for stage in journey.stages for t in stage.touchpoints}
    branches = [t for t in touchpoints.values() if t.next and len(t.next) > 1]
    assert branches, "a `next` with two ways out"
    assert all(step.to in touchpoints for branch in branches for step in branch.next or [])
    assert len({t.channel for t in touchpoints.values()}) >= 4, "a case across channels"


def test_saas_onboarding_starter_follows_the_product_led_stages(tmp_path: Path) -> None:
    journey = jmap.load(_init(tmp_path, "saas-onboarding"))
    assert [stage.name for stage in journey.stages] == [
        "Sign-up",
        "Activation",
        "Habit",
        "Expansion",
    ]
    assert {channel.id for channel in journey.channels} >= {"in-app", "email"}


def test_ecommerce_starter_uses_aida_and_loyalty(tmp_path: Path) -> None:
    journey = jmap.load(_init(tmp_path, "ecommerce"))
    assert [stage.name for stage in journey.stages] == [
        "Awareness",
        "Interest",
        "Desire",
        "Action",
        "Loyalty",
    ]


def test_future_state_starter_designs_with_opportunities(tmp_path: Path) -> None:
    target = _init(tmp_path, "future-state")
    journey = jmap.load(target)
    touchpoints = [t for stage in journey.stages for t in stage.touchpoints]
    assert sum(len(t.opportunities) for t in touchpoints) >= len(journey.stages)
    assert all(t.emotion is not None for t in touchpoints), "target emotions everywhere"
    text = target.read_text(encoding="utf-8")
    assert "proactive" in text
    assert "reactive" in text
