"""COCO keypoint objects from vector labels (labeling.core.exports): one annotation per object."""

from labeling.core.exports import coco_annotations, coco_categories

FACE = {"id": 3, "name": "face", "keypoints": ["left_eye", "right_eye", "nose"], "skeleton": [[1, 2], [1, 3]]}
CATEGORIES = [{"id": 1, "name": "car"}, FACE]


def point(annotation_id: int, x: float, y: float, **attributes) -> dict:
    return {"id": annotation_id, "category_id": 3, "type": "point", "points": [[x, y]], "attributes": attributes}


def exported(annotations: list[dict]) -> list[dict]:
    samples = [{"name": "a.jpg", "labels": {"ground-truth": {"attributes": {"annotations": annotations}}}}]
    return list(coco_annotations(samples, labelset="ground-truth", categories=CATEGORIES))


def test_points_of_two_objects_become_two_keypoint_annotations_in_the_categorys_order():
    annotations = [
        {"id": 1, "category_id": 1, "type": "bbox", "points": [[0, 0], [4, 2]]},
        point(2, 10, 20, keypoint="nose", object=7),
        point(3, 30, 40, keypoint="left_eye", object=8),
        point(4, 11, 21, keypoint="left_eye", object=7, visibility=1),
    ]
    car, first, second = exported(annotations)
    assert (car["category_id"], car["bbox"], "keypoints" in car) == (1, [0.0, 0.0, 4.0, 2.0], False)
    assert first["keypoints"] == [11.0, 21.0, 1, 0.0, 0.0, 0, 10.0, 20.0, 2]
    assert (first["num_keypoints"], first["category_id"], first["bbox"]) == (2, 3, [10.0, 20.0, 1.0, 1.0])
    assert second["keypoints"] == [30.0, 40.0, 2, 0.0, 0.0, 0, 0.0, 0.0, 0]
    assert [annotation["id"] for annotation in (car, first, second)] == [1, 2, 3]


def test_a_box_and_polygon_of_the_object_give_its_bbox_segmentation_and_area():
    annotations = [
        point(1, 2, 2, keypoint="nose", object="a"),
        {
            "id": 2,
            "category_id": 3,
            "type": "polygon",
            "points": [[0, 0], [4, 0], [4, 4]],
            "attributes": {"object": "a"},
        },
        {"id": 3, "category_id": 3, "type": "bbox", "points": [[0, 0], [5, 5]], "attributes": {"object": "a"}},
    ]
    [face] = exported(annotations)
    assert face["bbox"] == [0.0, 0.0, 5.0, 5.0]
    assert (face["segmentation"], face["area"]) == ([[0.0, 0.0, 4.0, 0.0, 4.0, 4.0]], 8.0)
    assert face["num_keypoints"] == 1


def test_points_without_a_known_keypoint_name_make_no_object():
    assert exported([point(1, 2, 2, keypoint="ear"), point(2, 3, 3)]) == []


def test_keypoint_categories_carry_their_names_and_skeleton():
    assert coco_categories(CATEGORIES) == [
        {"id": 1, "name": "car"},
        {"id": 3, "name": "face", "keypoints": ["left_eye", "right_eye", "nose"], "skeleton": [[1, 2], [1, 3]]},
    ]
