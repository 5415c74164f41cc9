"""What downstream layers and operators read from this layer."""

from wealist.cdk import Construct, TerraformOutput
from wealist.cluster import Cluster
from wealist.config import Config
from wealist.pod_identity import PodIdentity
from wealist.security_groups import SecurityGroups


def add_outputs(
    scope: Construct,
    *,
    config: Config,
    cluster: Cluster,
    security_groups: SecurityGroups,
    pod_identity: PodIdentity,
) -> None:
    """The spec's outputs and the ones downstream layers need."""
    eks = cluster.cluster
    values = {
        "cluster_name": (eks.name, "Name of the EKS cluster"),
        "cluster_endpoint": (eks.endpoint, "Endpoint of the Kubernetes API server"),
        "cluster_version": (eks.version, "Kubernetes version of the control plane"),
        "cluster_arn": (eks.arn, "ARN of the EKS cluster"),
        "oidc_provider_arn": (
            cluster.oidc_provider.arn,
            "ARN of the IAM OIDC provider",
        ),
        "cluster_oidc_issuer_url": (
            eks.identity.get(0).oidc.get(0).issuer,
            "OIDC issuer URL of the cluster",
        ),
        "cluster_security_group_id": (
            security_groups.control_plane.id,
            "Additional security group of the control plane",
        ),
        "cluster_primary_security_group_id": (
            eks.vpc_config.cluster_security_group_id,
            "Security group EKS created for the cluster",
        ),
        "node_security_group_id": (
            security_groups.nodes.id,
            "Security group every node carries",
        ),
        "pod_identity_role_arns": (
            {key: binding.role.arn for key, binding in pod_identity.bindings.items()},
            "Pod Identity role ARN by workload",
        ),
        "configure_kubectl": (
            f"aws eks update-kubeconfig --name {config.cluster_name} "
            f"--region {config.region}",
            "Command that writes a kubeconfig entry for the cluster",
        ),
    }
    for name, (value, description) in values.items():
        TerraformOutput(scope, name, value=value, description=description)

    TerraformOutput(
        scope,
        "cluster_certificate_authority_data",
        value=eks.certificate_authority.get(0).data,
        description="Base64 CA certificate of the cluster",
        sensitive=True,
    )
