"""What the visits app offers the apps above it (docs/architecture.md, "Contributions")."""
