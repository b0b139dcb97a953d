"""The editor's paint operations re-stated in Python, so a test can compute exactly which pixels a scripted
stroke or polygon must have changed (frontend_static/editors/segmentation/mask.js is the implementation)."""

import math
from itertools import pairwise

import numpy as np


def brush_offsets(size: int) -> list[tuple[int, int]]:
    """Integer offsets of a round brush `size` pixels across: dx² + dy² <= (size/2)²."""
    radius = max(1, int(size)) / 2
    reach = math.floor(radius)
    return [
        (dx, dy)
        for dy in range(-reach, reach + 1)
        for dx in range(-reach, reach + 1)
        if dx * dx + dy * dy <= radius * radius
    ]


def segment_pixels(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    """One pixel per step along the longer axis, the other coordinate rounded half up."""
    dx, dy = x1 - x0, y1 - y0
    steps = max(abs(dx), abs(dy))
    if steps == 0:
        return [(x0, y0)]
    return [
        (x0 + (2 * dx * i + steps) // (2 * steps), y0 + (2 * dy * i + steps) // (2 * steps)) for i in range(steps + 1)
    ]


def paint_stroke(ids: np.ndarray, pixels: list[tuple[int, int]], size: int, value: int) -> None:
    """A brush (value > 0) or eraser (value 0) stroke through `pixels`, in place."""
    height, width = ids.shape
    offsets = brush_offsets(size)
    path = [pixels[0], *pixels]  # the press paints a one-pixel segment, then each move a segment
    for (ax, ay), (bx, by) in pairwise(path):
        for x, y in segment_pixels(ax, ay, bx, by):
            for dx, dy in offsets:
                if 0 <= x + dx < width and 0 <= y + dy < height:
                    ids[y + dy, x + dx] = value


def fill_polygon(ids: np.ndarray, vertices: list[tuple[int, int]], value: int) -> None:
    """Pixels whose centre is inside (even-odd, half-open edges), plus the outline, in place."""
    height, width = ids.shape
    ys = [y for _, y in vertices]
    for y in range(max(0, min(ys)), min(height - 1, max(ys)) + 1):
        crossings = []
        for (ax, ay), (bx, by) in zip(vertices, vertices[1:] + vertices[:1], strict=True):
            if ay <= y < by or by <= y < ay:
                crossings.append(ax + ((y - ay) * (bx - ax)) / (by - ay))
        crossings.sort()
        for start, end in zip(crossings[::2], crossings[1::2], strict=False):
            ids[y, max(0, math.ceil(start)) : min(width - 1, math.floor(end)) + 1] = value
    for (ax, ay), (bx, by) in zip(vertices, vertices[1:] + vertices[:1], strict=True):
        for x, y in segment_pixels(ax, ay, bx, by):
            if 0 <= x < width and 0 <= y < height:
                ids[y, x] = value
