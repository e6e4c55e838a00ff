"""The training benchmark runs and prints its table (figures are read by people, not asserted)."""

from playground.training.bench import main


def test_bench_prints_every_implementation(course_dir, capsys):
    assert main(["--data", str(course_dir), "--iterations", "20", "--repeats", "1", "--no-loops"]) == 0
    out = capsys.readouterr().out
    for row in ("course code, vectorized float64", "plain path", "dual path", "1×"):
        assert row in out
    assert "m_train = 209, n_x = 12,288" in out
