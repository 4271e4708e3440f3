"""平安建设动态评估: the safety index's factor weights (as data) and monthly scores."""

__all__: list[str] = []
