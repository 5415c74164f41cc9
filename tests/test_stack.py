"""The default stack describes every table of the spec, value by value."""

import json

import pytest

from tests.conftest import ADMIN_ROLE
from wealist import cdk

CLUSTER = "cluster"
NODE_GROUP = "node_group"


def _without_metadata(resource: dict) -> dict:
    return {key: value for key, value in resource.items() if key != "//"}


def test_backend_is_the_layers_state_object(default_synthesis):
    backend = default_synthesis.json["terraform"]["backend"]
    assert backend == {
        "s3": {
            "bucket": "wealist-tf-state-advanced-k8s",
            "key": "prod/compute/terraform.tfstate",
            "region": "ap-northeast-2",
            "encrypt": True,
            "dynamodb_table": "terraform-lock",
        }
    }


def test_terraform_new_enough_for_removed_blocks(default_synthesis):
    assert default_synthesis.json["terraform"]["required_version"] == ">= 1.7"


def test_foundation_is_read_from_its_state(default_synthesis):
    assert cdk.Testing.to_have_data_source_with_properties(
        default_synthesis.text,
        "terraform_remote_state",
        {
            "backend": "s3",
            "config": {
                "bucket": "wealist-tf-state-advanced-k8s",
                "key": "prod/foundation/terraform.tfstate",
                "region": "ap-northeast-2",
            },
        },
    )


def test_provider_region_and_default_tags(default_synthesis):
    (provider,) = default_synthesis.json["provider"]["aws"]
    assert provider["region"] == "ap-northeast-2"
    assert provider["default_tags"] == [
        {
            "tags": {
                "Project": "wealist",
                "Environment": "prod",
                "Layer": "compute",
                "ManagedBy": "cdktf",
            }
        }
    ]


def test_cluster_table(default_synthesis):
    cluster = default_synthesis.resource("aws_eks_cluster", CLUSTER)
    foundation = "data.terraform_remote_state.foundation_state.outputs"
    assert cluster["name"] == "wealist-prod-eks"
    assert cluster["version"] == "1.34"
    assert cluster["vpc_config"]["endpoint_public_access"] is True
    assert cluster["vpc_config"]["endpoint_private_access"] is True
    assert cluster["vpc_config"]["public_access_cidrs"] == ["0.0.0.0/0"]
    assert cluster["vpc_config"]["subnet_ids"] == (
        f"${{try({foundation}.private_subnet_ids, null)}}"
    )
    assert cluster["encryption_config"] == {
        "provider": {"key_arn": f"${{try({foundation}.kms_key_arn, null)}}"},
        "resources": ["secrets"],
    }
    assert cluster["enabled_cluster_log_types"] == [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    ]


def test_cluster_creator_is_admin(default_synthesis):
    entry = default_synthesis.resource("aws_eks_access_entry", "cluster_creator_access")
    association = default_synthesis.resource(
        "aws_eks_access_policy_association", "cluster_creator_admin"
    )
    assert entry["principal_arn"] == (
        "${data.aws_iam_session_context.cluster_creator.issuer_arn}"
    )
    assert association["policy_arn"].endswith(
        ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    )
    assert association["access_scope"] == {"type": "cluster"}


def test_the_creator_keeps_admin_when_others_apply(default_synthesis):
    entry = default_synthesis.resource("aws_eks_access_entry", "cluster_creator_access")
    association = default_synthesis.resource(
        "aws_eks_access_policy_association", "cluster_creator_admin"
    )
    assert entry["lifecycle"] == {"ignore_changes": ["principal_arn"]}
    assert association["lifecycle"] == {"ignore_changes": ["principal_arn"]}


def test_a_pinned_admin_replaces_the_caller(customized_synthesis):
    entry = customized_synthesis.resource(
        "aws_eks_access_entry", "cluster_creator_access"
    )
    assert entry["principal_arn"] == ADMIN_ROLE
    assert "lifecycle" not in entry, "a pinned principal must follow the setting"
    assert "aws_iam_session_context" not in customized_synthesis.json["data"]
    cluster = customized_synthesis.resource("aws_eks_cluster", CLUSTER)
    assert cluster["vpc_config"]["public_access_cidrs"] == ["203.0.113.0/24"]


def test_oidc_provider_follows_the_cluster_issuer(default_synthesis):
    provider = default_synthesis.resource(
        "aws_iam_openid_connect_provider", "cluster_oidc_provider"
    )
    assert provider["url"] == "${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}"
    assert provider["client_id_list"] == ["sts.amazonaws.com"]


def test_node_group_table(default_synthesis):
    group = default_synthesis.resource("aws_eks_node_group", NODE_GROUP)
    assert group["instance_types"] == [
        "t3.medium",
        "t3a.medium",
        "t3.large",
        "t3a.large",
    ]
    assert group["capacity_type"] == "SPOT"
    assert group["scaling_config"] == {"min_size": 2, "desired_size": 3, "max_size": 6}
    assert group["labels"] == {
        "node.kubernetes.io/capacity-type": "spot",
        "workload-type": "general",
    }
    assert group["tags"] == {
        "k8s.io/cluster-autoscaler/enabled": "true",
        "k8s.io/cluster-autoscaler/wealist-prod-eks": "owned",
    }
    assert group["ami_type"] == "AL2023_x86_64_STANDARD"


def test_nodes_carry_the_security_group_with_the_istio_rules(default_synthesis):
    group = default_synthesis.resource("aws_eks_node_group", NODE_GROUP)
    template = default_synthesis.resource(
        "aws_launch_template", "node_group_launch_template"
    )
    assert group["launch_template"]["id"] == (
        "${aws_launch_template.node_group_launch_template.id}"
    )
    assert template["vpc_security_group_ids"] == [
        "${aws_security_group.security_group_node.id}"
    ]
    hbone = default_synthesis.resource(
        "aws_security_group_rule", "security_group_node_ingress_self_istio_hbone"
    )
    assert hbone["security_group_id"] == "${aws_security_group.security_group_node.id}"


def test_disk_size_is_set_once_in_the_launch_template(default_synthesis):
    group = default_synthesis.resource("aws_eks_node_group", NODE_GROUP)
    template = default_synthesis.resource(
        "aws_launch_template", "node_group_launch_template"
    )
    assert "disk_size" not in group
    (root_volume,) = template["block_device_mappings"]
    assert root_volume["ebs"]["volume_size"] == 50
    assert root_volume["ebs"]["volume_type"] == "gp3"
    assert root_volume["ebs"]["encrypted"] == "true"


def test_launch_template_requires_imdsv2(default_synthesis):
    template = default_synthesis.resource(
        "aws_launch_template", "node_group_launch_template"
    )
    assert template["metadata_options"]["http_tokens"] == "required"
    assert template["metadata_options"]["http_put_response_hop_limit"] == 1


ISTIO_TABLE = [
    # (port range, protocol) rows of the spec, each must be open node to node.
    ((15008, 15008), "tcp"),
    ((15001, 15006), "tcp"),
    ((15012, 15012), "tcp"),
    ((15020, 15021), "tcp"),
    ((53, 53), "tcp"),
    ((53, 53), "udp"),
]


@pytest.mark.parametrize(("ports", "protocol"), ISTIO_TABLE)
def test_istio_ambient_rule(default_synthesis, ports, protocol):
    rules = default_synthesis.resources("aws_security_group_rule")
    matching = [
        name
        for name, rule in rules.items()
        if rule["type"] == "ingress"
        and (rule["from_port"], rule["to_port"]) == ports
        and rule["protocol"] == protocol
        and rule.get("self") is True
        and rule["security_group_id"] == "${aws_security_group.security_group_node.id}"
    ]
    assert len(matching) == 1, f"expected one node-to-node rule for {ports}/{protocol}"


def test_istiod_webhook_is_reachable_from_the_control_plane(default_synthesis):
    rule = default_synthesis.resource(
        "aws_security_group_rule", "security_group_node_ingress_cluster_istiod_webhook"
    )
    assert (rule["from_port"], rule["to_port"], rule["protocol"]) == (
        15017,
        15017,
        "tcp",
    )
    assert rule["source_security_group_id"] == (
        "${aws_security_group.security_group_cluster.id}"
    )


def test_every_rule_has_ports_and_a_description(default_synthesis):
    for name, rule in default_synthesis.resources("aws_security_group_rule").items():
        assert rule.get("description"), f"{name} has no description"
        assert isinstance(rule["from_port"], int), f"{name} has no from_port"
        assert isinstance(rule["to_port"], int), f"{name} has no to_port"


ADDON_VERSIONS_134 = {
    "vpc-cni": "v1.21.1-eksbuild.7",
    "kube-proxy": "v1.34.6-eksbuild.13",
    "coredns": "v1.13.2-eksbuild.11",
    "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
}


@pytest.mark.parametrize(("name", "version"), ADDON_VERSIONS_134.items())
def test_addon_pinned_with_overwrite(default_synthesis, name, version):
    addon = default_synthesis.resource(
        "aws_eks_addon", f"addon_{name.replace('-', '_')}"
    )
    assert addon["addon_name"] == name
    assert addon["addon_version"] == version
    assert addon["resolve_conflicts_on_create"] == "OVERWRITE"
    assert addon["resolve_conflicts_on_update"] == "OVERWRITE"


def test_vpc_cni_configuration(default_synthesis):
    addon = default_synthesis.resource("aws_eks_addon", "addon_vpc_cni")
    configuration = json.loads(addon["configuration_values"])
    assert configuration == {
        "env": {
            "POD_SECURITY_GROUP_ENFORCING_MODE": "standard",
            "ENABLE_PREFIX_DELEGATION": "true",
            "WARM_PREFIX_TARGET": "1",
        }
    }
    assert all(isinstance(value, str) for value in configuration["env"].values())


def test_addon_order_works_on_a_fresh_account(default_synthesis):
    group = default_synthesis.resource("aws_eks_node_group", NODE_GROUP)
    assert "aws_eks_addon.addon_vpc_cni" in group["depends_on"]
    for name in ("addon_coredns", "addon_aws_ebs_csi_driver"):
        addon = default_synthesis.resource("aws_eks_addon", name)
        assert "aws_eks_node_group.node_group" in addon["depends_on"], name
    ebs = default_synthesis.resource("aws_eks_addon", "addon_aws_ebs_csi_driver")
    assert (
        "aws_eks_pod_identity_association.pod_identity_ebs_csi_driver_association"
        in ebs["depends_on"]
    )
    vpc_cni = default_synthesis.resource("aws_eks_addon", "addon_vpc_cni")
    assert "depends_on" not in vpc_cni, "vpc-cni must not wait for anything: a cycle"


POD_IDENTITY_TABLE = [
    ("alb_controller", "kube-system", "aws-load-balancer-controller"),
    ("external_secrets", "external-secrets", "external-secrets"),
    ("external_dns", "external-dns", "external-dns"),
    ("cert_manager", "cert-manager", "cert-manager"),
    ("storage_service", "wealist-prod", "storage-service"),
    ("cluster_autoscaler", "kube-system", "cluster-autoscaler"),
    ("ebs_csi_driver", "kube-system", "ebs-csi-controller-sa"),
]


@pytest.mark.parametrize(
    ("workload", "namespace", "service_account"), POD_IDENTITY_TABLE
)
def test_pod_identity_binding(default_synthesis, workload, namespace, service_account):
    association = default_synthesis.resource(
        "aws_eks_pod_identity_association", f"pod_identity_{workload}_association"
    )
    role = default_synthesis.resource("aws_iam_role", f"pod_identity_{workload}_role")
    assert association["namespace"] == namespace
    assert association["service_account"] == service_account
    assert (
        association["role_arn"] == f"${{aws_iam_role.pod_identity_{workload}_role.arn}}"
    )
    assert role["path"] == "/pod-identity/"
    assert role["name"] == f"wealist-prod-{workload.replace('_', '-')}-pod-identity"


@pytest.mark.parametrize(
    ("workload", "namespace", "service_account"), POD_IDENTITY_TABLE
)
def test_pod_identity_trust_is_exactly_the_agent_for_one_binding(
    default_synthesis, workload, namespace, service_account
):
    role = default_synthesis.resource("aws_iam_role", f"pod_identity_{workload}_role")
    trust = json.loads(role["assume_role_policy"])
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:RequestTag/eks-cluster-name": "wealist-prod-eks",
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": service_account,
                }
            },
        }
    ]


def test_every_pod_identity_role_is_in_the_table(default_synthesis):
    roles = [
        name
        for name in default_synthesis.resources("aws_iam_role")
        if name.startswith("pod_identity_")
    ]
    assert len(roles) == len(POD_IDENTITY_TABLE)


def test_ebs_csi_driver_has_the_managed_policy(default_synthesis):
    attachment = default_synthesis.resource(
        "aws_iam_role_policy_attachment",
        "pod_identity_ebs_csi_driver_AmazonEBSCSIDriverPolicy",
    )
    assert attachment["policy_arn"] == (
        "arn:${data.aws_partition.partition.partition}:iam::aws:policy/"
        "service-role/AmazonEBSCSIDriverPolicy"
    )
    assert attachment["role"] == "${aws_iam_role.pod_identity_ebs_csi_driver_role.name}"


def test_storage_policy_is_scoped_to_the_foundation_bucket(default_synthesis):
    policy = json.loads(
        default_synthesis.resource(
            "aws_iam_role_policy", "pod_identity_storage_service_policy"
        )["policy"]
    )
    bucket = "${try(data.terraform_remote_state.foundation_state.outputs.s3_bucket_arn, null)}"
    for statement in policy["Statement"]:
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        resources = statement["Resource"]
        resources = [resources] if isinstance(resources, str) else resources
        if "s3:ListBucket" in actions:
            assert resources == [bucket]
        if "s3:GetObject" in actions:
            assert resources == [f"{bucket}/*"]


def test_outputs(default_synthesis):
    outputs = default_synthesis.json["output"]
    assert outputs["configure_kubectl"]["value"] == (
        "aws eks update-kubeconfig --name wealist-prod-eks --region ap-northeast-2"
    )
    assert outputs["cluster_name"]["value"] == "${aws_eks_cluster.cluster.name}"
    assert outputs["cluster_endpoint"]["value"] == "${aws_eks_cluster.cluster.endpoint}"
    assert outputs["oidc_provider_arn"]["value"] == (
        "${aws_iam_openid_connect_provider.cluster_oidc_provider.arn}"
    )
    assert outputs["cluster_certificate_authority_data"]["sensitive"] is True


def test_missing_foundation_outputs_are_named(default_synthesis):
    remote_state = default_synthesis.json["data"]["terraform_remote_state"][
        "foundation_state"
    ]
    checks = remote_state["lifecycle"]["postcondition"]
    for name in ("vpc_id", "private_subnet_ids", "kms_key_arn", "s3_bucket_arn"):
        (check,) = [
            c for c in checks if c["condition"] == f"${{can(self.outputs.{name})}}"
        ]
        assert f'no output "{name}"' in check["error_message"]
        assert "Apply the prod/foundation layer first" in check["error_message"]


def test_testing_matchers_see_the_node_group(default_synthesis):
    assert cdk.Testing.to_have_resource_with_properties(
        default_synthesis.text,
        "aws_eks_node_group",
        {
            "capacity_type": "SPOT",
            "instance_types": ["t3.medium", "t3a.medium", "t3.large", "t3a.large"],
        },
    )
    assert not cdk.Testing.to_have_resource_with_properties(
        default_synthesis.text, "aws_eks_node_group", {"capacity_type": "ON_DEMAND"}
    )
