"""The server reads point clouds in a worker (issue 15 item 1): created through the real API, read by the task,
derived buffer and point count stored, unreadable files named on the dataset page. Task tests call the task
function; the Celery-worker test is tests/test_pointcloud_worker.py."""

import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from datasets.models import Collaborator, PointCloudFrame, Sample
from datasets.services.datasets import create_dataset
from datasets.tasks import read_sample_point_clouds
from tests.core.shared_data import KITTI_BIN, LIDAR

pytestmark = pytest.mark.django_db(transaction=True)

KITTI_URL = "http://testserver/static/examples/pointcloud_single/000950.bin"
FRAME_POINTS = {"000950": 68242, "000965": 66781, "000970": 66899, "000975": 67153}
CATEGORIES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_dataset(owner, task_type: str, name: str = "lidar"):
    return create_dataset(
        owner, owner_name=owner.username, owner_user=owner, name=name, task_type=task_type, task_attributes=CATEGORIES
    )


def add_sample(client, header, dataset, attributes: dict, name: str = "cloud") -> dict:
    response = client.post(
        f"/datasets/{dataset.full_name}/samples/",
        json.dumps({"name": name, "attributes": attributes}),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 201, response.content
    return response.json()


def stored_file_url(name: str, data: bytes) -> str:
    return "/media/" + default_storage.save(f"assets/{name}", ContentFile(data))


def buffer_of(frame: PointCloudFrame) -> np.ndarray:
    with default_storage.open(frame.buffer.name, "rb") as file:
        return np.frombuffer(file.read(), dtype="<f4")


def test_creating_a_kitti_sample_reads_the_cloud_and_stores_the_count_and_buffer(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")

    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})

    frame = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert (frame.status, frame.point_count, frame.has_intensity, frame.error) == ("READ", 68242, True, "")
    rows = np.frombuffer(KITTI_BIN.read_bytes(), dtype="<f4").reshape(-1, 4)
    values = buffer_of(frame)
    assert values.size == 68242 * 4
    np.testing.assert_array_equal(values[: 68242 * 3].reshape(-1, 3), rows[:, :3])  # file order kept
    np.testing.assert_array_equal(values[68242 * 3 :], rows[:, 3])
    listed = client.get(f"/samples/{frame.sample.uuid}/pointclouds/", HTTP_AUTHORIZATION=api_key_for(alice))
    assert listed.json() == [
        {
            "frame": 0,
            "sensor": "",
            "status": "READ",
            "point_count": 68242,
            "has_intensity": True,
            "buffer": f"/media/{frame.buffer.name}",
            "error": "",
        }
    ]
    assert client.get(f"/media/{frame.buffer.name}").status_code == 200


def test_a_sequence_gets_one_count_per_frame_from_the_real_pcd_files(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-segmentation-sequence")
    frames = [
        {"pcd": {"url": f"/static/examples/pointcloud_sequence/lidar/{name}.pcd", "type": "pcd"}}
        for name in FRAME_POINTS
    ]

    add_sample(client, api_key_for(alice), dataset, {"frames": frames})

    stored = PointCloudFrame.objects.filter(sample__dataset=dataset).order_by("frame")
    assert [(f.frame, f.point_count, f.status) for f in stored] == [
        (index, count, "READ") for index, count in enumerate(FRAME_POINTS.values())
    ]


def test_the_cloud_is_read_once_even_when_the_task_runs_again(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")
    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})
    first = PointCloudFrame.objects.get(sample__dataset=dataset)

    read_sample_point_clouds(first.sample_id)

    again = PointCloudFrame.objects.get(pk=first.pk)
    assert (again.read_at, again.buffer.name) == (first.read_at, first.buffer.name)


def test_a_sample_with_a_dummy_url_is_created_and_its_frame_names_the_problem(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")

    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": "url", "type": "pcd"}})

    frame = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert frame.status == "FAILED"
    assert "not a file stored on this server" in frame.error
    assert not frame.buffer
    assert frame.point_count is None


def test_a_host_that_is_not_allowed_is_never_contacted(client, alice, api_key_for, settings):
    settings.POINTCLOUD_FETCH_ALLOWED_HOSTS = ["lidar.example.org"]
    dataset = make_dataset(alice, "pointcloud-cuboid")

    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": "http://169.254.169.254/latest", "type": "pcd"}})

    frame = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert frame.status == "FAILED"
    assert "'169.254.169.254' is not in POINTCLOUD_FETCH_ALLOWED_HOSTS" in frame.error


@pytest.fixture
def file_server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path/www; yields (base URL, folder)."""
    folder = tmp_path / "www"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def test_an_allowed_host_is_fetched_within_the_size_cap(client, alice, api_key_for, settings, file_server):
    base, folder = file_server
    (folder / "frame.bin").write_bytes(KITTI_BIN.read_bytes())
    settings.POINTCLOUD_FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
    dataset = make_dataset(alice, "pointcloud-cuboid")

    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": f"{base}/frame.bin", "type": "kitti"}}, "a")
    settings.POINTCLOUD_MAX_BYTES = 1000
    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": f"{base}/frame.bin", "type": "kitti"}}, "b")
    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": f"{base}/missing.bin", "type": "kitti"}}, "c")
    (folder / "folder").mkdir()  # the server answers /folder with a redirect to /folder/
    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": f"{base}/folder", "type": "kitti"}}, "d")

    frames = {
        f.sample.name: f for f in PointCloudFrame.objects.filter(sample__dataset=dataset).select_related("sample")
    }
    assert (frames["a"].status, frames["a"].point_count) == ("READ", 68242)
    assert frames["b"].status == "FAILED"
    assert "larger than POINTCLOUD_MAX_BYTES" in frames["b"].error
    assert "HTTP 404" in frames["c"].error
    assert "redirects are not followed" in frames["d"].error


def _pcd(points: np.ndarray, width: int, height: int) -> bytes:
    header = (
        "VERSION 0.7\nFIELDS x y z intensity\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT 1 1 1 1\n"
        f"WIDTH {width}\nHEIGHT {height}\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS {width * height}\nDATA binary\n"
    )
    return header.encode() + points.astype("<f4").tobytes()


BROKEN_FILES = {
    "truncated KITTI": (lambda: KITTI_BIN.read_bytes()[:-6], "kitti", "not a whole number of 16-byte points"),
    "truncated PCD": (lambda: (LIDAR / "000950.pcd").read_bytes()[:500_000], "pcd", "truncated"),
    "wrong layout (PCD read as KITTI)": (lambda: (LIDAR / "000950.pcd").read_bytes(), "kitti", "non-finite|beyond"),
    "not a point cloud (a PNG)": (
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(2000),
        "pcd",
        "no DATA line in the header; not a PCD file",
    ),
}


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_a_broken_file_gets_a_clear_message_no_buffer_and_shows_on_the_dataset_page(client, alice, api_key_for, case):
    data, pcd_type, message = BROKEN_FILES[case]
    dataset = make_dataset(alice, "pointcloud-cuboid")
    url = stored_file_url("broken/cloud.bin", data())

    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": url, "type": pcd_type}})

    frame = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert frame.status == "FAILED"
    assert not frame.buffer
    assert frame.point_count is None
    assert re.search(message, frame.error), frame.error
    client.force_login(alice)
    page = client.get(f"/app/{dataset.full_name}/").content.decode()
    assert 'data-testid="sample-problem"' in page
    assert "could not be read" in page


def test_nan_points_of_an_organized_cloud_keep_their_indices(client, alice, api_key_for):
    # given: a 4 x 3 organized cloud whose points 1, 5 and 11 had no return (x = y = z = NaN, PCL's convention)
    points = np.arange(48, dtype=np.float32).reshape(12, 4)
    points[[1, 5, 11], :] = np.nan
    dataset = make_dataset(alice, "pointcloud-segmentation")
    url = stored_file_url("organized/cloud.pcd", _pcd(points, 4, 3))

    # when
    add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": url, "type": "pcd"}})

    # then: 12 points, the NaN points where they were, every other point exact
    frame = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert (frame.status, frame.point_count) == ("READ", 12)
    xyz = buffer_of(frame)[:36].reshape(12, 3)
    assert np.flatnonzero(np.isnan(xyz).all(axis=1)).tolist() == [1, 5, 11]
    finite = ~np.isnan(points[:, 0])
    np.testing.assert_array_equal(xyz[finite], points[finite, :3])


def test_multisensor_lidar_frames_are_read_and_camera_sensors_ignored(client, alice, api_key_for):
    dataset = make_dataset(alice, "multisensor-sequence")
    lidar = {"frames": [{"pcd": {"url": KITTI_URL, "type": "kitti"}}, {"pcd": {"url": "url", "type": "pcd"}}]}
    camera = {"frames": [{"image": {"url": "http://x/1.jpg"}}, {"image": {"url": "http://x/2.jpg"}}]}
    sensors = [
        {"name": "Lidar", "task_type": "pointcloud-cuboid-sequence", "attributes": lidar},
        {"name": "Camera 1", "task_type": "image-vector-sequence", "attributes": camera},
    ]

    add_sample(client, api_key_for(alice), dataset, {"sensors": sensors})

    stored = PointCloudFrame.objects.filter(sample__dataset=dataset).order_by("frame")
    assert [(f.sensor, f.frame, f.status, f.point_count) for f in stored] == [
        ("Lidar", 0, "READ", 68242),
        ("Lidar", 1, "FAILED", None),
    ]


def test_changing_the_url_reads_the_new_file_and_removes_the_old_buffer(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")
    created = add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})
    old = PointCloudFrame.objects.get(sample__dataset=dataset)
    small = np.frombuffer(KITTI_BIN.read_bytes(), dtype="<f4")[: 100 * 4].tobytes()
    url = stored_file_url("small/cloud.bin", small)

    response = client.patch(
        f"/samples/{created['uuid']}/",
        json.dumps({"attributes": {"pcd": {"url": url, "type": "kitti"}}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=api_key_for(alice),
    )

    assert response.status_code == 200
    new = PointCloudFrame.objects.get(sample__dataset=dataset)
    assert new.point_count == 100
    assert not default_storage.exists(old.buffer.name)


def test_image_samples_get_no_point_cloud_frames(client, alice, labeler, api_key_for, vector_dataset):
    Collaborator.objects.filter(dataset=vector_dataset).delete()
    add_sample(client, api_key_for(alice), vector_dataset, {"image": {"url": "http://x/1.png"}}, "x.png")

    assert Sample.objects.filter(dataset=vector_dataset).count() == 2
    assert not PointCloudFrame.objects.exists()


def test_deleting_samples_or_the_dataset_deletes_the_buffers(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")
    header = api_key_for(alice)
    first = add_sample(client, header, dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}}, "a")
    add_sample(client, header, dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}}, "b")
    buffers = {f.sample.name: f.buffer.name for f in PointCloudFrame.objects.select_related("sample")}

    assert client.delete(f"/samples/{first['uuid']}/", HTTP_AUTHORIZATION=header).status_code == 204
    assert not default_storage.exists(buffers["a"])
    assert default_storage.exists(buffers["b"])
    assert client.delete(f"/datasets/{dataset.full_name}/", HTTP_AUTHORIZATION=header).status_code == 204

    assert not default_storage.exists(buffers["b"])
    assert not PointCloudFrame.objects.exists()


def test_a_cloned_dataset_gets_its_own_frames_read_from_the_same_files(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid")
    header = api_key_for(alice)
    add_sample(client, header, dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})

    response = client.post(
        f"/datasets/{dataset.full_name}/clone/",
        json.dumps({"name": "lidar-copy", "task_type": "pointcloud-segmentation"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )

    assert response.status_code == 201, response.content
    frames = list(PointCloudFrame.objects.order_by("pk"))
    assert [(f.sample.dataset.name, f.point_count) for f in frames] == [("lidar", 68242), ("lidar-copy", 68242)]
    assert frames[0].buffer.name != frames[1].buffer.name
