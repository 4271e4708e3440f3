"""二维码巡检: inspection points, checklists per kind, rounds and their records."""

__all__: list[str] = []
