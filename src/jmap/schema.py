"""The JSON Schema of the journey format, generated from the model for editors and tools."""

from __future__ import annotations

import json
from typing import Any

from jmap.model import Journey


def journey_schema() -> dict[str, Any]:
    schema = Journey.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
