"""Where a workload's permissions apply, and the ARNs built from it."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class PolicyScope:
    """Where a workload's permissions apply."""

    partition: str
    """ARN partition (aws, aws-cn, aws-us-gov) or a Terraform reference to it."""

    region: str
    """Region of the cluster and of the secrets and parameters."""

    account_id: str
    """Account of the layer, or a Terraform reference to it."""

    cluster_name: str
    """EKS cluster name, as in the autoscaler's ownership tag."""

    kms_key_arn: str
    """The foundation key secrets and parameters are encrypted with."""

    storage_bucket_arn: str
    """The foundation's application storage bucket."""

    vpc_id: str
    """The foundation's VPC, the only one whose security groups may be opened."""

    secrets_prefix: str = "wealist/"
    """Secrets Manager names the secrets operator may read."""

    parameters_prefix: str = "/wealist/"
    """SSM parameter path the secrets operator may read."""

    hosted_zone_ids: tuple[str, ...] = ()
    """Route 53 zones the DNS workloads may change; empty: every zone."""


def regional_arn(scope: PolicyScope, service: str, resource: str) -> str:
    """An ARN in the scope's partition, region and account."""
    return (
        f"arn:{scope.partition}:{service}:{scope.region}:{scope.account_id}:{resource}"
    )
