from hackathon.leaderboard import bp  # noqa: F401
