from hackathon.teams import bp  # noqa: F401
