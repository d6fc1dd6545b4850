"""jmap: customer journey maps as code.

>>> import jmap
>>> journey = jmap.load("examples/shoe-purchase.yaml")
>>> jmap.validate("examples/shoe-purchase.yaml")
[]
"""

from __future__ import annotations

__version__ = "0.1.0"

# Imported on first use so that `jmap --version` does not pay for pydantic.
_LAZY = {
    "load": "jmap.loading.loader",
    "loads": "jmap.loading.loader",
    "validate": "jmap.api",
    "validate_paths": "jmap.api",
    "Journey": "jmap.model",
    "JmapError": "jmap.errors",
    "JourneyError": "jmap.errors",
    "UsageError": "jmap.errors",
    "Problem": "jmap.errors",
    "Limits": "jmap.loading.limits",
}

__all__ = ["__version__", *_LAZY]

# Not `typing.TYPE_CHECKING`: importing typing would add 8 ms to `jmap --version`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jmap.api import validate as validate
    from jmap.api import validate_paths as validate_paths
    from jmap.errors import JmapError as JmapError
    from jmap.errors import JourneyError as JourneyError
    from jmap.errors import Problem as Problem
    from jmap.errors import UsageError as UsageError
    from jmap.loading.limits import Limits as Limits
    from jmap.loading.loader import load as load
    from jmap.loading.loader import loads as loads
    from jmap.model import Journey as Journey


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jmap' has no attribute {name!r}")
