"""The main job: validate the configuration, synthesize, publish atomically."""

import logging
import os
import shutil
import sys
from pathlib import Path

from wealist.config import Config
from wealist.config_file import config_path_from_environment, load_config
from wealist.errors import ConfigError
from wealist.publish import publish, staging_folder
from wealist.summary import write_summary

log = logging.getLogger(__name__)

DEFAULT_OUTDIR = "cdktf.out"


def main() -> None:
    """Entry point of main.py and of `cdktf synth`."""
    logging.basicConfig(level=os.environ.get("WEALIST_LOG_LEVEL", "WARNING"))
    try:
        config = load_config(config_path_from_environment())
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    # The cdktf CLI names the output folder through CDKTF_OUTDIR.
    synthesize(config, Path(os.environ.get("CDKTF_OUTDIR", DEFAULT_OUTDIR)))


def synthesize(config: Config, outdir: Path) -> Path:
    """Synthesize into a staging folder, then publish the stack into outdir."""
    # Imported here so that a bad configuration fails before jsii starts.
    from wealist.adoption import adoption_hcl
    from wealist.cdk import App
    from wealist.stack import ComputeStack

    outdir = outdir.resolve()
    staging = staging_folder(outdir)
    try:
        app = App(outdir=str(staging))
        stack = ComputeStack(app, config=config)
        app.synth()
        stack_dir = staging / "stacks" / config.stack_name
        if app.hcl_output:
            # cdktf's HCL renderer drops the stack's moved and removed blocks.
            (stack_dir / "adoption.tf").write_text(adoption_hcl(*stack.adoption))
        write_summary(config, stack_dir)
        log.debug("synthesized %s into %s", stack.node.id, staging)
        publish(staging, outdir, config.stack_name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outdir / "stacks" / config.stack_name
