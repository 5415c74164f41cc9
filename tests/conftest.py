"""Shared fixtures: one synthesis per configuration, and Terraform's setup.

The jsii process copies the environment once, when wealist.cdk is first
imported, so the Terraform CLI configuration is settled here, before that.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import terraform_setup

terraform_setup.configure_provider_mirror()

from wealist.app import synthesize  # noqa: E402
from wealist.config import ClusterConfig, Config  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Synthesis:
    """A synthesized stack: its folder, its text and its parsed JSON."""

    def __init__(self, stack_dir: Path) -> None:
        self.stack_dir = stack_dir
        self.text = (stack_dir / "cdk.tf.json").read_text()
        self.json = json.loads(self.text)

    def resources(self, resource_type: str) -> dict[str, dict]:
        """Resources of one type by Terraform name."""
        return self.json.get("resource", {}).get(resource_type, {})

    def resource(self, resource_type: str, name: str) -> dict:
        """One resource; fails the test with its address when absent."""
        resources = self.resources(resource_type)
        assert name in resources, f"{resource_type}.{name} is missing"
        return resources[name]

    def addresses(self) -> list[str]:
        """Every resource and data source address, sorted."""
        found = [
            f"{kind}.{name}"
            for kind, items in self.json.get("resource", {}).items()
            for name in items
        ]
        found += [
            f"data.{kind}.{name}"
            for kind, items in self.json.get("data", {}).items()
            for name in items
        ]
        return sorted(found)


def synthesize_to(config: Config, outdir: Path) -> Synthesis:
    """Synthesize one configuration into outdir."""
    return Synthesis(synthesize(config, outdir))


@pytest.fixture(scope="session")
def default_synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    """The default (prod) stack, synthesized once for the whole session."""
    return synthesize_to(Config(), tmp_path_factory.mktemp("default") / "cdktf.out")


ADMIN_ROLE = "arn:aws:iam::210987654321:role/platform-admin"


@pytest.fixture(scope="session")
def customized_synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    """The default stack with the public endpoint narrowed and a pinned admin."""
    config = Config(
        cluster=ClusterConfig(
            public_access_cidrs=("203.0.113.0/24",), admin_principal_arn=ADMIN_ROLE
        )
    )
    return synthesize_to(config, tmp_path_factory.mktemp("customized") / "cdktf.out")


@pytest.fixture(scope="session")
def terraform() -> str:
    """The terraform binary, or a skip that says why there is none."""
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not on PATH")
    return binary


def run_python(
    *args: str, cwd: Path, config: str | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    """Run the project's Python in cwd, with WEALIST_CONFIG set to config or unset."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WEALIST_CONFIG", "CDKTF_OUTDIR")
    }
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    if config is not None:
        env["WEALIST_CONFIG"] = config
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


CDKTF_CLI = PROJECT_ROOT / "node_modules" / ".bin" / "cdktf"


def run_cdktf(
    *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """Run the pinned cdktf CLI on the project; skip where it cannot run here.

    env defaults to this process's, without a configuration choice, so the
    CLI synthesizes prod. The CLI and the app's jsii runtime both run on the
    project's Node.js, which node_modules/.bin puts first on PATH.
    """
    if not CDKTF_CLI.is_file():
        pytest.skip("the cdktf CLI is not installed (npm ci)")
    if shutil.which("pipenv") is None:
        pytest.skip("pipenv, which cdktf.json runs the app with, is not on PATH")
    if env is None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("WEALIST_CONFIG", "CDKTF_OUTDIR")
        }
    env = {
        **env,
        "PATH": os.pathsep.join((str(CDKTF_CLI.parent), env.get("PATH", ""))),
        "CHECKPOINT_DISABLE": "1",
        "DISABLE_VERSION_CHECK": "1",
        "CI": "1",
    }
    return subprocess.run(
        [str(CDKTF_CLI), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_terraform(
    binary: str, stack_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run one terraform command in a stack folder, without colour or prompts."""
    return subprocess.run(
        [binary, f"-chdir={stack_dir}", *args],
        capture_output=True,
        text=True,
        env={
            **(os.environ if env is None else env),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
        },
        timeout=600,
    )
