"""The EKS control plane: its role, log group, the cluster and its OIDC provider."""

from wealist.cdk import (
    CloudwatchLogGroup,
    Construct,
    EksCluster,
    IamOpenidConnectProvider,
    IamRole,
    IamRolePolicyAttachment,
    Precondition,
)
from wealist.config import CONTROL_PLANE_LOG_TYPES, Config
from wealist.iam import managed_policy_arn, trust_policy
from wealist.state import Foundation

_CLUSTER_ROLE_POLICIES = {
    "cluster_policy": "AmazonEKSClusterPolicy",
    # Lets the control plane manage ENIs for pod security groups.
    "vpc_resource_controller": "AmazonEKSVPCResourceController",
}


class Cluster(Construct):
    """An EKS cluster with encrypted secrets, all control-plane logs and OIDC."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: Config,
        foundation: Foundation,
        partition: str,
        security_group_id: str,
    ) -> None:
        super().__init__(scope, id_)
        name = config.cluster_name

        self.role = IamRole(
            self,
            "role",
            name_prefix=f"{name}-cluster-",
            description=f"EKS control plane of {name}",
            assume_role_policy=trust_policy(
                "eks.amazonaws.com", ("sts:AssumeRole", "sts:TagSession")
            ),
        )
        attachments = [
            IamRolePolicyAttachment(
                self,
                f"role_{key}",
                role=self.role.name,
                policy_arn=managed_policy_arn(partition, policy),
            )
            for key, policy in _CLUSTER_ROLE_POLICIES.items()
        ]

        # Created here rather than by EKS so that retention and tags are ours
        # and `terraform destroy` removes it.
        self.log_group = CloudwatchLogGroup(
            self,
            "logs",
            name=f"/aws/eks/{name}/cluster",
            retention_in_days=config.cluster.log_retention_days,
        )

        self.cluster = EksCluster(
            self,
            "this",
            name=name,
            version=config.cluster.kubernetes_version,
            role_arn=self.role.arn,
            vpc_config={
                "subnet_ids": foundation.private_subnet_ids,
                "security_group_ids": [security_group_id],
                "endpoint_private_access": True,
                "endpoint_public_access": True,
                "public_access_cidrs": list(config.cluster.public_access_cidrs),
            },
            encryption_config={
                "provider": {"key_arn": foundation.kms_key_arn},
                "resources": ["secrets"],
            },
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            access_config={
                "authentication_mode": "API_AND_CONFIG_MAP",
                "bootstrap_cluster_creator_admin_permissions": True,
            },
            depends_on=[*attachments, self.log_group],
            lifecycle={
                "precondition": [
                    Precondition(
                        condition=check.condition, error_message=check.error_message
                    )
                    for check in foundation.prechecks()
                ]
            },
        )

        self.oidc_provider = IamOpenidConnectProvider(
            self,
            "oidc_provider",
            url=self.cluster.identity.get(0).oidc.get(0).issuer,
            client_id_list=["sts.amazonaws.com"],
            tags={"Name": f"{name}-irsa"},
        )
