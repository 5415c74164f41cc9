"""The managed node group, its IAM role and the launch template it boots from."""

from wealist.cdk import (
    Construct,
    EksNodeGroup,
    IamRole,
    LaunchTemplate,
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
    LaunchTemplateTagSpecifications,
    Token,
)
from wealist.config import Config
from wealist.iam import attach_policies, managed_policy_arn, trust_policy

_NODE_ROLE_POLICIES = {
    "worker_node_policy": "AmazonEKSWorkerNodePolicy",
    "cni_policy": "AmazonEKS_CNI_Policy",
    "registry_read_only": "AmazonEC2ContainerRegistryReadOnly",
}


class NodeGroup(Construct):
    """Worker nodes that carry the node security group and a gp3 root volume."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: Config,
        cluster_name: str,
        subnet_ids: list[str],
        partition: str,
        security_group_id: str,
        depends_on: list,
    ) -> None:
        super().__init__(scope, id_)
        settings = config.node_group
        prefix = config.name_prefix
        group_name = f"{prefix}-{settings.name}"

        self.role = IamRole(
            self,
            "role",
            name_prefix=f"{group_name}-eks-node-group-",
            description="EKS managed node group IAM role",
            assume_role_policy=trust_policy("ec2.amazonaws.com"),
        )
        attachments = attach_policies(
            self,
            self.role,
            {
                f"role_{key}": managed_policy_arn(partition, policy)
                for key, policy in _NODE_ROLE_POLICIES.items()
            },
        )

        # The disk size lives here only: a node group ignores disk_size once a
        # launch template is attached, and EKS rejects both being set.
        self.launch_template = LaunchTemplate(
            self,
            "launch_template",
            name_prefix=f"{settings.name}-",
            description=f"Custom launch template for {group_name} EKS managed node group",
            update_default_version=True,
            vpc_security_group_ids=[security_group_id],
            block_device_mappings=[
                LaunchTemplateBlockDeviceMappings(
                    device_name="/dev/xvda",
                    ebs=LaunchTemplateBlockDeviceMappingsEbs(
                        volume_size=settings.disk_size_gib,
                        volume_type="gp3",
                        encrypted="true",
                        delete_on_termination="true",
                    ),
                )
            ],
            # IMDSv2 only, one hop: pods get AWS credentials from Pod Identity
            # and cannot reach the node role's credentials through IMDS.
            metadata_options={
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": 1,
                "instance_metadata_tags": "disabled",
            },
            # Default tags stop at the launch template; these reach the
            # instances, volumes and ENIs the node group launches.
            tag_specifications=[
                LaunchTemplateTagSpecifications(
                    resource_type=kind, tags={**config.tags, "Name": group_name}
                )
                for kind in ("instance", "volume", "network-interface")
            ],
            lifecycle={"create_before_destroy": True},
        )

        self.node_group = EksNodeGroup(
            self,
            "this",
            cluster_name=cluster_name,
            node_group_name_prefix=f"{group_name}-",
            node_role_arn=self.role.arn,
            subnet_ids=subnet_ids,
            ami_type=settings.ami_type,
            capacity_type=settings.capacity_type,
            instance_types=list(settings.instance_types),
            scaling_config={
                "min_size": settings.min_size,
                "desired_size": settings.desired_size,
                "max_size": settings.max_size,
            },
            update_config={"max_unavailable_percentage": 33},
            node_repair_config={"enabled": True},
            launch_template={
                "id": self.launch_template.id,
                "version": Token.as_string(self.launch_template.latest_version),
            },
            labels=settings.kubernetes_labels,
            tags={
                "k8s.io/cluster-autoscaler/enabled": "true",
                f"k8s.io/cluster-autoscaler/{config.cluster_name}": "owned",
            },
            depends_on=[*attachments, *depends_on],
            # The cluster autoscaler owns the desired size once nodes exist.
            lifecycle={
                "create_before_destroy": True,
                "ignore_changes": ["scaling_config[0].desired_size"],
            },
        )
