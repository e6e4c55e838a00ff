import gc

from playground.ui.process import freeze_startup_heap


def test_the_startup_heap_is_frozen_once():
    freeze_startup_heap.cache_clear()
    try:
        freeze_startup_heap()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # pytest, NumPy and this test's imports at least
        junk = [[] for _ in range(1000)]
        freeze_startup_heap()  # a later rerun: nothing more is frozen
        assert gc.get_freeze_count() == frozen
        del junk
    finally:
        gc.unfreeze()
        freeze_startup_heap.cache_clear()
