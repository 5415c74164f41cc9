"""The prod/compute stack: every piece of the layer, in build order."""

from wealist.adoption import REQUIRED_TERRAFORM, adoption_blocks
from wealist.addon_table import ADDONS
from wealist.addons import Addons
from wealist.cdk import (
    App,
    AwsProvider,
    Construct,
    DataAwsCallerIdentity,
    DataAwsPartition,
    TerraformResource,
    TerraformStack,
)
from wealist.cluster import Cluster
from wealist.config import Config
from wealist.node_group import NodeGroup
from wealist.outputs import add_outputs
from wealist.pod_identity import PodIdentity
from wealist.policies import PolicyScope
from wealist.security_groups import SecurityGroups
from wealist.state import Foundation, configure_backend


class ComputeStack(TerraformStack):
    """EKS cluster, Spot node group, add-ons and Pod Identity of one environment."""

    def __init__(self, scope: Construct, *, config: Config) -> None:
        super().__init__(scope, config.stack_name)

        configure_backend(self, config)
        AwsProvider(
            self,
            "aws",
            region=config.region,
            default_tags=[{"tags": config.tags}],
        )
        partition = DataAwsPartition(self, "partition").partition
        caller = DataAwsCallerIdentity(self, "caller")
        foundation = Foundation(self, "foundation", config=config)

        security_groups = SecurityGroups(
            self, "security_group", config=config, vpc_id=foundation.vpc_id
        )

        cluster = Cluster(
            self,
            "cluster",
            config=config,
            foundation=foundation,
            partition=partition,
            account_id=caller.account_id,
            caller_arn=caller.arn,
            security_group_id=security_groups.control_plane.id,
            depends_on=security_groups.rules,
        )
        cluster_name = cluster.cluster.name

        pod_identity = PodIdentity(
            self,
            "pod_identity",
            config=config,
            cluster_name=cluster_name,
            policy_scope=PolicyScope(
                partition=partition,
                region=config.region,
                account_id=caller.account_id,
                cluster_name=config.cluster_name,
                kms_key_arn=foundation.kms_key_arn,
                storage_bucket_arn=foundation.storage_bucket_arn,
                vpc_id=foundation.vpc_id,
                hosted_zone_ids=config.dns.hosted_zone_ids,
            ),
        )

        addons = Addons(self, "addon", config=config, cluster_name=cluster_name)
        before_nodes = [
            addons.add(addon, depends_on=[]) for addon in ADDONS if addon.before_nodes
        ]
        node_group = NodeGroup(
            self,
            "node_group",
            config=config,
            cluster_name=cluster_name,
            subnet_ids=foundation.private_subnet_ids,
            partition=partition,
            security_group_id=security_groups.nodes.id,
            depends_on=[*security_groups.rules, *before_nodes],
        )
        for addon in ADDONS:
            if not addon.before_nodes:
                # The add-on's pods get credentials only if their association
                # exists when they start.
                binding = pod_identity.bindings.get(addon.workload or "")
                associations = [binding.association] if binding else []
                addons.add(addon, depends_on=[node_group.node_group, *associations])

        add_outputs(
            self,
            config=config,
            cluster=cluster,
            security_groups=security_groups,
            pod_identity=pod_identity,
        )
        self._adopt_hcl_layer_state()

    def _adopt_hcl_layer_state(self) -> None:
        """moved and removed blocks for the HCL layer's addresses (no-ops otherwise)."""
        addresses = {
            f"{child.terraform_resource_type}.{child.friendly_unique_id}"
            for child in self.node.find_all()
            if isinstance(child, TerraformResource)
        }
        moved, removed = adoption_blocks(addresses)
        self.adoption = (moved, removed)
        if App.of(self).hcl_output:
            return  # cdktf's HCL renderer mangles these; see adoption_hcl
        self.add_override("terraform.required_version", REQUIRED_TERRAFORM)
        self.add_override("moved", moved)
        self.add_override("removed", removed)

    def _allocate_logical_id(self, tf_element: Construct) -> str:
        """Terraform names are the construct path, so they read and stay stable.

        A child named "this" takes its parent's name (aws_eks_cluster.cluster).
        """
        parts = tf_element.node.path.split("/")[1:]
        if len(parts) > 1 and parts[-1] == "this":
            parts.pop()
        return "_".join(parts)
