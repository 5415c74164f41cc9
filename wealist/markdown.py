"""Small Markdown helpers shared by the summary's sections."""


def money(value: float | None) -> str:
    """A dollar amount, or n/a where there is no figure."""
    return "n/a" if value is None else f"${value:,.2f}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; pipes in cells are escaped."""

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [row(header), "|" + "|".join("---" for _ in header) + "|", *map(row, rows)]
