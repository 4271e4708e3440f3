"""What the sensing app offers the apps above it (docs/architecture.md, "Contributions")."""
