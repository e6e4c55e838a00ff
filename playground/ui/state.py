"""Per-visitor state: every session-state key the shared UI uses, with its default.

Module-level variables are shared by every visitor of the server, so nothing
per-visitor lives outside ``st.session_state``.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

SOURCE = "source"
"""The current dataset Source."""
UPLOADS = "uploads"
"""digest → uploaded bytes (or a pair of them) backing an upload Source."""
REFUSED = "refused_source"
"""(Source, its InputError): the last dataset this visitor's upload could not be loaded from."""
PREPROCESSING = "preprocessing"
MODEL = "trained_model"
"""The SavedModel this visitor trained last on the Train page (Predict uses it)."""
MODEL_INFO = "trained_model_info"
"""A short description of that model (settings, dataset, accuracies) for display."""


# The Train page. Its widgets' keys persist for the whole session, so their values survive a visit
# to another page.
TRAIN_LR, TRAIN_ITERS, TRAIN_LOSS, TRAIN_INIT, TRAIN_SEED = "train_lr", "train_iters", "train_loss", "train_init", "train_seed"
TRAIN_LOG, TRAIN_COMPARE, TRAIN_EVERY = "train_log", "train_compare", "train_every"
TRAIN_TAB = "tab"
"""The tabs' widget key, which holds the open tab's label (?tab= holds its id: train_params.TAB_PARAM)."""
TRAIN_LINK_READ = "train_link_read"
"""Set once the page has read the URL: a link applies on the first visit only."""
TRAIN_NOTICES = "train_notices"
"""What the link held that could not be used, said once."""
TRAIN_MODEL_SIGNATURE = "train_model_signature"
"""The settings and dataset of the model last handed to the Predict page."""
TRAIN_METRICS_SHOWN, TRAIN_METRICS_BEFORE = "train_metrics_shown", "train_metrics_before"
"""The metrics shown last, and those before them (the change arrows compare the two)."""

# The Data page.
DATA_RANGE_NOTE = "pix_range_note"
"""(which field, the value asked, the top, the value used): an out-of-range pixel entry, said once."""


@dataclass(frozen=True)
class Source:
    """Where the current dataset comes from; plain values, so it keys caches.

    kind: "builtin" (seed), "course_folder" (path), "course_upload" (digest),
    "zip" (digest, positive class, seed for the split).
    """

    kind: str = "builtin"
    seed: int = 0
    path: str = ""
    digest: str = ""
    positive: str = ""


def get_source() -> Source:
    return st.session_state.get(SOURCE, Source())


def set_source(source: Source, payload=None) -> None:
    """Make ``source`` current; uploads keep their bytes in this session only.

    Only two uploads are kept: the new one, and the one in use — so that a refused
    upload can fall back to it — not every file a visitor ever tried.
    """
    if payload is not None:
        uploads = st.session_state.setdefault(UPLOADS, {})
        keep = {get_source().digest, source.digest}
        for digest in [d for d in uploads if d not in keep]:
            del uploads[digest]
        uploads[source.digest] = payload
    st.session_state[SOURCE] = source


def get_payload(source: Source):
    return st.session_state.get(UPLOADS, {}).get(source.digest)


def get_preprocessing() -> str:
    return st.session_state.get(PREPROCESSING, "divide_255")

# Checkpoints (playground.ui.checkpoints): per visitor, never stored beyond the session.
CHECKPOINT_RECORDS = "checkpoint_records"
"""checkpoint id → Record: this visitor's tries and whether the checkpoint is done."""
CHECKPOINT_REVEALED = "checkpoint_revealed"
"""The set of checkpoint ids whose answer the presenter revealed."""
CHECKPOINT_LINK_READ = "checkpoint_link_read"
"""Set once the session has read ?checkpoint=: a link applies on arrival only."""

# Class mode (playground.ui.classroom): who this visitor is in a class, for this session only.
CLASS_STUDENT = "class_student_id"
"""A random id for this session, the only thing that tells one student's answers from another's."""
CLASS_MEMBER = "class_member"
"""(code, nickname) of the class this visitor joined as a student, or absent."""
CLASS_TEACHER = "class_teacher"
"""(code, teacher key) of the class this visitor teaches, or absent."""
CLASS_LINK_READ = "class_link_read"
"""Set once the session has read ?class= and ?key=."""
CLASS_SENT_ROUNDS = "class_sent_rounds"
"""checkpoint id → the round this visitor's answer was sent in (a higher round: the teacher cleared it)."""


def link_once(flag: str, name: str) -> str | None:
    """``?name=`` of the address this session arrived with, on its first run only (``flag`` is the
    session key that marks it read): a link applies on arrival, not after every click."""
    if st.session_state.get(flag):
        return None
    st.session_state[flag] = True
    return st.query_params.get(name)


def widget_default(key: str, value) -> str:
    """``key``, its widget's default put in session state first, for a widget whose value the app sets
    too (Show me, a clamp): one given both a value= and a value set through session state makes
    Streamlit log a warning."""
    st.session_state.setdefault(key, value)
    return key
