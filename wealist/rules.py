"""The security-group rule tables: every port the control plane and nodes accept.

Nodes carry only the node security group (through the launch template), so
this is the whole list: the control plane's ports, the node-to-node ones and
Istio Ambient's. Keys read direction, peer and port, like the community EKS
module's, whose keys the HCL layer's state uses.
"""

from dataclasses import dataclass

CLUSTER = "cluster"
NODES = "nodes"
SELF = "self"
ANYWHERE = "0.0.0.0/0"


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One security group rule; peer is cluster, nodes, self or a CIDR."""

    description: str
    """Why the port is open; Terraform's rule description."""

    type: str = "ingress"
    """ingress or egress."""

    protocol: str = "tcp"
    """tcp, udp, or -1 for all."""

    from_port: int
    """First port of the range."""

    to_port: int
    """Last port of the range."""

    peer: str
    """CLUSTER, NODES, SELF or an IPv4 CIDR."""


CLUSTER_RULES: dict[str, Rule] = {
    "ingress_nodes_443": Rule(
        description="Nodes to the cluster API",
        from_port=443,
        to_port=443,
        peer=NODES,
    ),
}

NODE_RULES: dict[str, Rule] = {
    "ingress_cluster_443": Rule(
        description="Cluster API to node webhooks on 443",
        from_port=443,
        to_port=443,
        peer=CLUSTER,
    ),
    "ingress_cluster_kubelet": Rule(
        description="Cluster API to node kubelets",
        from_port=10250,
        to_port=10250,
        peer=CLUSTER,
    ),
    "ingress_cluster_4443_webhook": Rule(
        description="Cluster API to node 4443/tcp webhook (metrics-server)",
        from_port=4443,
        to_port=4443,
        peer=CLUSTER,
    ),
    "ingress_cluster_6443_webhook": Rule(
        description="Cluster API to node 6443/tcp webhook",
        from_port=6443,
        to_port=6443,
        peer=CLUSTER,
    ),
    "ingress_cluster_8443_webhook": Rule(
        description="Cluster API to node 8443/tcp webhook",
        from_port=8443,
        to_port=8443,
        peer=CLUSTER,
    ),
    "ingress_cluster_9443_webhook": Rule(
        description="Cluster API to node 9443/tcp webhook (load balancer controller)",
        from_port=9443,
        to_port=9443,
        peer=CLUSTER,
    ),
    "ingress_cluster_istiod_webhook": Rule(
        description="Cluster API to istiod webhooks on 15017/tcp",
        from_port=15017,
        to_port=15017,
        peer=CLUSTER,
    ),
    "ingress_self_coredns_tcp": Rule(
        description="Node to node CoreDNS (53/tcp)",
        from_port=53,
        to_port=53,
        peer=SELF,
    ),
    "ingress_self_coredns_udp": Rule(
        description="Node to node CoreDNS (53/udp)",
        protocol="udp",
        from_port=53,
        to_port=53,
        peer=SELF,
    ),
    "ingress_self_istio_hbone": Rule(
        description="Istio HBONE tunnel between ztunnels and waypoints (15008/tcp)",
        from_port=15008,
        to_port=15008,
        peer=SELF,
    ),
    "ingress_self_istio_redirect": Rule(
        description="Istio traffic redirect (15001-15006/tcp)",
        from_port=15001,
        to_port=15006,
        peer=SELF,
    ),
    "ingress_self_istiod_xds": Rule(
        description="Istio XDS to istiod (15012/tcp)",
        from_port=15012,
        to_port=15012,
        peer=SELF,
    ),
    "ingress_self_istio_telemetry": Rule(
        description="Istio metrics and readiness (15020-15021/tcp)",
        from_port=15020,
        to_port=15021,
        peer=SELF,
    ),
    "ingress_nodes_ephemeral": Rule(
        description="Node to node on ephemeral ports",
        from_port=1025,
        to_port=65535,
        peer=SELF,
    ),
    "egress_all": Rule(
        description="Nodes to anywhere: image pulls, AWS APIs, workload traffic",
        type="egress",
        protocol="-1",
        from_port=0,
        to_port=0,
        peer=ANYWHERE,
    ),
}
