"""Label attributes: valid labels of every task type are stored exactly as given, real data converts cleanly,
and the product's policies (yaw, quaternions, mandatory attributes, unknown keys) hold."""

import ast
import copy
import json
import math
from pathlib import Path

import pytest

from labeling.core.errors import FormatIssue, LabelFormatError
from labeling.core.label_formats import (
    LABEL_STATUSES,
    SEQUENCE_TASK_TYPES,
    TASK_TYPES,
    normalize_yaw,
    sample_type_for_task_type,
    validate_label_attributes,
)
from labeling.core.padding import pad_short_label
from tests.core.label_examples import TASK_ATTRIBUTES, TEXT, cuboid, labels, mutate, samples
from tests.core.shared_data import SHARED_DATA

POINT_COUNTS = {"pointcloud-segmentation": [5], "pointcloud-segmentation-sequence": [4, 4]}


def _validate(task_type, attributes, **options):
    return validate_label_attributes(task_type, attributes, task_attributes=TASK_ATTRIBUTES, **options)


def _issues(task_type, attributes, **options):
    with pytest.raises(LabelFormatError) as raised:
        _validate(task_type, attributes, **options)
    return [(issue.path, issue.rule) for issue in raised.value.issues]


def test_there_are_sixteen_task_types_and_their_sample_types():
    assert len(TASK_TYPES) == 16
    assert set(SEQUENCE_TASK_TYPES) == {task_type for task_type in TASK_TYPES if task_type.endswith("sequence")}
    assert sample_type_for_task_type("keypoints") == "image"
    assert sample_type_for_task_type("image-vector-sequence") == "image-sequence"
    assert sample_type_for_task_type("pointcloud-vector") == "pointcloud"
    assert sample_type_for_task_type("pointcloud-segmentation-sequence") == "pointcloud-sequence"
    assert sample_type_for_task_type("multisensor-sequence") == "multisensor-sequence"
    assert sample_type_for_task_type("text-span-categorization") == "text"
    assert "PRELABELED" in LABEL_STATUSES


def test_sample_type_of_an_unknown_task_type_is_an_error():
    with pytest.raises(ValueError, match="unknown task type"):
        sample_type_for_task_type("pointcloud-box")


@pytest.mark.parametrize("task_type", TASK_TYPES)
def test_complete_label_is_returned_unchanged_with_every_check_enabled(task_type):
    label = labels()[task_type]
    stored = copy.deepcopy(label)

    returned = _validate(
        task_type,
        label,
        sample_attributes=samples()[task_type],
        label_status="LABELED",
        point_counts=POINT_COUNTS.get(task_type),
    )

    assert returned is label
    assert returned == stored
    assert json.loads(json.dumps(returned)) == stored


def test_all_issues_are_collected_not_only_the_first():
    label = labels()["pointcloud-cuboid-sequence"]
    label = mutate(label, "frames[0].annotations[0].yaw", 9.0)
    label = mutate(label, "frames[1].annotations[1].dimensions.x", -1)
    label = mutate(label, "links[0].to_id", 77)

    assert _issues("pointcloud-cuboid-sequence", label) == [
        ("frames[0].annotations[0].yaw", "yaw_range"),
        ("frames[1].annotations[1].dimensions.x", "positive"),
        ("links[0].to_id", "unknown_link_target"),
    ]


def test_error_lists_every_issue_readably_and_as_dicts():
    label = mutate(labels()["vector"], "annotations[1].points", [[0, 0], [1, 1]])
    label = mutate(label, "annotations[0].category_id", 42)

    with pytest.raises(LabelFormatError) as raised:
        _validate("vector", label)

    assert str(raised.value).splitlines() == [
        "annotations[0].category_id: category 42 is not defined (rule: unknown_category)",
        "annotations[1].points: polygon needs at least 3 points, got 2 (rule: min_points)",
    ]
    assert raised.value.to_list()[1] == {
        "path": "annotations[1].points",
        "rule": "min_points",
        "message": "polygon needs at least 3 points, got 2",
    }
    assert isinstance(raised.value, ValueError)
    assert FormatIssue("", "type", "expected an object").to_dict()["path"] == ""


def test_root_issue_is_shown_as_root():
    with pytest.raises(LabelFormatError, match=r"^\(root\): expected an object, got array \(rule: type\)$"):
        _validate("vector", [])


@pytest.mark.parametrize("status", [None, "PRELABELED", "LABELING_IN_PROGRESS", "REJECTED", "SKIPPED"])
def test_mandatory_attributes_are_not_enforced_before_the_label_is_complete(status):
    label = mutate(labels()["vector"], "annotations[0].attributes", {})
    label = mutate(label, "image_attributes", {})

    assert _validate("vector", label, label_status=status) is label


def test_mandatory_attributes_of_every_object_are_reported_when_labeled():
    label = mutate(labels()["pointcloud-cuboid-sequence"], "frames[0].annotations[0].attributes", {"doors": 2})
    label = mutate(label, "frames[1].annotations[0].attributes.color", "")

    assert _issues("pointcloud-cuboid-sequence", label, label_status="LABELED") == [
        ("frames[0].annotations[0].attributes.color", "mandatory_attribute"),
        ("frames[1].annotations[0].attributes.color", "attribute_value"),
        ("frames[1].annotations[0].attributes.color", "mandatory_attribute"),
    ]


def test_unknown_label_status_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown label status"):
        _validate("vector", labels()["vector"], label_status="DONE")


def test_yaw_of_exactly_plus_or_minus_pi_is_accepted():
    label = {"annotations": [cuboid(1, 1, yaw=math.pi), cuboid(2, 2, yaw=-math.pi)]}

    assert _validate("pointcloud-cuboid", label)["annotations"][0]["yaw"] == math.pi


def test_yaw_just_outside_pi_is_rejected_not_rewritten():
    label = {"annotations": [cuboid(1, 1, yaw=math.pi + 1e-5)]}

    assert _issues("pointcloud-cuboid", label) == [("annotations[0].yaw", "yaw_range")]
    assert label["annotations"][0]["yaw"] == math.pi + 1e-5


def test_normalize_yaw_maps_any_angle_into_minus_pi_pi():
    assert normalize_yaw(0.63) == 0.63
    assert normalize_yaw(4.166373105671871) == pytest.approx(4.166373105671871 - 2 * math.pi)
    assert normalize_yaw(-7.0) == pytest.approx(-7.0 + 2 * math.pi)
    assert all(-math.pi <= normalize_yaw(step / 10) <= math.pi for step in range(-100, 100))


def test_quaternion_within_tolerance_is_accepted_and_kept_as_given():
    rotation = {"qx": 0.0, "qy": 0.0491566, "qz": 0.3096865, "qw": 0.9495672 * 1.0009}
    label = {"annotations": [cuboid(rotation=rotation)]}

    assert _validate("pointcloud-cuboid", label)["annotations"][0]["rotation"] is rotation


def _sustech_label(normalize: bool) -> tuple[dict, dict]:
    """The four SUSTechPOINTS frames as a pointcloud-cuboid-sequence label (psr.rotation.z is the yaw)."""
    frames, categories = [], {}
    for name in ("000950", "000965", "000970", "000975"):
        path = SHARED_DATA / "pointcloud_sequence" / "label" / f"{name}.json"
        assert path.is_file(), f"missing shared data {path}"
        annotations = []
        for index, obj in enumerate(json.loads(path.read_text())):
            category_id = categories.setdefault(obj["obj_type"], len(categories) + 1)
            yaw = obj["psr"]["rotation"]["z"]
            annotations.append(
                {
                    "id": index + 1,
                    "track_id": int(obj["obj_id"]),
                    "category_id": category_id,
                    "type": "cuboid",
                    "position": obj["psr"]["position"],
                    "dimensions": obj["psr"]["scale"],
                    "yaw": normalize_yaw(yaw) if normalize else yaw,
                    "is_keyframe": True,
                }
            )
        frames.append({"format_version": "0.2", "annotations": annotations})
    task_attributes = {"categories": [{"id": i, "name": name} for name, i in categories.items()]}
    return {"format_version": "0.2", "frames": frames}, task_attributes


def test_real_lidar_cuboids_with_yaw_in_zero_two_pi_are_rejected_at_each_cuboid():
    label, task_attributes = _sustech_label(normalize=False)
    expected = [
        (f"frames[{f}].annotations[{a}].yaw", "yaw_range")
        for f, frame in enumerate(label["frames"])
        for a, annotation in enumerate(frame["annotations"])
        if abs(annotation["yaw"]) > math.pi
    ]

    with pytest.raises(LabelFormatError) as raised:
        validate_label_attributes("pointcloud-cuboid-sequence", label, task_attributes=task_attributes)

    assert len(expected) == 40
    assert [(issue.path, issue.rule) for issue in raised.value.issues] == expected


def test_real_lidar_cuboids_validate_once_their_yaw_is_normalized():
    label, task_attributes = _sustech_label(normalize=True)
    sample = {"frames": [{"pcd": {"url": f"{n}.pcd", "type": "pcd"}} for n in range(4)]}

    validated = validate_label_attributes(
        "pointcloud-cuboid-sequence", label, task_attributes=task_attributes, sample_attributes=sample
    )

    assert [len(frame["annotations"]) for frame in validated["frames"]] == [19, 21, 23, 24]


def test_real_coco_person_converts_to_a_valid_vector_label():
    coco = json.loads((SHARED_DATA / "coco" / "coco_val2017_000000000785_person_keypoints.json").read_text())
    person = coco["annotations"][0]
    x, y, width, height = person["bbox"]
    polygon = person["segmentation"][0]
    keypoints = person["keypoints"]
    annotations = [
        {"id": 1, "category_id": 1, "type": "bbox", "points": [[x, y], [x + width, y + height]]},
        {
            "id": 2,
            "category_id": 1,
            "type": "polygon",
            "points": [polygon[i : i + 2] for i in range(0, len(polygon), 2)],
        },
    ]
    for index in range(0, len(keypoints), 3):
        if keypoints[index + 2] > 0:
            annotations.append(
                {
                    "id": 3 + index // 3,
                    "category_id": 2,
                    "type": "point",
                    "points": [keypoints[index : index + 2]],
                }
            )
    task_attributes = {"categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "keypoint"}]}

    label = validate_label_attributes("vector", {"annotations": annotations}, task_attributes=task_attributes)

    assert len(label["annotations"]) == 19
    assert len(label["annotations"][1]["points"]) == 68


def test_real_wikigold_sentences_validate_as_named_entities():
    categories = {"PER": 1, "LOC": 2, "ORG": 3, "MISC": 4}
    task_attributes = {"categories": [{"id": i, "name": name} for name, i in categories.items()]}
    path = SHARED_DATA / "text" / "wikigold_spans_first300.jsonl"
    sentences = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for sentence in sentences:
        label = {
            "format_version": "0.1",
            "annotations": [
                {"start": span["start"], "end": span["end"], "category_id": categories[span["label"]]}
                for span in sentence["spans"]
            ],
        }
        validate_label_attributes(
            "text-named-entities",
            label,
            task_attributes=task_attributes,
            sample_attributes={"text": sentence["text"]},
        )
        assert [sentence["text"][s["start"] : s["end"]] for s in sentence["spans"]] == [
            s["text"] for s in sentence["spans"]
        ]
    assert len(sentences) == 300


def test_text_offsets_are_only_bounded_when_the_text_is_known():
    label = {"annotations": [{"start": 30, "end": 400, "category_id": 1}]}

    assert _validate("text-span-categorization", label) is label
    assert _issues("text-span-categorization", label, sample_attributes={"text": TEXT}) == [
        ("annotations[0].end", "text_bounds")
    ]


def test_text_offsets_count_characters_not_bytes():
    text = "Zoë visited Köln"
    label = {"annotations": [{"start": 12, "end": 16, "category_id": 2}]}

    assert _validate("text-named-entities", label, sample_attributes={"text": text}) is label
    assert text[12:16] == "Köln"


def test_span_categories_may_overlap_but_named_entities_may_not():
    spans = {"annotations": [{"start": 0, "end": 12, "category_id": 2}, {"start": 7, "end": 20, "category_id": 3}]}

    assert _validate("text-span-categorization", spans) is spans
    assert _issues("text-named-entities", spans) == [("annotations[1]", "entity_overlap")]


def test_adjacent_named_entities_do_not_overlap():
    label = {"annotations": [{"start": 0, "end": 6, "category_id": 2}, {"start": 6, "end": 12, "category_id": 2}]}

    assert _validate("text-named-entities", label, sample_attributes={"text": TEXT}) is label


def test_unknown_keys_on_labels_frames_and_annotations_are_kept():
    label = labels()["pointcloud-cuboid-sequence"]
    label["frames"][1]["annotations"][0]["remove_keyframe"] = True
    label["frames"][0]["interpolated"] = ["2"]
    label["editor_state"] = {"zoom": 2}
    stored = copy.deepcopy(label)

    assert _validate("pointcloud-cuboid-sequence", label) == stored


def test_frame_listing_removed_tracks_in_its_image_attributes_is_accepted():
    # The interpolation engine marks a remove-keyframe as a frame-level image attribute listing track ids.
    label = labels()["image-vector-sequence"]
    label["frames"][1]["image_attributes"]["_removed_track_ids"] = ["2"]
    label["frames"][1]["annotations"] = label["frames"][1]["annotations"][:1]

    assert _validate("image-vector-sequence", label, label_status="LABELED") is label


def test_attributes_without_a_definition_are_accepted_as_the_sdk_sends_them():
    label = labels()["vector"]
    label["annotations"][1]["attributes"] = {"scene_type": "crossroads", "isRaining": True, "lanes": 3}
    label["image_attributes"]["weather_source"] = None

    assert _validate("vector", label) is label


def test_unlabeled_sensor_is_an_empty_list():
    label = labels()["multisensor-sequence"]
    label["sensors"][0]["attributes"] = []

    assert _validate("multisensor-sequence", label, sample_attributes=samples()["multisensor-sequence"]) is label


def test_sensor_order_must_match_the_sample_not_only_the_names():
    label = labels()["multisensor-sequence"]
    label["sensors"] = label["sensors"][1:] + label["sensors"][:1]  # Camera 1, Camera 2, Lidar

    issues = _issues("multisensor-sequence", label, sample_attributes=samples()["multisensor-sequence"])

    assert issues == [
        ("sensors[0]", "sensor_order"),
        ("sensors[1]", "sensor_order"),
        ("sensors[2]", "sensor_order"),
    ]


def test_links_may_carry_one_attribute_set_per_frame():
    label = labels()["image-vector-sequence"]
    label["links"][0]["frames"] = [
        {"attributes": {"relation": "tows"}},
        {"attributes": {"relation": "follows"}},
    ]

    assert _validate("image-vector-sequence", label, sample_attributes=samples()["image-vector-sequence"]) is label


def test_frame_count_is_only_checked_against_a_given_sample():
    label = labels()["image-vector-sequence"]
    label = {**label, "frames": [*label["frames"], {"annotations": []}]}  # one frame more than the sample

    assert _validate("image-vector-sequence", label) is label
    assert _issues("image-vector-sequence", label, sample_attributes=samples()["image-vector-sequence"]) == [
        ("frames", "frame_count")
    ]


def test_a_label_shorter_than_its_sample_is_valid_and_padded_with_empty_frames():
    label = mutate(labels()["image-vector-sequence"], "frames[1]")
    sample = samples()["image-vector-sequence"]

    assert _validate("image-vector-sequence", label, sample_attributes=sample) is label
    padded = pad_short_label("image-vector-sequence", label, sample)
    assert len(padded["frames"]) == len(sample["frames"])
    assert padded["frames"][len(label["frames"]) :] == [{"annotations": []}] * (
        len(sample["frames"]) - len(label["frames"])
    )
    assert _validate("image-vector-sequence", padded, sample_attributes=sample) is padded


def test_point_count_is_only_checked_when_the_cloud_was_readable():
    label = labels()["pointcloud-segmentation-sequence"]

    assert _validate("pointcloud-segmentation-sequence", label, point_counts=[None, None]) is label
    assert _issues("pointcloud-segmentation-sequence", label, point_counts=[None, 5]) == [
        ("frames[1].point_annotations", "point_count")
    ]


def test_unknown_point_annotation_ids_are_reported_once_each_at_their_first_point():
    label = labels()["pointcloud-segmentation"]
    label["point_annotations"] = [0, 7, 1, 7, 8, 2, 8]

    assert _issues("pointcloud-segmentation", label) == [
        ("point_annotations[1]", "unknown_annotation_id"),
        ("point_annotations[4]", "unknown_annotation_id"),
    ]


def test_many_unknown_point_annotation_ids_are_capped_with_a_summary():
    label = labels()["pointcloud-segmentation"]
    label["point_annotations"] = list(range(100, 150))

    issues = _issues("pointcloud-segmentation", label)

    assert len(issues) == 21
    assert issues[0] == ("point_annotations[0]", "unknown_annotation_id")
    assert issues[-1] == ("point_annotations", "unknown_annotation_id")


def test_large_point_annotations_with_sparse_ids_are_checked():
    label = {"annotations": [{"id": 5_000_000, "category_id": 1, "attributes": {"color": "red"}}]}
    label["point_annotations"] = [0] * 1000 + [5_000_000] * 10 + [9_000_000]

    assert _issues("pointcloud-segmentation", label, point_counts=[1011]) == [
        ("point_annotations[1010]", "unknown_annotation_id")
    ]


def test_bitmap_ids_may_use_all_24_bits():
    label = labels()["segmentation-bitmap"]
    label["annotations"][1]["id"] = 2**24 - 1

    assert _validate("segmentation-bitmap", label) is label


def test_sdk_test_fixture_labels_validate_including_two_coordinate_points_in_a_point_cloud():
    # The SDK's tests/fixtures/payloads.py label fixtures, reduced to their distinct shapes.
    attributes = {"scene_type": "crossroads", "weather": "sunny", "isRaining": True}
    task_attributes = {"categories": [{"id": i, "name": str(i)} for i in (1, 2, 3, 4)]}
    cuboid_fixture = {
        "id": 1,
        "category_id": 1,
        "type": "cuboid",
        "position": {"x": 0.0, "y": 0.2, "z": 0.5},
        "dimensions": {"x": 1.2, "y": 1, "z": 1},
        "yaw": 1.63,
        "is_keyframe": True,
        "track_id": 6,
    }
    segmentation = {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": 1, "attributes": attributes}],
    }
    segmentation["point_annotations"] = [0, 0, 0, 1]
    polygon_2d = {
        "id": 3,
        "category_id": 2,
        "type": "polygon",
        "points": [[1, 2], [3, 4], [5, 6]],
        "track_id": 8,
    }
    sequence = {"format_version": "0.2", "frames": [{"timestamp": "00001", "annotations": [cuboid_fixture]}]}

    validate_label_attributes("pointcloud-segmentation", segmentation, task_attributes=task_attributes)
    validate_label_attributes("pointcloud-cuboid-sequence", sequence, task_attributes=task_attributes)
    sequence["frames"][0]["annotations"].append(polygon_2d)
    # [x, y] points are taken in point-cloud vector labels, as the SDK takes them (annotations.py docstring)
    validate_label_attributes("pointcloud-vector-sequence", sequence, task_attributes=task_attributes)
    polygon_2d["points"][1] = [3, 4, 0]  # but not mixed with [x, y, z] in one annotation
    with pytest.raises(LabelFormatError) as raised:
        validate_label_attributes("pointcloud-vector-sequence", sequence, task_attributes=task_attributes)
    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [
        ("frames[0].annotations[1].points[1]", "point_dimensions")
    ]


def test_core_modules_never_import_django():
    core = Path(__file__).resolve().parents[2] / "labeling" / "core"
    imported = set()
    for module in core.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])

    assert "label_formats.py" in {module.name for module in core.glob("*.py")}
    assert not imported & {"django", "ninja", "channels", "celery"}


def test_a_thousand_issues_are_listed_and_the_rest_summarised():
    label = {
        "annotations": [{"id": index + 1, "category_id": 99, "type": "point", "points": []} for index in range(600)]
    }

    issues = _issues("vector", label)

    assert len(issues) == 1001
    assert issues[:2] == [
        ("annotations[0].category_id", "unknown_category"),
        ("annotations[0].points", "min_points"),
    ]
    assert issues[-1] == ("", "too_many_issues")
