"""加装电梯 (互联网+梯): feasibility scores, quotes with the subsidy and each dwelling's share, the project
pipeline with its vote in ``consult``, and the building's schematic. See docs/elevators.md."""
