"""征询与表决 (consultations and votes): electorates from the registry, rules as data (Civil Code art. 278,
旧改 share rounds, 议事), ballots by every channel, the tally, the progress board and 公示. See docs/consult.md."""
