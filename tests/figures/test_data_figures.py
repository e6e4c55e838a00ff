"""The Data page's figures alone: bars with room for their labels, channels from black to full colour."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.data import HEADROOM, channels_figure, class_balance_figure


def test_bar_labels_sit_above_the_bars_with_room_and_the_legend_above_the_plot():
    train_y, test_y = np.array([0] * 137 + [1] * 72), np.array([0] * 17 + [1] * 33)
    fig = class_balance_figure(train_y, test_y, ("kein Kater", "Kater"))
    go.Figure(fig.to_dict())  # what Plotly's validation accepts
    train, test = fig.data
    assert list(train.x) == ["kein Kater (y = 0)", "Kater (y = 1)"]
    assert list(train.text) == ["137<br>66 %", "72<br>34 %"] and list(test.text) == ["17<br>34 %", "33<br>66 %"]
    assert train.textposition == "outside" and train.textangle == 0 and train.cliponaxis is False
    assert fig.layout.yaxis.range == (0, 137 * HEADROOM)
    assert fig.layout.legend.y >= 1 and fig.layout.legend.yanchor == "bottom"


def test_channels_run_from_black_to_full_colour():
    image = np.zeros((4, 5, 3), dtype=np.uint8)
    image[0, 0] = (255, 128, 0)
    fig = channels_figure(image)
    heatmaps = [d for d in fig.data if d.type == "heatmap"]
    assert [h.colorscale[-1][1] for h in heatmaps] == ["rgb(255,0,0)", "rgb(0,255,0)", "rgb(0,0,255)"]
    assert all(h.colorscale[0][1] == "rgb(0,0,0)" and (h.zmin, h.zmax) == (0, 255) for h in heatmaps)
    assert all(h.colorbar.orientation == "h" and h.showscale is not False for h in heatmaps)
    assert [int(h.z[0][0]) for h in heatmaps] == [255, 128, 0]
