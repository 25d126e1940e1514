"""A reduced load run in CI: Locust, 10 users for 10 s against a real ``assistant serve``: 0 errors."""
import pytest


@pytest.mark.slow
def test_ten_users_for_ten_seconds_without_errors(home, assistant):
    from eval.load import run_load

    result = run_load(users=10, seconds=10, home=str(home))
    print(result)
    assert result["turns"] >= 20 and result["api"]["turns"] >= 3 and result["failures"] == 0, result
