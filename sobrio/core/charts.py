"""Geometry of the server-rendered SVG charts. Plain Python: templates draw, this computes.

Every chart is shown with its data table, so the SVG itself is aria-hidden decoration.
"""

import math


def _point(cx, cy, radius, angle):
    return (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))


def radar(labels, series, size=320, maximum=100.0, rings=(25, 50, 75, 100)):
    """Axes, rings and one polygon per series; values None are drawn at the centre.

    labels: axis names; series: [(name, [value or None per axis])].
    """
    n = len(labels)
    if n < 3:
        return None
    margin = 70
    cx = cy = size / 2 + margin
    radius = size / 2
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    axes = []
    for label, angle in zip(labels, angles, strict=True):
        x, y = _point(cx, cy, radius, angle)
        lx, ly = _point(cx, cy, radius + 14, angle)
        anchor = (
            "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        )
        axes.append({"x": x, "y": y, "lx": lx, "ly": ly + 4, "label": label, "anchor": anchor})
    ring_paths = [
        " ".join(f"{x},{y}" for x, y in (_point(cx, cy, radius * r / maximum, a) for a in angles))
        for r in rings
    ]
    polygons = []
    for index, (name, values) in enumerate(series):
        points = [
            _point(cx, cy, radius * max(0.0, min(v or 0.0, maximum)) / maximum, a)
            for v, a in zip(values, angles, strict=True)
        ]
        polygons.append(
            {"name": name, "points": " ".join(f"{x},{y}" for x, y in points), "index": index}
        )
    return {
        "width": round(size + 2 * margin),
        "height": round(size + 2 * margin),
        "cx": cx,
        "cy": cy,
        "axes": axes,
        "rings": ring_paths,
        "polygons": polygons,
    }


def bars(items, row_height=22):
    """items: [(label, value, low, high)] with None for unknown; widths in % of the largest."""
    known = [max(v or 0, h or 0) for _l, v, _lo, h in items]
    top = max(known, default=0) or 1
    out = []
    for i, (label, value, low, high) in enumerate(items):
        out.append(
            {
                "label": label,
                "value": value,
                "y": i * row_height,
                "width": round(100 * (value or 0) / top, 2),
                "low": round(100 * low / top, 2) if low is not None else None,
                "high": round(100 * high / top, 2) if high is not None else None,
            }
        )
    return {"rows": out, "height": max(len(items), 1) * row_height}
