"""Keyframe interpolation: hand-computed cases, the shared JSON test vectors, and SDK compatibility.

The vectors in tests/core/vectors/interpolation/ are the contract with the browser editor's implementation:
numbers match within 1e-9, everything else exactly (see `assert_json_close`).
"""

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
from pydantic import TypeAdapter
from segments.typing import (
    ImageSequenceVectorLabelAttributes,
    LabelAttributes,
    MultiSensorLabelAttributes,
    PointcloudSequenceCuboidLabelAttributes,
    PointcloudSequenceVectorLabelAttributes,
)

from labeling.core.interpolation import (
    REMOVED_TRACKS_KEY,
    InterpolationError,
    interpolate_cuboid_tracks,
    interpolate_multisensor_label,
    interpolate_sequence_label,
    interpolation_positions,
    remove_track_from_frame,
    visible_annotations,
)
from labeling.core.interpolation_geometry import (
    interpolate_yaw,
    match_vertices,
    slerp,
    wrap_yaw,
    yaw_quaternion,
)

VECTORS = sorted((Path(__file__).parent / "vectors" / "interpolation").glob("*.json"))
TOLERANCE = 1e-9


# --- helpers -----------------------------------------------------------------------------------------------


def bbox(track_id, points, *, keyframe=True, **extra):
    return {
        "id": track_id,
        "track_id": track_id,
        "category_id": 1,
        "type": "bbox",
        "points": points,
        "is_keyframe": keyframe,
        **extra,
    }


def cuboid(track_id, position, yaw, *, keyframe=True, rotation=None, dimensions=(4.0, 2.0, 1.5)):
    annotation = {
        "id": track_id,
        "track_id": track_id,
        "category_id": 1,
        "type": "cuboid",
        "position": dict(zip("xyz", position, strict=True)),
        "dimensions": dict(zip("xyz", dimensions, strict=True)),
        "yaw": yaw,
        "is_keyframe": keyframe,
    }
    if rotation is not None:
        annotation["rotation"] = dict(zip(("qx", "qy", "qz", "qw"), rotation, strict=True))
    return annotation


def sequence(*frames):
    """A label from per-frame annotation lists (or whole frame dicts)."""
    return {
        "format_version": "0.2",
        "frames": [frame if isinstance(frame, dict) else {"annotations": list(frame)} for frame in frames],
    }


def points_by_frame(label, track_id=1):
    """For each frame, the points of `track_id`'s visible annotation, or None when absent."""
    result = []
    for frame in label["frames"]:
        found = [a["points"] for a in visible_annotations(frame) if a["track_id"] == track_id]
        result.append(found[0] if found else None)
    return result


def assert_json_close(actual, expected, path="$"):
    """Same structure and keys; numbers within TOLERANCE; bools, strings and null exactly."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert type(actual) is type(expected), f"{path}: {actual!r} != {expected!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, (int, float)):
        assert type(actual) in (int, float), f"{path}: {actual!r} is not a number"
        assert abs(actual - expected) <= TOLERANCE, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_json_close(left, right, f"{path}[{index}]")
    else:
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        assert actual.keys() == expected.keys(), f"{path}: keys {list(actual)} != {list(expected)}"
        for key in expected:
            assert_json_close(actual[key], expected[key], f"{path}.{key}")


def run_vector(vector, attributes=None):
    options = vector["options"]
    return interpolate_sequence_label(
        vector["input"] if attributes is None else attributes,
        frame_count=vector["frame_count"],
        timestamps=vector.get("timestamps") if options["use_timestamps"] else None,
        extrapolate=options["extrapolate"],
    )


def sdk_model_for(label):
    """The SDK's label attributes model for the task type this label belongs to."""
    annotations = [a for frame in label["frames"] for a in frame["annotations"]]
    if any(a["type"].startswith("cuboid") for a in annotations):
        return PointcloudSequenceCuboidLabelAttributes
    if any(len(a["points"][0]) == 3 for a in annotations):
        return PointcloudSequenceVectorLabelAttributes
    return ImageSequenceVectorLabelAttributes


def through_sdk_upload(attributes):
    """What `SegmentsClient.add_label` and `update_label` send for a dict (segments-ai 1.33, client.py)."""
    return TypeAdapter(LabelAttributes).validate_python(attributes).model_dump(mode="json", exclude_unset=True)


# --- shared JSON test vectors ------------------------------------------------------------------------------


def test_there_are_at_least_twenty_vectors():
    assert len(VECTORS) >= 20


@pytest.mark.parametrize("path", VECTORS, ids=[path.stem for path in VECTORS])
def test_vector(path):
    vector = json.loads(path.read_text())
    original = copy.deepcopy(vector["input"])

    result = run_vector(vector)

    assert_json_close(result, vector["expected"])
    assert vector["input"] == original, "input must not be mutated"


@pytest.mark.parametrize("path", VECTORS, ids=[path.stem for path in VECTORS])
def test_vector_is_idempotent(path):
    vector = json.loads(path.read_text())
    once = run_vector(vector)

    assert run_vector(vector, once) == once


@pytest.mark.parametrize("path", VECTORS, ids=[path.stem for path in VECTORS])
def test_vector_output_is_accepted_by_the_sdk_models(path):
    vector = json.loads(path.read_text())
    result = run_vector(vector)

    parsed = sdk_model_for(result).model_validate(result)

    assert len(parsed.frames) == vector["frame_count"]


# --- hand-computed cases -----------------------------------------------------------------------------------


def test_bbox_midpoint():
    label = sequence([bbox(1, [[10, 20], [30, 40]])], [], [bbox(1, [[20, 40], [60, 80]])])

    middle = interpolate_sequence_label(label)["frames"][1]["annotations"]

    assert middle == [
        {
            "id": 1,
            "track_id": 1,
            "category_id": 1,
            "type": "bbox",
            "is_keyframe": False,
            "points": [[15.0, 30.0], [45.0, 60.0]],
        }
    ]


def test_polygon_4_to_6_vertices_is_resampled_after_aligning_start_and_orientation():
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], dtype=float)
    clockwise_six = np.array([[18, 8], [18, 0], [14, 0], [10, 0], [10, 8], [14, 8]], dtype=float)

    start, end = match_vertices(square, clockwise_six, closed=True)

    assert start.tolist() == [[0, 0], [2, 0], [4, 0], [4, 4], [2, 4], [0, 4]]
    assert end.tolist() == [[10, 0], [14, 0], [18, 0], [18, 8], [14, 8], [10, 8]]


def test_polygon_4_to_6_vertices_midpoint_frame():
    label = sequence(
        [
            {
                "id": 1,
                "track_id": 1,
                "category_id": 1,
                "type": "polygon",
                "is_keyframe": True,
                "points": [[0, 0], [4, 0], [4, 4], [0, 4]],
            }
        ],
        [],
        [
            {
                "id": 1,
                "track_id": 1,
                "category_id": 1,
                "type": "polygon",
                "is_keyframe": True,
                "points": [[18, 8], [18, 0], [14, 0], [10, 0], [10, 8], [14, 8]],
            }
        ],
    )

    middle = interpolate_sequence_label(label)["frames"][1]["annotations"][0]

    assert middle["points"] == [[5, 0], [8, 0], [11, 0], [11, 6], [8, 6], [5, 6]]


def test_polygons_of_different_counts_keep_both_shapes_exactly():
    triangle = np.array([[0, 0], [4, 0], [4, 3]], dtype=float)
    square = np.array([[0, 0], [6, 0], [6, 6], [0, 6]], dtype=float)

    start, end = match_vertices(triangle, square, closed=True)

    # union of arc-length fractions 0, 1/4, 1/3, 1/2, 7/12, 3/4: every original vertex is kept
    np.testing.assert_allclose(start, [[0, 0], [3, 0], [4, 0], [4, 2], [4, 3], [2.4, 1.8]], atol=1e-12)
    np.testing.assert_allclose(end, [[0, 0], [6, 0], [6, 2], [6, 6], [4, 6], [0, 6]], atol=1e-12)


def test_polyline_is_reversed_when_its_endpoints_match_the_other_way_round():
    two_points = np.array([[0.0, 0.0], [4.0, 0.0]])
    reversed_three_points = np.array([[8.0, 2.0], [4.0, 2.0], [0.0, 2.0]])

    start, end = match_vertices(two_points, reversed_three_points, closed=False)

    assert start.tolist() == [[0, 0], [2, 0], [4, 0]]
    assert end.tolist() == [[0, 2], [4, 2], [8, 2]]


def test_yaw_from_3_to_minus_3_passes_through_pi_not_0():
    halfway = interpolate_yaw(np.array([3.0]), np.array([-3.0]), np.array([0.5]))[0]
    quarter = interpolate_yaw(np.array([3.0]), np.array([-3.0]), np.array([0.25]))[0]

    # the short way is 2*pi - 6 = 0.28319 rad counter-clockwise; halfway is 3 + 0.14159 = pi (wrapped to -pi)
    assert abs(abs(halfway) - math.pi) < 1e-12
    assert quarter == pytest.approx(3.0 + (2 * math.pi - 6.0) / 4, abs=1e-12)  # 3.07080, not 1.5


def test_yaw_result_is_wrapped_to_minus_pi_pi():
    yaw = interpolate_yaw(np.array([3.0]), np.array([-3.0]), np.array([0.75]))[0]

    assert yaw == pytest.approx(3.0 + 0.75 * (2 * math.pi - 6.0) - 2 * math.pi, abs=1e-12)  # -3.07080


def test_exactly_opposite_yaws_turn_clockwise():
    assert interpolate_yaw(np.array([0.0]), np.array([math.pi]), np.array([0.5]))[0] == pytest.approx(-math.pi / 2)


def test_wrap_yaw_maps_pi_to_minus_pi():
    assert wrap_yaw(np.array([math.pi, 3 * math.pi / 2, -math.pi]))[:].tolist() == pytest.approx(
        [-math.pi, -math.pi / 2, -math.pi]
    )


def test_quaternion_slerp_stays_unit_length():
    rng = np.random.default_rng(7)
    start, end = rng.normal(size=(1000, 4)), rng.normal(size=(1000, 4))
    start /= np.linalg.norm(start, axis=1, keepdims=True)
    end /= np.linalg.norm(end, axis=1, keepdims=True)

    result = slerp(start.T, end.T, rng.uniform(size=1000))

    np.testing.assert_allclose(np.linalg.norm(result, axis=0), 1.0, atol=1e-12)


def test_slerp_halfway_from_identity_to_90_degrees_about_z_is_45_degrees():
    quarter_turn = yaw_quaternion(np.array([math.pi / 2]))

    result = slerp(np.array([[0.0], [0.0], [0.0], [1.0]]), -quarter_turn, np.array([0.5]))[:, 0]

    np.testing.assert_allclose(result, [0, 0, math.sin(math.pi / 8), math.cos(math.pi / 8)], atol=1e-12)


def test_cuboid_with_rotation_slerps_and_normalises():
    label = sequence(
        [cuboid(1, (0, 0, 0), 0.0, rotation=(0, 0, 0, 2))],
        [],
        [cuboid(1, (2, 0, 0), math.pi / 2, rotation=(0, 0, 1, 1))],
    )

    middle = interpolate_sequence_label(label)["frames"][1]["annotations"][0]

    assert middle["rotation"] == pytest.approx({"qx": 0, "qy": 0, "qz": 0.3826834323650898, "qw": 0.9238795325112867})
    assert middle["yaw"] == pytest.approx(math.pi / 4)
    assert middle["position"] == {"x": 1.0, "y": 0.0, "z": 0.0}


def test_remove_keyframe_at_frame_5_between_keyframes_0_and_10():
    frames = [[bbox(1, [[0, 0], [10, 10]])]] + [[] for _ in range(9)] + [[bbox(1, [[100, 0], [110, 10]])]]
    label = sequence(*frames)
    label["frames"][5] = remove_track_from_frame(label["frames"][5], 1)

    result = interpolate_sequence_label(label)

    held = [[0.0, 0.0], [10.0, 10.0]]
    assert points_by_frame(result) == [
        [[0, 0], [10, 10]],
        held,
        held,
        held,
        held,
        None,
        None,
        None,
        None,
        None,
        [[100, 0], [110, 10]],
    ]
    assert result["frames"][5]["image_attributes"] == {REMOVED_TRACKS_KEY: ["1"]}
    assert all("image_attributes" not in frame for index, frame in enumerate(result["frames"]) if index != 5)


def test_remove_keyframe_only_removes_its_own_track():
    removal = {"annotations": [bbox(2, [[4, 4], [8, 8]])], "image_attributes": {REMOVED_TRACKS_KEY: ["1"]}}
    label = sequence(
        [bbox(1, [[0, 0], [2, 2]]), bbox(2, [[0, 0], [4, 4]])], [], removal, [], [bbox(1, [[4, 0], [6, 2]])]
    )

    result = interpolate_sequence_label(label)

    assert points_by_frame(result, track_id=2) == [
        [[0, 0], [4, 4]],
        [[2, 2], [6, 6]],
        [[4, 4], [8, 8]],
        None,
        None,
    ]
    assert points_by_frame(result, track_id=1) == [
        [[0, 0], [2, 2]],
        [[0, 0], [2, 2]],
        None,
        None,
        [[4, 0], [6, 2]],
    ]


def test_nothing_after_the_last_keyframe_without_extrapolation():
    label = sequence([bbox(1, [[0, 0], [2, 2]])], [bbox(1, [[2, 2], [4, 4]])], [], [])

    result = interpolate_sequence_label(label)

    assert [frame["annotations"] for frame in result["frames"][2:]] == [[], []]


def test_extrapolation_copies_the_last_keyframe_exactly():
    label = sequence([cuboid(1, (1, 2, 3), math.pi)], [])

    copied = interpolate_sequence_label(label, extrapolate=True)["frames"][1]["annotations"][0]

    assert copied["yaw"] == math.pi  # held, not re-wrapped to -pi
    assert copied["position"] == {"x": 1, "y": 2, "z": 3}
    assert copied["is_keyframe"] is False


def test_unevenly_spaced_timestamps():
    label = sequence([bbox(1, [[0, 0], [40, 40]])], [], [], [bbox(1, [[40, 0], [80, 80]])])

    result = interpolate_sequence_label(label, timestamps=[0, 10, 30, 40])

    assert points_by_frame(result)[1:3] == [[[10, 0], [50, 50]], [[30, 0], [70, 70]]]  # t = 1/4 and 3/4


def test_timestamps_as_nanosecond_strings():
    positions = interpolation_positions(3, ["1690000000000000000", "1690000000100000000", "1690000000300000000"])

    assert (positions[1] - positions[0]) / (positions[2] - positions[0]) == pytest.approx(1 / 3, abs=1e-6)


@pytest.mark.parametrize(
    "timestamps",
    [None, [0, None, 30, 40], [0, 10, 30], [0, "later", 30, 40], [0, 30, 30, 40], [0, 40, 30, 50]],
    ids=["none", "missing entry", "too short", "not numeric", "not increasing", "decreasing"],
)
def test_timestamps_fall_back_to_frame_index(timestamps):
    assert interpolation_positions(4, timestamps).tolist() == [0.0, 1.0, 2.0, 3.0]


def test_track_that_starts_late_is_absent_before_its_first_keyframe():
    label = sequence([], [], [bbox(3, [[0, 0], [2, 2]])], [], [bbox(3, [[2, 0], [4, 2]])])

    assert points_by_frame(interpolate_sequence_label(label), track_id=3) == [
        None,
        None,
        [[0, 0], [2, 2]],
        [[1, 0], [3, 2]],
        [[2, 0], [4, 2]],
    ]


def test_label_is_padded_to_frame_count():
    result = interpolate_sequence_label(sequence([bbox(1, [[0, 0], [2, 2]])]), frame_count=3)

    assert result["frames"][1:] == [{"annotations": []}, {"annotations": []}]


def test_keyframes_are_copied_unchanged_and_input_is_not_mutated():
    keyframe = bbox(1, [[0, 0], [2, 2]], attributes={"color": "red"}, velocity={"absolute": 3.0})
    label = sequence([keyframe], [bbox(1, [[9, 9], [9, 9]], keyframe=False)], [bbox(1, [[2, 2], [4, 4]])])
    original = copy.deepcopy(label)

    result = interpolate_sequence_label(label)
    result["frames"][0]["annotations"][0]["attributes"]["color"] = "blue"

    assert label == original
    assert interpolate_sequence_label(label)["frames"][0]["annotations"][0] == keyframe


def test_first_keyframe_annotation_of_a_track_in_a_frame_defines_its_state():
    label = sequence([bbox(1, [[0, 0], [2, 2]]), bbox(1, [[100, 100], [102, 102]])], [], [bbox(1, [[2, 2], [4, 4]])])

    result = interpolate_sequence_label(label)

    assert len(result["frames"][0]["annotations"]) == 2  # both keyframes are kept
    assert result["frames"][1]["annotations"][0]["points"] == [[1, 1], [3, 3]]


def test_keyframe_annotation_wins_over_a_removal_in_the_same_frame():
    both = {"annotations": [bbox(1, [[2, 2], [4, 4]])], "image_attributes": {REMOVED_TRACKS_KEY: ["1"]}}
    label = sequence([bbox(1, [[0, 0], [2, 2]])], both, [], [bbox(1, [[6, 6], [8, 8]])])

    assert points_by_frame(interpolate_sequence_label(label))[2] == [[4, 4], [6, 6]]


def test_remove_keyframe_survives_an_sdk_upload():
    label = sequence([bbox(1, [[0, 0], [10, 10]])], [], [], [], [bbox(1, [[40, 0], [50, 10]])])
    label["frames"][2] = remove_track_from_frame(label["frames"][2], 1)
    materialised = interpolate_sequence_label(label)

    uploaded = through_sdk_upload(materialised)

    assert interpolate_sequence_label(uploaded) == interpolate_sequence_label(materialised)
    assert points_by_frame(interpolate_sequence_label(uploaded))[2:4] == [None, None]


def test_sdk_upload_strips_a_removed_key_on_annotations():
    # Why remove-keyframes live in image_attributes: an annotation-level marker does not survive the SDK.
    marker = bbox(1, [[0, 0], [10, 10]], removed=True)

    uploaded = through_sdk_upload(sequence([marker]))

    assert "removed" not in uploaded["frames"][0]["annotations"][0]


def test_visible_annotations_skip_removed_markers():
    frame = {"annotations": [bbox(1, [[0, 0], [1, 1]], removed=True), bbox(2, [[0, 0], [1, 1]])]}

    assert [annotation["track_id"] for annotation in visible_annotations(frame)] == [2]


def test_remove_track_from_frame_drops_its_annotations_and_lists_it():
    frame = {
        "annotations": [bbox(1, [[0, 0], [1, 1]]), bbox(2, [[0, 0], [1, 1]])],
        "image_attributes": {"a": "b"},
    }

    result = remove_track_from_frame(frame, 1)

    assert [annotation["track_id"] for annotation in result["annotations"]] == [2]
    assert result["image_attributes"] == {"a": "b", REMOVED_TRACKS_KEY: ["1"]}
    assert frame["image_attributes"] == {"a": "b"}


def test_dense_cuboid_tracks_agree_with_label_interpolation():
    keyframe_frames = np.array([[0, 3, 5]])
    yaws = np.array([3.0, -3.0, 0.5])
    values = np.zeros((1, 3, 11))
    values[0, :, 0] = [0.0, 3.0, 7.0]
    values[0, :, 3:6] = 1.0
    values[0, :, 6] = yaws
    values[0, :, 7:] = yaw_quaternion(yaws).T
    label = sequence(
        [cuboid(1, (0, 0, 0), 3.0, dimensions=(1, 1, 1))],
        [],
        [],
        [cuboid(1, (3, 0, 0), -3.0, dimensions=(1, 1, 1))],
        [],
        [cuboid(1, (7, 0, 0), 0.5, dimensions=(1, 1, 1))],
        [],
    )

    dense, present = interpolate_cuboid_tracks(keyframe_frames, values, interpolation_positions(7))
    frames = interpolate_sequence_label(label)["frames"]

    assert present.tolist() == [[True] * 6 + [False]]
    assert dense[0, :6, 0].tolist() == pytest.approx([0, 1, 2, 3, 5, 7])
    assert [frame["annotations"][0]["yaw"] for frame in frames[:6]] == pytest.approx(dense[0, :6, 6].tolist())


def test_multisensor_label_interpolates_each_sensor_with_its_own_frame_count():
    label = {
        "sensors": [
            {
                "name": "lidar",
                "task_type": "pointcloud-cuboid-sequence",
                "attributes": sequence([cuboid(1, (0, 0, 0), 0.0)], [], [cuboid(1, (2, 0, 0), 1.0)]),
            },
            {
                "name": "camera",
                "task_type": "image-vector-sequence",
                "attributes": sequence([bbox(5, [[0, 0], [2, 2]])], [bbox(5, [[2, 0], [4, 2]])]),
            },
            {"name": "unlabeled camera", "task_type": "image-vector-sequence", "attributes": []},
        ],
        "links": [{"from_id": 1, "to_id": 5}],
    }

    result = interpolate_multisensor_label(label, frame_counts=[None, 4, None], extrapolate=True)

    lidar, camera, unlabeled = (sensor["attributes"] for sensor in result["sensors"])
    assert lidar["frames"][1]["annotations"][0]["position"] == {"x": 1.0, "y": 0.0, "z": 0.0}
    assert lidar["frames"][1]["annotations"][0]["yaw"] == 0.5
    assert points_by_frame(camera, track_id=5)[2:] == [[[2, 0], [4, 2]], [[2, 0], [4, 2]]]
    assert unlabeled == []
    assert result["links"] == [{"from_id": 1, "to_id": 5}]
    MultiSensorLabelAttributes.model_validate(result)


def test_multisensor_label_needs_one_frame_count_per_sensor():
    with pytest.raises(InterpolationError, match="per sensor"):
        interpolate_multisensor_label({"sensors": [{"task_type": "image-vector-sequence"}]}, frame_counts=[])


def test_more_frames_than_frame_count_is_an_error():
    with pytest.raises(InterpolationError, match="more than frame_count=1"):
        interpolate_sequence_label(sequence([], []), frame_count=1)


def test_unknown_annotation_type_is_an_error():
    label = sequence([{"id": 1, "track_id": 1, "category_id": 1, "is_keyframe": True}])

    with pytest.raises(InterpolationError, match="type None cannot be interpolated"):
        interpolate_sequence_label(label)


def test_malformed_geometry_is_an_error():
    with pytest.raises(InterpolationError, match="frame 0, track_id 1: malformed bbox"):
        interpolate_sequence_label(sequence([bbox(1, [[0, 0, 0, 0]])]))


def test_zero_rotation_quaternion_is_an_error():
    with pytest.raises(InterpolationError, match="zero rotation quaternion"):
        interpolate_sequence_label(sequence([cuboid(1, (0, 0, 0), 0.0, rotation=(0, 0, 0, 0))]))


def test_pointcloud_vector_label_mixes_cuboids_and_3d_polygons():
    triangle = {
        "id": 2,
        "track_id": 2,
        "category_id": 2,
        "type": "polygon",
        "is_keyframe": True,
        "points": [[0, 0, 0], [4, 0, 0], [4, 3, 0]],
    }
    lifted = {**triangle, "points": [[0, 0, 2], [4, 0, 2], [4, 3, 2]]}
    label = sequence([cuboid(1, (0, 0, 0), 0.0), triangle], [], [lifted, cuboid(1, (4, 0, 0), 0.0)])

    result = interpolate_sequence_label(label)

    cuboid_middle, polygon_middle = result["frames"][1]["annotations"]
    assert cuboid_middle["position"] == {"x": 2.0, "y": 0.0, "z": 0.0}
    assert polygon_middle["points"] == [[0, 0, 1], [4, 0, 1], [4, 3, 1]]
    assert [a["track_id"] for a in result["frames"][2]["annotations"]] == [1, 2]
    PointcloudSequenceVectorLabelAttributes.model_validate(result)
