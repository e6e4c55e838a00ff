import plotly.graph_objects as go

from playground.figures.unvalidated import figure


def test_an_unvalidated_figure_carries_its_frames_and_reads_like_a_validated_one():
    data = [{"type": "scatter", "x": [0, 1], "y": [1, 0]}]
    layout = {"title": {"text": "t"}}
    frames = [{"name": str(k), "data": [{"type": "scatter", "x": [k], "y": [k]}]} for k in range(3)]
    fig = figure(data, layout, frames)
    assert [f["name"] for f in fig.to_dict()["frames"]] == ["0", "1", "2"]
    checked = go.Figure(fig.to_dict())  # full validation: a wrong key would raise here
    assert list(checked.data[0].y) == [1, 0]
    assert len(checked.frames) == 3 and figure(data, layout).to_dict().get("frames", []) == []
