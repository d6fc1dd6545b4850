"""The library interface the CLI is built on: one call per command, results as values."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from jmap.errors import JourneyError, Problem
from jmap.loading.discover import find_journeys
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.loading.loader import read


@dataclass(frozen=True)
class Checked:
    """The outcome of validating one file: no problems means it is a valid journey."""

    path: str
    problems: list[Problem]


def validate(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every problem of one journey file, in file order; an empty list when it is valid."""
    try:
        read(path, limits)
    except JourneyError as error:
        return list(error.problems)
    return []


def validate_paths(
    paths: Iterable[str | os.PathLike[str]],
    limits: Limits = DEFAULT_LIMITS,
    *,
    journeys_only: bool = False,
) -> list[Checked]:
    """Validate named files and the journeys found in named folders."""
    found = find_journeys(paths, journeys_only=journeys_only)
    return [Checked(str(path), validate(path, limits)) for path in found]
