"""Adopting the state of the HCL layer this app replaces.

The HCL layer (terraform-aws-modules/eks v20.37, a local pod-identity module
and an IRSA role for the EBS CSI driver) kept its state at the same key. Its
resources carry other addresses; `moved` blocks map each one we keep to ours,
so the first plan updates in place instead of destroying and recreating.
A moved block whose source is absent does nothing, so fresh deployments need
no switch.

Resources ours has no counterpart for are dropped from state with `removed`
blocks that keep the real object (destroy = false): the first apply deletes
nothing that the old layer made but one policy attachment (DESTROYED), and
the README lists what to clean up by hand.
"""

# removed blocks need Terraform 1.7, as do the foundation postconditions.
REQUIRED_TERRAFORM = ">= 1.7"

_EKS = "module.eks"
_NODE_GROUP = 'module.eks.module.eks_managed_node_group["spot"]'
_ADDONS = (
    "vpc-cni",
    "coredns",
    "kube-proxy",
    "aws-ebs-csi-driver",
    "eks-pod-identity-agent",
)
_MODULE_NODE_RULES = (
    "ingress_cluster_443",
    "ingress_cluster_kubelet",
    "ingress_self_coredns_tcp",
    "ingress_self_coredns_udp",
    "ingress_nodes_ephemeral",
    "ingress_cluster_4443_webhook",
    "ingress_cluster_6443_webhook",
    "ingress_cluster_8443_webhook",
    "ingress_cluster_9443_webhook",
    "egress_all",
)
# Old pod-identity module name -> (our workload address, old inline policy key).
_POD_IDENTITY = {
    "alb_controller": ("alb_controller", "alb-controller"),
    "external_secrets": ("external_secrets", "secrets-access"),
    "external_dns": ("external_dns", "route53-access"),
    "cert_manager": ("cert_manager", "route53-dns01"),
    "storage_service": ("storage_service", "s3-access"),
    "cluster_autoscaler": ("cluster_autoscaler", "autoscaler"),
}


def _moves() -> dict[str, str]:
    """Old address -> our address, for every resource both layers have."""
    moves = {
        f"{_EKS}.aws_eks_cluster.this[0]": "aws_eks_cluster.cluster",
        f"{_EKS}.aws_iam_role.this[0]": "aws_iam_role.cluster_role",
        f'{_EKS}.aws_iam_role_policy_attachment.this["AmazonEKSClusterPolicy"]': "aws_iam_role_policy_attachment.cluster_role_cluster_policy",
        f'{_EKS}.aws_iam_role_policy_attachment.this["AmazonEKSVPCResourceController"]': "aws_iam_role_policy_attachment.cluster_role_vpc_resource_controller",
        f"{_EKS}.aws_iam_policy.cluster_encryption[0]": "aws_iam_policy.cluster_encryption_policy",
        f"{_EKS}.aws_iam_role_policy_attachment.cluster_encryption[0]": "aws_iam_role_policy_attachment.cluster_role_encryption_policy",
        f"{_EKS}.aws_cloudwatch_log_group.this[0]": "aws_cloudwatch_log_group.cluster_logs",
        f'{_EKS}.aws_eks_access_entry.this["cluster_creator"]': "aws_eks_access_entry.cluster_creator_access",
        f'{_EKS}.aws_eks_access_policy_association.this["cluster_creator_admin"]': "aws_eks_access_policy_association.cluster_creator_admin",
        f"{_EKS}.aws_iam_openid_connect_provider.oidc_provider[0]": "aws_iam_openid_connect_provider.cluster_oidc_provider",
        f"{_EKS}.aws_security_group.cluster[0]": "aws_security_group.security_group_cluster",
        f'{_EKS}.aws_security_group_rule.cluster["ingress_nodes_443"]': "aws_security_group_rule.security_group_cluster_ingress_nodes_443",
        f"{_EKS}.aws_security_group.node[0]": "aws_security_group.security_group_node",
        f"{_NODE_GROUP}.aws_launch_template.this[0]": "aws_launch_template.node_group_launch_template",
        f"{_NODE_GROUP}.aws_eks_node_group.this[0]": "aws_eks_node_group.node_group",
        f"{_NODE_GROUP}.aws_iam_role.this[0]": "aws_iam_role.node_group_role",
        f'{_NODE_GROUP}.aws_iam_role_policy_attachment.this["AmazonEKSWorkerNodePolicy"]': "aws_iam_role_policy_attachment.node_group_role_worker_node_policy",
        f'{_NODE_GROUP}.aws_iam_role_policy_attachment.this["AmazonEKS_CNI_Policy"]': "aws_iam_role_policy_attachment.node_group_role_cni_policy",
        f'{_NODE_GROUP}.aws_iam_role_policy_attachment.this["AmazonEC2ContainerRegistryReadOnly"]': "aws_iam_role_policy_attachment.node_group_role_registry_read_only",
    }
    for key in _MODULE_NODE_RULES:
        moves[f'{_EKS}.aws_security_group_rule.node["{key}"]'] = (
            f"aws_security_group_rule.security_group_node_{key}"
        )
    for addon in _ADDONS:
        moves[f'{_EKS}.aws_eks_addon.this["{addon}"]'] = (
            f"aws_eks_addon.addon_{addon.replace('-', '_')}"
        )
    for module, (workload, policy_key) in _POD_IDENTITY.items():
        old = f"module.pod_identity_{module}"
        new = f"pod_identity_{workload}"
        moves[f"{old}.aws_iam_role.this"] = f"aws_iam_role.{new}_role"
        moves[f'{old}.aws_iam_role_policy.inline["{policy_key}"]'] = (
            f"aws_iam_role_policy.{new}_policy"
        )
        moves[f"{old}.aws_eks_pod_identity_association.this"] = (
            f"aws_eks_pod_identity_association.{new}_association"
        )
    return moves


MOVED: dict[str, str] = _moves()

# Forgotten by Terraform, kept in AWS. A removed block takes whole modules or
# resources, not single instances, so after the moves above these catch what
# is left of each old module; the README says what to delete by hand.
REMOVED: tuple[str, ...] = (
    # Istio rules from the cluster security group (ours are node to node),
    # the tags on the primary security group, the Auto Mode policy.
    _EKS,
    # The EBS CSI driver's IRSA role: the add-on uses Pod Identity now.
    "module.ebs_csi_irsa",
    # Four workloads of the HCL layer that the spec does not list.
    "module.pod_identity_board_service",
    "module.pod_identity_user_service",
    "module.pod_identity_chat_service",
    "module.pod_identity_video_service",
)

# Left out of both lists, so the first apply deletes it: the managed
# ElasticLoadBalancingFullAccess on the controller's role, which its
# upstream policy replaces.
DESTROYED = (
    "module.pod_identity_alb_controller.aws_iam_role_policy_attachment.managed[0]",
)


def adoption_blocks(addresses: set[str]) -> tuple[list[dict], list[dict]]:
    """The moved blocks whose target exists in the stack, and the removed blocks."""
    moved = [{"from": old, "to": new} for old, new in MOVED.items() if new in addresses]
    removed = [{"from": old, "lifecycle": {"destroy": False}} for old in REMOVED]
    return moved, removed


def adoption_hcl(moved: list[dict], removed: list[dict]) -> str:
    """The same blocks in HCL, for `cdktf synth --hcl`, whose renderer drops them."""
    blocks = [f'terraform {{\n  required_version = "{REQUIRED_TERRAFORM}"\n}}\n']
    blocks += [
        f"moved {{\n  from = {b['from']}\n  to   = {b['to']}\n}}\n" for b in moved
    ]
    blocks += [
        f"removed {{\n  from = {b['from']}\n  lifecycle {{\n"
        f"    destroy = {str(b['lifecycle']['destroy']).lower()}\n  }}\n}}\n"
        for b in removed
    ]
    return "\n".join(blocks)
