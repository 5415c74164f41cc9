"""The Terraform workflow end to end against an emulated AWS account (moto).

One moto server per session, on 127.0.0.1, seeded as the account looks once
prod/foundation is applied: the versioned state bucket, the lock table, a VPC
with three private subnets, a KMS key, the storage bucket and the foundation's
state object. A test-only override file next to cdk.tf.json aims the backend,
the remote state and the provider at the server; the product JSON is not
changed. Terraform and cdktf run without the caller's AWS_* variables, with
fake keys and AWS_ENDPOINT_URL on the server, so even a missing override
cannot reach AWS.

The tests that share the server run in file order: plan, missing foundation,
cdktf CLI, then the targeted apply, which leaves state behind.

What moto 5.2.5 does not emulate, and so what these tests cannot prove:

- EKS add-ons, Pod Identity associations, access entries and access policy
  associations: moto's EKS implements clusters, node groups and Fargate
  profiles only, and answers other calls with an HTML 404. They are planned,
  not applied.
- The managed node group is planned, not applied: it depends on the vpc-cni,
  kube-proxy and eks-pod-identity-agent add-ons, and `-target` always takes a
  target's dependencies along.
- Nothing runs: the cluster has no API server and no node boots; IAM policies
  are stored, not evaluated; KMS and CloudWatch settings are recorded, not
  enforced; moto accepts some values AWS would reject.
"""

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import emulator, terraform_setup
from tests.conftest import Synthesis, run_cdktf
from wealist.config import Config

pytestmark = pytest.mark.terraform

CONFIG = Config()
FOUNDATION = f"{CONFIG.environment}/foundation"

# Resource types moto 5.2.5 does not implement, with the API it lacks.
NOT_EMULATED = {
    "aws_eks_addon": "moto's EKS has no CreateAddon",
    "aws_eks_pod_identity_association": (
        "moto's EKS has no CreatePodIdentityAssociation"
    ),
    "aws_eks_access_entry": "moto's EKS has no CreateAccessEntry",
    "aws_eks_access_policy_association": "moto's EKS has no AssociateAccessPolicy",
}

# Emulated resource types that depend on a NOT_EMULATED one, and on what.
BLOCKED = {
    "aws_eks_node_group": (
        "depends on the add-ons created before nodes (vpc-cni, kube-proxy, "
        "eks-pod-identity-agent)"
    ),
}


@dataclass(frozen=True)
class Account:
    """The running emulator and what was seeded into it."""

    endpoint: str
    foundation: emulator.Foundation

    def client(self, service: str) -> Any:
        """A boto3 client of the emulator in the state region."""
        return emulator.client(service, self.endpoint, CONFIG.state.region)

    def locks(self) -> list[dict]:
        """Lock-table items other than the backend's state digests."""
        table = self.client("dynamodb").scan(TableName=CONFIG.state.lock_table)
        return [
            item for item in table["Items"] if not item["LockID"]["S"].endswith("-md5")
        ]

    def terraform(
        self, binary: str, stack_dir: Path, *args: str
    ) -> subprocess.CompletedProcess:
        """One terraform command in the clean environment."""
        return emulator.run_terraform(binary, stack_dir, *args, endpoint=self.endpoint)


@dataclass(frozen=True)
class Plan:
    """A saved plan as `terraform show -json` renders it."""

    json: dict
    locks_after: list[dict]

    def changes(self) -> dict[str, dict]:
        """Managed resource changes by address."""
        return {
            change["address"]: change
            for change in self.json["resource_changes"]
            if change["mode"] == "managed"
        }

    def after(self, address: str) -> dict:
        """Planned attributes of one resource."""
        changes = self.changes()
        assert address in changes, f"{address} is not in the plan"
        return changes[address]["change"]["after"]


@pytest.fixture(scope="session")
def provider_mirror() -> Path:
    """The local hashicorp/aws mirror; these tests never download providers."""
    mirror = terraform_setup.find_provider_mirror()
    if mirror is None:
        pytest.skip("no local provider mirror of hashicorp/aws (never downloaded)")
    return mirror


@pytest.fixture(scope="session")
def account(terraform: str, provider_mirror: Path) -> Iterator[Account]:
    """One seeded moto server for the session, stopped whatever happens."""
    with emulator.moto_server() as endpoint:
        yield Account(endpoint, emulator.seed_account(endpoint, CONFIG))


@pytest.fixture(scope="session")
def stack(
    terraform: str,
    account: Account,
    default_synthesis: Synthesis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Synthesis:
    """The session's prod synthesis, copied, aimed at the emulator, initialized.

    A copy, so the override never reaches a folder other tests use.
    """
    stack_dir = tmp_path_factory.mktemp("emulated") / CONFIG.stack_name
    shutil.copytree(
        default_synthesis.stack_dir,
        stack_dir,
        ignore=shutil.ignore_patterns(".terraform*", "tfplan"),
    )
    emulator.write_override(stack_dir, account.endpoint, CONFIG)
    _succeeded(account.terraform(terraform, stack_dir, "init"), "terraform init")
    return Synthesis(stack_dir)


@pytest.fixture(scope="session")
def plan(terraform: str, account: Account, stack: Synthesis) -> Plan:
    """`terraform plan -out`, then `terraform show -json`, before any apply."""
    planned = account.terraform(terraform, stack.stack_dir, "plan", "-out=tfplan")
    _succeeded(planned, "terraform plan")
    locks = account.locks()
    shown = account.terraform(terraform, stack.stack_dir, "show", "-json", "tfplan")
    _succeeded(shown, "terraform show -json")
    return Plan(json.loads(shown.stdout), locks)


@pytest.fixture
def foundation_state(account: Account) -> Iterator[None]:
    """Lets a test replace the foundation state; puts the seeded one back after."""
    yield
    seeded = account.foundation.outputs()
    emulator.put_foundation_state(account.endpoint, CONFIG, seeded)


def test_plan_creates_every_resource_and_deletes_nothing(
    plan: Plan, stack: Synthesis
) -> None:
    changes = plan.changes()
    assert set(changes) == _resources(stack)
    other = {
        address: change["change"]["actions"]
        for address, change in changes.items()
        if change["change"]["actions"] != ["create"]
    }
    assert not other, f"planned other than create: {other}"


def test_plan_takes_subnets_and_key_from_the_foundation(
    plan: Plan, account: Account
) -> None:
    cluster = plan.after("aws_eks_cluster.cluster")
    assert sorted(cluster["vpc_config"][0]["subnet_ids"]) == sorted(
        account.foundation.private_subnet_ids
    )
    encryption = cluster["encryption_config"][0]["provider"][0]
    assert encryption["key_arn"] == account.foundation.kms_key_arn


def test_plan_takes_the_storage_bucket_from_the_foundation(
    plan: Plan, account: Account
) -> None:
    policies = [
        change["change"]["after"]["policy"]
        for address, change in plan.changes().items()
        if change["type"] == "aws_iam_role_policy" and "storage_service" in address
    ]
    assert len(policies) == 1, "expected one inline policy for storage-service"
    named = {
        resource
        for statement in json.loads(policies[0])["Statement"]
        for resource in _as_list(statement.get("Resource", []))
    }
    bucket = account.foundation.s3_bucket_arn
    assert {
        bucket,
        f"{bucket}/*",
    } <= named, f"storage-service policy names {sorted(named)}"


def test_plan_releases_the_lock(plan: Plan) -> None:
    assert plan.locks_after == []


def test_missing_foundation_output_is_named(
    terraform: str, account: Account, stack: Synthesis, foundation_state: None
) -> None:
    outputs = account.foundation.outputs()
    del outputs["kms_key_arn"]
    emulator.put_foundation_state(account.endpoint, CONFIG, outputs)

    result = account.terraform(terraform, stack.stack_dir, "plan", "-refresh=false")

    assert result.returncode != 0, "plan passed without the foundation's kms_key_arn"
    message = _squash(result.stderr)
    unclear = f"the plan did not name the missing output:\n{result.stderr[-3000:]}"
    assert 'has no output "kms_key_arn"' in message, unclear
    assert f"Apply the {FOUNDATION} layer first." in message, unclear
    assert 'has no output "vpc_id"' not in message, "named an output that is there"
    assert account.locks() == []


def test_missing_foundation_state_stops_the_plan(
    terraform: str, account: Account, stack: Synthesis, foundation_state: None
) -> None:
    emulator.delete_foundation_state(account.endpoint, CONFIG)

    result = account.terraform(terraform, stack.stack_dir, "plan", "-refresh=false")

    # Terraform's own error: the data source fails before any precondition
    # runs, and `defaults` on terraform_remote_state does not change that.
    assert result.returncode != 0, "plan passed without a foundation state"
    message = _squash(result.stderr)
    assert "Error: Unable to find remote state" in message, result.stderr
    assert "with data.terraform_remote_state.foundation_state" in message, result.stderr
    assert (
        "No stored state was found for the given workspace in the given backend."
        in message
    ), result.stderr
    assert account.locks() == []


def test_cdktf_cli_synth_and_diff(
    terraform: str,
    account: Account,
    default_synthesis: Synthesis,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    env = emulator.clean_environment(account.endpoint)
    env["PIPENV_VENV_IN_PROJECT"] = "1"
    # The prod configuration, whatever the caller's shell names.
    env.pop("WEALIST_CONFIG", None)
    outdir = tmp_path / "cdktf.out"

    def cdktf(*args: str) -> tuple[subprocess.CompletedProcess, float]:
        started = time.monotonic()
        result = run_cdktf(*args, "--output", str(outdir), env=env)
        return result, time.monotonic() - started

    synth, synth_seconds = cdktf("synth")
    _succeeded(synth, "cdktf synth")
    stack_dir = outdir / "stacks" / CONFIG.stack_name
    synthesized = Synthesis(stack_dir)
    assert synthesized.addresses() == default_synthesis.addresses()

    # The stack was just synthesized and checked; diff plans that one.
    emulator.write_override(stack_dir, account.endpoint, CONFIG)
    diff, diff_seconds = cdktf(
        "diff", "--skip-synth", "--skip-provider-lock", "--no-color"
    )
    _succeeded(diff, "cdktf diff")
    request.node.user_properties += [
        ("cdktf_synth_seconds", round(synth_seconds, 1)),
        ("cdktf_diff_seconds", round(diff_seconds, 1)),
    ]

    counts = re.search(
        r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy", diff.stdout
    )
    assert counts, f"no plan summary in:\n{diff.stdout[-4000:]}"
    applied = _applied(account)
    assert int(counts[1]) == len(_resources(synthesized) - applied)
    assert counts[3] == "0"
    assert (stack_dir / emulator.OVERRIDE_FILE).exists()


def test_targeted_apply_writes_the_compute_state(
    terraform: str, account: Account, stack: Synthesis, plan: Plan
) -> None:
    targets, blocked = _appliable(plan)
    unexplained = {
        address: blockers
        for address, blockers in blocked.items()
        if address.split(".")[0] not in BLOCKED
    }
    assert not unexplained, f"not emulated only through a dependency: {unexplained}"
    assert "aws_eks_cluster.cluster" in targets

    applied = account.terraform(
        terraform,
        stack.stack_dir,
        "apply",
        "-auto-approve",
        *(f"-target={address}" for address in sorted(targets)),
    )
    _succeeded(applied, "targeted terraform apply")

    listing = account.client("s3").list_objects_v2(Bucket=CONFIG.state.bucket)
    keys = [entry["Key"] for entry in listing["Contents"]]
    assert sorted(keys) == sorted([CONFIG.foundation_state_key, CONFIG.state_key])
    assert _applied(account) == targets
    assert account.locks() == []

    eks = account.client("eks")
    cluster = eks.describe_cluster(name=CONFIG.cluster_name)["cluster"]
    assert sorted(cluster["resourcesVpcConfig"]["subnetIds"]) == sorted(
        account.foundation.private_subnet_ids
    )
    assert cluster["encryptionConfig"][0]["provider"]["keyArn"] == (
        account.foundation.kms_key_arn
    )


def _appliable(plan: Plan) -> tuple[set[str], dict[str, list[str]]]:
    """Resources moto can create with all their dependencies, and the others.

    The second value maps each emulated resource left out to the resources
    not emulated it depends on.
    """
    depends = _dependencies(plan)

    def closure(address: str) -> set[str]:
        seen: set[str] = set()
        pending = [address]
        while pending:
            current = pending.pop()
            if current not in seen:
                seen.add(current)
                pending.extend(depends.get(current, ()))
        return seen

    targets: set[str] = set()
    blocked: dict[str, list[str]] = {}
    for address in depends:
        if address.split(".")[0] in NOT_EMULATED:
            continue
        blockers = sorted(
            found for found in closure(address) if found.split(".")[0] in NOT_EMULATED
        )
        if blockers:
            blocked[address] = blockers
        else:
            targets.add(address)
    return targets, blocked


def _dependencies(plan: Plan) -> dict[str, set[str]]:
    """Each managed resource's references and depends_on, as addresses."""
    resources = plan.json["configuration"]["root_module"]["resources"]
    managed = {r["address"] for r in resources if r["mode"] == "managed"}
    found: dict[str, set[str]] = {}
    for resource in resources:
        if resource["mode"] != "managed":
            continue
        named = set(resource.get("depends_on", ())) | set(
            _references(resource.get("expressions", {}))
        )
        found[resource["address"]] = {
            ".".join(name.split(".")[:2])
            for name in named
            if ".".join(name.split(".")[:2]) in managed
        }
    return found


def _references(expressions: Any) -> Iterator[str]:
    if isinstance(expressions, dict):
        yield from expressions.get("references", ())
        for value in expressions.values():
            yield from _references(value)
    elif isinstance(expressions, list):
        for value in expressions:
            yield from _references(value)


def _applied(account: Account) -> set[str]:
    """Managed resources in the compute state object, if it exists."""
    s3 = account.client("s3")
    try:
        body = s3.get_object(Bucket=CONFIG.state.bucket, Key=CONFIG.state_key)["Body"]
    except s3.exceptions.NoSuchKey:
        return set()
    state = json.loads(body.read())
    return {
        f"{resource['type']}.{resource['name']}"
        for resource in state["resources"]
        if resource["mode"] == "managed"
    }


def _resources(synthesis: Synthesis) -> set[str]:
    return {
        address for address in synthesis.addresses() if not address.startswith("data.")
    }


def _succeeded(result: subprocess.CompletedProcess, what: str) -> None:
    assert result.returncode == 0, (
        f"{what} exited {result.returncode}:\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-4000:]}"
    )


def _squash(text: str) -> str:
    """Terraform wraps messages at 78 columns; compare on single spaces."""
    return " ".join(text.split())


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]
