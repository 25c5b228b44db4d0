import pytest

# The shared helpers assert too: pytest explains their failures as it does the tests'.
pytest.register_assert_rewrite("tests.helpers", "tests.factories")
