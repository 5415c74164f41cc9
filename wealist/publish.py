"""Moving a finished synthesis into the output folder.

Synthesis runs in a staging folder inside `<outdir>/stacks`, so that every
rename below stays on one filesystem. Publishing then replaces only the
synthesized stack's folder, and carries over everything in the old folder that
synthesis does not write: Terraform's working files (`.terraform/`,
`.terraform.lock.hcl`, `errored.tfstate`, saved plans) and files of the
operator's own, such as `*_override.tf.json`. If a step fails, the old folder
is put back as it was. Runs that publish into the same folder take turns.
"""

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "manifest.json"
# What a synthesis writes into a stack folder (JSON or HCL), and only that.
SYNTHESIZED = frozenset({"cdk.tf.json", "cdk.tf", "adoption.tf", "SUMMARY.md"})


def staging_folder(outdir: Path) -> Path:
    """A new, empty folder to synthesize into, on the stacks' filesystem."""
    stacks = outdir / "stacks"
    stacks.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".staging.", dir=stacks))


def publish(staging: Path, outdir: Path, stack_name: str) -> None:
    """Put staging's stack in outdir, keeping what synthesis does not write."""
    new_stack = staging / "stacks" / stack_name
    target = outdir / "stacks" / stack_name
    with _publishing(outdir):
        if not target.exists():
            new_stack.rename(target)
        else:
            _swap(target, new_stack)
        # The manifest names this run's stack, as the cdktf CLI expects.
        _write_atomically(outdir / MANIFEST, (staging / MANIFEST).read_text())


def _swap(target: Path, new_stack: Path) -> None:
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    old_stack = retired / target.name
    target.rename(old_stack)
    kept = [path.name for path in old_stack.iterdir() if path.name not in SYNTHESIZED]
    moved: list[str] = []
    try:
        for name in kept:
            (old_stack / name).rename(new_stack / name)
            moved.append(name)
        new_stack.rename(target)
    except BaseException:
        for name in moved:
            (new_stack / name).rename(old_stack / name)
        old_stack.rename(target)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def _publishing(outdir: Path) -> Iterator[None]:
    """An exclusive lock on outdir for the time of one publish."""
    with (outdir / ".publish.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    descriptor, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(text)
    os.chmod(partial, 0o644)
    os.replace(partial, path)
