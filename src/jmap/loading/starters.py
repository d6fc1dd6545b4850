"""Starter journeys for `jmap init`: commented files that validate as they are."""

from __future__ import annotations

import re

# name -> what it is, for `jmap init --help`
STARTERS: dict[str, str] = {
    "aida": "Awareness, Interest, Desire, Action, Loyalty (AIDA + loyalty)",
    "lifecycle": "Awareness, Consideration, Decision, Retention, Advocacy",
    "ecommerce": "An online purchase, search ad to repeat order (AIDA + loyalty)",
    "b2b": "A B2B software purchase: champion and approver, Awareness to Advocacy",
    "saas-onboarding": "SaaS onboarding: Sign-up, Activation, Habit, Expansion",
    "support-case": "A customer-support case across channels, with an escalation branch",
    "future-state": "A journey you are designing (state: future): target emotions, the design",
}

_TITLE_LINE = re.compile(r"^title: .*$", re.MULTILINE)


def starter_text(name: str, title: str | None = None) -> str:
    # Imported here: every command reads STARTERS (for `jmap init --help`), only init this.
    import json
    from importlib.resources import files

    text = (files("jmap") / "templates" / "init" / f"{name}.yaml").read_text(encoding="utf-8")
    if title is None:
        return text
    # JSON strings are valid YAML double-quoted scalars, so any title stays one value.
    quoted = json.dumps(title, ensure_ascii=False)
    return _TITLE_LINE.sub(lambda _: f"title: {quoted}", text, count=1)
