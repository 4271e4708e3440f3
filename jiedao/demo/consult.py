"""Demo rows for the consult app (filled in by that app's work: see issue #16)."""


def build(*, builder, subdistrict) -> list[tuple[str, str, str]]:
    """Build this app's demo rows for ``subdistrict``; returns the demo logins it adds (username, role, place)."""
    return []


def reset(*, subdistricts) -> None:
    """Delete this app's rows of the demo subdistricts (``jiedao demo --reset``)."""
