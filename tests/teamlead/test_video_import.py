"""The video import through the import page's endpoints: a short video made in the test from the real
`examples/image_sequence/` frames becomes one image-sequence sample whose frames are the chosen frames of the
video; a file that is not a video, a video that cannot be decoded and options out of range are refused with
the reason, and nothing is left behind."""

import io
import json
from pathlib import Path

import av
import numpy as np
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from datasets.models import ImportJob, Sample
from datasets.services.datasets import create_dataset
from labeling.core.sample_formats import validate_sample_attributes
from tests.videos import SOURCE_FRAMES, make_video

pytestmark = pytest.mark.django_db
CATEGORIES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a folder of this test, so what a refused import leaves behind can be listed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dataset(alice):
    return create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="parking",
        task_type="image-vector-sequence",
        task_attributes=CATEGORIES,
    )


@pytest.fixture
def video(tmp_path) -> Path:
    return make_video(tmp_path / "parking.mp4")


def upload(client, dataset, name: str, content: bytes):
    url = reverse("import-files", args=[dataset.owner_name, dataset.name, "video"])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "relativePath": name})


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    """POST the import; the job runs in-process (eager Celery) once the request's transaction commits."""

    def post(dataset, assets, options):
        url = reverse("import-start", args=[dataset.owner_name, dataset.name, "video"])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, json.dumps({"assets": assets, "options": options}), "application/json")

    return post


def stored_image(url: str) -> np.ndarray:
    name = url.split(settings.MEDIA_URL, 1)[1]
    with default_storage.open(name, "rb") as stored:
        return np.asarray(Image.open(io.BytesIO(stored.read())).convert("RGB"), dtype=np.float64)


def source_image(index: int) -> np.ndarray:
    return np.asarray(Image.open(SOURCE_FRAMES[index]).convert("RGB"), dtype=np.float64)


def stored_files(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*.jpg"))


def test_a_video_becomes_a_sequence_of_its_chosen_frames_in_order(client, alice, dataset, video, start):
    # given: the video uploaded on the import page
    client.force_login(alice)
    uploaded = upload(client, dataset, "parking.mp4", video.read_bytes())
    assert uploaded.status_code == 201, uploaded.content

    # when: every second frame from frame 4 to frame 23 is imported
    response = start(dataset, [uploaded.json()["asset"]], {"frame_step": 2, "start_frame": 4, "end_frame": 23})

    # then: one sample of the ten frames 4, 6, ..., 22, each the source frame it was made from
    assert response.status_code == 202, response.content
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "SUCCEEDED", status
    assert (status["done"], status["total"]) == (10, 10)
    assert status["report"]["created"] == {"samples": 1, "frames": 10}
    sample = Sample.objects.get(dataset=dataset)
    assert sample.name == "parking"
    validate_sample_attributes("image-vector-sequence", sample.attributes)
    frames = sample.attributes["frames"]
    assert [frame["name"] for frame in frames] == [f"frame_{index:06d}" for index in range(4, 24, 2)]
    assert [frame["timestamp"] for frame in frames] == pytest.approx([i / 12 for i in range(4, 24, 2)], abs=1e-3)
    assert sample.metadata["source"] == "parking.mp4"
    for position, frame in enumerate(frames):
        decoded, index = stored_image(frame["image"]["url"]), 4 + 2 * position
        error = np.abs(decoded - source_image(index)).mean()
        assert error < 3, f"frame {index} differs from its source by {error:.1f} on average"
        assert error < np.abs(decoded - source_image(index + 1)).mean(), f"frame {index} is out of order"


def test_several_videos_make_several_samples_named_after_the_option(client, alice, dataset, tmp_path, start):
    client.force_login(alice)
    first = make_video(tmp_path / "a.mp4", SOURCE_FRAMES[:5])
    second = make_video(tmp_path / "b.webm", SOURCE_FRAMES[10:13])
    assets = [upload(client, dataset, path.name, path.read_bytes()).json()["asset"] for path in (first, second)]

    response = start(dataset, assets, {"sample_name": "lot"})

    assert client.get(response.json()["status_url"]).json()["report"]["created"] == {"samples": 2, "frames": 8}
    lengths = {sample.name: len(sample.attributes["frames"]) for sample in Sample.objects.filter(dataset=dataset)}
    assert lengths == {"lot-a": 5, "lot-b": 3}


def test_a_file_that_is_not_a_video_is_refused_on_upload(client, alice, dataset):
    client.force_login(alice)

    response = upload(client, dataset, "holiday.mp4", SOURCE_FRAMES[0].read_bytes())

    assert response.status_code == 400
    assert response.json()["reason"] == "not a video file (extension says MP4)"


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_video_that_cannot_be_decoded_refuses_the_import_and_leaves_nothing(
    client, alice, dataset, video, start, media, damage
):
    # given: a good video and a damaged one, uploaded together
    client.force_login(alice)
    data = video.read_bytes()
    broken = data[: len(data) // 2] if damage == "truncated" else data[:32] + bytes(range(256)) * 64
    assets = [
        upload(client, dataset, "good.mp4", data).json()["asset"],
        upload(client, dataset, "broken.mp4", broken).json()["asset"],
    ]

    # when
    response = start(dataset, assets, {})

    # then: refused with the file and the reason; no sample, no stored frame
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "FAILED"
    assert status["errors"][0]["path"] == "broken.mp4"
    assert "cannot be decoded as a video" in status["errors"][0]["message"]
    assert not Sample.objects.filter(dataset=dataset).exists()
    assert not [name for name in stored_files(media) if name.startswith("imports/") and "/uploads/" not in name]


def test_a_video_cut_after_its_headers_imports_the_frames_before_the_cut_and_says_so(
    client, alice, dataset, tmp_path, start
):
    # given: a video whose index is at the start (as streaming tools write it), cut in the middle
    client.force_login(alice)
    path = tmp_path / "cut.mp4"
    with av.open(str(path), mode="w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("mpeg4", rate=12)
        stream.width, stream.height, stream.pix_fmt = 768, 432, "yuv420p"
        for frame_path in SOURCE_FRAMES[:20]:
            container.mux(stream.encode(av.VideoFrame.from_image(Image.open(frame_path).convert("RGB"))))
        container.mux(stream.encode(None))
    data = path.read_bytes()
    asset = upload(client, dataset, "cut.mp4", data[: len(data) * 2 // 3]).json()["asset"]

    response = start(dataset, [asset], {})

    report = client.get(response.json()["status_url"]).json()["report"]
    kept = len(Sample.objects.get(dataset=dataset).attributes["frames"])
    assert 0 < kept < 20
    assert report["notes"] == [f"cut.mp4: {kept} frames decoded of 20 expected (the file may be cut)"]


@pytest.mark.parametrize(
    ("options", "path", "message"),
    [
        ({"frame_step": 0}, "options.frame_step", "must be at least 1"),
        ({"frame_step": 1.5}, "options.frame_step", "must be a whole number"),
        ({"start_frame": -1}, "options.start_frame", "must be at least 0"),
        ({"start_frame": 10, "end_frame": 5}, "options.end_frame", "must be at least the start frame (10)"),
        ({"sample_name": 7}, "options.sample_name", "must be text"),
    ],
)
def test_options_out_of_range_are_refused_naming_the_option(
    client, alice, dataset, video, start, options, path, message
):
    client.force_login(alice)
    asset = upload(client, dataset, "parking.mp4", video.read_bytes()).json()["asset"]

    response = start(dataset, [asset], options)

    assert response.status_code == 400
    assert [(error["path"], error["message"]) for error in response.json()["errors"]] == [(path, message)]
    assert not ImportJob.objects.exists()


def test_a_range_past_the_end_and_the_frame_limit_refuse_the_import(client, alice, dataset, video, start, settings):
    client.force_login(alice)
    asset = upload(client, dataset, "parking.mp4", video.read_bytes()).json()["asset"]

    past_end = client.get(start(dataset, [asset], {"start_frame": 80}).json()["status_url"]).json()
    settings.VIDEO_MAX_FRAMES_PER_IMPORT = 20
    too_many = client.get(start(dataset, [asset], {"frame_step": 2}).json()["status_url"]).json()

    assert past_end["errors"][0]["message"] == "no frame is selected: start frame 80 is past the last frame (49)"
    assert too_many["errors"][0]["message"].startswith("more than 20 frames are selected")
    assert not Sample.objects.filter(dataset=dataset).exists()


def test_the_import_page_offers_video_for_sequence_datasets_only(client, alice, dataset):
    client.force_login(alice)
    vector = create_dataset(alice, owner_name="alice", owner_user=alice, name="photos", task_type="vector")

    sequence_page = client.get(reverse("import", args=["alice", dataset.name]))
    vector_page = client.get(reverse("import", args=["alice", vector.name]))

    assert b'data-testid="importer-video"' in sequence_page.content
    assert b'data-testid="importer-video"' not in vector_page.content


def test_a_sample_name_taken_refuses_the_import_before_decoding(client, alice, dataset, tmp_path, start):
    # given: a sample "a" exists; "a.mp4" and "a.webm" would both become "a"
    client.force_login(alice)
    Sample.objects.create(dataset=dataset, name="a", attributes={"frames": []}, created_by=alice)
    videos = [make_video(tmp_path / "a.mp4", SOURCE_FRAMES[:2]), make_video(tmp_path / "a.webm", SOURCE_FRAMES[:2])]
    assets = [upload(client, dataset, path.name, path.read_bytes()).json()["asset"] for path in videos]

    taken = client.get(start(dataset, assets, {}).json()["status_url"]).json()
    Sample.objects.filter(dataset=dataset).delete()
    twice = client.get(start(dataset, assets, {}).json()["status_url"]).json()

    assert [(error["path"], error["message"]) for error in taken["errors"]] == [
        ("a.mp4", "a sample named 'a' exists already"),
        ("a.webm", "a sample named 'a' exists already"),
    ]
    assert [(error["path"], error["message"]) for error in twice["errors"]] == [
        ("a.webm", "another video of this import also becomes the sample 'a'")
    ]
    assert twice["done"] == 0
    assert not Sample.objects.filter(dataset=dataset).exists()


def test_the_imported_sequence_gets_a_thumbnail_of_its_first_frame_that_the_dataset_page_shows(
    client, alice, dataset, video, start
):
    client.force_login(alice)
    uploaded = upload(client, dataset, "parking.mp4", video.read_bytes())

    start(dataset, [uploaded.json()["asset"]], {"start_frame": 4, "end_frame": 8})

    sample = Sample.objects.select_related("thumbnail").get(dataset=dataset)
    assert sample.thumbnail is not None  # made by the worker after the import's commit, as for uploads
    with default_storage.open(sample.thumbnail.file.name, "rb") as stored:
        thumbnail = Image.open(io.BytesIO(stored.read()))
        assert (thumbnail.format, max(thumbnail.size)) == ("JPEG", 192)
        small = np.asarray(thumbnail.convert("RGB"), dtype=np.float64)
    first = Image.fromarray(stored_image(sample.attributes["frames"][0]["image"]["url"]).astype(np.uint8))
    expected = np.asarray(first.resize(thumbnail.size), dtype=np.float64)
    assert np.abs(small - expected).mean() < 8  # the first frame, scaled down
    page = client.get(reverse("dataset", args=["alice", "parking"])).content.decode()
    assert f'src="/media/{sample.thumbnail.file.name}"' in page
    assert "/media/imports/" not in page  # never an original frame
