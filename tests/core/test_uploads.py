"""labeling.core.uploads: what a dropped file is, and how a batch becomes samples."""

import struct
from pathlib import Path

import pytest

from labeling.core.uploads import FileKind, UploadedFile, UploadRefused, detect_kind, plan_samples

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
IMAGE = FileKind("image")


def head_of(path: Path) -> tuple[bytes, int]:
    data = path.read_bytes()
    return data[:4096], len(data)


def test_real_photos_and_point_clouds_are_recognised():
    photo = next((EXAMPLES / "images").glob("*.jpg"), None) or next((EXAMPLES / "images").glob("*.png"))
    assert detect_kind(photo.name, *head_of(photo)).kind == "image"
    kitti = next((EXAMPLES / "pointcloud_single").glob("*.bin"))
    assert detect_kind(kitti.name, *head_of(kitti)) == FileKind("pointcloud", "binary-xyzi")
    pcd = next((EXAMPLES / "pointcloud_sequence").rglob("*.pcd"))
    assert detect_kind(pcd.name, *head_of(pcd)) == FileKind("pointcloud", "pcd")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.png", b"GIF89a" + b"\0" * 20, "not a PNG image"),
        ("photo.jpg", b"hello world", "not a JPG image"),
        ("cloud.pcd", b"\x89PNG\r\n\x1a\n....", "not a PCD point cloud"),
        ("cloud.ply", b"solid cube", "not a PLY point cloud"),
        ("cloud.las", b"LAS!", "not a LAS point cloud"),
        ("cloud.bin", struct.pack("<5f", 1, 2, 3, 4, 5), "16-byte"),
        ("notes.txt", b"abc\x00def", "not text"),
        ("notes.txt", b"\xff\xfe\xfa" + b"a" * 10, "not UTF-8"),
        ("movie.mp4", b"....ftyp", "unsupported file type .mp4: .+ videos become image sequences through Import"),
        ("empty.png", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says_is_refused_with_the_reason(name, content, reason):
    with pytest.raises(UploadRefused, match=reason):
        detect_kind(name, content[:4096], len(content))


def uploaded(path: str, kind: FileKind = IMAGE, text: str | None = None) -> UploadedFile:
    return UploadedFile(path=path, url=f"https://h/media/{path}", kind=kind, text=text)


def test_images_become_one_sample_each_and_other_kinds_are_refused():
    plan = plan_samples([uploaded("a.png"), uploaded("b.txt", FileKind("text"), "hi")], "image")
    assert plan.samples == [("a.png", {"image": {"url": "https://h/media/a.png"}})]
    assert plan.refused == [("b.txt", "a text file cannot be a image sample")]


def test_a_folder_or_numbered_files_become_one_sequence_ordered_by_number():
    files = [uploaded("run1/f10.png"), uploaded("run1/f2.png"), uploaded("cam_0002.jpg"), uploaded("cam_0001.jpg")]
    plan = plan_samples(files, "image-sequence")
    assert [name for name, _ in plan.samples] == ["cam", "run1"]
    cam, run = (attributes["frames"] for _, attributes in plan.samples)
    assert [frame["name"] for frame in cam] == ["cam_0001.jpg", "cam_0002.jpg"]
    assert [frame["name"] for frame in run] == ["f2.png", "f10.png"]
    assert run[0]["image"] == {"url": "https://h/media/run1/f2.png"}


def test_point_clouds_carry_their_wire_type():
    plan = plan_samples([uploaded("x.bin", FileKind("pointcloud", "binary-xyzi"))], "pointcloud")
    assert plan.samples == [("x.bin", {"pcd": {"url": "https://h/media/x.bin", "type": "binary-xyzi"}})]


def test_text_files_become_one_sample_per_file_or_per_non_blank_line():
    text = uploaded("doc.txt", FileKind("text"), "first line\n\nsecond line\n")
    assert plan_samples([text], "text").samples == [("doc.txt", {"text": "first line\n\nsecond line\n"})]
    assert plan_samples([text], "text", text_per_line=True).samples == [
        ("doc.txt:1", {"text": "first line"}),
        ("doc.txt:3", {"text": "second line"}),
    ]


def test_a_multisensor_dataset_points_to_the_scene_import():
    plan = plan_samples([uploaded("drive/lidar/1.pcd", FileKind("pointcloud", "pcd"))], "multisensor-sequence")
    assert plan.samples == []
    assert "use Import (SUSTechPOINTS scene)" in plan.refused[0][1]
