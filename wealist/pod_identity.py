"""One IAM role and one Pod Identity association per workload of the table."""

import json

from wealist.cdk import (
    Construct,
    EksPodIdentityAssociation,
    IamRole,
    IamRolePolicy,
)
from wealist.config import Config
from wealist.iam import attach_policies, trust_policy
from wealist.policies import PolicyScope, inline_policy, managed_policy_arns
from wealist.workloads import Workload

# The EKS Pod Identity agent assumes roles as this principal, tagging the
# session with the pod's cluster, namespace and service account.
POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"
POD_IDENTITY_ACTIONS = ("sts:AssumeRole", "sts:TagSession")
ROLE_PATH = "/pod-identity/"


class PodIdentityBinding(Construct):
    """A workload's role, its permissions and its association."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: Config,
        workload: Workload,
        cluster_name: str,
        policy_scope: PolicyScope,
    ) -> None:
        super().__init__(scope, id_)

        self.role = IamRole(
            self,
            "role",
            name=workload.role_name(config.name_prefix),
            path=ROLE_PATH,
            description=(
                f"{workload.description}: "
                f"{workload.namespace}/{workload.service_account} on {config.cluster_name}"
            ),
            assume_role_policy=trust_policy(
                POD_IDENTITY_PRINCIPAL,
                POD_IDENTITY_ACTIONS,
                # The agent tags each session with the pod's cluster, namespace
                # and service account: only this binding may use the role.
                {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": config.cluster_name,
                        "aws:RequestTag/kubernetes-namespace": workload.namespace,
                        "aws:RequestTag/kubernetes-service-account": (
                            workload.service_account
                        ),
                    }
                },
            ),
        )

        document = inline_policy(workload.policy, policy_scope)
        self.policy = None
        if document is not None:
            self.policy = IamRolePolicy(
                self,
                "policy",
                name=workload.policy_name,
                role=self.role.name,
                policy=json.dumps(document, indent=2),
            )
        attach_policies(
            self,
            self.role,
            {
                arn.rsplit("/", 1)[-1]: arn
                for arn in managed_policy_arns(workload.policy, policy_scope.partition)
            },
        )

        self.association = EksPodIdentityAssociation(
            self,
            "association",
            cluster_name=cluster_name,
            namespace=workload.namespace,
            service_account=workload.service_account,
            role_arn=self.role.arn,
        )


class PodIdentity(Construct):
    """Every workload binding of the configuration."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: Config,
        cluster_name: str,
        policy_scope: PolicyScope,
    ) -> None:
        super().__init__(scope, id_)
        self.bindings = {
            workload.key: PodIdentityBinding(
                self,
                workload.address,
                config=config,
                workload=workload,
                cluster_name=cluster_name,
                policy_scope=policy_scope,
            )
            for workload in config.workloads
        }
