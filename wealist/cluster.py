"""The EKS control plane: its role, log group, the cluster and its OIDC provider."""

import json

from wealist.cdk import (
    CloudwatchLogGroup,
    Construct,
    DataAwsIamSessionContext,
    EksAccessEntry,
    EksAccessPolicyAssociation,
    EksCluster,
    IamOpenidConnectProvider,
    IamPolicy,
    IamRole,
    IamRolePolicyAttachment,
    KmsKey,
)
from wealist.config import CONTROL_PLANE_LOG_TYPES, Config
from wealist.iam import attach_policies, managed_policy_arn, trust_policy
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
        account_id: str,
        caller_arn: str,
        security_group_id: str,
        depends_on: list,
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
        attachments = attach_policies(
            self,
            self.role,
            {
                f"role_{key}": managed_policy_arn(partition, policy)
                for key, policy in _CLUSTER_ROLE_POLICIES.items()
            },
        )
        attachments.append(self._encryption_policy(name, foundation.kms_key_arn))

        # Created here rather than by EKS so that retention, encryption and
        # tags are ours and `terraform destroy` removes it.
        log_group_name = f"/aws/eks/{name}/cluster"
        self.log_key = self._log_key(config, partition, account_id, log_group_name)
        self.log_group = CloudwatchLogGroup(
            self,
            "logs",
            name=log_group_name,
            retention_in_days=config.cluster.log_retention_days,
            kms_key_id=self.log_key.arn,
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
                # The creator's admin access is the access entry below, a
                # resource Terraform can see, change and remove.
                "bootstrap_cluster_creator_admin_permissions": False,
            },
            depends_on=[*attachments, self.log_group, *depends_on],
        )

        self._admin_access(partition, config.cluster.admin_principal_arn, caller_arn)

        self.oidc_provider = IamOpenidConnectProvider(
            self,
            "oidc_provider",
            url=self.cluster.identity.get(0).oidc.get(0).issuer,
            client_id_list=["sts.amazonaws.com"],
            tags={"Name": f"{name}-irsa"},
        )

    def _log_key(
        self, config: Config, partition: str, account_id: str, log_group_name: str
    ) -> KmsKey:
        """A key only CloudWatch Logs may use, and only for the control-plane logs.

        The foundation key's policy does not name the CloudWatch Logs service,
        so the log group gets a key of its own.
        """
        log_group_arn = f"arn:{partition}:logs:{config.region}:{account_id}:log-group:{log_group_name}"
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    # The account's IAM policies decide who administers the key,
                    # as with the default key policy; without it the key is
                    # unmanageable.
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "ControlPlaneLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{config.region}.amazonaws.com"},
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncryptFrom",
                        "kms:ReEncryptTo",
                        "kms:GenerateDataKey",
                        "kms:GenerateDataKeyWithoutPlaintext",
                        "kms:DescribeKey",
                    ],
                    "Resource": "*",
                    "Condition": {
                        "ArnEquals": {
                            "kms:EncryptionContext:aws:logs:arn": log_group_arn
                        }
                    },
                },
            ],
        }
        return KmsKey(
            self,
            "log_key",
            description=f"Control-plane logs of {config.cluster_name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=json.dumps(policy, indent=2),
        )

    def _encryption_policy(
        self, name: str, kms_key_arn: str
    ) -> IamRolePolicyAttachment:
        """Let the control plane use the foundation key for secrets encryption."""
        policy = IamPolicy(
            self,
            "encryption_policy",
            name_prefix=f"{name}-cluster-ClusterEncryption",
            description="Cluster encryption policy to allow cluster role to utilize CMK provided",
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "SecretsEncryption",
                            "Effect": "Allow",
                            "Action": [
                                "kms:Encrypt",
                                "kms:Decrypt",
                                "kms:ListGrants",
                                "kms:DescribeKey",
                            ],
                            "Resource": kms_key_arn,
                        }
                    ],
                },
                indent=2,
            ),
        )
        return IamRolePolicyAttachment(
            self,
            "role_encryption_policy",
            role=self.role.name,
            policy_arn=policy.arn,
        )

    def _admin_access(
        self, partition: str, principal_arn: str, caller_arn: str
    ) -> None:
        """Cluster admin for the configured principal, else for the cluster's creator.

        An entry's principal cannot change in place. Unpinned, it is the
        identity of the first apply and later applies by other identities
        leave it alone, instead of replacing it and locking its owner out.
        """
        lifecycle = None
        if not principal_arn:
            # The role behind the caller's session, not the session itself.
            principal_arn = DataAwsIamSessionContext(
                self, "creator", arn=caller_arn
            ).issuer_arn
            lifecycle = {"ignore_changes": ["principal_arn"]}
        entry = EksAccessEntry(
            self,
            "creator_access",
            cluster_name=self.cluster.name,
            principal_arn=principal_arn,
            type="STANDARD",
            lifecycle=lifecycle,
        )
        EksAccessPolicyAssociation(
            self,
            "creator_admin",
            cluster_name=self.cluster.name,
            principal_arn=entry.principal_arn,
            policy_arn=f"arn:{partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            access_scope={"type": "cluster"},
            lifecycle=lifecycle,
        )
