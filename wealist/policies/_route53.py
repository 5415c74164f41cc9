"""Route 53 workloads: ExternalDNS records and cert-manager DNS-01 challenges."""

from wealist.policies._scope import PolicyScope
from wealist.policies._statement import ANY_RESOURCE, Document, allow, document


def _route53_arn(scope: PolicyScope, resource: str) -> str:
    # Route 53 is global: its ARNs carry neither region nor account.
    return f"arn:{scope.partition}:route53:::{resource}"


def _zones(scope: PolicyScope) -> list[str]:
    zones = [f"hostedzone/{zone}" for zone in scope.hosted_zone_ids] or ["hostedzone/*"]
    return [_route53_arn(scope, zone) for zone in zones]


def external_dns(scope: PolicyScope) -> Document:
    """ExternalDNS: upstream v0.22.0 docs/tutorials/aws.md policy."""
    return document(
        allow(
            "ManageRecordSets",
            [
                "route53:ChangeResourceRecordSets",
                "route53:ListResourceRecordSets",
                "route53:ListTagsForResources",
            ],
            _zones(scope),
        ),
        allow("ListHostedZones", ["route53:ListHostedZones"], [ANY_RESOURCE]),
    )


def cert_manager(scope: PolicyScope) -> Document:
    """cert-manager: the v1.21 Route53 DNS-01 policy, TXT records only."""
    return document(
        allow("GetChange", ["route53:GetChange"], [_route53_arn(scope, "change/*")]),
        allow(
            "ChangeTxtRecordSets",
            ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
            _zones(scope),
            {
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]
                }
            },
        ),
        allow(
            "ListHostedZonesByName", ["route53:ListHostedZonesByName"], [ANY_RESOURCE]
        ),
    )
