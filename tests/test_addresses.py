"""Terraform addresses of the default stack are a contract with production state.

Renaming a construct id changes an address, and Terraform then plans to
destroy the resource under its old address and create it under the new one.
"""

from pathlib import Path

CONTRACT = Path(__file__).parent / "contract" / "prod-compute.addresses"


def test_addresses_match_the_contract(default_synthesis):
    expected = CONTRACT.read_text().split()
    actual = default_synthesis.addresses()
    removed = sorted(set(expected) - set(actual))
    added = sorted(set(actual) - set(expected))
    assert not removed, (
        f"addresses gone from the stack: {removed}. Against existing state, "
        "Terraform would destroy these resources and create them again under new "
        "addresses. Keep the construct ids, or add moved blocks and update "
        f"{CONTRACT.name} in the same change."
    )
    assert not added, (
        f"new addresses: {added}. If they are new resources, add them to "
        f"{CONTRACT.name}; if they are renamed ones, production would see a "
        "destroy and create."
    )
