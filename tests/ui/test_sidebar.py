"""The shared sidebar in AppTest: ?data= in a link picks the dataset on any page, once; a dataset
that cannot be loaded is said on every page that needs it."""

import pytest

from playground.ui import state

def _warnings(at) -> list[str]:
    """The dataset warnings, said in the main area (a link may hide the sidebar)."""
    return [w.value for w in at.main.warning]


def test_a_link_picks_the_course_data_on_any_page(app_test):
    at = app_test("landscape.py", query={"data": "course"})
    assert at.radio(key="dataset_kind").value == "course_folder"
    assert "The course's cat / non-cat photos" in at.main.caption[0].value
    assert not _warnings(at)


def test_the_link_applies_on_arrival_and_the_sidebar_stays_in_charge(app_test):
    at = app_test("graph.py", query={"data": "course"})
    at.radio(key="dataset_kind").set_value("builtin").run()
    at.switch_page("playground/ui/pages/train.py").run()  # the URL still says data=course
    assert not at.exception
    assert at.radio(key="dataset_kind").value == "builtin"


def test_a_bad_or_unavailable_dataset_in_a_link_is_explained(app_test, monkeypatch, tmp_path):
    at = app_test(query={"data": "mnist"})  # the Data page, the link's first run
    assert at.radio(key="dataset_kind").value == "builtin"
    assert _warnings(at) == ["The link's `data=mnist` is not one of builtin or course; "
                             "keeping the dataset named below."]
    at.run()  # said once, on arrival
    assert not _warnings(at)
    at = app_test(query={"data": "a`**b**"})  # a backtick cannot close the code span the value sits in
    assert "`data=a'**b**`" in _warnings(at)[0]

    monkeypatch.setenv("PLAYGROUND_DATA", str(tmp_path))  # a server without the course's files
    at = app_test(query={"data": "course", "lang": "ko"})
    assert at.radio(key="dataset_kind").value == "builtin" and not at.exception
    assert "이 서버에는 없습니다" in _warnings(at)[0]


@pytest.mark.parametrize("page, view", [
    ("data.py", None), ("train.py", None), ("landscape.py", "slice"), ("graph.py", None), ("speed.py", None),
])
def test_an_upload_the_session_no_longer_holds_is_said_on_every_page_in_korean(app_test, page, view):
    at = app_test(page, query={"lang": "ko"})
    if view:
        at.radio(key="landscape_view").set_value(view).run()
    at.session_state[state.SOURCE] = state.Source(kind="zip", digest="gone", positive="cat")
    at.session_state["dataset_kind"] = "zip"  # (the sidebar would switch back to the drawings otherwise)
    at.run()
    assert not at.exception
    [error] = [e.value for e in at.main.error]
    assert error == "데이터셋을 불러올 수 없습니다: 올린 파일이 더 이상 이 세션에 없습니다. 다시 올려 주세요. 사이드바에서 다른 데이터셋을 고르세요."


def test_a_cold_load_is_said_in_the_visitors_language_and_a_warm_one_not_at_all(app_test, monkeypatch):
    import streamlit as st

    said, real = [], st.spinner

    def spy(text, *args, **kwargs):
        said.append(text)
        return real(text, *args, **kwargs)

    st.cache_resource.clear()  # (the dataset and its features, made again)
    monkeypatch.setattr(st, "spinner", spy)
    at = app_test("data.py", query={"lang": "ko"})
    assert "데이터셋을 불러오는 중…" in said and "X와 Y를 준비하는 중…" in said
    said.clear()
    at.run()
    assert not at.exception and not {"데이터셋을 불러오는 중…", "X와 Y를 준비하는 중…"} & set(said)


def test_the_readme_link_on_a_server_without_the_course_says_so_in_the_main_area(app_test, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("PLAYGROUND_DATA", str(tmp_path))  # a server without the course's files
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in {"data": "course", "lr": "0.01", "iters": "1500", "present": "1", "hide": "sidebar,loss,init"}.items():
        at.query_params[k] = v
    at.switch_page("playground/ui/pages/train.py").run()  # the link opens the Train page itself
    assert not at.exception, at.exception
    assert any("does not have them" in w for w in _warnings(at)), _warnings(at)
    assert "Built-in drawings" in at.main.caption[0].value
    at.run()  # said once; the dataset stays named
    assert not any("does not have them" in w for w in _warnings(at))
    assert "Built-in drawings" in at.main.caption[0].value
    for page in ("data", "landscape", "graph", "speed", "predict"):
        at.switch_page(f"playground/ui/pages/{page}.py").run()
        assert not at.exception and "Built-in drawings" in at.main.caption[0].value, page


def test_the_course_folder_is_named_without_the_server_path(app_test, course_dir):
    at = app_test(query={"data": "course"})
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "catvnoncat" in captions and str(course_dir.parent) not in captions
