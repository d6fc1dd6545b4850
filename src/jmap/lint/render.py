"""Lint reports as text or JSON (SARIF is in jmap.lint.sarif): a report to a string, no I/O."""

from __future__ import annotations

import json

from jmap.errors import unicode_text
from jmap.lint.findings import INVALID_ID, INVALID_RULE
from jmap.lint.run import LintReport, summary_line
from jmap.lint.settings import BY_ID


def text(report: LintReport) -> str:
    """One `path:line:column: level[id]: message` line per finding, then the summary."""
    lines = [str(finding) for finding in report.findings]
    return "\n".join([*lines, summary_line(report)]) + "\n"


def as_json(report: LintReport) -> str:
    findings = [
        {
            "rule": finding.rule,
            "name": INVALID_RULE.name if finding.rule == INVALID_ID else BY_ID[finding.rule].name,
            "level": finding.level,
            "message": unicode_text(finding.message),
            "path": unicode_text(finding.path),
            "line": finding.line,
            "column": finding.column,
        }
        for finding in report.findings
    ]
    summary = {
        "journeys": len(report.journeys),
        "invalid": len(report.invalid),
        "problems": len(report.findings),
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "infos": report.count("info"),
    }
    return json.dumps({"findings": findings, "summary": summary}, indent=2) + "\n"
