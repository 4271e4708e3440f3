"""表决: the project's vote is a ``consult`` consultation under Civil Code art. 278 (special matters)."""


def vote_outcome(project):
    """The consultation's outcome (``consult.selectors.outcome``), or None before the vote was started."""
    return None
