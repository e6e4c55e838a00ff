"""The shared sidebar in AppTest: ?data= in a link picks the dataset on any page, once."""

def _warnings(at) -> list[str]:
    return [w.value for w in at.sidebar.warning]


def test_a_link_picks_the_course_data_on_any_page(app_test):
    at = app_test("landscape.py", query={"data": "course"})
    assert at.radio(key="dataset_kind").value == "course_folder"
    assert "The course's cat / non-cat photos" in " ".join(c.value for c in at.sidebar.caption)
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
                             "keeping the dataset chosen in the sidebar."]
    at.run()  # said once, on arrival
    assert not _warnings(at)
    at = app_test(query={"data": "a`**b**"})  # a backtick cannot close the code span the value sits in
    assert "`data=a'**b**`" in _warnings(at)[0]

    monkeypatch.setenv("PLAYGROUND_DATA", str(tmp_path))  # a server without the course's files
    at = app_test(query={"data": "course", "lang": "ko"})
    assert at.radio(key="dataset_kind").value == "builtin" and not at.exception
    assert "이 서버에는 없습니다" in _warnings(at)[0]
