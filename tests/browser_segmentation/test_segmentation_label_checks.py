"""The label API refuses segmentation bitmaps that break the format (format core rules in
labeling.core.bitmaps.validate_bitmap): the bitmap is uploaded through the official SDK, then the label is PUT
as the SDK's add_label does. Needs the server-side check in the label service (see the editor's note)."""

import io

import numpy as np
import pytest
from PIL import Image
from segments import SegmentsClient
from segments.utils import bitmap2file

from datasets.models import Label
from labeling.services import create_api_key

CHELSEA_SIZE = (300, 451)


def _rgb_png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((*CHELSEA_SIZE, 3), np.uint8), "RGB").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _ids(shape=CHELSEA_SIZE, value=1) -> np.ndarray:
    ids = np.zeros(shape, dtype=np.uint32)
    ids[5:50, 5:50] = value
    return ids


@pytest.mark.parametrize(
    ("bitmap", "annotations", "rule", "message"),
    [
        (_rgb_png, [], "rgba_png", "8-bit RGBA PNG"),
        (lambda: bitmap2file(_ids(shape=(10, 20))), [{"id": 1, "category_id": 1}], "image_size", "20x10"),
        (lambda: bitmap2file(_ids(value=9)), [{"id": 1, "category_id": 1}], "unknown_annotation_id", "id 9"),
    ],
    ids=["rgb-png", "wrong-size", "id-not-in-annotations"],
)
def test_label_api_refuses_a_bad_segmentation_bitmap(
    client, live_server, segmentation_dataset, labeler, bitmap, annotations, rule, message
):
    # given
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    key = create_api_key(labeler)
    asset = SegmentsClient(api_key=key, api_url=f"{live_server.url}/").upload_asset(bitmap(), "label.png")
    body = {
        "attributes": {
            "format_version": "0.1",
            "annotations": annotations,
            "segmentation_bitmap": {"url": asset.url},
        },
        "label_status": "PRELABELED",
    }

    # when
    response = client.put(
        f"/labels/{sample.uuid}/ground-truth/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"APIKey {key}",
    )

    # then
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(error["rule"] == rule and message in error["message"] for error in errors), errors
    assert errors[0]["path"].startswith("attributes.segmentation_bitmap")
    assert not Label.objects.filter(sample=sample).exists()
