"""`jmap schema`: the JSON Schema of the journey format, for editors and other tools."""

from __future__ import annotations

import sys

from jmap.cli.arguments import OutputFileOption


def schema(output: OutputFileOption = None) -> None:
    """Print the JSON Schema of the journey format (for editors and other tools)."""
    from jmap.build.write import write_text_atomic
    from jmap.schema import schema_text

    if output is None:
        sys.stdout.write(schema_text())
    else:
        write_text_atomic(output, schema_text())
