"""四百走访 (door-to-door visits): plans, tasks, reminders, QR check-in, problems into cases, resident
feedback and the AI follow-up evaluation (AI回访评估). See docs/visits.md."""
