"""The estimated monthly cost of one configuration, from dated prices.

Prices live in prices.toml beside this file, one source and date per figure.
Whether the control plane is billed at the standard or the extended-support
rate depends on the day, so the day is always an argument.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wealist import versions
from wealist.config import Config

PRICES_FILE = Path(__file__).with_name("prices.toml")


# ---------------------------------------------------------------- prices


@dataclass(frozen=True, kw_only=True)
class Price:
    """One figure of prices.toml with its provenance."""

    value: float
    unit: str
    basis: str
    """aws, second-hand or estimate."""
    as_of: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Prices:
    """Every figure the estimate uses."""

    region: str
    hours_per_month: int
    compiled: str
    standard_support: Price
    extended_support: Price
    on_demand: dict[str, Price]
    spot: dict[str, Price]
    gp3: Price
    log_ingestion: Price
    log_storage: Price
    kms_key: Price
    log_volume: Price
    """Assumed control-plane log ingestion, GB per month."""
    seed: dict[str, float]
    seed_source: str

    def node_price(self, instance_type: str, capacity_type: str) -> Price | None:
        """Hourly price of one node, or None if prices.toml has none."""
        table = self.spot if capacity_type == "SPOT" else self.on_demand
        return table.get(instance_type)


def load_prices(path: Path = PRICES_FILE) -> Prices:
    """Read prices.toml; a missing field fails with its name."""
    with path.open("rb") as stream:
        data = tomllib.load(stream)

    def price(table: dict[str, Any]) -> Price:
        return Price(
            value=float(table["value"]),
            unit=table["unit"],
            basis=table["basis"],
            as_of=str(table["as_of"]),
            source=table["source"],
        )

    seed = dict(data["seed"])
    return Prices(
        region=data["region"],
        hours_per_month=int(data["hours_per_month"]),
        compiled=str(data["compiled"]),
        standard_support=price(data["eks"]["standard_support"]),
        extended_support=price(data["eks"]["extended_support"]),
        on_demand={
            name: price(kinds["on_demand"]) for name, kinds in data["ec2"].items()
        },
        spot={name: price(kinds["spot"]) for name, kinds in data["ec2"].items()},
        gp3=price(data["ebs"]["gp3"]),
        log_ingestion=price(data["cloudwatch_logs"]["ingestion"]),
        log_storage=price(data["cloudwatch_logs"]["storage"]),
        kms_key=price(data["kms"]["key"]),
        log_volume=price(data["assumptions"]["control_plane_logs"]),
        seed_source=seed.pop("source"),
        seed={key: float(value) for key, value in seed.items()},
    )


# ---------------------------------------------------------------- support


@dataclass(frozen=True, kw_only=True)
class Support:
    """Where a Kubernetes version stands in the EKS calendar on one day."""

    version: str
    standard_ends: date
    today: date

    @property
    def extended(self) -> bool:
        """Billed at the extended-support rate on `today`."""
        return self.today >= self.standard_ends

    @property
    def status(self) -> str:
        return "extended" if self.extended else "standard"


def support_on(version: str, today: date) -> Support:
    """The support status of a version on a given day (versions.STANDARD_SUPPORT_ENDS)."""
    ends = date.fromisoformat(versions.STANDARD_SUPPORT_ENDS[version])
    return Support(version=version, standard_ends=ends, today=today)


def standard_versions(today: date) -> list[str]:
    """Supported Kubernetes versions still in standard support on a day."""
    return [
        v
        for v in versions.SUPPORTED_KUBERNETES_VERSIONS
        if not support_on(v, today).extended
    ]


# ---------------------------------------------------------------- cost


@dataclass(frozen=True, kw_only=True)
class CostLine:
    """One item of the monthly estimate."""

    key: str
    item: str
    monthly: float | None
    """USD per month, or None where prices.toml has no figure."""
    how: str


@dataclass(frozen=True, kw_only=True)
class CostEstimate:
    """The monthly estimate of one configuration on one day."""

    lines: tuple[CostLine, ...]
    support: Support
    standard_control_plane: float
    """The control plane at the standard-support rate."""

    def line(self, key: str) -> CostLine:
        return next(line for line in self.lines if line.key == key)

    @property
    def complete(self) -> bool:
        return all(line.monthly is not None for line in self.lines)

    @property
    def total(self) -> float:
        """Sum of the priced lines."""
        return sum(line.monthly for line in self.lines if line.monthly is not None)

    @property
    def total_with_standard_support(self) -> float:
        """The total had the version been in standard support."""
        control_plane = self.line("control_plane").monthly or 0.0
        return self.total - control_plane + self.standard_control_plane


def estimate_cost(
    config: Config, today: date, prices: Prices | None = None
) -> CostEstimate:
    """Monthly cost from the configuration: control plane, nodes, disks, logs, log key."""
    prices = prices or load_prices()
    hours = prices.hours_per_month
    nodes = config.node_group
    support = support_on(config.cluster.kubernetes_version, today)
    rate = prices.extended_support if support.extended else prices.standard_support

    lines = [
        CostLine(
            key="control_plane",
            item=f"EKS control plane ({support.status} support)",
            monthly=rate.value * hours,
            how=f"${rate.value:.2f}/h x {hours} h",
        )
    ]

    first_type = nodes.instance_types[0]
    node_price = prices.node_price(first_type, nodes.capacity_type)
    capacity = "Spot" if nodes.capacity_type == "SPOT" else "On-Demand"
    if node_price is None:
        lines.append(
            CostLine(
                key="nodes",
                item=f"Nodes ({nodes.desired_size} x {first_type} {capacity})",
                monthly=None,
                how=f"no {capacity} price for {first_type} in prices.toml: not in the total",
            )
        )
    else:
        lines.append(
            CostLine(
                key="nodes",
                item=f"Nodes ({nodes.desired_size} x {first_type} {capacity})",
                monthly=nodes.desired_size * node_price.value * hours,
                how=f"{nodes.desired_size} x ${node_price.value:.4f}/h x {hours} h",
            )
        )

    disk_gb = nodes.desired_size * nodes.disk_size_gib
    lines.append(
        CostLine(
            key="ebs",
            item=f"EBS gp3 root volumes ({nodes.desired_size} x {nodes.disk_size_gib} GiB)",
            monthly=disk_gb * prices.gp3.value,
            how=f"{disk_gb} GB x ${prices.gp3.value}/GB-month",
        )
    )

    volume = prices.log_volume.value
    retained_months = config.cluster.log_retention_days / (hours / 24)
    stored_gb = volume * retained_months
    ingestion = volume * prices.log_ingestion.value
    storage = stored_gb * prices.log_storage.value
    lines.append(
        CostLine(
            key="logs",
            item="CloudWatch control-plane logs",
            monthly=ingestion + storage,
            how=(
                f"assumed {volume:g} GB/month x ${prices.log_ingestion.value}/GB ingested, "
                f"plus {stored_gb:.0f} GB kept {config.cluster.log_retention_days} days "
                f"x ${prices.log_storage.value}/GB-month"
            ),
        )
    )
    lines.append(
        CostLine(
            key="kms",
            item="KMS key of the log group",
            monthly=prices.kms_key.value,
            how=f"${prices.kms_key.value:.2f}/key-month",
        )
    )
    return CostEstimate(
        lines=tuple(lines),
        support=support,
        standard_control_plane=prices.standard_support.value * hours,
    )
