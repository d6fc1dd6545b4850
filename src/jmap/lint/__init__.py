"""`jmap lint`: what a good journey map holds, checked rule by rule (see docs/lint.md).

    rules      the rules, each a check with its `@rule` (id, level, why it matters)
    findings   what a rule is, what it reports, the context it reads a journey through
    graph      the `next` graph: loops with no way out, where each curve goes next
    run        lint journeys: load, run the chosen rules, drop what comments silence
    settings   [tool.jmap.lint]: which rules run and at what level
    ignores    `# jmap: ignore[...]` comments
    render, sarif   the report as text, JSON or SARIF, for `FORMATS`

>>> from jmap.lint import lint_paths, summary_line
>>> report = lint_paths(["examples/shoe-purchase.yaml"])
>>> report.failed()
False
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jmap.formats import Format, registry

if TYPE_CHECKING:
    from jmap.lint.findings import INVALID_ID, LEVELS, Finding, Level, Rule
    from jmap.lint.rules import RULES
    from jmap.lint.run import LintReport, lint_loaded, lint_paths, summary_line
    from jmap.lint.settings import LintSettings, parse_settings, settings_from_config

ReportRenderer = Callable[["LintReport"], str]

FORMATS: dict[str, Format[ReportRenderer]] = registry(
    Format("text", "txt", "path:line:column: level[rule]: message", "jmap.lint.render:text"),
    Format("json", "json", "for tools", "jmap.lint.render:as_json"),
    Format("sarif", "sarif", "SARIF 2.1.0, for GitHub code scanning", "jmap.lint.sarif:sarif"),
)

# The names below are imported when first used: `jmap --help` lists FORMATS at start-up, and the
# rules bring in the loader and pydantic, half a second that `jmap --version` need not wait.
_HOMES = {
    "jmap.lint.findings": ("INVALID_ID", "LEVELS", "Finding", "Level", "Rule"),
    "jmap.lint.rules": ("RULES",),
    "jmap.lint.run": ("LintReport", "lint_loaded", "lint_paths", "summary_line"),
    "jmap.lint.settings": ("LintSettings", "parse_settings", "settings_from_config"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)


__all__ = [
    "FORMATS",
    "INVALID_ID",
    "LEVELS",
    "RULES",
    "Finding",
    "Level",
    "LintReport",
    "LintSettings",
    "ReportRenderer",
    "Rule",
    "lint_loaded",
    "lint_paths",
    "parse_settings",
    "settings_from_config",
    "summary_line",
]
