"""The JSON Schema of the journey format, generated from the model for editors and tools."""

from __future__ import annotations

import json
from typing import Any

from jmap.model import FORMAT_VERSION, Journey

# The schema's name, for editors' settings and other schemas' `$ref`s. It is an identifier, not
# an address jmap depends on: nothing fetches it, and editors are pointed at a local copy (the
# committed schema/jmap.schema.json or `jmap schema -o FILE`), so checking works offline. It
# changes only with the format version (`jmap: 1`), so a setting made today keeps working.
SCHEMA_ID = f"https://jmap.dev/schema/v{FORMAT_VERSION}/journey.schema.json"


def journey_schema() -> dict[str, Any]:
    schema = Journey.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
