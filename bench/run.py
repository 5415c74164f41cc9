"""Benchmark the synthesis against its floor and the standard provider import.

    pipenv run python bench/run.py [--runs N]

See bench/README.md for what each row and column measures. Linux only: the
memory figures come from /proc.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tests.terraform_setup import configure_provider_mirror  # noqa: E402

PROJECT_NODE = PROJECT_ROOT / "node_modules/node/bin/node"
STACK = "prod-compute"
POLL_SECONDS = 0.01
KIB_PER_MIB = 1024


@dataclass
class Sample:
    """One measured run."""

    wall: float
    node_up: float | None = None  # seconds from spawn until the jsii host appeared
    tail: float | None = None  # seconds from the output's publication to exit
    peaks: dict[str, int] = field(default_factory=dict)  # role -> VmHWM KiB
    tree: int = 0  # KiB, largest sum of VmRSS over the tree at one sample
    wait4_maxrss: int = 0  # KiB, exact largest single-process peak of the tree


@dataclass
class Variant:
    """A command to time, and how to prepare each run of it."""

    name: str
    command: list[str]
    env: dict[str, str]
    writes_output: bool = True
    cold_cache: bool = False
    cwd: Path = PROJECT_ROOT
    samples: list[Sample] = field(default_factory=list)


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode(errors="replace")
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        text = _read(f"/proc/{pid}/task/{task}/children")
        if text:
            found += [int(child) for child in text.split()]
    return found


def _memory(pid: int) -> tuple[int, int] | None:
    """(VmHWM, VmRSS) in KiB; None once the process is gone or a zombie."""
    text = _read(f"/proc/{pid}/status")
    if text is None:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith(("VmHWM:", "VmRSS:")):
            values[line[:5]] = int(line.split()[1])
    if len(values) < 2:
        return None
    return values["VmHWM"], values["VmRSS"]


def _role(cmdline: str, is_root: bool, root_role: str) -> str:
    if is_root:
        return root_role
    if "jsii-runtime.js" in cmdline:
        return "node host"
    if "program.js" in cmdline:
        return "node kernel"
    return "other"


class TreeWatcher(threading.Thread):
    """Samples the process tree under one pid until told to stop."""

    def __init__(self, root: int, root_role: str, started: float) -> None:
        super().__init__(daemon=True)
        self.root, self.root_role, self.started = root, root_role, started
        self.peaks: dict[str, int] = {}
        self.tree = 0
        self.node_up: float | None = None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(POLL_SECONDS)

    def sample(self) -> None:
        total = 0
        stack = [(self.root, None)]
        while stack:
            pid, parent_cmdline = stack.pop()
            cmdline = _read(f"/proc/{pid}/cmdline") or ""
            memory = _memory(pid)
            # A child between fork and exec still shows its parent's command
            # and shares its pages: counting it would count the parent twice.
            if memory is not None and cmdline != parent_cmdline:
                role = _role(cmdline, pid == self.root, self.root_role)
                self.peaks[role] = max(self.peaks.get(role, 0), memory[0])
                total += memory[1]
                if role == "node host" and self.node_up is None:
                    self.node_up = time.perf_counter() - self.started
            stack += [(child, cmdline) for child in _children(pid)]
        self.tree = max(self.tree, total)


def measure(variant: Variant, run_dir: Path, cache_root: Path) -> Sample:
    """Run the variant once in run_dir; its time and memory."""
    run_dir.mkdir()
    env = dict(variant.env)
    env["CDKTF_OUTDIR"] = str(run_dir / "cdktf.out")
    env["JSII_RUNTIME_PACKAGE_CACHE_ROOT"] = str(cache_root)
    log = run_dir.parent / f"{run_dir.name}.log"
    root_role = "python" if variant.command[0] == sys.executable else "root"
    with open(log, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            variant.command, cwd=variant.cwd, env=env, stdout=output, stderr=output
        )
        watcher = TreeWatcher(process.pid, root_role, started)
        watcher.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.terminate()
            process.wait()
            raise
        finished = time.perf_counter()
        finished_wall = time.time()
        process.returncode = os.waitstatus_to_exitcode(status)
        watcher.done.set()
        watcher.join()
    if process.returncode != 0:
        sys.exit(f"{variant.name} failed ({process.returncode}):\n{log.read_text()}")
    sample = Sample(
        wall=finished - started,
        node_up=watcher.node_up,
        peaks=watcher.peaks,
        tree=watcher.tree,
        wait4_maxrss=usage.ru_maxrss,
    )
    if variant.writes_output:
        if not (run_dir / "cdktf.out/stacks" / STACK / "cdk.tf.json").is_file():
            sys.exit(f"{variant.name} wrote no {STACK}/cdk.tf.json:\n{log.read_text()}")
        # app.synthesize publishes by renaming its staging folder into run_dir
        # (and creates nothing there after), so run_dir's mtime is that moment.
        sample.tail = finished_wall - (run_dir.stat().st_mtime_ns / 1e9)
    return sample


def jsii_env() -> dict[str, str]:
    """The environment wealist/cdk.py would give the jsii runtime."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WEALIST_CONFIG", "CDKTF_OUTDIR", "PYTHONPATH")
    }
    if "JSII_NODE" not in env and PROJECT_NODE.is_file():
        env["JSII_NODE"] = str(PROJECT_NODE)
        env["NODE_OPTIONS"] = " ".join(
            filter(None, [env.get("NODE_OPTIONS"), "--disable-warning=DEP0044"])
        )
    env.setdefault("CHECKPOINT_DISABLE", "1")
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def prepare_terraform(stack_dir: Path) -> tuple[list[str] | None, str]:
    """terraform init (untimed) in stack_dir; the validate command, or why not."""
    binary = shutil.which("terraform")
    if binary is None:
        return None, "terraform is not on PATH"
    configure_provider_mirror()
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    init = subprocess.run(
        [binary, f"-chdir={stack_dir}", "init", "-backend=false", "-no-color"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if init.returncode != 0:
        reason = (init.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"terraform init failed: {reason}"
    return [binary, f"-chdir={stack_dir}", "validate", "-json", "-no-color"], ""


def check_valid(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=600
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return f"unreadable output: {result.stderr.strip()[:200]}"
    return "valid" if report.get("valid") else f"INVALID: {report.get('diagnostics')}"


def _mib(kib: int | None) -> str:
    return "-" if not kib else f"{kib / KIB_PER_MIB:.0f}"


def _median(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(variants: list[Variant]) -> None:
    headers = (
        "variant",
        "wall s median",
        "min-max",
        "Node up s",
        "exit tail s",
        "Python MiB",
        "Node kernel MiB",
        "Node host MiB",
        "tree MiB",
        "wait4 max MiB",
    )
    rows = []
    for variant in variants:
        samples = variant.samples
        walls = [sample.wall for sample in samples]

        def peak(role: str) -> str:
            return _mib(_median([sample.peaks.get(role) for sample in samples]))

        rows.append(
            (
                variant.name,
                f"{statistics.median(walls):.2f}",
                f"{min(walls):.2f}-{max(walls):.2f}",
                _seconds(_median([sample.node_up for sample in samples])),
                _seconds(_median([sample.tail for sample in samples])),
                peak("python"),
                peak("node kernel"),
                peak("node host"),
                _mib(_median([sample.tree for sample in samples])),
                _mib(_median([sample.wait4_maxrss for sample in samples])),
            )
        )
    widths = [
        max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))
    ]
    for row in [headers, ["-" * width for width in widths], *rows]:
        print(
            "  ".join(
                str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths))
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs per variant (>= 3)"
    )
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3: the table reports medians")

    env = jsii_env()
    python = sys.executable
    variants = [
        Variant(
            "floor (load assemblies)",
            [python, str(BENCH / "floor.py")],
            env,
            writes_output=False,
        ),
        Variant(
            "standard import + synth", [python, str(BENCH / "standard_import.py")], env
        ),
        Variant("product, warm jsii cache", [python, "main.py"], env),
        Variant("product, cold jsii cache", [python, "main.py"], env, cold_cache=True),
    ]
    node = env.get("JSII_NODE", "node")
    node_version = subprocess.run(
        [node, "--version"], capture_output=True, text=True
    ).stdout
    print(
        f"Python {platform.python_version()}, Node {node_version.strip()} ({node}), "
        f"{os.cpu_count()} CPUs, {args.runs} timed runs per variant, round-robin"
    )

    with tempfile.TemporaryDirectory(prefix="wealist-bench-") as scratch:
        scratch = Path(scratch)
        warm_cache = scratch / "jsii-cache-warm"
        counter = iter(range(1_000_000))

        def run(variant: Variant) -> tuple[Sample, Path]:
            number = next(counter)
            cache = (
                scratch / f"jsii-cache-cold-{number}"
                if variant.cold_cache
                else warm_cache
            )
            run_dir = scratch / f"run-{number}"
            try:
                return measure(variant, run_dir, cache), run_dir
            finally:
                if variant.cold_cache:
                    shutil.rmtree(cache, ignore_errors=True)

        # One untimed round fills the warm jsii cache and the OS page cache;
        # the product's output of it is what terraform validates.
        print("warm-up round (untimed) ...", flush=True)
        for variant in variants:
            _, run_dir = run(variant)
            if variant.name == "product, warm jsii cache":
                primed = run_dir / "cdktf.out/stacks" / STACK
        validate, why_not = prepare_terraform(primed)
        if validate is not None:
            tf_env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
            validity = check_valid(validate, tf_env)
            variants.append(
                Variant(
                    "terraform validate",
                    validate,
                    tf_env,
                    writes_output=False,
                    cwd=scratch,
                )
            )

        for repetition in range(args.runs):
            print(f"round {repetition + 1}/{args.runs} ...", flush=True)
            shift = repetition % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                variant.samples.append(run(variant)[0])

        product_text = (primed / "cdk.tf.json").read_bytes()
        outputs = sorted(scratch.glob(f"run-*/cdktf.out/stacks/{STACK}/cdk.tf.json"))
        identical = all(path.read_bytes() == product_text for path in outputs)

    print()
    report(variants)
    median = {
        variant.name: statistics.median(s.wall for s in variant.samples)
        for variant in variants
    }
    floor, standard = (
        median["floor (load assemblies)"],
        median["standard import + synth"],
    )
    warm, cold = median["product, warm jsii cache"], median["product, cold jsii cache"]
    print()
    print(
        f"product/floor  {warm / floor:.2f}x   (product {warm - floor:+.2f} s over the floor)"
    )
    print(
        f"standard/product  {standard / warm:.2f}x   ({standard - warm:+.2f} s saved)"
    )
    print(
        f"cold/warm cache   {cold / warm:.2f}x   ({cold - warm:+.2f} s to fill the jsii cache)"
    )
    print(
        f"all {len(outputs)} synthesized cdk.tf.json byte-identical: "
        f"{'yes' if identical else 'NO'}"
    )
    if validate is not None:
        print(f"terraform validate: {validity} (terraform init -backend=false untimed)")
    else:
        print(f"terraform validate: skipped, {why_not}")


if __name__ == "__main__":
    main()
