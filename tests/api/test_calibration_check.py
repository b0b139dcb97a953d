"""The calibration check on the real demo: break the front camera by a 90 degree axis rotation, the check ranks
the candidate that undoes it first, and choosing it restores the original extrinsics in every sample."""

import copy
import io

import numpy as np
import pytest
from PIL import Image

from datasets.demo import create_demo_data
from datasets.models import Collaborator, Sample
from labeling.core.calibration import extrinsics_from_pose
from labeling.core.projection import quaternion_to_matrix
from tests.api.conftest import snapshot

# A quarter turn about the camera's x axis: the kind of slip a wrong axis convention makes.
QUARTER_TURN_X = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


def front_images(sample: Sample) -> list[dict]:
    frames = sample.attributes["sensors"][0]["attributes"]["frames"]
    return [image for frame in frames for image in frame["images"] if image["name"] == "front"]


def pose(extrinsics: dict) -> tuple[np.ndarray, np.ndarray]:
    translation = np.array([extrinsics["translation"][axis] for axis in "xyz"])
    return quaternion_to_matrix(**extrinsics["rotation"]), translation


@pytest.fixture
def broken_demo(db, manager, labeler):
    """The demo with its front camera turned a quarter about its x axis in every frame; returns (dataset,
    sample, original sample attributes)."""
    dataset = create_demo_data("http://testserver").multisensor_dataset
    for persona in (manager, labeler):
        Collaborator.objects.create(dataset=dataset, user=persona.user, role=persona.name)
    sample = dataset.samples.get()
    original = copy.deepcopy(sample.attributes)
    for image in front_images(sample):
        rotation, translation = pose(image["extrinsics"])
        image["extrinsics"] = extrinsics_from_pose(rotation @ QUARTER_TURN_X, translation)
    sample.save(update_fields=["attributes"])
    return dataset, sample, original


def test_the_check_ranks_the_correction_that_undoes_a_quarter_turn_first_and_choosing_it_restores_it(
    api, manager, broken_demo
):
    dataset, sample, original = broken_demo
    # when
    response = api.get(manager, f"/samples/{sample.uuid}/calibration/front/candidates/")
    # then
    assert response.status_code == 200, response.content
    candidates = response.json()
    assert len(candidates) == 48
    assert [candidate["rank"] for candidate in candidates] == list(range(48))
    expected_rotation, expected_translation = pose(front_images(Sample(attributes=original))[0]["extrinsics"])
    restoring = [
        candidate["key"]
        for candidate in candidates
        if np.abs(pose(candidate["extrinsics"])[0] - expected_rotation).max() < 1e-6
        and np.abs(pose(candidate["extrinsics"])[1] - expected_translation).max() < 1e-6
    ]
    assert restoring == [candidates[0]["key"]]  # the right one, and first
    preview = api.get(manager, candidates[0]["preview_url"])
    assert preview["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(preview.content)).size == (480, 360)

    # when
    chosen = api.post(manager, f"/datasets/{dataset.full_name}/calibration/front/", {"correction": restoring[0]})
    # then
    assert chosen.status_code == 200, chosen.content
    assert chosen.json() == {"camera": "front", "correction": restoring[0], "samples_changed": 1}
    sample.refresh_from_db()
    for restored, before in zip(front_images(sample), front_images(Sample(attributes=original)), strict=True):
        rotation, translation = pose(restored["extrinsics"])
        assert np.abs(rotation - pose(before["extrinsics"])[0]).max() < 1e-6
        assert np.abs(translation - pose(before["extrinsics"])[1]).max() < 1e-6
        assert np.abs(np.array(list(restored["extrinsics"]["rotation"].values()))).max() <= 1.0
    untouched = [
        s for s in sample.attributes["sensors"][0]["attributes"]["frames"][0]["images"] if s["name"] != "front"
    ]
    assert untouched == [s for s in original["sensors"][0]["attributes"]["frames"][0]["images"] if s["name"] != "front"]


def test_previews_differ_by_candidate_and_the_stored_pose_is_r0(api, manager, broken_demo):
    _, sample, _ = broken_demo
    base = f"/samples/{sample.uuid}/calibration/front/candidates/"
    stored, turned = api.get(manager, f"{base}r0.png"), api.get(manager, f"{base}r4.png?frame=2")
    assert stored.status_code == turned.status_code == 200
    assert stored.content != turned.content
    assert api.get(manager, f"{base}x9.png").status_code == 400
    assert api.get(manager, f"{base}r0.png?frame=3").status_code == 400
    assert api.get(manager, f"/samples/{sample.uuid}/calibration/rear/candidates/").status_code == 404


def test_a_labeler_cannot_check_or_correct_and_nothing_changes(api, labeler, broken_demo):
    dataset, sample, _ = broken_demo
    before = snapshot()
    assert api.get(labeler, f"/samples/{sample.uuid}/calibration/front/candidates/").status_code == 403
    denied = api.post(labeler, f"/datasets/{dataset.full_name}/calibration/front/", {"correction": "r4"})
    assert denied.status_code == 403
    assert snapshot() == before


def test_an_unknown_correction_or_camera_is_refused_and_nothing_changes(api, manager, broken_demo):
    dataset, _, _ = broken_demo
    before = snapshot()
    wrong_key = api.post(manager, f"/datasets/{dataset.full_name}/calibration/front/", {"correction": "r24"})
    assert wrong_key.status_code == 400
    assert "correction" in wrong_key.json()["detail"]
    assert (
        api.post(manager, f"/datasets/{dataset.full_name}/calibration/rear/", {"correction": "r4"}).status_code == 404
    )
    assert snapshot() == before


def test_the_check_page_shows_the_candidates_best_first_and_applies_the_choice(
    client, manager, broken_demo, django_capture_on_commit_callbacks
):
    dataset, sample, original = broken_demo
    client.force_login(manager.user)
    url = f"/app/{dataset.owner_name}/{dataset.name}/calibration/?sample={sample.uuid}&camera=front"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(
            url
        )  # answers at once; the ranking task runs after its commit (tests/api/test_calibration_ranking.py)
    # when
    page = client.get(url)
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="choose-') == 47  # every candidate but the stored pose
    first = html.index("data-rank=")
    assert 'data-rank="0"' in html[first : first + 20]
    best = html[html.index('data-key="', first - 40) + 10 :].split('"')[0]
    # when
    applied = client.post(url, {"correction": best})
    # then
    assert applied.status_code == 302
    sample.refresh_from_db()
    rotation, _ = pose(front_images(sample)[0]["extrinsics"])
    assert np.abs(rotation - pose(front_images(Sample(attributes=original))[0]["extrinsics"])[0]).max() < 1e-6
