"""The ring of slots the dual loop and its recorder share (the recorder's numbers are tested
through training: tests/test_training.py and tests/test_sidecar.py)."""

import numpy as np

from playground.histories import Setup, ring, ring_bytes


def test_the_ring_is_aligned_alike_here_and_there():
    """The loop's and the recorder's views of a slot: 64-byte aligned in any buffer, D's padding zero."""
    setup = Setup(losses=("cross_entropy",) * 3, counts=(10, 10, 10), every=(1, 1, 1), snapshots=(0, 0, 0),
                           test_history=True, y=np.zeros(7), yt=np.zeros(3), K_test=np.zeros((3, 7)),
                           z0t=np.zeros(3), b0=0.0, chunk=10, width=4)
    for shift in range(0, 64, 8):
        buffer = np.full(ring_bytes(setup) + 64, 255, np.uint8)[shift:]
        for slot in ring(buffer, setup):
            assert all(a.ctypes.data % 64 == 0 for a in (slot.U, slot.D))
            assert slot.Th is None and slot.U.shape == (11, 3, 7) and slot.D.shape == (10, 4, 7)
            assert not slot.D[:, 3:].any()


def test_squared_error_rows_get_a_slot_for_th():
    setup = Setup(losses=("cross_entropy", "mse"), counts=(5, 5), every=(1, 1), snapshots=(0, 0),
                  test_history=True, y=np.zeros(7), yt=np.zeros(3), K_test=np.zeros((3, 7)),
                  z0t=np.zeros(3), b0=0.0, chunk=5, width=4)
    first, second = ring(np.empty(ring_bytes(setup), np.uint8), setup)
    assert first.Th.shape == (5, 2, 7) and first.Th.ctypes.data % 64 == 0
    # the two slots' arrays do not overlap
    spans = [(a.ctypes.data, a.ctypes.data + a.nbytes) for slot in (first, second) for a in slot]
    spans.sort()
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
