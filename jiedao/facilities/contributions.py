"""What the facilities app offers the apps above it (docs/architecture.md, "Contributions")."""
