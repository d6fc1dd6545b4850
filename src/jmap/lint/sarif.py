"""Lint reports as SARIF 2.1.0, the format GitHub code scanning reads.

The log is deterministic (no times, no absolute paths for files below the working folder) so
the same journeys give the same bytes. Every rule is listed whether it fired or not, so a
result's `ruleIndex` does not change with the findings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jmap import __version__
from jmap.errors import unicode_text
from jmap.lint.findings import INVALID_RULE, Finding, Level, Rule
from jmap.lint.rules import RULES
from jmap.lint.run import LintReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS: dict[Level, str] = {"error": "error", "warning": "warning", "info": "note"}


def sarif(report: LintReport) -> str:
    rules = [INVALID_RULE, *RULES]
    index = {rule.id: number for number, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jmap",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                # pyyaml counts columns in characters, not in UTF-16 code units.
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index[finding.rule]) for finding in report.findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.level],
        "message": {"text": unicode_text(finding.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
    }


def artifact_uri(path: str) -> str:
    """A relative URI with forward slashes, as code scanning matches it against the repository.

    Absolute paths below the working folder become relative; others stay absolute file URIs.
    A URI is made of the path's bytes, percent-encoded: a file name that is not UTF-8 is one.
    """
    given = Path(path)
    if given.is_absolute():
        try:
            given = given.relative_to(Path.cwd())
        except ValueError:
            return given.as_uri()
    return quote(os.fsencode(given.as_posix()), safe="/")
