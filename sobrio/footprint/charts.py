"""Bars for server-side SVG charts: geometry only, the template draws (aria-hidden) and a
data table next to it carries the figures for screen readers."""


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
