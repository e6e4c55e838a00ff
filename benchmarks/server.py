"""The Train page's heaviest rerun in a real server. Prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.server [--seconds 30] [--data course,builtin] [--settle 0.3]

``python -m benchmarks.pages --tail`` repeats this rerun in AppTest, whose main thread polls for the end of the run
every millisecond and takes the GIL from the script a thousand times a second (measured: four
5,000-iteration squared-error runs take 76–80 ms called directly in that process, 84–96 ms with
such a poller beside them). A server's event loop sleeps until a message comes. So this starts
``streamlit run app.py`` and plays a visitor through Streamlit's own websocket protocol
(benchmarks/wsclient.py, no browser to draw): the Train page on 5,000 iterations from a random
start with the Compare tab open, then again and again a new seed (untimed), a pause (``--settle``,
0.3 s: no hand moves two controls faster) and a new loss (timed), so the main run and the three
compared rates are all new each time. A time is the client's, from the request to the run's final
``script_finished``: the server's rerun plus a local round trip.

The pause matters on this machine: after a rest the same work runs slower (its cores idle, the host
gives them to others), and after a run the server collects garbage in full (``runner.postScriptGC``)
while a move that comes at once would already run. ``--settle 0`` gives the back-to-back figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from benchmarks.app import ARTIFACTS, COURSE_DIR, serve_app
from benchmarks.pages import host_line, machine_line, print_tail
from benchmarks.wsclient import Session

# The radio's labels (English), as the browser sends them; k = 1, 2, … starts on MSE: the page opens
# on cross-entropy, and a move to the loss it has would only read the cache.
LOSS_LABELS = ("Cross-entropy", "MSE")


async def heaviest(url: str, data: str, seconds: float, settle: float) -> list[float]:
    async with Session(url) as s:
        await s.open("train", f"data={data}&iters=5000&init=random&seed=0&tab=compare")
        s.check_page("the Train page")
        seed, loss = s.widget_id("number_input", "train_seed"), s.widget_id("radio", "train_loss")
        times, k, end = [], 0, time.perf_counter() + seconds
        while time.perf_counter() < end or not times:
            k += 1
            await s.set_widget(seed, double_value=float(k))  # a start not seen before
            await asyncio.sleep(settle)
            times.append(await s.set_widget(loss, string_value=LOSS_LABELS[k % 2]))
            s.check_page(f"the Train page, move {k}")
        return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=30.0, help="per dataset (default: %(default)s)")
    p.add_argument("--data", default="course,builtin", help="course, builtin or both (default: %(default)s)")
    p.add_argument("--settle", type=float, default=0.3, help="seconds between the untimed and the timed move "
                   "(default: %(default)s)")
    args = p.parse_args(argv)
    print(machine_line())
    print(host_line())
    print(f"\nTHE HEAVIEST RERUN IN A SERVER (Train, Compare open, 5,000 iterations, a new loss from a new start; "
          f"{args.seconds:g} s each, {args.settle:g} s before each timed move)")
    # (the course's photos offered as $PLAYGROUND_DATA; the server's log in test-artifacts/)
    with serve_app(ARTIFACTS / "bench-server.log", env={"PLAYGROUND_DATA": str(COURSE_DIR)}, timeout=60) as (url, _):
        for data in args.data.split(","):
            print_tail(data, asyncio.run(heaviest(url, data, args.seconds, args.settle)))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}; {host_line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
