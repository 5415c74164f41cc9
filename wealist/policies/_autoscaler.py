"""Cluster Autoscaler: cluster-autoscaler-1.36.1 recommended AWS policy."""

from wealist.policies._scope import PolicyScope, regional_arn
from wealist.policies._statement import ANY_RESOURCE, Document, allow, document


def cluster_autoscaler(scope: PolicyScope) -> Document:
    """Describes anywhere; scaling only groups tagged as this cluster's."""
    # Upstream scales any group on "*" and recommends ARN or tag limits; EKS
    # managed node groups carry k8s.io/cluster-autoscaler/<cluster>=owned.
    groups = regional_arn(
        scope, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*"
    )
    owned = f"aws:ResourceTag/k8s.io/cluster-autoscaler/{scope.cluster_name}"
    return document(
        allow(
            "DescribeScalingGroupsAndNodes",
            [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
                "eks:DescribeNodegroup",
            ],
            [ANY_RESOURCE],
        ),
        allow(
            "ScaleOwnedGroups",
            [
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
            ],
            [groups],
            {"StringEquals": {owned: "owned"}},
        ),
    )
