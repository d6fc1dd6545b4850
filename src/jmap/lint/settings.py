"""Which rules run and at what level: the `[tool.jmap.lint]` table (or `[lint]` in jmap.toml).

```toml
[tool.jmap.lint]
select = ["JM001", "JM002"]     # only these rules (default: all)
ignore = ["JM010"]              # never these
levels = { JM007 = "warning" }  # error, warning or info
strict = true                   # warnings fail, like --strict
evidence_age = "18 months"      # JM012: evidence older than this is stale
data_age = "3 months"           # JM015: a KPI's newest data point older than this is stale
```

jmap.config hands over the table as written; this module checks it and reports a mistake with
the file and line, like every other configuration error.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jmap import durations, stale
from jmap.config import ConfigError, ProjectConfig, key_line
from jmap.errors import did_you_mean
from jmap.lint.findings import LEVELS, Level, Rule
from jmap.lint.rules import RULES

KEYS = ("select", "ignore", "levels", "strict", "evidence_age", "data_age")
AGES = ("evidence_age", "data_age")
BY_ID = {rule.id: rule for rule in RULES}
_BY_NAME = {rule.name: rule for rule in RULES}


@dataclass(frozen=True)
class LintSettings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    levels: Mapping[str, Level] = field(default_factory=dict)
    strict: bool = False
    # What the stale rules measure against: the date (jmap.stale.today, so `JMAP_TODAY` or
    # `jmap lint --today`) and how old evidence and a KPI's data may be.
    today: datetime.date = field(default_factory=stale.today)
    evidence_age: durations.Parsed = field(
        default_factory=lambda: durations.parse(stale.DEFAULT_EVIDENCE_AGE)
    )
    data_age: durations.Parsed = field(
        default_factory=lambda: durations.parse(stale.DEFAULT_DATA_AGE)
    )

    def rules(self) -> list[Rule]:
        """The rules that run, in id order."""
        return [
            rule
            for rule in RULES
            if (self.select is None or rule.id in self.select) and rule.id not in self.ignore
        ]

    def level(self, rule: Rule) -> Level:
        return self.levels.get(rule.id, rule.level)

    def stale_check(self) -> stale.Check:
        """What the portfolio's list of stale journeys is worked out with."""
        ids = frozenset(rule.id for rule in self.rules())
        return stale.Check(self.today, self.evidence_age, self.data_age, ids)


def settings_from_config(config: ProjectConfig | None) -> LintSettings:
    """The lint settings of a project; the defaults when it has no lint table."""
    if config is None or config.lint is None:
        return LintSettings()
    return parse_settings(config.lint, config.file)


def parse_settings(table: Mapping[str, Any], file: Path) -> LintSettings:
    def fail(key: str, message: str, inner: str | None = None) -> ConfigError:
        line = key_line(file, "lint", key, *([inner] if inner else []))
        return ConfigError(f"{file}:{line}:1: error: {message}")

    for key in table:
        if key not in KEYS:
            hint = did_you_mean(key, KEYS) or f"; known keys: {', '.join(KEYS)}"
            raise fail(key, f"unknown key '{key}' in the lint table{hint}")
    select = None
    if "select" in table:
        select = frozenset(_rule_ids(table["select"], "select", fail))
    ignore = frozenset(_rule_ids(table.get("ignore", []), "ignore", fail))
    levels: dict[str, Level] = {}
    if "levels" in table:
        given = table["levels"]
        if not isinstance(given, dict):
            raise fail("levels", 'levels must be a table such as { JM007 = "warning" }')
        for name, level in given.items():
            rule_id = _rule_id(name, "levels", lambda m, n=name: fail("levels", m, n))
            if level not in LEVELS:
                shown = f"'{level}'" if isinstance(level, str) else repr(level)
                hint = did_you_mean(level, LEVELS) if isinstance(level, str) else ""
                raise fail(
                    "levels",
                    f"the level of {rule_id} must be one of {', '.join(LEVELS)}; got {shown}{hint}",
                    name,
                )
            levels[rule_id] = level
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise fail("strict", "strict must be true or false")
    ages: dict[str, durations.Parsed] = {}
    for key in AGES:
        if key in table:
            given = table[key]
            try:
                if not isinstance(given, str):
                    raise durations.DurationError(f"got {given!r}")
                ages[key] = durations.parse(given)
            except durations.DurationError as error:
                message = f'{key} must be a length of time such as "18 months": {error}'
                raise fail(key, message) from None
    settings = LintSettings(select, ignore, levels, strict)
    return dataclasses.replace(
        settings,
        evidence_age=ages.get("evidence_age", settings.evidence_age),
        data_age=ages.get("data_age", settings.data_age),
    )


def _rule_ids(value: Any, key: str, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(key, f'{key} must be a list of rule ids such as ["JM001", "JM003"]')
    return [_rule_id(item, key, lambda m: fail(key, m)) for item in value]


def _rule_id(given: str, key: str, fail: Any) -> str:
    if given in BY_ID:
        return given
    if given in _BY_NAME:
        raise fail(f"rule '{given}' in {key} is {_BY_NAME[given].id}; write its id")
    hint = did_you_mean(given, BY_ID) or f"; rules are {RULES[0].id} to {RULES[-1].id}"
    raise fail(f"unknown rule '{given}' in {key}{hint}")
