"""The cohort demo: placeholder until the data builders land."""


def load_demo() -> str:
    return "demo: nothing yet"
