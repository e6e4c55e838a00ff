"""A teacher's link read safely: values it cannot use are said once, shortened, never echoed whole."""

import pytest

from playground.ui.links import MAX_QUOTED, quoted
from tests.helpers import texts


def test_a_quoted_value_is_short_and_cannot_close_its_code_span():
    assert quoted("0.01") == "0.01"
    assert quoted(["a", "b`c"]) == "b'c"  # a repeated parameter: the last one, as Streamlit reads it
    long = quoted("x" * 100_000)
    assert len(long) == MAX_QUOTED and long.endswith("…")


def test_a_huge_data_value_is_not_echoed_whole(app_test):
    at = app_test(query={"data": "A" * 100_000})
    [warning] = texts(at.main.warning)
    assert "A" * (MAX_QUOTED - 1) + "…" in warning and len(warning) < 400


def test_a_huge_rate_in_a_train_link_is_not_echoed_whole(app_test):
    at = app_test("train.py", query={"lr": "9" * 100_000})
    notices = [w for w in texts(at.warning) if "`lr=" in w]
    assert len(notices) == 1 and len(notices[0]) < 400, notices


@pytest.mark.parametrize("value", ["KO", " ko ", "Ko"])
def test_the_language_is_read_in_any_case(app_test, value):
    at = app_test(query={"lang": value})
    assert at.title[0].value == "로지스틱 회귀, 뉴런 하나짜리 신경망"


def test_a_bad_view_is_said_once_and_leaves_the_address_bar(app_test):
    at = app_test("landscape.py", query={"view": "nonsense"})
    [notice] = [w for w in texts(at.warning) if "view=nonsense" in w]
    assert "exact" in notice
    assert "view" not in at.query_params
    at.run()
    assert not at.exception
    assert not [w for w in texts(at.warning) if "view=nonsense" in w]


def test_a_bad_tab_is_said(app_test):
    at = app_test("train.py", query={"tab": "nonsense"})
    [notice] = [w for w in texts(at.warning) if "`tab=nonsense`" in w]
    assert "results" in notice and "compare" in notice
