"""jmap against its floor (bench/floor.py) and Mermaid's CLI; at scale; from a cold start.

    .venv/bin/python bench/compare.py               # the full run: 10 minutes or more on 2 cores
    .venv/bin/python bench/compare.py --quick       # a smoke run of a minute or two
    .venv/bin/python bench/compare.py --markdown    # the same tables as Markdown

Generates realistic journeys (build_scale.journey_text: 20 touchpoints in 5 stages, 2 personas)
into a temporary folder and times, on the same journeys, `jmap build` of the default formats,
the floor (bench/floor.py: libyaml and three files of plain string formatting per journey, the
least any tool can spend), and Mermaid's CLI on jmap's Mermaid export (one call per file, then
batch mode) when it is installed. Then a full, a no-op and a one-edit build of many journeys
against the floor on the same files, one journey of 500 touchpoints (time and peak memory),
`jmap --version`, `jmap validate` and `jmap build` of one journey from a cold start, and
`jmap serve` from a save to the page showing it (bench/serve_latency.py). Every measurement is
the median of --repeat runs. Prints one table of medians, targets and verdicts, then where the
time goes. bench/README.md explains each row.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import functools
import importlib
import json
import math
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from build_scale import journey_text
from chromium import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
FLOOR = Path(__file__).resolve().parent / "floor.py"
MMDC = REPO / "tests" / "node" / "node_modules" / ".bin" / "mmdc"
DEFAULT_FORMATS = "svg,html,md"
ALL_FORMATS = ("dot", "svg", "html", "mermaid", "md", "json")
BIG_STAGES = 10  # the 500-touchpoint journey: 10 stages of 50
SECTIONS = ("cold", "mermaid", "big", "scale", "serve", "profile")
SERVE_TOUCHPOINTS = {20: 0.150, 100: 0.300}  # touchpoints -> target, seconds

T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    journeys: int  # jmap against mmdc
    scale: int  # full, no-op and one-edit builds, against the floor
    touchpoints: int  # the one big journey


# The sizes the targets are stated for; --quick shrinks them and then gives no verdicts.
TARGET_SIZES = Sizes(journeys=20, scale=1000, touchpoints=500)
QUICK_SIZES = Sizes(journeys=5, scale=50, touchpoints=100)


def jmap(module: str) -> Any:
    """A jmap module, imported when a measurement calls into it.

    Imported by name rather than with `import`: the benchmark times jmap's internals (which
    change) without type-checking against them, so `mypy bench` works on its own.
    """
    return importlib.import_module(module)


class BenchError(Exception):
    """A command the benchmark runs failed: the numbers would mean nothing."""


# -- running commands ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and every descendant it waited for
    peak: int = 0  # bytes: the largest resident set of one process, or of the sampled tree


def run(command: Sequence[str | Path], cwd: Path, *, sample_tree: bool = False) -> Sample:
    """Run a command to completion; its wall time, CPU time and peak memory.

    `os.wait4` gives the rusage of exactly this child, including the grandchildren it reaped
    (build workers, graphviz-pure, Chromium), so CPU time counts every core. `sample_tree` also
    adds up the resident memory of the whole process tree every 10 ms, since `ru_maxrss` is
    only the largest single process.
    """
    argv = [str(part) for part in command]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = _TreeSampler(process.pid) if sample_tree else None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            # Linux reports kibibytes, macOS bytes.
            peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - Windows: time only
            process.wait()
            wall, cpu, peak = time.perf_counter() - start, 0.0, 0
        if sampler is not None:
            peak = max(peak, sampler.stop())
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip()[-2000:]
            raise BenchError(f"`{' '.join(argv)}` exited {process.returncode}:\n{tail}")
    return Sample(wall, cpu, peak)


class _TreeSampler:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._done.wait(0.01)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now (0 where /proc is missing)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        proc = Path("/proc") / str(current)
        try:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in (proc / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended while we looked
    return total


@dataclass
class Timing:
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak(self) -> int:
        return max(s.peak for s in self.samples)

    @property
    def runs(self) -> int:
        return len(self.samples)


def repeat(times: int, measure: Callable[[], Sample]) -> Timing:
    return Timing([measure() for _ in range(times)])


def total(samples: Sequence[Sample]) -> Sample:
    return Sample(sum(s.wall for s in samples), sum(s.cpu for s in samples))


# -- the tools ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    jmap: list[str]
    graphviz_pure: str
    mmdc: list[str] | None  # with its puppeteer config
    mmdc_missing: str  # why there is no mmdc, when there is none


def compile_bytecode() -> None:
    """Compile jmap's modules to bytecode, as pip does when it installs jmap.

    The checkout under test is an editable install, whose modules are compiled on first import
    and cached in __pycache__; with PYTHONDONTWRITEBYTECODE set (some CI images and containers
    set it) nothing is cached, and every new process would compile jmap again: 20 to 40 ms
    that no installed jmap spends.
    """
    log("compiling jmap's modules to bytecode, as an install does")
    command = [sys.executable, "-m", "compileall", "-q", str(Path(jmap("jmap").__file__).parent)]
    subprocess.run(command, check=True)


def find_tools(args: argparse.Namespace, workspace: Path) -> Tools:
    scripts = Path(sys.executable).parent  # the venv's bin/, not resolved past its symlink
    jmap_script = scripts / ("jmap.exe" if sys.platform == "win32" else "jmap")
    jmap = [str(jmap_script)] if jmap_script.exists() else [sys.executable, "-m", "jmap"]
    name = "graphviz-pure.exe" if sys.platform == "win32" else "graphviz-pure"
    candidates = [scripts / name, Path(sysconfig.get_path("scripts")) / name]
    found = next((str(c) for c in candidates if c.exists()), None) or shutil.which(name)
    if found is None:
        raise BenchError("graphviz-pure is not installed: run `make test` or pip install jmap")
    mmdc, missing = None, ""
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if args.no_mmdc:
        missing = "skipped (--no-mmdc)"
    elif not Path(args.mmdc).is_file():
        missing = f"skipped: {args.mmdc} is missing (make test installs it with npm)"
    elif shutil.which("node") is None:
        missing = "skipped: node is not on PATH"
    elif chromium is None or not Path(chromium).exists():
        missing = "skipped: no Chromium (apt-get install chromium, or --chromium PATH)"
    else:
        config = workspace / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": chromium, "args": CHROMIUM_ARGS}))
        mmdc = [str(args.mmdc), "-p", str(config), "-q"]
    return Tools(jmap, found, mmdc, missing)


# -- the measurements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    measurement: str
    median: str = ""
    cpu: str = ""
    target: str = ""
    result: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verdicts: dict[str, bool] = field(default_factory=dict)


def seconds(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def judged(report: Report, name: str, ok: bool, detail: str, applies: bool) -> str:
    if not applies:
        return f"{detail} (no verdict: not the target's size)"
    report.verdicts[name] = ok
    return f"{detail} {'PASS' if ok else 'MISS'}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace, sizes: Sizes, tools: Tools, workspace: Path):
        self.args = args
        self.sizes = sizes
        self.tools = tools
        self.workspace = workspace
        self.report = Report()
        self.fresh_count = 0
        self.sets: dict[int, Path] = {}
        self.jobs: list[str] = ["-j", str(args.jobs)] if args.jobs else []
        self.applies = {
            "journeys": sizes.journeys == TARGET_SIZES.journeys,
            "scale": sizes.scale == TARGET_SIZES.scale,
            "touchpoints": sizes.touchpoints == TARGET_SIZES.touchpoints,
        }
        # Medians the breakdown needs later.
        self.build_all: Timing | None = None
        self.full_scale: Timing | None = None
        self.noop_profile: list[list[str]] = []  # the no-op build's top functions

    # Journeys ----------------------------------------------------------------------------

    def journeys(self, count: int) -> Path:
        """A folder of `count` generated journeys; the same files in every folder."""
        if count not in self.sets:
            folder = self.workspace / f"journeys-{count}"
            folder.mkdir()
            for number in range(count):
                (folder / f"journey-{number:04}.yaml").write_text(journey_text(number))
            self.sets[count] = folder
        return self.sets[count]

    def big_journey(self) -> Path:
        per_stage = max(1, round(self.sizes.touchpoints / BIG_STAGES))
        folder = self.workspace / "big"
        folder.mkdir(exist_ok=True)
        path = folder / "big-journey.yaml"
        path.write_text(journey_text(0, stages=BIG_STAGES, per_stage=per_stage))
        return path

    def fresh(self, label: str) -> Path:
        self.fresh_count += 1
        return self.workspace / "out" / f"{label}-{self.fresh_count}"

    def build(self, source: Path, output: Path, formats: str, *, tree: bool = False) -> Sample:
        command: list[str | Path] = [*self.tools.jmap, "build", source, "-o", output]
        command += ["-f", formats, "-q"]
        return run([*command, "--force", *self.jobs], self.workspace, sample_tree=tree)

    def full_build(self, source: Path, formats: str, label: str, *, tree: bool = False) -> Timing:
        def once() -> Sample:
            output = self.fresh(label)
            try:
                return self.build(source, output, formats, tree=tree)
            finally:
                shutil.rmtree(output, ignore_errors=True)

        return repeat(self.args.repeat, once)

    def export(self, source: Path, formats: str, label: str) -> Path:
        output = self.workspace / "exports" / label
        self.build(source, output, formats)
        return output

    # Sections ----------------------------------------------------------------------------

    def against_mermaid(self) -> None:
        n = self.sizes.journeys
        source = self.journeys(n)
        log(f"jmap build of {n} journeys, {DEFAULT_FORMATS}")
        self.build_all = everything = self.full_build(source, DEFAULT_FORMATS, "all")
        floor = self.floor(n)
        self.add(
            f"jmap build, {n} journeys, {DEFAULT_FORMATS}",
            everything,
            result=f"{everything.wall / floor.wall:.1f}x the floor",
        )
        self.add(f"  (info) floor: bench/floor.py, {n} journeys, 1 process", floor)
        if self.tools.mmdc is None:
            self.report.rows.append(Row(f"mmdc, {n} .mmd files", self.tools.mmdc_missing))
            self.report.notes.append(f"mmdc {self.tools.mmdc_missing}")
            return
        mmd = self.export(source, "mermaid", "mermaid")
        files = sorted(mmd.glob("*.mmd"))
        log(f"mmdc, one call per file, {len(files)} files x {self.args.mmdc_repeat}")
        per_file = repeat(self.args.mmdc_repeat, lambda: self.mmdc_each(files))
        log(f"mmdc batch mode, one .md of {len(files)} blocks x {self.args.repeat}")
        batch = repeat(self.args.repeat, lambda: self.mmdc_batch(files))
        applies = self.applies["journeys"]
        ratio = per_file.wall / everything.wall
        self.add(
            f"mmdc, {n} .mmd files, one call each (runs: {per_file.runs})",
            per_file,
            target=">= 60x jmap",
            result=judged(self.report, "mmdc", ratio >= 60, f"{ratio:.1f}x", applies),
        )
        ratio = batch.wall / everything.wall
        self.add(
            f"mmdc batch, one .md with {n} blocks",
            batch,
            target=">= 15x jmap",
            result=judged(self.report, "mmdc-batch", ratio >= 15, f"{ratio:.1f}x", applies),
        )

    def mmdc_each(self, files: list[Path]) -> Sample:
        assert self.tools.mmdc is not None
        out = self.fresh("mmdc")
        out.mkdir(parents=True)
        try:
            samples = [
                run([*self.tools.mmdc, "-i", f, "-o", out / f"{f.stem}.svg"], self.workspace)
                for f in files
            ]
            made = len(list(out.glob("*.svg")))
            if made != len(files):
                raise BenchError(f"mmdc wrote {made} SVG files for {len(files)} diagrams")
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return total(samples)

    def mmdc_batch(self, files: list[Path]) -> Sample:
        assert self.tools.mmdc is not None
        out = self.fresh("mmdc-batch")
        out.mkdir(parents=True)
        try:
            blocks = [f"```mermaid\n{f.read_text().rstrip()}\n```\n" for f in files]
            (out / "all.md").write_text("\n".join(blocks))
            sample = run([*self.tools.mmdc, "-i", "all.md", "-o", "out.md"], out)
            made = len(list(out.glob("out-*.svg")))
            if made != len(files):
                raise BenchError(f"mmdc batch wrote {made} SVG files for {len(files)} blocks")
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return sample

    def floor(self, count: int) -> Timing:
        """bench/floor.py on the same `count` journeys: libyaml, then three files of plain
        string formatting per journey, in one process (its start included, as jmap's is)."""
        files = sorted(self.journeys(count).glob("*.yaml"))
        log(f"the floor, bench/floor.py, on {count} journeys")

        def once() -> Sample:
            output = self.fresh("floor")
            try:
                sample = run([sys.executable, FLOOR, "-o", output, *files], self.workspace)
                made = len(list(output.iterdir()))
                if made != 3 * len(files):
                    raise BenchError(f"bench/floor.py wrote {made} files for {len(files)} journeys")
            finally:
                shutil.rmtree(output, ignore_errors=True)
            return sample

        return repeat(self.args.repeat, once)

    def at_scale(self) -> None:
        n = self.sizes.scale
        source = self.journeys(n)
        full: list[Sample] = []
        noop: list[Sample] = []
        edited: list[Sample] = []
        first = sorted(source.glob("*.yaml"))[0]
        original = first.read_text()
        for time_round in range(self.args.repeat):
            log(
                f"full, no-op, one-edit build of {n} journeys ({time_round + 1}/{self.args.repeat})"
            )
            output = self.fresh("scale")
            try:
                full.append(self.build(source, output, DEFAULT_FORMATS))
                command: list[str | Path] = [*self.tools.jmap, "build", source, "-o", output]
                command += ["-f", DEFAULT_FORMATS, "-q", *self.jobs]
                noop.append(run(command, self.workspace))
                if time_round == self.args.repeat - 1 and "profile" in self.args.only:
                    log(f"where the time goes: cProfile of the no-op build of {n} journeys")
                    self.noop_profile = self.profiled(command[len(self.tools.jmap) :])
                # One journey edited: rendered again, and the index pages made again from the
                # rows kept of the other journeys (.jmap-portfolio.json).
                first.write_text(original.replace("title: ", "title: Edited ", 1))
                edited.append(run(command, self.workspace))
            finally:
                first.write_text(original)
                shutil.rmtree(output, ignore_errors=True)
        applies = self.applies["scale"]
        self.full_scale = Timing(full)
        floor = self.floor(n)
        ratio = self.full_scale.wall / floor.wall
        self.add(
            f"jmap build, {n} journeys, full ({DEFAULT_FORMATS})",
            self.full_scale,
            target="<= 3x the floor",
            result=judged(self.report, "full", ratio <= 3, f"{ratio:.2f}x", applies),
        )
        self.add(f"  floor: bench/floor.py, the same {n} journeys, 1 process", floor)
        noop_timing = Timing(noop)
        self.add(
            f"jmap build, {n} journeys, no-op (after the full one)",
            noop_timing,
            target="< 0.5 s",
            result=judged(self.report, "noop", noop_timing.wall < 0.5, "", applies),
        )
        edit_timing = Timing(edited)
        than_noop = f"{edit_timing.wall / noop_timing.wall:.1f}x the no-op"
        self.add(
            f"jmap build, {n} journeys, one edited (after the no-op)",
            edit_timing,
            target="< 1.5 s",
            result=judged(self.report, "edit-one", edit_timing.wall < 1.5, than_noop, applies),
        )

    def profiled(self, jmap_arguments: list[str | Path]) -> list[list[str]]:
        """The top functions of a jmap command run under cProfile (untimed)."""
        profile = self.workspace / "command.prof"
        python: list[str | Path] = [sys.executable, "-m", "cProfile", "-o", profile, "-m"]
        run([*python, "jmap", *jmap_arguments], self.workspace)
        stats: dict[Any, Any] = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
        return cumulative_rows(stats, skip=_cli_frame)

    def big(self) -> None:
        path = self.big_journey()
        count = BIG_STAGES * max(1, round(self.sizes.touchpoints / BIG_STAGES))
        log(f"one journey of {count} touchpoints ({path.stat().st_size // 1024} KB)")
        timing = self.full_build(path, DEFAULT_FORMATS, "big", tree=True)
        applies = self.applies["touchpoints"]
        self.add(
            f"jmap build, 1 journey of {count} touchpoints, {DEFAULT_FORMATS}",
            timing,
            target="< 1.5 s",
            result=judged(self.report, "big-time", timing.wall < 1.5, "", applies),
        )
        megabytes = timing.peak / 1e6
        self.report.rows.append(
            Row(
                "  its peak memory (resident, whole process tree)",
                f"{megabytes:.0f} MB",
                "",
                "< 200 MB",
                judged(self.report, "big-memory", megabytes < 200, "", applies),
            )
        )

    def cold_start(self) -> None:
        one = self.journeys(self.sizes.journeys) / "journey-0000.yaml"
        output = self.workspace / "out" / "cold-build"
        times = self.args.cold_repeat
        log(f"cold starts, {times} of each")
        # The build is forced, so each run renders and writes the three maps again.
        build: list[str | Path] = [*self.tools.jmap, "build", one, "-o", output, "-q", "--force"]
        commands: dict[str, list[str | Path]] = {
            "version": [*self.tools.jmap, "--version"],
            "validate": [*self.tools.jmap, "validate", "-q", one],
            "build": [*build, "-f", DEFAULT_FORMATS],
            "python": [sys.executable, "-c", "pass"],
            "imports": [sys.executable, "-c", "import jmap.cli.commands"],
        }
        timings: dict[str, Timing] = {}
        for name, command in commands.items():
            run(command, self.workspace)  # one untimed run: the files are in the page cache
            timings[name] = repeat(times, functools.partial(run, command, self.workspace))
        shutil.rmtree(output, ignore_errors=True)
        targets = [
            ("version", "jmap --version", 0.060),
            ("validate", "jmap validate of one journey", 0.150),
            ("build", f"jmap build of one journey, {DEFAULT_FORMATS}", 0.200),
        ]
        for name, title, limit in targets:
            timing = timings[name]
            self.add(
                f"{title}, new process (runs: {times})",
                timing,
                target=f"< {limit * 1000:.0f} ms",
                result=judged(self.report, name, timing.wall < limit, "", True),
            )
        self.add("  (info) python -c pass: the interpreter alone", timings["python"])
        self.add(
            "  (info) python -c 'import jmap.cli.commands': typer and the commands",
            timings["imports"],
        )

    def serve(self) -> None:
        """From saving a journey to the page open in Chromium showing the change."""
        try:
            # bench/serve_latency.py: it drives `jmap serve` and Chromium itself.
            from serve_latency import measure  # type: ignore[import-not-found,unused-ignore]
        except ImportError as error:
            why = f"skipped: bench/serve_latency.py could not be imported ({error})"
            self.report.rows.append(Row("jmap serve, save -> page shows the change", why))
            self.report.notes.append(f"jmap serve {why}")
            return
        times = self.args.serve_repeat
        for touchpoints, limit in SERVE_TOUCHPOINTS.items():
            log(f"jmap serve: save -> page shows it, {touchpoints} touchpoints x {times}")
            seconds_each = measure(touchpoints, times)
            timing = Timing([Sample(value, 0.0) for value in seconds_each])
            self.add(
                f"jmap serve, save -> page shows the change, {touchpoints} touchpoints"
                f" (runs: {timing.runs})",
                timing,
                target=f"< {limit * 1000:.0f} ms",
                result=judged(self.report, f"serve-{touchpoints}", timing.wall < limit, "", True),
            )

    def add(self, name: str, timing: Timing, target: str = "", result: str = "") -> None:
        cpu = seconds(timing.cpu) if timing.cpu else ""
        self.report.rows.append(Row(name, seconds(timing.wall), cpu, target, result.strip()))


# -- where the time goes ------------------------------------------------------------------


@dataclass
class Breakdown:
    labels: list[str]  # the two journeys of the phase table
    phases: list[list[str]]  # phase, then seconds for each journey
    builds: list[list[str]]  # part of a build, then seconds for each build measured
    build_labels: list[str]
    profile: list[list[str]]  # module, per journey, share, what it is, heaviest function
    functions: list[list[str]]  # function, cumulative per journey, share, calls
    imports: dict[str, list[list[str]]]  # command -> (module, cumulative import time)


PHASES = [
    ("parse", "YAML parse: jmap.loading.yaml_reader.parse (libyaml events, composed + positions)"),
    ("validate", "validation: jmap.loading.loader.loads minus the parse (pydantic, references)"),
    ("view", "view: jmap.view.journey_view"),
    ("lint", "lint: jmap.lint.lint_loaded, default rules (a build lints each journey)"),
    ("svg", "SVG map: the grid jmap lays out and draws, render('svg')"),
    ("html", "HTML page: template + embedded SVG map, render('html')"),
    ("md", "Markdown: template + Mermaid block, render('md')"),
]
INFO_PHASES = [
    ("dot", "(info, not default) the flow graph's DOT source, render('dot')"),
    ("spawn", "(info, flow only) starting graphviz-pure alone: graphviz-pure -V"),
    ("mermaid", "(info, not default) Mermaid block, render('mermaid')"),
    ("json", "(info, not default) JSON, render('json')"),
    ("templates", "(once per worker process) compiling map.html.j2 and map.md.j2"),
]


def phase_times(text: str, rounds: int, graphviz_pure: str) -> dict[str, float]:
    """Median seconds of each phase of building one journey, each phase called directly."""
    limits = jmap("jmap.loading.limits").DEFAULT_LIMITS
    loads = jmap("jmap.loading.loader").loads
    parse = jmap("jmap.loading.yaml_reader").parse
    environment = jmap("jmap.templating").environment
    journey_view = jmap("jmap.view").journey_view
    context = jmap("jmap.build.rendering").render_context(ALL_FORMATS, "pure", None)
    samples: dict[str, list[float]] = {name: [] for name, _ in PHASES + INFO_PHASES}
    version = [graphviz_pure, "-V"]
    lint = linter(text)

    def clock(name: str, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = work()
        samples[name].append(time.perf_counter() - start)
        return result

    for _ in range(rounds + 1):  # the first round warms imports and template caches
        clock("parse", functools.partial(parse, text, limits))
        journey = clock("validate", functools.partial(loads, text, "journey.yaml"))
        view = clock("view", functools.partial(journey_view, journey))
        if lint is not None:
            clock("lint", lint)
        context.reused.clear()
        # In this order each renders alone: html reuses the SVG map (these journeys have no
        # routes, so their HTML shows the map, not the flow graph).
        for name in ("svg", "html", "md", "dot", "mermaid", "json"):
            clock(name, functools.partial(context.render, name, view))
        clock("spawn", functools.partial(subprocess.run, version, capture_output=True))
        clock("templates", functools.partial(compile_templates, environment()))
    context.reused.clear()
    medians = {
        name: statistics.median(values[1:]) if values else math.nan
        for name, values in samples.items()
    }
    # loads parses too: validation is what it costs on top of the parse.
    medians["validate"] = max(0.0, medians["validate"] - medians["parse"])
    medians["total"] = sum(medians[name] for name, _ in PHASES if not math.isnan(medians[name]))
    return medians


def linter(text: str) -> Callable[[], object] | None:
    """Linting one journey as a build does, or None for a jmap without `jmap lint`."""
    try:
        lint = jmap("jmap.lint")
        read = jmap("jmap.loading.loader").read
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journey.yaml"
        path.write_text(text)
        loaded = read(path)
    return functools.partial(lint.lint_loaded, loaded, lint.LintSettings())


def compile_templates(environment: Any) -> None:
    for name in ("map.html.j2", "map.md.j2"):
        environment.get_template(name)


def portfolio_per_journey(folder: Path, rounds: int) -> float:
    """Seconds per journey of index.html and index.md, which a build renders in its main
    process after every journey is rendered, from the rows its workers worked out (and it keeps
    in .jmap-portfolio.json)."""
    settings = jmap("jmap.build.rendering").Settings(formats=tuple(DEFAULT_FORMATS.split(",")))
    slugify = jmap("jmap.slug").slugify
    load = jmap("jmap.loading.loader").load
    journey_view = jmap("jmap.view").journey_view
    portfolio_row = jmap("jmap.render.portfolio").portfolio_row
    portfolio = jmap("jmap.build.portfolio")
    rows = [
        (portfolio_row(journey_view(load(path))), slugify(path.stem))
        for path in sorted(folder.glob("*.yaml"))
    ]
    spent = []
    for _ in range(rounds):
        start = time.perf_counter()
        portfolio.portfolio_files(rows, settings)
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) / len(rows)


def module_of(filename: str, function: str) -> str:
    """A readable module or package name for a profiled function's file."""
    if filename == "~":  # a built-in: "<method 'poll' of 'select.poll' objects>"
        if function.startswith("<method '"):
            method, _, owner = function[len("<method '") :].partition("' of '")
            owner = owner.partition("'")[0]
            return f"built-in {owner}.{method}"
        return "built-in " + function.strip("<>").removeprefix("built-in method ")
    path = Path(filename)
    if path.suffix == ".j2":
        return f"Jinja template {path.name}"
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "jmap" in parts:
        inner = list(parts[len(parts) - parts[::-1].index("jmap") - 1 :])
        inner[-1] = inner[-1].removesuffix(".py")
        if inner[-1] == "__init__":
            inner.pop()
        return ".".join(inner[:3])  # jmap.render.dot.* counts as jmap.render.dot
    stdlib = Path(sysconfig.get_path("stdlib"))
    with contextlib.suppress(ValueError):
        relative = path.relative_to(stdlib)
        return "stdlib " + relative.parts[0].removesuffix(".py")
    return filename


WHAT = {
    "yaml": "pyyaml's composer (over libyaml's parser, pure Python without it)",
    "pydantic": "pydantic models",
    "pydantic_core": "pydantic validation",
    "jinja2": "Jinja runtime (HTML and Markdown templates)",
    "markupsafe": "HTML escaping in templates",
    "jmap.render.grid": "laying out and drawing the SVG map",
    "built-in str.join": "joining output text",
    "jmap.loading.yaml_reader": "positions and YAML 1.2 scalars over pyyaml's nodes",
    "jmap.render.html": "the HTML page's data",
    "jmap.render.markdown": "the Markdown map",
}


def profile_rows(text: str, rounds: int, top: int = 8) -> tuple[list[list[str]], list[list[str]]]:
    """cProfile of building one journey in the default formats: self time by module, and the
    functions that take longest with what they call."""
    loads = jmap("jmap.loading.loader").loads
    journey_view = jmap("jmap.view").journey_view
    formats = tuple(DEFAULT_FORMATS.split(","))
    context = jmap("jmap.build.rendering").render_context(formats, "pure", None)

    def once() -> None:
        view = journey_view(loads(text, "journey.yaml"))
        for name in formats:
            context.render(name, view)
        context.reused.clear()

    once()  # warm: imports and compiled templates are not per journey
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        once()
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return by_module(stats, rounds, top), cumulative_rows(stats, rounds, top, _bench_frame)


def by_module(stats: dict[Any, Any], rounds: int, top: int) -> list[list[str]]:
    """Self time added up per module or package, heaviest first."""
    spent_in: dict[str, float] = {}
    heaviest: dict[str, tuple[float, str]] = {}
    for (filename, _line, function), (_cc, _nc, self_time, _cum, _callers) in stats.items():
        module = module_of(filename, function)
        spent_in[module] = spent_in.get(module, 0.0) + self_time
        if self_time > heaviest.get(module, (0.0, ""))[0]:
            heaviest[module] = (self_time, function)
    everything = sum(spent_in.values()) or 1.0
    rows = []
    for module, spent in sorted(spent_in.items(), key=lambda item: -item[1])[:top]:
        share = f"{spent / everything:.0%}"
        what = WHAT.get(module, "")
        rows.append([module, seconds(spent / rounds), share, what, heaviest[module][1]])
    return rows


def cumulative_rows(
    stats: dict[Any, Any],
    rounds: int = 1,
    top: int = 8,
    skip: Callable[[str, str], bool] = lambda filename, function: False,
) -> list[list[str]]:
    """The functions with the most cumulative time, without the interpreter's own frames."""
    root = max((entry[3] for entry in stats.values()), default=0.0) or 1.0
    rows = []
    ranked = sorted(stats.items(), key=lambda item: -item[1][3])
    for (filename, line, function), (_cc, calls, _self, cumulative, _callers) in ranked:
        if filename == "~" or filename.startswith("<") or skip(filename, function):
            continue  # built-ins, exec, importlib's frozen frames, the caller's own
        where = f"{module_of(filename, function)}:{line} {function}"
        share = f"{cumulative / root:.0%}"
        rows.append([where, seconds(cumulative / rounds), share, str(calls // rounds)])
        if len(rows) == top:
            break
    return rows


def _bench_frame(filename: str, function: str) -> bool:
    return Path(filename).resolve() == Path(__file__).resolve()


def _cli_frame(filename: str, function: str) -> bool:
    """The frames every command goes through: runpy, typer and click, jmap's entry point."""
    parts = Path(filename).parts
    return (
        "typer" in parts
        or Path(filename).name == "runpy.py"
        or (parts[-2:] == ("jmap", "__main__.py"))
        or (parts[-3:] == ("jmap", "cli", "__init__.py") and function == "main")
    )


def import_rows(statement: str, top: int = 8) -> list[list[str]]:
    """The heaviest imports of a statement, three levels deep (python -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue  # the header, or something else on stderr
        name = fields[2][1:]  # one space, then two more per level of nesting
        depth = (len(name) - len(name.lstrip(" "))) // 2
        if depth <= 2:
            found.append((int(fields[1]), "  " * depth + name.strip()))
    found.sort(key=lambda item: -item[0])
    return [[name, seconds(cumulative / 1e6)] for cumulative, name in found[:top]]


def breakdown(bench: Bench, rounds: int) -> Breakdown:
    small = journey_text(0)
    per_stage = max(1, round(bench.sizes.touchpoints / BIG_STAGES))
    big = journey_text(0, stages=BIG_STAGES, per_stage=per_stage)
    labels = ["20 touchpoints", f"{BIG_STAGES * per_stage} touchpoints"]
    log("where the time goes: phases, one journey of each size, in this process")
    gp = bench.tools.graphviz_pure
    measured = [phase_times(small, rounds, gp), phase_times(big, max(1, rounds // 5), gp)]
    phases = [[title, *(seconds(m[name]) for m in measured)] for name, title in PHASES]
    phases.append(
        [
            f"one journey, {DEFAULT_FORMATS}: the phases above",
            *(seconds(m["total"]) for m in measured),
        ]
    )
    phases += [[title, *(seconds(m[name]) for m in measured)] for name, title in INFO_PHASES]
    n = bench.sizes.journeys
    log(f"where the time goes: portfolio pages of {n} journeys")
    portfolio = portfolio_per_journey(bench.journeys(n), max(1, rounds // 3))
    phases.append(
        [
            "(once per build, main process) index pages, per journey of the build",
            seconds(portfolio),
            "",
        ]
    )
    log("where the time goes: start-up of jmap build")
    startup = repeat(
        max(3, rounds // 2),
        functools.partial(
            run, [sys.executable, "-c", "import jmap.cli.commands, jmap.build.run"], bench.workspace
        ),
    ).wall
    builds, build_labels = build_rows(bench, measured[0], portfolio, startup)
    log("where the time goes: cProfile of one journey, grouped by module")
    profile, functions = profile_rows(small, rounds)
    imports = {
        "jmap validate": import_rows("import jmap.cli.commands, jmap.api, jmap.config"),
        "jmap build": import_rows("import jmap.cli.commands, jmap.build.run, jmap.render.grid"),
    }
    return Breakdown(labels, phases, builds, build_labels, profile, functions, imports)


def build_rows(
    bench: Bench, phases: dict[str, float], portfolio: float, startup: float
) -> tuple[list[list[str]], list[str]]:
    """Where the wall time of the measured full builds goes, estimated from the phases."""
    cores = bench.args.jobs or os.cpu_count() or 1
    builds = [
        (count, timing)
        for count, timing in (
            (bench.sizes.journeys, bench.build_all),
            (bench.sizes.scale, bench.full_scale),
        )
        if timing is not None
    ]
    parts: list[tuple[str, Callable[[int], float]]] = [
        ("start-up: python, import jmap.cli.commands and jmap.build.run", lambda count: startup),
        (
            f"rendering: {seconds(phases['total'])} per journey, over the cores",
            lambda count: phases["total"] * count / min(cores, count),
        ),
        ("compiling the templates, once in each worker", lambda count: phases["templates"]),
        (
            "index pages, in the main process: one core",
            lambda count: portfolio * count,
        ),
    ]
    rows = []
    for title, estimate in parts:
        rows.append([title, *(seconds(estimate(count)) for count, _ in builds)])
    rest = [timing.wall - sum(estimate(count) for _, estimate in parts) for count, timing in builds]
    rows.append(
        ["the rest: pool, imports, index templates, hashing, writing, waiting", *map(seconds, rest)]
    )
    rows.append(
        ["measured: median wall time of the full build", *(seconds(t.wall) for _, t in builds)]
    )
    labels = [f"{count} journeys" for count, _ in builds]
    return rows, labels


# -- output -------------------------------------------------------------------------------


def machine(tools: Tools) -> list[tuple[str, str]]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
        return lines[0] if lines else "?"

    import yaml

    info = [
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("cores", f"{os.cpu_count()} (usable: {usable}); {cpu}"),
        ("load average", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("python", f"{platform.python_version()} ({platform.platform()})"),
        ("jmap", f"{version([*tools.jmap, '--version'])} ({source_version()})"),
        ("graphviz-pure", version([tools.graphviz_pure, "-V"])),
        (
            "pyyaml",
            f"{yaml.__version__}, libyaml {'available' if yaml.__with_libyaml__ else 'missing'}",
        ),
    ]
    if tools.mmdc is not None:
        info.append(("mmdc", version([tools.mmdc[0], "--version"])))
    return info


def table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> str:
    if markdown:

        def cells(values: Sequence[str]) -> str:
            return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

        return "\n".join([cells(header), cells(["---"] * len(header)), *map(cells, rows)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def show(
    bench: Bench, info: list[tuple[str, str]], found: Breakdown | None, markdown: bool
) -> None:
    heading = "## " if markdown else ""
    report = bench.report
    quick = " (--quick: smaller sizes, so no verdicts on size targets)" if bench.args.quick else ""
    print(f"{heading}jmap benchmark{quick}")
    print()
    print(table(["machine", ""], info, markdown))
    print()
    rows = [[r.measurement, r.median, r.cpu, r.target, r.result] for r in report.rows]
    print(table(["measurement", "median", "CPU", "target", "result"], rows, markdown))
    print()
    missed = [name for name, ok in report.verdicts.items() if not ok]
    passed = len(report.verdicts) - len(missed)
    which = f" ({', '.join(missed)})" if missed else ""
    print(f"targets: {passed} PASS, {len(missed)} MISS{which}")
    print(
        f"each row is the median of {bench.args.repeat} runs unless it says otherwise; CPU is"
        " user+system time of the process and all its children (more than the wall time when"
        " several cores work)."
    )
    for note in report.notes:
        print(f"- {note}")
    if found is None:
        return
    print()
    print(f"{heading}Where the time goes")
    print()
    print(
        table(["phase of one journey, in-process (median)", *found.labels], found.phases, markdown)
    )
    print()
    header = ["where a full build's time goes (estimate)", *found.build_labels]
    print(table(header, found.builds, markdown))
    print()
    header = ["module (cProfile, self time)", "per journey", "share", "what", "heaviest function"]
    print(table(header, found.profile, markdown))
    print()
    header = ["function (same cProfile, cumulative)", "per journey", "share", "calls"]
    print(table(header, found.functions, markdown))
    if bench.noop_profile:
        print()
        header = [f"no-op build of {bench.sizes.scale} (cProfile, cumulative)", "time", "share"]
        header.append("calls")
        print(table(header, bench.noop_profile, markdown))
    for command, rows in found.imports.items():
        print()
        print(table([f"imports of `{command}`", "cumulative"], rows, markdown))


# -- main ---------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See bench/README.md for what each row means, the targets and the caveats.",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, 1 run each")
    parser.add_argument("--journeys", type=int, help="journeys for jmap against mmdc (20)")
    parser.add_argument(
        "--scale-journeys", type=int, help="journeys of the full/no-op builds (1000)"
    )
    parser.add_argument("--touchpoints", type=int, help="touchpoints of the big journey (500)")
    parser.add_argument("--repeat", type=int, help="runs of each measurement, median kept (3)")
    parser.add_argument("--mmdc-repeat", type=int, default=1, help="runs of mmdc per file (1)")
    parser.add_argument("--cold-repeat", type=int, help="runs of each cold start (10)")
    parser.add_argument("--serve-repeat", type=int, help="saves timed per jmap serve row (10)")
    parser.add_argument("--jobs", type=int, help="jmap build --jobs (default: jmap's, the cores)")
    parser.add_argument("--no-mmdc", action="store_true", help="skip Mermaid's CLI")
    parser.add_argument("--mmdc", type=Path, default=MMDC, help="mmdc executable")
    parser.add_argument("--chromium", help="Chromium for mmdc (default: chromium on PATH)")
    parser.add_argument("--no-profile", action="store_true", help="skip 'where the time goes'")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, of {','.join(SECTIONS)} (default: all)",
    )
    args = parser.parse_args()
    quick = args.quick
    args.repeat = args.repeat or (1 if quick else 3)
    args.cold_repeat = args.cold_repeat or (3 if quick else 10)
    args.serve_repeat = args.serve_repeat or (3 if quick else 10)
    if min(args.repeat, args.cold_repeat, args.mmdc_repeat, args.serve_repeat) < 1:
        parser.error("repeat counts must be at least 1")
    args.only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = args.only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section {', '.join(sorted(unknown))}; choose of {SECTIONS}")
    if args.no_profile:
        args.only.discard("profile")
    return args


def source_state() -> str:
    """What jmap's source looks like now (names, sizes, times), when jmap runs from this tree."""
    source = REPO / "src" / "jmap"
    if not source.is_dir():
        return ""
    files = [p for p in sorted(source.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return "\n".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def source_version() -> str:
    """The commit jmap's checkout is at, and whether src/ has changes not committed."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"{head}{', with uncommitted changes in src/' if changed else ''}"


def sizes_of(args: argparse.Namespace) -> Sizes:
    base = QUICK_SIZES if args.quick else TARGET_SIZES
    return Sizes(
        journeys=args.journeys or base.journeys,
        scale=args.scale_journeys or base.scale,
        touchpoints=args.touchpoints or base.touchpoints,
    )


@contextlib.contextmanager
def workspace(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        if any(keep.iterdir()):
            raise BenchError(f"{keep} is not empty")
        yield keep.resolve()
        return
    # Outside the repository, so no [tool.jmap] configuration applies to the builds.
    with tempfile.TemporaryDirectory(prefix="jmap-bench-") as folder:
        yield Path(folder)


def main() -> int:
    args = arguments()
    sizes = sizes_of(args)
    started = time.perf_counter()
    try:
        with workspace(args.keep) as folder:
            tools = find_tools(args, folder)
            compile_bytecode()
            info = machine(tools)
            bench = Bench(args, sizes, tools, folder)
            before = source_state()
            sections = {
                "cold": bench.cold_start,
                "mermaid": bench.against_mermaid,
                "big": bench.big,
                "scale": bench.at_scale,
                "serve": bench.serve,
            }
            for name, section in sections.items():
                if name in args.only:
                    section()
            found = None
            if "profile" in args.only:
                try:
                    found = breakdown(bench, 3 if args.quick else 10)
                except Exception as error:  # jmap's internals moved: keep the measurements
                    bench.report.notes.append(f"no breakdown: {type(error).__name__}: {error}")
            info.append(("load average after", " ".join(f"{x:.2f}" for x in os.getloadavg())))
            info.append(("benchmark took", seconds(time.perf_counter() - started)))
            if source_state() != before:
                bench.report.notes.append(
                    "jmap's source (src/jmap) changed while the benchmark ran: rows may mix"
                    " versions of jmap; run it again on a tree nobody is editing."
                )
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    show(bench, info, found, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
