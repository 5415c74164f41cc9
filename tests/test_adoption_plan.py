"""Adopting the HCL layer's state: `terraform plan` of our stack against it.

The state object the old layer leaves at prod/compute (a hand-written
fixture, tests/fixtures/hcl_layer_state.py) goes to the emulated S3 backend;
a copy of the synthesized stack, aimed at the emulator like the other
emulated tests but with the state in its own bucket, runs
`terraform plan -refresh=false -out` and `terraform show -json`. The moved and
removed blocks of wealist/adoption.py are what turns that plan into
"in-place" instead of "destroy and recreate"; this checks each action.

-refresh=false: moto cannot read back most of the old resources (EKS add-ons,
associations, access entries are not emulated), so the plan compares our
configuration with the state exactly as the fixture writes it.

Where another test module runs the emulator in the same process, moto's
backends are shared: this module then reuses the seeded foundation instead of
seeding again, and otherwise resets the emulator when done.
"""

import json
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests import emulator, terraform_setup
from tests.conftest import Synthesis, run_terraform
from tests.fixtures import hcl_layer_state as old
from wealist.adoption import DESTROYED, MOVED, REMOVED
from wealist.config import Config

pytestmark = pytest.mark.terraform

CONFIG = Config()
# Not the product's state bucket, so another module's apply cannot collide.
ADOPTION_BUCKET = "wealist-adoption-state"

# Resources only our layer has, so the plan creates them.
EXPECTED_CREATES = {
    "aws_kms_key.cluster_log_key": (
        "new: the control-plane log group is encrypted with its own key"
    ),
    "aws_iam_role.pod_identity_ebs_csi_driver_role": (
        "new: the EBS CSI driver uses Pod Identity instead of the IRSA role"
    ),
    "aws_iam_role_policy_attachment.pod_identity_ebs_csi_driver_AmazonEBSCSIDriverPolicy": (
        "new: the AWS managed EBS CSI policy on that role"
    ),
    "aws_eks_pod_identity_association.pod_identity_ebs_csi_driver_association": (
        "new: binds kube-system/ebs-csi-controller-sa to that role"
    ),
    "aws_security_group_rule.security_group_node_ingress_cluster_istiod_webhook": (
        "new: control plane to istiod webhooks, 15017/tcp"
    ),
    "aws_security_group_rule.security_group_node_ingress_self_istio_hbone": (
        "new: node-to-node Istio HBONE (the old rules named the cluster SG)"
    ),
    "aws_security_group_rule.security_group_node_ingress_self_istio_redirect": (
        "new: node-to-node Istio redirect (the old rules named the cluster SG)"
    ),
    "aws_security_group_rule.security_group_node_ingress_self_istio_telemetry": (
        "new: node-to-node Istio metrics (the old rules named the cluster SG)"
    ),
    "aws_security_group_rule.security_group_node_ingress_self_istiod_xds": (
        "new: node-to-node Istio XDS (the old rules named the cluster SG)"
    ),
}

# Adopted resources the plan updates in place: each changed attribute, and why.
_TAGS = {
    "tags": "the module's tags (Project, Environment, Name...) leave; default_tags carry them",
    "tags_all": "default tag ManagedBy terraform -> cdktf, module tags gone",
}
_ADDON = {
    "timeouts": "the module wrote an empty timeouts block; none now, no API call",
    **_TAGS,
}
_POD_ROLE = {
    "assume_role_policy": "trust limited to the binding's cluster, namespace and "
    "service account by the agent's session tags",
    "description": "roles now say which workload and service account they serve",
    "tags": "Name, ClusterName, Namespace, ServiceAccount tags of the old module dropped",
    "tags_all": _TAGS["tags_all"],
}
_POLICY = {"policy": "Pod Identity policies now derived from the upstream ones"}
_RULE = {"description": "rule description reworded (in place, not ForceNew)"}
_WORKLOADS = (
    "alb_controller",
    "cert_manager",
    "cluster_autoscaler",
    "external_dns",
    "external_secrets",
    "storage_service",
)
EXPECTED_UPDATES: dict[str, dict[str, str]] = {
    "aws_cloudwatch_log_group.cluster_logs": {
        "retention_in_days": "90 (module default) -> 365 days",
        "kms_key_id": "encrypted with the new aws_kms_key.cluster_log_key",
        **_TAGS,
    },
    "aws_eks_access_entry.cluster_creator_access": _TAGS,
    "aws_eks_addon.addon_aws_ebs_csi_driver": {
        "addon_version": "v1.54.0-eksbuild.1 -> v1.63.1-eksbuild.1",
        "service_account_role_arn": "IRSA role removed: the driver uses Pod Identity",
        **_ADDON,
    },
    "aws_eks_addon.addon_coredns": {
        "addon_version": "v1.12.4-eksbuild.1 -> v1.13.2-eksbuild.11",
        **_ADDON,
    },
    "aws_eks_addon.addon_eks_pod_identity_agent": _ADDON,
    "aws_eks_addon.addon_kube_proxy": {
        "addon_version": "v1.34.1-eksbuild.2 -> v1.34.6-eksbuild.13",
        **_ADDON,
    },
    "aws_eks_addon.addon_vpc_cni": {
        "addon_version": "v1.21.1-eksbuild.1 -> v1.21.1-eksbuild.7",
        **_ADDON,
    },
    "aws_eks_cluster.cluster": {
        "timeouts": _ADDON["timeouts"],
        "tags": "the module's terraform-aws-modules = eks tag gone",
        "tags_all": _TAGS["tags_all"],
    },
    "aws_eks_node_group.node_group": {
        "launch_template": "version follows the template's new version: nodes roll",
        "node_repair_config": "node auto repair turned on",
        "timeouts": _ADDON["timeouts"],
        "tags": "Name and module tags gone; the autoscaler tags stay",
        "tags_all": _TAGS["tags_all"],
    },
    **{
        f"aws_eks_pod_identity_association.pod_identity_{name}_association": _TAGS
        for name in _WORKLOADS
    },
    "aws_iam_openid_connect_provider.cluster_oidc_provider": {
        "tags": "Name wealist-prod-eks-eks-irsa -> wealist-prod-eks-irsa",
        "tags_all": _TAGS["tags_all"],
    },
    "aws_iam_policy.cluster_encryption_policy": {
        "policy": "statement gains Sid SecretsEncryption (new policy version)",
        **_TAGS,
    },
    "aws_iam_role.cluster_role": {
        "assume_role_policy": "trust statement loses Sid EKSClusterAssumeRole",
        "description": "description added",
        "force_detach_policies": "the module set true; provider default false now",
        **_TAGS,
    },
    "aws_iam_role.node_group_role": {
        "assume_role_policy": "trust statement loses Sid EKSNodeAssumeRole",
        "force_detach_policies": "the module set true; provider default false now",
        "tags": "the autoscaler tags no longer on the role",
        "tags_all": _TAGS["tags_all"],
    },
    **{f"aws_iam_role.pod_identity_{name}_role": _POD_ROLE for name in _WORKLOADS},
    **{
        f"aws_iam_role_policy.pod_identity_{name}_policy": _POLICY
        for name in _WORKLOADS
    },
    "aws_launch_template.node_group_launch_template": {
        "block_device_mappings": "50 GiB gp3 encrypted root volume (disk_size never applied)",
        "metadata_options": "IMDS hop limit 2 -> 1",
        "monitoring": "detailed CloudWatch monitoring (module default on) dropped",
        "tag_specifications": "instance/volume/ENI tags: ManagedBy, Layer in; autoscaler tags out",
        "default_version": "a new template version becomes the default",
        "latest_version": "a new template version",
        "tags": "module tags gone",
        "tags_all": _TAGS["tags_all"],
    },
    "aws_security_group.security_group_cluster": _TAGS,
    "aws_security_group.security_group_node": _TAGS,
    **{
        f"aws_security_group_rule.security_group_{name}": _RULE
        for name in (
            "cluster_ingress_nodes_443",
            "node_egress_all",
            "node_ingress_cluster_443",
            "node_ingress_cluster_4443_webhook",
            "node_ingress_cluster_9443_webhook",
            "node_ingress_nodes_ephemeral",
            "node_ingress_self_coredns_tcp",
            "node_ingress_self_coredns_udp",
        )
    },
}


@dataclass
class Adoption:
    """What the fixture ran, read back."""

    state: dict
    plan: dict
    schema: dict

    def changes(self) -> dict[str, dict]:
        """Managed resource changes by address."""
        return {
            change["address"]: change
            for change in self.plan["resource_changes"]
            if change["mode"] == "managed"
        }

    def with_action(self, action: str) -> dict[str, dict]:
        return {
            address: change
            for address, change in self.changes().items()
            if action in change["change"]["actions"]
        }


@pytest.fixture(scope="module")
def adoption(
    terraform: str,
    default_synthesis: Synthesis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Adoption]:
    """Seed, load the old state, init, plan, show; the emulator stops after."""
    if terraform_setup.find_provider_mirror() is None:
        pytest.skip("no local provider mirror of hashicorp/aws (never downloaded)")
    with emulator.moto_server() as endpoint:
        foundation, seeded = _foundation(endpoint)
        try:
            stack_dir = tmp_path_factory.mktemp("adoption") / CONFIG.stack_name
            shutil.copytree(
                default_synthesis.stack_dir,
                stack_dir,
                ignore=shutil.ignore_patterns(".terraform*", "tfplan"),
            )
            settings = emulator.override(endpoint, CONFIG)
            settings["terraform"]["backend"]["s3"]["bucket"] = ADOPTION_BUCKET
            (stack_dir / emulator.OVERRIDE_FILE).write_text(
                json.dumps(settings, indent=2)
            )

            caller = emulator.client(
                "sts", endpoint, CONFIG.region
            ).get_caller_identity()
            state = old.hcl_layer_state(
                account_id=caller["Account"],
                creator_arn=caller["Arn"],
                vpc_id=foundation.vpc_id,
                private_subnet_ids=foundation.private_subnet_ids,
                kms_key_arn=foundation.kms_key_arn,
                s3_bucket_arn=foundation.s3_bucket_arn,
                foundation_state_bucket=CONFIG.state.bucket,
                foundation_state_key=CONFIG.foundation_state_key,
            )
            _put_state(endpoint, state)

            def run(what: str, *args: str) -> subprocess.CompletedProcess:
                if args[0] == "providers":
                    # A subcommand: no -no-color between its words.
                    result = run_terraform(
                        terraform,
                        stack_dir,
                        *args,
                        env=emulator.clean_environment(endpoint),
                    )
                else:
                    result = emulator.run_terraform(
                        terraform, stack_dir, *args, endpoint=endpoint
                    )
                assert result.returncode == 0, (
                    f"terraform {what} exited {result.returncode}:\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
                )
                return result

            run("init", "init")
            run("plan", "plan", "-refresh=false", "-out=tfplan")
            shown = run("show", "show", "-json", "tfplan")
            schema = run("schema", "providers", "schema", "-json")
            yield Adoption(
                state=state,
                plan=json.loads(shown.stdout),
                schema=json.loads(schema.stdout),
            )
        finally:
            if seeded:
                _reset(endpoint)


def _foundation(endpoint: str) -> tuple[emulator.Foundation, bool]:
    """The seeded foundation, seeding it unless this process already has.

    moto keeps one set of backends per process, so a server another module
    started and seeded is visible here: its foundation is read back from the
    foundation state object. True when this call seeded.
    """
    s3 = emulator.client("s3", endpoint, CONFIG.state.region)
    try:
        body = s3.get_object(
            Bucket=CONFIG.state.bucket, Key=CONFIG.foundation_state_key
        )
    except (s3.exceptions.NoSuchBucket, s3.exceptions.NoSuchKey):
        foundation, seeded = emulator.seed_account(endpoint, CONFIG), True
    else:
        outputs = {
            name: output["value"]
            for name, output in json.loads(body["Body"].read())["outputs"].items()
        }
        outputs["private_subnet_ids"] = tuple(outputs["private_subnet_ids"])
        foundation, seeded = emulator.Foundation(**outputs), False
    try:
        s3.create_bucket(
            Bucket=ADOPTION_BUCKET,
            CreateBucketConfiguration={"LocationConstraint": CONFIG.state.region},
        )
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    return foundation, seeded


def _put_state(endpoint: str, state: dict) -> None:
    emulator.client("s3", endpoint, CONFIG.state.region).put_object(
        Bucket=ADOPTION_BUCKET,
        Key=CONFIG.state_key,
        Body=json.dumps(state, indent=2).encode(),
        ContentType="application/json",
    )


def _reset(endpoint: str) -> None:
    """Empty every moto backend, so a later module seeds a fresh account."""
    assert endpoint.startswith(f"http://{emulator.HOST}:")
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def _changed_attributes(change: dict) -> set[str]:
    """Top-level attributes whose value differs or is unknown until apply."""
    before = change["before"] or {}
    after = change["after"] or {}
    unknown = change.get("after_unknown") or {}
    return {
        name
        for name in set(before) | set(after) | set(unknown)
        if _has_unknown(unknown.get(name)) or before.get(name) != after.get(name)
    }


def _has_unknown(value: Any) -> bool:
    if value is True:
        return True
    if isinstance(value, dict):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return False


def _under(address: str, modules: tuple[str, ...]) -> bool:
    return address.startswith(tuple(f"{module}." for module in modules))


def test_fixture_schema_versions_match_the_provider(adoption: Adoption) -> None:
    schemas = adoption.schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    for resource in adoption.state["resources"]:
        if resource["provider"] != old.AWS:
            continue
        kind = (
            "resource_schemas"
            if resource["mode"] == "managed"
            else "data_source_schemas"
        )
        expected = schemas[kind][resource["type"]]["version"]
        for instance in resource["instances"]:
            assert (
                instance["schema_version"] == expected
            ), f"{resource['type']}: fixture {instance['schema_version']}, provider {expected}"


def test_every_adopted_resource_moves_without_replacement(adoption: Adoption) -> None:
    changes = adoption.changes()
    wrong = {}
    for previous, address in MOVED.items():
        change = changes.get(address)
        if change is None:
            wrong[address] = "not in the plan"
        elif change.get("previous_address") != previous:
            wrong[address] = f"previous_address {change.get('previous_address')!r}"
        elif change["change"]["actions"] not in (["no-op"], ["update"]):
            wrong[address] = change["change"]["actions"]
    assert not wrong, f"adopted resources planned wrong: {wrong}"


def test_only_the_load_balancer_policy_attachment_is_deleted(
    adoption: Adoption,
) -> None:
    deleted = adoption.with_action("delete")
    assert set(deleted) == set(DESTROYED)
    for address in DESTROYED:
        assert deleted[address]["change"]["actions"] == ["delete"]


def test_the_rest_of_the_old_modules_is_forgotten(adoption: Adoption) -> None:
    old_addresses = old.managed_addresses(adoption.state)
    leftovers = {
        address for address in old_addresses - set(MOVED) if _under(address, REMOVED)
    }
    forgotten = adoption.with_action("forget")
    assert set(forgotten) == leftovers
    assert all(
        change["change"]["actions"] == ["forget"] for change in forgotten.values()
    )
    # Every old instance is moved, forgotten or the one deliberate delete.
    assert old_addresses == set(MOVED) | leftovers | set(DESTROYED)


def test_creates_only_what_the_old_layer_lacked(adoption: Adoption) -> None:
    created = adoption.with_action("create")
    assert set(created) == set(EXPECTED_CREATES)
    assert all(change["change"]["actions"] == ["create"] for change in created.values())


def test_in_place_updates_are_the_expected_ones(adoption: Adoption) -> None:
    updated = {
        address: sorted(_changed_attributes(change["change"]))
        for address, change in adoption.with_action("update").items()
    }
    expected = {address: sorted(names) for address, names in EXPECTED_UPDATES.items()}
    assert set(updated) == set(expected), (
        f"updated but not expected: {sorted(set(updated) - set(expected))}; "
        f"expected but not updated: {sorted(set(expected) - set(updated))}"
    )
    wrong = {
        address: {"planned": names, "expected": expected[address]}
        for address, names in updated.items()
        if names != expected[address]
    }
    assert not wrong, f"changed attributes differ from the table: {wrong}"
