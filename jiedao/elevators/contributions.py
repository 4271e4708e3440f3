"""What this app offers the apps above it (core.contributions)."""
