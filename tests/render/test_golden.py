"""Golden files: every example in every format, byte for byte (for the PNG and PDF, whose
bytes no diff can show, the golden file is their SHA-256).

After an intended change to the output, regenerate them with `make golden` and review the
diff like any other change.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jmap.render import FORMATS
from tests.helpers import EXAMPLES, ROOT, run_cli

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("JMAP_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("maps")
    result = run_cli(["build", "examples", "-o", str(output), "-f", ",".join(FORMATS)])
    assert result.exit_code == 0, result.stdout + result.stderr
    return output


BINARY = {"png", "pdf"}
CASES = [(example, name) for example in EXAMPLES for name in FORMATS]


@pytest.mark.parametrize(("example", "format_name"), CASES, ids=[f"{e.stem}.{n}" for e, n in CASES])
def test_output_matches_golden_file(built: Path, example: Path, format_name: str) -> None:
    file_name = f"{example.stem}.{FORMATS[format_name].extension}"
    if format_name in BINARY:
        actual = hashlib.sha256((built / file_name).read_bytes()).hexdigest() + "\n"
        file_name += ".sha256"
    else:
        actual = (built / file_name).read_text(encoding="utf-8")
    golden = GOLDEN / file_name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="\n")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{file_name}",
                f"built/{file_name}",
                n=2,
            )
        )
        pytest.fail(f"{file_name} differs from its golden file (`make golden` updates it):\n{diff}")


def _build_in_process(output: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jmap",
            "build",
            "examples",
            "-q",
            "-o",
            str(output),
            "-f",
            ",".join(FORMATS),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {path.name: path.read_bytes() for path in sorted(output.iterdir())}


@pytest.mark.slow  # builds every format four times, in new processes
def test_builds_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    first = _build_in_process(tmp_path / "a", "0")
    second = _build_in_process(tmp_path / "b", "1")
    assert first.keys() == second.keys()
    maps = [name for name in first if name.split(".")[0] in {e.stem for e in EXAMPLES}]
    assert len(maps) == len(EXAMPLES) * len(FORMATS)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
