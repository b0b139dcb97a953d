"""COCO keypoint export: the COCO person-keypoints sample (examples/coco/) imported through the SDK, released,
exported as COCO and loaded with pycocotools, keypoints, num_keypoints and skeleton intact (issue 14)."""

import json
from pathlib import Path

from django.conf import settings
from pycocotools.coco import COCO

from datasets.models import Dataset

ROOT = Path(settings.BASE_DIR) / "examples" / "coco"
SOURCE = json.loads((ROOT / "coco_val2017_000000000785_person_keypoints.json").read_text())


def person_category() -> dict:
    """Our category for COCO's person: its keypoint names and skeleton, and the object attributes the editors
    offer for a keypoint (docs/keypoints.md)."""
    person = SOURCE["categories"][0]
    return {
        "id": person["id"],
        "name": person["name"],
        "keypoints": person["keypoints"],
        "skeleton": person["skeleton"],
        "attributes": [
            {"name": "keypoint", "input_type": "select", "values": person["keypoints"]},
            {"name": "object", "input_type": "number"},
            {"name": "visibility", "input_type": "number", "min": 1, "max": 2},
        ],
    }


def label_of(coco_annotation: dict, names: list[str]) -> dict:
    """A vector label from one COCO person annotation: its polygon, its box and one point per labeled keypoint."""
    object_attributes = {"object": 1}
    ring = coco_annotation["segmentation"][0]
    x, y, width, height = coco_annotation["bbox"]
    annotations = [
        {
            "id": 1,
            "category_id": 1,
            "type": "polygon",
            "points": [list(p) for p in zip(ring[::2], ring[1::2], strict=True)],
        },
        {"id": 2, "category_id": 1, "type": "bbox", "points": [[x, y], [x + width, y + height]]},
    ]
    values = coco_annotation["keypoints"]
    for index, name in enumerate(names):
        kx, ky, visibility = values[3 * index : 3 * index + 3]
        if visibility:
            attributes = {**object_attributes, "keypoint": name, "visibility": visibility}
            point = {"id": 3 + index, "category_id": 1, "type": "point", "points": [[kx, ky]]}
            annotations.append({**point, "attributes": attributes})
    for annotation in annotations[:2]:
        annotation["attributes"] = object_attributes
    return {"format_version": "0.1", "annotations": annotations}


def test_coco_keypoints_survive_import_release_and_export(owner_sdk, owner, api, tmp_path):
    # given the COCO sample imported through the SDK: the image as an asset, a vector dataset, its label
    category = person_category()
    owner_sdk.add_dataset("skiers", task_type="vector", task_attributes={"categories": [category]})
    with (ROOT / "000000000785.jpg").open("rb") as image:
        asset = owner_sdk.upload_asset(image, "000000000785.jpg")
    sample = owner_sdk.add_sample("olivia/skiers", "000000000785.jpg", {"image": {"url": asset.url}})
    source = SOURCE["annotations"][0]
    owner_sdk.add_label(sample.uuid, "ground-truth", label_of(source, category["keypoints"]), label_status="LABELED")
    # when it is released and exported as COCO
    owner_sdk.add_release("olivia/skiers", "v1")
    response = api.get(owner, "/datasets/olivia/skiers/releases/v1/export/?format=coco-instance")
    assert response.status_code == 200
    path = tmp_path / "coco.json"
    path.write_bytes(b"".join(response.streaming_content))
    # then pycocotools reads one person with its 17 keypoints, their count and the skeleton
    coco = COCO(str(path))
    [image] = coco.loadImgs(coco.getImgIds())
    assert (image["file_name"], image["width"], image["height"]) == ("000000000785.jpg", 640, 425)
    [person] = coco.loadCats(coco.getCatIds())
    assert person["keypoints"] == SOURCE["categories"][0]["keypoints"]
    assert person["skeleton"] == SOURCE["categories"][0]["skeleton"]
    [exported] = coco.loadAnns(coco.getAnnIds(imgIds=image["id"]))
    assert exported["keypoints"] == source["keypoints"]
    assert exported["num_keypoints"] == source["num_keypoints"] == 17
    assert exported["bbox"] == source["bbox"]
    assert exported["segmentation"] == source["segmentation"]
    assert coco.annToMask(exported).sum() > 0.9 * source["area"]  # pycocotools rasterises the polygon


def test_a_skeleton_edge_outside_the_keypoints_is_refused_naming_the_field(api, owner):
    category = {**person_category(), "skeleton": [[1, 2], [17, 18]]}
    body = {"name": "bad", "task_type": "vector", "task_attributes": {"categories": [category]}}
    response = api.post(owner, "/user/datasets/", body)
    assert response.status_code == 400
    assert "categories[0].skeleton[1]" in response.content.decode()
    assert not Dataset.objects.filter(name="bad").exists()
