"""The cost section of the summary: the estimate, its comparison with the
seed document, and every price with its source."""

from wealist.config import Config
from wealist.cost import CostEstimate, Price, Prices, standard_versions, support_on
from wealist.markdown import money, table


def cost_section(config: Config, estimate: CostEstimate, prices: Prices) -> list[str]:
    support = estimate.support
    lines = [
        "## Estimated monthly cost",
        "",
        f"{prices.hours_per_month} hours a month, {prices.region} prices in USD before tax "
        f"(`wealist/prices.toml`, compiled {prices.compiled}); support status as of {support.today}.",
        "",
    ]
    if config.region != prices.region:
        lines += [
            f"**The cluster is in {config.region}, but every price is for {prices.region}.**",
            "",
        ]
    rows = [[line.item, money(line.monthly), line.how] for line in estimate.lines]
    total = money(estimate.total) + ("" if estimate.complete else " (incomplete)")
    rows.append(["**Total**", f"**{total}**", ""])
    lines += table(["Item", "Monthly", "How"], rows)
    lines.append("")

    standard = prices.standard_support.value * prices.hours_per_month
    extended = prices.extended_support.value * prices.hours_per_month
    if support.extended:
        candidates = standard_versions(support.today)
        upgrade = (
            f"Kubernetes {candidates[0]} (standard support until "
            f"{support_on(candidates[0], support.today).standard_ends})"
            if candidates
            else "a version in standard support"
        )
        lines += [
            f"**Kubernetes {support.version} has been in extended support since "
            f"{support.standard_ends}: the control plane costs {money(extended)} a month "
            f"instead of {money(standard)}.** With {upgrade} the total would be "
            f"{money(estimate.total_with_standard_support)}.",
            "",
        ]
    else:
        lines += [
            f"Kubernetes {support.version} is in standard support until {support.standard_ends}; "
            f"from that day the control plane costs {money(extended)} a month instead of "
            f"{money(standard)} until the cluster is upgraded.",
            "",
        ]

    seed = prices.seed
    nodes_line = estimate.line("nodes")
    ebs_line = estimate.line("ebs")
    first_type = config.node_group.instance_types[0]
    lines += [
        f"Compared with the seed README's estimate (about {money(seed['total'])}: control "
        f"plane {money(seed['control_plane'])}, three t3.medium Spot nodes about "
        f"{money(seed['nodes'])}, 3 x 50 GB EBS about {money(seed['ebs'])}):",
        "",
        *table(
            ["Item", "Seed", "Here", "Why they differ"],
            [
                [
                    "Control plane",
                    money(seed["control_plane"]),
                    money(estimate.line("control_plane").monthly),
                    "the seed's $73 assumes standard support ($0.10/h)"
                    + (
                        f"; {support.version} is in extended support ($0.60/h)"
                        if support.extended
                        else ""
                    ),
                ],
                [
                    "Nodes",
                    money(seed["nodes"]),
                    money(nodes_line.monthly),
                    (
                        f"{nodes_line.how}; the seed's $30 implies "
                        f"${seed['nodes'] / 3 / prices.hours_per_month:.4f}/h per t3.medium"
                        if nodes_line.monthly is not None
                        else f"no price for {first_type}"
                    ),
                ],
                [
                    "EBS",
                    money(seed["ebs"]),
                    money(ebs_line.monthly),
                    f"gp3 at ${prices.gp3.value}/GB-month in Seoul; the seed's $15 for 150 GB "
                    f"implies ${seed['ebs'] / 150:.2f}/GB-month",
                ],
                [
                    "Control-plane logs",
                    "-",
                    money(estimate.line("logs").monthly),
                    "not in the seed",
                ],
                [
                    "Log KMS key",
                    "-",
                    money(estimate.line("kms").monthly),
                    "not in the seed",
                ],
                [
                    "Total",
                    money(seed["total"]),
                    money(estimate.total),
                    f"{money(estimate.total_with_standard_support)} with standard support",
                ],
            ],
        ),
        "",
        "Not included: NAT gateway and data transfer (foundation layer), load balancers the "
        "controller creates, volumes of persistent volume claims, T3 surplus CPU credits "
        "(Spot T3 instances launch as `unlimited`), KMS requests beyond the free tier, "
        "the CloudWatch free tier (5 GB) and key rotation charges.",
        "",
        "Price sources:",
        "",
        *table(
            ["Figure", "Value", "Basis", "As of", "Source"],
            [
                [name, _figure(price), price.basis, price.as_of, price.source]
                for name, price in _price_rows(config, prices)
            ],
        ),
    ]
    return lines


def _price_rows(config: Config, prices: Prices) -> list[tuple[str, Price]]:
    rows = [
        ("EKS standard support", prices.standard_support),
        ("EKS extended support", prices.extended_support),
    ]
    for instance_type in config.node_group.instance_types:
        for label, table in (("On-Demand", prices.on_demand), ("Spot", prices.spot)):
            if instance_type in table:
                rows.append((f"{instance_type} {label}", table[instance_type]))
    rows += [
        ("EBS gp3", prices.gp3),
        ("CloudWatch Logs ingestion", prices.log_ingestion),
        ("CloudWatch Logs storage", prices.log_storage),
        ("KMS key", prices.kms_key),
    ]
    rows.append(("Assumed log ingestion", prices.log_volume))
    return rows


def _figure(price: Price) -> str:
    """A price as $0.10/unit, an assumed quantity as 5 GB/month."""
    if (
        not price.unit.endswith("-hour")
        and not price.unit.endswith("-month")
        and price.unit != "GB"
    ):
        return f"{price.value:g} {price.unit}"
    amount = (
        f"{price.value:.2f}"
        if round(price.value, 2) == price.value
        else f"{price.value:g}"
    )
    return f"${amount}/{price.unit}"
