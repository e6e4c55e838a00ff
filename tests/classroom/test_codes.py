"""Join codes, teacher keys and nicknames."""

import pytest

from playground.classroom import codes
from playground.errors import InputError


def test_a_code_is_five_letters_that_do_not_sound_alike():
    made = {codes.new_code() for _ in range(500)}
    assert len(made) > 490  # (15⁵ codes: collisions are rare)
    assert all(len(c) == 5 and set(c) <= set(codes.CODE_LETTERS) for c in made)
    assert not set(codes.CODE_LETTERS) & set("BCDEGPTVZIO")


@pytest.mark.parametrize("typed, code", [("ahkqr", "AHKQR"), (" AH-KQR ", "AHKQR"), ("AHKQ", ""), ("AHKQB", ""),
                                         ("AHKQRR", ""), ("<b>", "")])
def test_a_code_as_typed(typed, code):
    assert codes.normal_code(typed) == code


def test_a_teacher_key_never_reads_as_a_command_line_option():
    assert not any(codes.new_key().startswith("-") for _ in range(2000))  # (1 in 64 did: 31 expected)


def test_a_teacher_key_has_at_least_128_bits_and_only_its_hash_is_kept():
    key = codes.new_key()
    assert len(key) >= 22 and codes.KEY_BYTES * 8 >= 128
    stored = codes.key_hash(key)
    assert key not in stored and codes.key_matches(key, stored)
    assert not codes.key_matches(key[:-1] + ("A" if key[-1] != "A" else "B"), stored)
    assert not codes.key_matches(None, stored) and not codes.key_matches("", stored)


@pytest.mark.parametrize("typed, kept", [
    (None, ""), ("", ""), ("  Mina  ", "Mina"), ("<b>Mina</b><script>", "<b>Mina</b><script>"),
    ("a\x00b\x1b[31mc\u200b", "ab[31mc"), ("line\nbreak\ttab", "line break tab"), ("민아", "민아"),
    ("e\u0301", "é"),
])
def test_a_nickname_is_cleaned_to_plain_text(typed, kept):
    assert codes.clean_nickname(typed) == kept


@pytest.mark.parametrize("typed", ["x" * 25, "x" * 10_000, "가" * 30])
def test_a_long_nickname_is_refused(typed):
    with pytest.raises(InputError) as err:
        codes.clean_nickname(typed)
    assert err.value.key == "class_nickname_too_long"
