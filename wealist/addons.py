"""The EKS managed add-ons of the cluster, from wealist.addon_table."""

from wealist.addon_table import Addon, vpc_cni_configuration
from wealist.cdk import Construct, EksAddon
from wealist.config import Config


class Addons(Construct):
    """The managed add-ons of the cluster."""

    def __init__(
        self, scope: Construct, id_: str, *, config: Config, cluster_name: str
    ) -> None:
        super().__init__(scope, id_)
        self._config = config
        self._cluster_name = cluster_name

    def add(self, addon: Addon, depends_on: list) -> EksAddon:
        """Create one add-on after the given resources."""
        configuration = (
            vpc_cni_configuration(self._config) if addon.name == "vpc-cni" else None
        )
        return EksAddon(
            self,
            addon.name.replace("-", "_"),
            cluster_name=self._cluster_name,
            addon_name=addon.name,
            addon_version=self._config.addon_version(addon.name),
            configuration_values=configuration,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            # Removing the resource leaves the add-on running in the cluster:
            # a refactoring mistake must not take DNS or the CNI down.
            preserve=True,
            depends_on=depends_on or None,
        )
