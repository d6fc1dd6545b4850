"""How long a full and a no-op `jmap build` of many journeys take.

    .venv/bin/python bench/build_scale.py [--journeys 1000] [--formats svg,html,md] [--jobs N]

Generates realistic journeys (5 stages, 20 touchpoints, 2 personas whose emotions differ,
pain points, opportunities, backstage work) into a temporary folder, then times, as a user
would run them, a full build, a no-op build (nothing changed), and a build after editing one
journey. Prints one line per run; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"]
CHANNELS = ["web", "email", "phone", "store", "app"]


def journey_text(number: int, stages: int = 5, per_stage: int = 4) -> str:
    """One realistic journey: `stages` stages of `per_stage` touchpoints (5 x 4 by default)."""
    lines = [
        "jmap: 1",
        f"title: Generated journey {number}",
        "personas:",
        "  - {id: ana, name: Ana, goals: [Get it done]}",
        "  - {id: ben, name: Ben, frustrations: [Waiting]}",
        "channels:",
        *[f"  - {{id: {c}, name: {c.title()}, kind: digital}}" for c in CHANNELS],
        "stages:",
    ]
    for s in range(stages):
        stage = STAGES[s] if stages <= len(STAGES) else f"{STAGES[s % len(STAGES)]} {s + 1}"
        lines += [
            f"  - name: {stage}",
            f"    customer_goal: Goal of {stage.lower()}",
            f"    kpis: [{{name: Conversion, value: {10 + s}, target: 20, unit: '%'}}]",
            "    touchpoints:",
        ]
        for t in range(per_stage):
            index = s * per_stage + t
            lines += [
                f"      - name: Step {index} of journey {number}",
                f"        channel: {CHANNELS[(index + number) % len(CHANNELS)]}",
                f"        emotion: {{ana: {1 + (index + number) % 5}, ben: {1 + index % 5}}}",
                f'        thoughts: ["Thought at step {index}"]',
                "        actions: [Clicks, Reads]",
                "        pain_points:",
                f"          - {{id: p{index}, text: Pain at step {index}, severity: high}}",
                f"        opportunities: [{{text: Fix step {index}, answers: [p{index}]}}]",
                f"        backstage: [{{actor: Ops, text: Handles step {index}}}]",
            ]
    return "\n".join(lines) + "\n"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--formats", default="svg,html,md")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        journeys = Path(folder) / "journeys"
        journeys.mkdir()
        for number in range(args.journeys):
            (journeys / f"journey-{number:04}.yaml").write_text(journey_text(number))
        build = [
            sys.executable,
            "-m",
            "jmap",
            "build",
            str(journeys),
            "-q",
            "-o",
            str(Path(folder) / "maps"),
            "-f",
            args.formats,
            "-j",
            str(args.jobs),
        ]
        print(f"{args.journeys} journeys, formats {args.formats}, {args.jobs} jobs")
        print(f"full build:    {timed(build):7.2f} s")
        print(f"no-op build:   {timed(build):7.2f} s")
        first = journeys / "journey-0000.yaml"
        first.write_text(first.read_text().replace("Generated journey 0", "Edited journey 0"))
        print(f"one edited:    {timed(build):7.2f} s")


if __name__ == "__main__":
    main()
