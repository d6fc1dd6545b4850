"""`jmap lint`: what a good journey map holds, checked rule by rule (see docs/lint.md).

>>> from jmap.lint import lint_paths, summary_line
>>> report = lint_paths(["examples/shoe-purchase.yaml"])
>>> report.failed()
False
"""

from __future__ import annotations

from jmap.lint.findings import INVALID_ID, LEVELS, Finding, Level, Rule
from jmap.lint.render import FORMATS
from jmap.lint.rules import RULES
from jmap.lint.run import LintReport, lint_loaded, lint_paths, summary_line
from jmap.lint.settings import LintSettings, parse_settings, settings_from_config

__all__ = [
    "FORMATS",
    "INVALID_ID",
    "LEVELS",
    "RULES",
    "Finding",
    "Level",
    "LintReport",
    "LintSettings",
    "Rule",
    "lint_loaded",
    "lint_paths",
    "parse_settings",
    "settings_from_config",
    "summary_line",
]
