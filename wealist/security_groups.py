"""The cluster and node security groups, with the rules of wealist.rules."""

from wealist.cdk import Construct, SecurityGroup, SecurityGroupRule
from wealist.config import Config
from wealist.rules import CLUSTER, CLUSTER_RULES, NODE_RULES, NODES, SELF, Rule


class SecurityGroups(Construct):
    """The control plane's additional security group and the nodes' one."""

    def __init__(
        self, scope: Construct, id_: str, *, config: Config, vpc_id: str
    ) -> None:
        super().__init__(scope, id_)
        cluster_name = config.cluster_name

        self.control_plane = SecurityGroup(
            self,
            "cluster",
            name_prefix=f"{cluster_name}-cluster-",
            description="EKS cluster security group",
            vpc_id=vpc_id,
            tags={"Name": f"{cluster_name}-cluster"},
            lifecycle={"create_before_destroy": True},
        )
        # The load balancer controller finds the nodes' group by this tag.
        self.nodes = SecurityGroup(
            self,
            "node",
            name_prefix=f"{cluster_name}-node-",
            description="EKS node shared security group",
            vpc_id=vpc_id,
            tags={
                "Name": f"{cluster_name}-node",
                f"kubernetes.io/cluster/{cluster_name}": "owned",
            },
            lifecycle={"create_before_destroy": True},
        )

        # Whatever talks through these groups depends on the rules, so they
        # exist before the cluster and nodes start and outlive them on destroy.
        self.rules = [
            *self._add_rules("cluster", self.control_plane.id, CLUSTER_RULES),
            *self._add_rules("node", self.nodes.id, NODE_RULES),
        ]

    def _add_rules(
        self, prefix: str, group_id: str, rules: dict[str, Rule]
    ) -> list[SecurityGroupRule]:
        peers = {CLUSTER: self.control_plane.id, NODES: self.nodes.id}
        created = []
        for key, rule in rules.items():
            peer_arguments: dict[str, object]
            if rule.peer == SELF:
                peer_arguments = {"self_attribute": True}
            elif rule.peer in peers:
                peer_arguments = {"source_security_group_id": peers[rule.peer]}
            else:
                peer_arguments = {"cidr_blocks": [rule.peer]}
            created.append(
                SecurityGroupRule(
                    self,
                    f"{prefix}_{key}",
                    security_group_id=group_id,
                    type=rule.type,
                    protocol=rule.protocol,
                    from_port=rule.from_port,
                    to_port=rule.to_port,
                    description=rule.description,
                    **peer_arguments,
                )
            )
        return created
