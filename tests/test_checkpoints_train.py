"""The Train page's checkpoints, computed from runs on the course's data."""

import dataclasses
import math

import numpy as np
import pytest

from playground.lessons.checkpoints import train as asked
from playground.training import TrainingSettings, train, train_many
from playground.ui.pages.train_params import ITERATION_STEP, LEARNING_RATES, MAX_ITERATIONS


def test_the_first_cost_is_log_2_from_w_0_on_any_data(course_features):
    q = asked.first_cost(course_features.Y_train)
    start = train(course_features, TrainingSettings(num_iterations=0))  # what the page's curve starts at
    assert q.answer.right == pytest.approx(start.final_cost, abs=1e-6)
    assert q.is_right(0.693) and q.is_right(0.69) and not q.is_right(0.5) and not q.is_right(1.0)
    assert q.answer.right == pytest.approx(math.log(2), abs=1e-6)
    assert q.show == {"init": "zeros", "loss": "cross_entropy", "log": False}


# (The course's own rate zigzags over its first 300 iterations on this data: the cost rises every other step.)
@pytest.mark.parametrize("rate, shape", [(0.0005, "downhill"), (0.005, "zigzag"), (0.05, "blow_up")])
def test_how_the_cost_goes_comes_from_the_run(course_features, rate, shape):
    run = train(course_features, TrainingSettings(learning_rate=rate, num_iterations=2000), snapshots=0)
    # Independently: a jump above 10× the start is a blow-up; no rise at all is downhill.
    costs = run.costs
    ups = int(np.sum(np.diff(costs) > 0))
    expected = "blow_up" if np.nanmax(costs) > 10 * costs[0] else "downhill" if ups == 0 else "zigzag" if ups >= 2 else None
    assert expected == shape
    q = asked.blow_up(run)
    assert q.answer.right == shape and q.is_right(shape)
    assert all(not q.is_right(other) for other in asked.SHAPES if other != shape)
    assert q.fields == {"alpha": f"{rate:g}", "iterations": "2,000"} and q.show == {"lr": rate}


@pytest.fixture(scope="module")
def every_rate(course_features):
    return train_many(course_features, [TrainingSettings(learning_rate=r, num_iterations=MAX_ITERATIONS)
                                        for r in LEARNING_RATES], snapshots=0, snapshot_weights=False,
                      test_every=ITERATION_STEP)


def test_the_goal_is_reached_first_by_the_rate_the_core_finds(every_rate):
    goal, fewest, rate = asked.goal_and_fewest(every_rate, ITERATION_STEP)
    assert goal == 95.0
    # Independently: every (count, rate) on the slider's grid at 95 % train accuracy or above.
    reached = [(n, r.settings.learning_rate) for r in every_rate for n in range(0, MAX_ITERATIONS + 1, ITERATION_STEP)
               if n < len(r.train_accuracies) and r.train_accuracies[n] >= 95.0
               and np.nanmax(r.costs) <= 10 * r.costs[0]]  # (a run that blew up is chaotic: left out)
    assert (fewest, rate) == min(reached)
    assert fewest % ITERATION_STEP == 0 and rate > 0.005  # faster than the course's rate


def test_the_target_is_met_by_a_run_at_the_goal_within_the_limit(course_features, every_rate):
    goal, fewest, rate = asked.goal_and_fewest(every_rate, ITERATION_STEP)
    limit = ITERATION_STEP * math.ceil(1.5 * fewest / ITERATION_STEP)
    course = train(course_features, TrainingSettings(), snapshots=0)  # 99 % after 2,000: too many
    q = asked.reach(course, every_rate, ITERATION_STEP)
    assert not q.is_right(None) and q.fields["limit"] == f"{limit:,}" and q.fields["accuracy"] == "99.04"
    quick = train(course_features, TrainingSettings(learning_rate=rate, num_iterations=fewest), snapshots=0)
    assert quick.train_accuracy >= goal
    assert asked.reach(quick, every_rate, ITERATION_STEP).is_right(None)
    assert q.show == {"lr": rate, "iterations": fewest}
    slow = train(course_features, TrainingSettings(learning_rate=0.0001, num_iterations=limit), snapshots=0)
    assert slow.train_accuracy < goal and not asked.reach(slow, every_rate, ITERATION_STEP).is_right(None)


def test_an_unreachable_goal_comes_down_to_what_the_slider_reaches(every_rate):
    capped = [dataclasses.replace(r, train_accuracies=np.minimum(r.train_accuracies, 83.0)) for r in every_rate]
    goal, fewest, rate = asked.goal_and_fewest(capped, ITERATION_STEP)
    assert goal == 80.0
