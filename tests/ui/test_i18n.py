"""English and Korean: the same keys and format fields in both, every key the code asks for exists."""

import re
import string
import unicodedata
from pathlib import Path

import pytest

from playground.ui.i18n import LANGUAGES, catalog

UI = Path(__file__).resolve().parents[2] / "playground" / "ui"
KEY_CALL = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[a-z0-9_{}.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    for lang, own in keys.items():
        for other, theirs in keys.items():
            missing = sorted(theirs - own)
            assert not missing, f"{LANGUAGES[lang]} lacks {len(missing)} key(s) that {LANGUAGES[other]} has: {missing[:10]}"


def test_format_fields_match_between_languages():
    en, ko = catalog("en"), catalog("ko")
    wrong = [k for k in en if _fields(en[k]) != _fields(ko.get(k, en[k]))]
    assert not wrong, f"format fields differ in: {wrong}"


def test_every_literal_key_in_the_ui_code_is_translated():
    en = catalog("en")
    asked = set()
    for path in UI.rglob("*.py"):
        asked |= {k for k in KEY_CALL.findall(path.read_text()) if "{" not in k}
    assert asked, "no t(...) calls found: the pattern is out of date"
    missing = sorted(asked - set(en))
    assert not missing, f"keys used in code but not in locales/en: {missing}"


def _filled(text: str) -> str:
    """The text with every {field} as a number, which is what most fields hold."""
    return "".join(literal + ("1" if name is not None else "") for literal, name, _, _ in string.Formatter().parse(text))


def _unclosable_bold(text: str) -> list[str]:
    """Where a ** cannot open or close bold by CommonMark's flanking rules (what Streamlit's Markdown
    follows): a closing ** after punctuation must be followed by a space or punctuation, so in
    "**시작!**을" the particle leaves the asterisks on the page."""
    def punct(c):
        return c != "" and (c in string.punctuation or unicodedata.category(c)[0] in "PS")

    def space(c):
        return c == "" or c.isspace()

    bad = []
    for k, m in enumerate(re.finditer(r"\*\*", text)):
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        opens = not space(after) and (not punct(after) or space(before) or punct(before))
        closes = not space(before) and (not punct(before) or space(after) or punct(after))
        if not (opens if k % 2 == 0 else closes):
            bad.append(text[max(0, m.start() - 10):m.end() + 10])
    return bad


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_bold_marker_opens_and_closes(lang):
    bad = {k: _unclosable_bold(_filled(v)) for k, v in catalog(lang).items()}
    assert not {k: v for k, v in bad.items() if v}


def test_the_bold_check_sees_a_korean_particle_after_punctuation():
    assert _unclosable_bold("고른 뒤 **경주 시작!**을 누르세요") and not _unclosable_bold("**경주 시작!** 버튼을")
    assert not _unclosable_bold(_filled("값은 **{value}**이므로"))


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_empty_texts(lang):
    empty = [k for k, v in catalog(lang).items() if not v.strip()]
    assert not empty


def test_a_korean_session_reruns_after_a_widget_moves(app_test):
    at = app_test(query={"lang": "ko"})
    assert at.title[0].value == "로지스틱 회귀, 뉴런 하나짜리 신경망"
    at.radio(key="gallery_split").set_value("test").run()
    at.radio(key="dataset_kind").set_value("course_folder").run()
    assert not at.exception
    assert at.header[0].value == "강의의 고양이 / 고양이 아님 사진"


def test_graph_page_in_korean_reruns(app_test):
    at = app_test(page="graph.py", query={"lang": "ko"})
    at.radio(key="graph_params").set_value("zeros").run()
    assert not at.exception
