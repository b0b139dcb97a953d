"""COCO import core (labeling.core.coco_import): parsing and checking a COCO file, matching its images to
uploaded files, and the labels it becomes: vector labels that the COCO export reads back, instance bitmaps
equal to pycocotools' masks."""

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from pycocotools import mask as mask_utils

from labeling.core import coco_import
from labeling.core.coco_import import (
    CocoFormatError,
    bitmap_label,
    match_uploads,
    merge_categories,
    read_coco,
    rle_counts,
    vector_label,
)
from labeling.core.exports import coco_annotations, coco_categories
from labeling.core.label_formats import validate_label_attributes, validate_task_attributes

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "coco" / "coco_val2017_000000000785_person_keypoints.json"
SOURCE = json.loads(EXAMPLE.read_text())


def small_coco() -> dict:
    """Two images, a car category and a person keypoint category, a box, a polygon and a compressed RLE."""
    mask = np.zeros((20, 30), dtype=np.uint8, order="F")
    mask[2:8, 5:25] = 1
    rle = mask_utils.encode(mask)
    return {
        "images": [
            {"id": 10, "file_name": "a.jpg", "width": 30, "height": 20},
            {"id": 11, "file_name": "sub/b.png", "width": 30, "height": 20},
        ],
        "categories": [
            {"id": 3, "name": "car"},
            {"id": 1, "name": "person", "keypoints": ["nose", "eye"], "skeleton": [[1, 2]]},
        ],
        "annotations": [
            {"id": 1, "image_id": 10, "category_id": 3, "bbox": [1, 2, 3, 4]},
            {"id": 2, "image_id": 10, "category_id": 3, "segmentation": [[0, 0, 10, 0, 10, 10, 0, 10]]},
            {
                "id": 3,
                "image_id": 11,
                "category_id": 3,
                "iscrowd": 1,
                "segmentation": {"size": [20, 30], "counts": rle["counts"].decode()},
                "bbox": [5, 2, 20, 6],
            },
            {"id": 4, "image_id": 11, "category_id": 1, "bbox": [0, 0, 4, 4], "keypoints": [1, 2, 2, 0, 0, 0]},
        ],
    }


def encoded(document: dict) -> bytes:
    return json.dumps(document).encode()


def issues_of(content: bytes) -> list[tuple[str, str]]:
    with pytest.raises(CocoFormatError) as raised:
        read_coco(content)
    return [(issue.path, issue.rule) for issue in raised.value.issues]


def test_the_example_file_reads_one_image_with_one_person_and_17_keypoint_names():
    coco = read_coco(EXAMPLE.read_bytes())
    [image] = coco.images
    assert (image.id, image.file_name, image.width, image.height) == (785, "000000000785.jpg", 640, 425)
    assert len(image.annotations) == 1
    assert len(coco.categories[1].keypoints) == 17
    assert coco.categories[1].skeleton[0] == (16, 14)


def test_the_example_becomes_a_label_that_the_coco_export_gives_back():
    # given the example read and its categories merged into an empty dataset
    coco = read_coco(EXAMPLE.read_bytes())
    merge = merge_categories([], coco, with_keypoints=True)
    validate_task_attributes("vector", {"format_version": "0.1", "categories": merge.categories})
    # when its image becomes a vector label
    label, counts = vector_label(coco.images[0], coco, merge.ids)
    assert counts == {"bbox": 1, "polygon": 1, "point": 17}
    validate_label_attributes("vector", label, task_attributes={"categories": merge.categories})
    # then the COCO export writes the source annotation again
    samples = [{"name": "000000000785.jpg", "labels": {"ground-truth": {"attributes": label}}}]
    [exported] = coco_annotations(samples, labelset="ground-truth", categories=merge.categories)
    source = SOURCE["annotations"][0]
    assert exported["keypoints"] == source["keypoints"]
    assert exported["num_keypoints"] == 17
    assert exported["bbox"] == source["bbox"]
    assert exported["segmentation"] == source["segmentation"]
    [category] = coco_categories(merge.categories)
    assert category["keypoints"] == SOURCE["categories"][0]["keypoints"]
    assert category["skeleton"] == SOURCE["categories"][0]["skeleton"]


def test_instances_become_a_polygon_or_else_a_box_and_keypoint_objects_keep_their_number():
    coco = read_coco(encoded(small_coco()))
    merge = merge_categories([{"id": 1, "name": "car"}], coco, with_keypoints=True)
    assert merge.ids == {3: 1, 1: 2}
    assert merge.added == ["person"]
    first, _ = vector_label(coco.images[0], coco, merge.ids)
    assert [(a["type"], a["points"]) for a in first["annotations"]] == [
        ("bbox", [[1.0, 2.0], [4.0, 6.0]]),
        ("polygon", [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]),
    ]
    second, counts = vector_label(coco.images[1], coco, merge.ids)
    crowd, box, nose = second["annotations"]
    assert (crowd["type"], crowd["points"]) == ("bbox", [[5.0, 2.0], [25.0, 8.0]])  # an RLE mask: its box
    assert box["attributes"] == {"object": 2}
    assert nose["attributes"] == {"object": 2, "keypoint": "nose", "visibility": 2}
    assert counts == {"bbox": 2, "polygon": 0, "point": 1}


def test_existing_keypoint_names_that_differ_are_refused():
    coco = read_coco(encoded(small_coco()))
    with pytest.raises(CocoFormatError) as raised:
        merge_categories([{"id": 5, "name": "person", "keypoints": ["a", "b"]}], coco, with_keypoints=True)
    assert [(i.path, i.rule) for i in raised.value.issues] == [("categories[1].keypoints", "keypoints_differ")]


def test_masks_become_an_instance_bitmap_equal_to_pycocotools_masks():
    document = small_coco()
    coco = read_coco(encoded(document))
    merge = merge_categories([], coco, with_keypoints=False)
    ids, annotations, unmasked = bitmap_label(coco.images[1], merge.ids)
    assert unmasked == [4]  # a box-only annotation has no mask
    assert annotations == [{"id": 1, "category_id": merge.ids[3]}]
    rle = document["annotations"][2]["segmentation"]
    expected = mask_utils.decode({"size": rle["size"], "counts": rle["counts"].encode()})
    np.testing.assert_array_equal(ids, expected.astype(np.uint32))
    ids, annotations, _ = bitmap_label(coco.images[0], merge.ids)
    polygon = mask_utils.decode(mask_utils.merge(mask_utils.frPyObjects([[0, 0, 10, 0, 10, 10, 0, 10]], 20, 30)))
    np.testing.assert_array_equal(ids == 2, polygon.astype(bool))


def test_rle_counts_decode_like_pycocotools():
    rng = np.random.default_rng(3)
    mask = np.asfortranarray(rng.random((50, 70)) > 0.6).astype(np.uint8)
    rle = mask_utils.encode(mask)
    counts = rle_counts(rle["counts"].decode())
    assert sum(counts) == 50 * 70
    back = mask_utils.decode(mask_utils.frPyObjects({"size": [50, 70], "counts": counts}, 50, 70))
    np.testing.assert_array_equal(back, mask)


def test_images_match_uploads_by_path_else_by_file_name():
    coco = read_coco(encoded(small_coco()))
    match = match_uploads(coco, ["photos/a.jpg", "sub/b.png", "c.jpg"])
    assert match.paths == {10: "photos/a.jpg", 11: "sub/b.png"}
    assert match.unused == ["c.jpg"]


def test_an_image_that_was_not_uploaded_or_matches_two_files_is_refused_naming_it():
    coco = read_coco(encoded(small_coco()))
    with pytest.raises(CocoFormatError) as raised:
        match_uploads(coco, ["x/a.jpg", "y/a.jpg"])
    assert [(i.path, i.rule) for i in raised.value.issues] == [
        ("images[0].file_name", "ambiguous_file_name"),
        ("images[1].file_name", "image_not_uploaded"),
    ]
    assert "image id 11" in raised.value.issues[1].message


def broken(change) -> bytes:
    document = small_coco()
    change(document)
    return encoded(document)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["annotations"][0].update(image_id=99), ("annotations[0].image_id", "unknown_image")),
        (lambda d: d["annotations"][1].update(category_id=7), ("annotations[1].category_id", "unknown_category")),
        (lambda d: d["annotations"][0].update(bbox=[1, 2, -3, 4]), ("annotations[0].bbox", "bbox")),
        (lambda d: d["annotations"][0].update(bbox=[1, 2, 3]), ("annotations[0].bbox", "bbox")),
        (
            lambda d: d["annotations"][1].update(segmentation=[[0, 0, 1]]),
            ("annotations[1].segmentation", "segmentation"),
        ),
        (
            lambda d: d["annotations"][1].update(segmentation=[[0, 0, 1e9, 0, 1, 1]]),
            ("annotations[1].segmentation", "segmentation"),
        ),
        (
            lambda d: d["annotations"][2]["segmentation"].update(counts=[1, 2]),
            ("annotations[2].segmentation", "segmentation"),
        ),
        (
            lambda d: d["annotations"][2]["segmentation"].update(counts="!!"),
            ("annotations[2].segmentation", "segmentation"),
        ),
        (
            lambda d: d["annotations"][2]["segmentation"].update(size=[30, 20]),
            ("annotations[2].segmentation", "segmentation"),
        ),
        (lambda d: d["annotations"][3].update(keypoints=[1, 2, 2]), ("annotations[3].keypoints", "keypoints")),
        (lambda d: d["annotations"][3].update(keypoints=[1, 2, 5, 0, 0, 0]), ("annotations[3].keypoints", "keypoints")),
        (lambda d: d["annotations"][0].update(keypoints=[1, 2, 2]), ("annotations[0].keypoints", "keypoints")),
        (lambda d: d["annotations"][1].update(id=1), ("annotations[1].id", "duplicate_id")),
        (lambda d: d["images"][1].update(id=10), ("images[1].id", "duplicate_id")),
        (lambda d: d["images"][0].update(width=0), ("images[0].width", "invalid")),
        (lambda d: d["categories"][1].update(name="car"), ("categories[1].name", "duplicate_name")),
        (lambda d: d["categories"][1].update(skeleton=[[1, 3]]), ("categories[1].skeleton", "keypoints")),
        (lambda d: d.pop("annotations"), ("annotations", "not_coco")),
    ],
)
def test_malformed_coco_is_refused_naming_the_path_and_rule(change, expected):
    issues = issues_of(broken(change))
    assert expected in issues


def test_the_message_names_the_annotation_id():
    with pytest.raises(CocoFormatError) as raised:
        read_coco(broken(lambda d: d["annotations"][1].update(category_id=7)))
    assert "annotation id 2" in raised.value.issues[0].message


@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"not json", "json"), (b"[1, 2]", "not_coco"), (b"\xff\xfe", "json"), (b"{" * 100 + b"}" * 100, "nesting")],
)
def test_a_file_that_is_not_coco_is_refused(content, rule):
    assert issues_of(content)[0][1] == rule


def test_sizes_and_counts_are_bounded(monkeypatch):
    monkeypatch.setattr(coco_import, "MAX_IMAGES", 1)
    assert issues_of(encoded(small_coco())) == [("images", "too_many")]
    monkeypatch.setattr(coco_import, "MAX_COCO_BYTES", 10)
    assert issues_of(encoded(small_coco())) == [("", "too_large")]


def test_nesting_depth_ignores_brackets_in_strings_and_escaped_quotes(monkeypatch):
    monkeypatch.setattr(coco_import, "_DEPTH_CHUNK_BYTES", 3)  # state carried across chunks
    document = copy.deepcopy(small_coco())
    document["info"] = {"description": 'brackets "[[[[" and \\" quotes [[[[' * 40}
    assert len(read_coco(encoded(document)).images) == 2
    assert coco_import._nesting_depth(b'{"a": "\\\\", "b": [[1]]}') == 3
