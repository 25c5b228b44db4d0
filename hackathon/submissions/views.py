from hackathon.submissions import bp  # noqa: F401
