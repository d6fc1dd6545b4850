"""Pack the YAML test suite's cases into one file: `python pack_yaml_test_suite.py SUITE`.

SUITE is a checkout of the data branch of yaml/yaml-test-suite: a folder per case, some with
numbered sub-cases, each holding `===` (the title), `in.yaml` (the input) and, where the input
is not valid YAML, a file named `error`. Only what tests/corpora.py reads is kept, in
`yaml-test-suite/cases.json`: a list of {id, title, yaml, invalid}, sorted by id.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "yaml-test-suite"


def cases(suite: Path) -> list[dict[str, object]]:
    found = []
    for source in sorted(suite.rglob("in.yaml")):
        folder = source.parent
        # A sub-case's title is its own when it has one, else its case's.
        title_file = folder / "===" if (folder / "===").exists() else folder.parent / "==="
        found.append(
            {
                "id": folder.relative_to(suite).as_posix(),
                "title": title_file.read_text("utf-8").strip(),
                "yaml": source.read_bytes().decode("utf-8"),
                "invalid": (folder / "error").exists(),
            }
        )
    return found


if __name__ == "__main__":
    suite = Path(sys.argv[1])
    packed = json.dumps(cases(suite), indent=1, ensure_ascii=False) + "\n"
    (HERE / "cases.json").write_text(packed, "utf-8")
    (HERE / "LICENSE").write_bytes((suite / "LICENSE").read_bytes())
