from hackathon.judging import bp  # noqa: F401
