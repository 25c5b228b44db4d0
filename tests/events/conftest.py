"""The headless-Chromium fixtures of tests/browser, for the events pages' phone checks."""

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _playwright,
    browser,
    context_factory,
    live_server,
    phone_page,
)
