from sobrio.core import charts


def test_a_radar_needs_three_axes():
    assert charts.radar(["a", "b"], [("x", [1, 2])]) is None


def test_radar_points_sit_on_the_scale():
    radar = charts.radar(["a", "b", "c", "d"], [("2026", [100, 50, 0, None])], size=200)
    cx, cy = radar["cx"], radar["cy"]
    points = [tuple(map(float, p.split(","))) for p in radar["polygons"][0]["points"].split()]
    # First axis points up: a score of 100 reaches the full radius (100 px above the centre).
    assert points[0] == (cx, cy - 100)
    assert points[1] == (cx + 50, cy)  # 50 on the right-hand axis: half the radius
    assert points[2] == (cx, cy) and points[3] == (cx, cy)  # 0 and "non applicable"
    assert len(radar["rings"]) == 4 and len(radar["axes"]) == 4
