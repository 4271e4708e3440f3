"""15 分钟生活圈 (life circles): facilities, the walking network, coverage, gaps and where to build next.
See docs/facilities.md."""
