"""Point-in-zone assignment (layers/analysis/assign.py) on shapes whose answers are known."""

from __future__ import annotations

import numpy as np
import shapely

from layers.analysis.assign import assign_points, assign_xy

# Two unit squares side by side, and a square with a hole further right.
LEFT = shapely.box(0, 0, 1, 1)
RIGHT = shapely.box(1, 0, 2, 1)
HOLED = shapely.Polygon([(3, 0), (4, 0), (4, 1), (3, 1)], [[(3.4, 0.4), (3.6, 0.4), (3.6, 0.6),
                                                              (3.4, 0.6)]])
UNITS = np.array([LEFT, RIGHT, HOLED])


def test_each_point_gets_the_unit_that_contains_it():
    pts = shapely.points([(0.5, 0.5), (1.5, 0.5), (3.1, 0.1), (3.5, 0.5), (9, 9)])
    assert list(assign_points(pts, UNITS)) == [0, 1, 2, -1, -1]  # hole and far away: none


def test_shared_border_goes_to_the_lowest_index_and_labels_map_units_to_zones():
    pts = shapely.points([(1.0, 0.5), (2.0, 0.5), (0.0, 0.0)])
    assert list(assign_points(pts, UNITS)) == [0, 1, 0]
    zones = np.array([7, 7, 3])
    assert list(assign_points(pts, UNITS, labels=zones)) == [7, 7, 7]
    assert list(assign_xy([3.2, 5.0], [0.2, 5.0], UNITS, labels=zones)) == [3, -1]


def test_missing_and_empty_points_are_unassigned():
    pts = np.array([None, shapely.Point(), shapely.Point(0.5, 0.5)], dtype=object)
    assert list(assign_points(pts, UNITS)) == [-1, -1, 0]
    assert list(assign_points(pts, UNITS[:0])) == [-1, -1, -1]
