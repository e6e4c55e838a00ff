"""What a dual batch records: the slot the loop writes and its recorder reads (the recorder's
numbers are tested through training, tests/test_training.py; its costs' arithmetic,
losses.mean_losses, in tests/test_losses.py)."""

import numpy as np

from playground.training.histories import DualRecorder, Setup, new_slot


def _setup(losses: tuple[str, ...], count: int) -> Setup:
    """A batch of len(losses) rows of ``count`` iterations on 7 training and 3 test examples."""
    R = len(losses)
    return Setup(losses=losses, counts=(count,) * R, every=(1,) * R, snapshots=(0,) * R, test_history=True,
                 y=np.zeros(7), yt=np.zeros(3), K_test=np.zeros((3, 7)), z0t=np.zeros(3), b0=0.0, chunk=count,
                 width=4)


def test_the_slot_is_aligned_and_its_padding_zero():
    """The loop's and the recorder's views of the slot: 64-byte aligned wherever the buffer lands,
    D's padding rows zero."""
    setup = _setup(("cross_entropy",) * 3, 10)
    for slot in [new_slot(setup) for _ in range(8)] + [DualRecorder(setup).slot]:
        assert all(a.ctypes.data % 64 == 0 for a in (slot.U, slot.D))
        assert slot.Th is None and slot.U.shape == (11, 3, 7) and slot.D.shape == (10, 4, 7)
        assert not slot.D[:, 3:].any()


def test_squared_error_rows_get_room_for_th():
    slot = new_slot(_setup(("cross_entropy", "mse"), 5))
    assert slot.Th.shape == (5, 2, 7) and slot.Th.ctypes.data % 64 == 0
    # the slot's arrays do not overlap
    spans = sorted((a.ctypes.data, a.ctypes.data + a.nbytes) for a in slot)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
