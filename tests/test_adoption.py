"""The HCL layer's addresses map onto ours: moved where kept, removed otherwise."""

from wealist.adoption import DESTROYED, MOVED, REMOVED


def test_every_move_lands_on_a_resource_of_the_stack(default_synthesis):
    moved = {block["from"]: block["to"] for block in default_synthesis.json["moved"]}
    assert moved == MOVED
    missing = set(moved.values()) - set(default_synthesis.addresses())
    assert not missing, f"moved blocks point at no resource: {sorted(missing)}"


def test_each_resource_is_adopted_once(default_synthesis):
    targets = [block["to"] for block in default_synthesis.json["moved"]]
    assert len(targets) == len(set(targets))


def test_the_cluster_and_its_nodes_are_adopted(default_synthesis):
    moved = {block["to"]: block["from"] for block in default_synthesis.json["moved"]}
    assert moved["aws_eks_cluster.cluster"] == "module.eks.aws_eks_cluster.this[0]"
    assert moved["aws_eks_node_group.node_group"] == (
        'module.eks.module.eks_managed_node_group["spot"].aws_eks_node_group.this[0]'
    )
    assert moved["aws_iam_role.pod_identity_alb_controller_role"] == (
        "module.pod_identity_alb_controller.aws_iam_role.this"
    )


def test_what_is_not_adopted_is_forgotten_not_destroyed(default_synthesis):
    removed = default_synthesis.json["removed"]
    assert [block["from"] for block in removed] == list(REMOVED)
    assert all(block["lifecycle"] == {"destroy": False} for block in removed)
    for address in DESTROYED:
        assert not address.startswith(
            tuple(f"{module}." for module in REMOVED)
        ), f"{address} is meant to be deleted but a removed block would forget it"
