"""Lint journeys: load each, run the chosen rules, drop what comments silence, count the rest."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jmap.errors import JourneyError
from jmap.lint.findings import INVALID_ID, Finding, Level, LintContext
from jmap.lint.ignores import Ignores
from jmap.lint.settings import LintSettings, settings_from_config
from jmap.loading.discover import find_journeys
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.loading.loader import Loaded, read
from jmap.wording import plural


@dataclass(frozen=True)
class LintReport:
    journeys: list[str]  # every journey file looked at, valid or not
    findings: list[Finding]  # sorted by file, line, column and rule; JM000 for invalid files
    settings: LintSettings = field(default_factory=LintSettings)

    @property
    def invalid(self) -> list[str]:
        """The journeys that are not valid: their problems are in `findings` as JM000."""
        return sorted({f.path for f in self.findings if f.rule == INVALID_ID})

    def count(self, level: Level) -> int:
        return sum(1 for finding in self.findings if finding.level == level)

    def failed(self, strict: bool | None = None) -> bool:
        """Errors fail; warnings too when strict (given, else the project's `strict`)."""
        strict = self.settings.strict if strict is None else strict
        return self.count("error") > 0 or (strict and self.count("warning") > 0)

    def exit_code(self, strict: bool | None = None) -> int:
        """`jmap lint`'s: 1 when the report fails (see `failed`), else 0."""
        return 1 if self.failed(strict) else 0


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    settings: LintSettings | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    journeys_only: bool = False,
) -> LintReport:
    """Lint named journey files and the journeys found in named folders.

    Without `settings`, those of the project configuration that applies in the working folder.
    """
    if settings is None:
        from jmap.config import find_config

        settings = settings_from_config(find_config(Path.cwd()))
    sources = find_journeys(paths, journeys_only=journeys_only)
    ignores = Ignores()
    findings: list[Finding] = []
    for source in sources:
        try:
            loaded = read(source, limits)
        except JourneyError as error:
            findings += [
                Finding(p.path, p.line, p.column, INVALID_ID, "error", p.message)
                for p in error.problems
            ]
            continue
        findings += lint_loaded(loaded, settings, ignores)
    return LintReport([str(source) for source in sources], sorted(set(findings)), settings)


def lint_loaded(
    loaded: Loaded, settings: LintSettings, ignores: Ignores | None = None
) -> list[Finding]:
    """The findings of one valid journey that the settings and its comments let through."""
    ignores = ignores or Ignores()
    context = LintContext(loaded, settings)
    findings = []
    for rule in settings.rules():
        for hit in rule.check(context):
            if not ignores.silences(hit.path, hit.line, rule.id):
                level = settings.level(rule)
                findings.append(
                    Finding(hit.path, hit.line, hit.column, rule.id, level, hit.message)
                )
    return sorted(findings)


def summary_line(report: LintReport) -> str:
    """`3 problems (1 error, 2 warnings, 0 infos) in 2 journeys`, or `no problems in 2 journeys`."""
    journeys = len(report.journeys)
    where = f"in {plural(journeys, 'journey')}"
    total = len(report.findings)
    if not total:
        return f"no problems {where}"
    counts = ", ".join(plural(report.count(level), level) for level in ("error", "warning", "info"))
    return f"{plural(total, 'problem')} ({counts}) {where}"
