"""Refused inputs: English messages with a key and fields, for the UI to say in the visitor's language."""

import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from playground.errors import MESSAGES, InputError

PACKAGE = Path(__file__).resolve().parents[1] / "playground"


def test_the_message_is_the_english_text_with_its_fields():
    err = InputError("image_too_big", name="cat.jpg", mib=21.04, limit_mib=20)
    assert isinstance(err, ValueError)
    assert str(err) == "cat.jpg is 21.0 MiB; images up to 20 MiB are accepted."
    assert (err.key, err.fields) == ("image_too_big", {"name": "cat.jpg", "mib": 21.04, "limit_mib": 20})


def test_a_field_may_be_called_key_and_an_error_survives_pickling():
    err = InputError("model_non_finite", name="m.npz", key="w")
    again = pickle.loads(pickle.dumps(err))  # (Streamlit's cache_data keeps refusals pickled)
    assert type(again) is InputError and (again.key, again.fields, str(again)) == (err.key, err.fields, str(err))
    shaped = InputError("model_bad_bias", name="m.npz", shape=(2,), dtype=np.dtype("int64"))
    assert str(pickle.loads(pickle.dumps(shaped))) == str(shaped)


def test_a_missing_field_or_an_unknown_key_fails_at_once():
    with pytest.raises(KeyError):
        InputError("image_empty")
    with pytest.raises(KeyError):
        InputError("no_such_message")


def test_every_message_is_raised_somewhere_in_the_package():
    source = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py"))
    raised = set(re.findall(r'InputError\(\s*"([a-z0-9_]+)"', source))
    # folder.py picks "zip_…" or "folder_…" by what it reads
    raised |= {f"{kind}_{rest}" for rest in re.findall(r'InputError\(\s*f"\{kind\}_([a-z_]+)"', source)
               for kind in ("zip", "folder")}
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))
    assert set(MESSAGES) <= raised, f"messages no code raises: {sorted(set(MESSAGES) - raised)}"
