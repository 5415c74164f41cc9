"""AWS Load Balancer Controller: upstream v3.5.0 iam_policy.json, narrowed."""

from wealist.policies._scope import PolicyScope, regional_arn
from wealist.policies._statement import ANY_RESOURCE, Document, allow, document

_CLUSTER_TAG = "elbv2.k8s.aws/cluster"
# Upstream's tag tests: the request carries the cluster tag, the resource does.
_REQUEST_TAGGED = {"Null": {f"aws:RequestTag/{_CLUSTER_TAG}": "false"}}
_RESOURCE_TAGGED = {"Null": {f"aws:ResourceTag/{_CLUSTER_TAG}": "false"}}
_RETAGGING_OWNED = {
    "Null": {
        f"aws:RequestTag/{_CLUSTER_TAG}": "true",
        f"aws:ResourceTag/{_CLUSTER_TAG}": "false",
    }
}


def load_balancer_controller(scope: PolicyScope) -> Document:
    """The controller's policy, limited to the scope's region and account."""

    def elb(resource: str) -> str:
        return regional_arn(scope, "elasticloadbalancing", resource)

    # Upstream grants these on "*" or on any region and account; every ELB and
    # security-group write has resource-level permissions, so we pin them here.
    any_elb = elb("*")
    security_groups = regional_arn(scope, "ec2", "security-group/*")
    in_our_vpc = {
        "ArnEquals": {"ec2:Vpc": regional_arn(scope, "ec2", f"vpc/{scope.vpc_id}")}
    }
    balancers = [
        elb("targetgroup/*/*"),
        elb("loadbalancer/net/*/*"),
        elb("loadbalancer/app/*/*"),
    ]
    return document(
        allow(
            "CreateElbServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [ANY_RESOURCE],
            {
                "StringEquals": {
                    "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"
                }
            },
        ),
        allow(
            "DescribeNetworkAndLoadBalancers",
            [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "ec2:GetCoipPoolUsage",
                "ec2:DescribeCoipPools",
                "ec2:GetSecurityGroupsForVpc",
                "ec2:DescribeIpamPools",
                "ec2:DescribeRouteTables",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeListenerCertificates",
                "elasticloadbalancing:DescribeSSLPolicies",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeTags",
                "elasticloadbalancing:DescribeTrustStores",
                "elasticloadbalancing:DescribeListenerAttributes",
                "elasticloadbalancing:DescribeCapacityReservation",
            ],
            [ANY_RESOURCE],
        ),
        allow(
            "ReadCertificatesWafShield",
            [
                "cognito-idp:DescribeUserPoolClient",
                "acm:ListCertificates",
                "acm:DescribeCertificate",
                "iam:ListServerCertificates",
                "iam:GetServerCertificate",
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "shield:GetSubscriptionState",
                "shield:DescribeProtection",
            ],
            [ANY_RESOURCE],
        ),
        # The web ACL and the protection are named by Ingress annotations and
        # may live outside this layer, so these stay on "*" as upstream has them.
        allow(
            "AssociateWafAndShield",
            [
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:CreateProtection",
                "shield:DeleteProtection",
            ],
            [ANY_RESOURCE],
        ),
        # Upstream allows any group; the controller only opens the nodes'
        # and its own groups, all in the cluster's VPC.
        allow(
            "ManageSecurityGroupIngress",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            [security_groups],
            in_our_vpc,
        ),
        # CreateSecurityGroup is authorized on the new group and on the VPC.
        allow("CreateSecurityGroup", ["ec2:CreateSecurityGroup"], [ANY_RESOURCE]),
        allow(
            "TagSecurityGroupOnCreate",
            ["ec2:CreateTags"],
            [security_groups],
            {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}}
            | _REQUEST_TAGGED,
        ),
        allow(
            "RetagOwnedSecurityGroups",
            ["ec2:CreateTags", "ec2:DeleteTags"],
            [security_groups],
            _RETAGGING_OWNED,
        ),
        allow(
            "ManageOwnedSecurityGroups",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            [security_groups],
            {**_RESOURCE_TAGGED, **in_our_vpc},
        ),
        allow(
            "DeleteOwnedSecurityGroups",
            ["ec2:DeleteSecurityGroup"],
            [security_groups],
            _RESOURCE_TAGGED,
        ),
        allow(
            "CreateTaggedLoadBalancers",
            [
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:CreateTargetGroup",
            ],
            [any_elb],
            _REQUEST_TAGGED,
        ),
        allow(
            "ManageListenersAndRules",
            [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
            ],
            [any_elb],
        ),
        allow(
            "RetagOwnedLoadBalancers",
            ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            balancers,
            _RETAGGING_OWNED,
        ),
        allow(
            "TagListenersAndRules",
            ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            [
                elb("listener/net/*/*/*"),
                elb("listener/app/*/*/*"),
                elb("listener-rule/net/*/*/*"),
                elb("listener-rule/app/*/*/*"),
            ],
        ),
        allow(
            "ModifyOwnedLoadBalancers",
            [
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
            ],
            [any_elb],
            _RESOURCE_TAGGED,
        ),
        allow(
            "TagLoadBalancersOnCreate",
            ["elasticloadbalancing:AddTags"],
            balancers,
            {
                "StringEquals": {
                    "elasticloadbalancing:CreateAction": [
                        "CreateTargetGroup",
                        "CreateLoadBalancer",
                    ]
                }
            }
            | _REQUEST_TAGGED,
        ),
        allow(
            "RegisterTargets",
            [
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:DeregisterTargets",
            ],
            [elb("targetgroup/*/*")],
        ),
        allow(
            "ModifyListenersAndRules",
            [
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            [any_elb],
        ),
    )
