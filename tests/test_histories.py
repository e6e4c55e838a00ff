"""What a dual batch records: the ring of slots the loop and its recorder share (the recorder's
numbers are tested through training: tests/test_training.py and tests/test_sidecar.py; its costs'
arithmetic, losses.mean_losses, in tests/test_losses.py)."""

import numpy as np

from playground.training.histories import Setup, ring, ring_bytes


def _setup(losses: tuple[str, ...], count: int) -> Setup:
    """A batch of len(losses) rows of ``count`` iterations on 7 training and 3 test examples."""
    R = len(losses)
    return Setup(losses=losses, counts=(count,) * R, every=(1,) * R, snapshots=(0,) * R, test_history=True,
                 y=np.zeros(7), yt=np.zeros(3), K_test=np.zeros((3, 7)), z0t=np.zeros(3), b0=0.0, chunk=count,
                 width=4)


def test_the_ring_is_aligned_alike_here_and_there():
    """The loop's and the recorder's views of a slot: 64-byte aligned in any buffer, D's padding zero."""
    setup = _setup(("cross_entropy",) * 3, 10)
    for shift in range(0, 64, 8):
        buffer = np.full(ring_bytes(setup) + 64, 255, np.uint8)[shift:]
        for slot in ring(buffer, setup):
            assert all(a.ctypes.data % 64 == 0 for a in (slot.U, slot.D))
            assert slot.Th is None and slot.U.shape == (11, 3, 7) and slot.D.shape == (10, 4, 7)
            assert not slot.D[:, 3:].any()


def test_squared_error_rows_get_a_slot_for_th():
    setup = _setup(("cross_entropy", "mse"), 5)
    first, second = ring(np.empty(ring_bytes(setup), np.uint8), setup)
    assert first.Th.shape == (5, 2, 7) and first.Th.ctypes.data % 64 == 0
    # the two slots' arrays do not overlap
    spans = [(a.ctypes.data, a.ctypes.data + a.nbytes) for slot in (first, second) for a in slot]
    spans.sort()
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
