"""Configuration values derived from settings, without synthesis."""

from wealist.config import Config, NodeGroupConfig


def test_capacity_label_follows_the_capacity_type():
    on_demand = NodeGroupConfig(capacity_type="ON_DEMAND")
    assert on_demand.kubernetes_labels == {
        "node.kubernetes.io/capacity-type": "on-demand",
        "workload-type": "general",
    }
    spot = NodeGroupConfig()
    assert spot.kubernetes_labels["node.kubernetes.io/capacity-type"] == "spot"


def test_default_names_and_state_keys():
    config = Config()
    assert config.cluster_name == "wealist-prod-eks"
    assert config.stack_name == "prod-compute"
    assert config.state_key == "prod/compute/terraform.tfstate"
    assert config.foundation_state_key == "prod/foundation/terraform.tfstate"


def test_a_dev_environment_moves_every_name_and_key():
    config = Config(environment="dev")
    assert config.cluster_name == "wealist-dev-eks"
    assert config.state_key == "dev/compute/terraform.tfstate"
    assert config.foundation_state_key == "dev/foundation/terraform.tfstate"
    assert config.tags["Environment"] == "dev"
