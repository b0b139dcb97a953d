"""Segmentation bitmaps: exact RGBA PNG round trip, SDK compatibility, and rejection of anything else."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from segments import utils as sdk_utils

from labeling.core.bitmaps import MAX_ID, decode_bitmap, encode_bitmap, png_size, validate_bitmap
from labeling.core.errors import BitmapFormatError, LabelFormatError
from tests.core.shared_data import SHARED_DATA, read_shared


def _png(width: int, height: int, bit_depth: int, color_type: int, rows: bytes) -> bytes:
    """A minimal PNG written by hand (Pillow cannot write 16-bit RGBA); `rows` are unfiltered pixel rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row_size = len(rows) // height
    filtered = b"".join(b"\x00" + rows[i * row_size : (i + 1) * row_size] for i in range(height))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(filtered)) + chunk(b"IEND", b"")


def _pillow_png(array: np.ndarray, mode: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _rule(raised) -> list[tuple[str, str]]:
    return [(issue.path, issue.rule) for issue in raised.value.issues]


@pytest.mark.parametrize(("height", "width", "seed"), [(1, 1, 0), (7, 13, 1), (240, 320, 2), (1080, 1920, 3)])
def test_random_ids_up_to_24_bits_round_trip_exactly(height, width, seed):
    ids = np.random.default_rng(seed).integers(0, MAX_ID + 1, size=(height, width), dtype=np.uint32)
    ids.flat[0] = MAX_ID

    decoded = decode_bitmap(encode_bitmap(ids))

    assert decoded.dtype == np.uint32
    assert decoded.shape == (height, width)
    assert np.array_equal(decoded, ids)


def test_boundary_ids_land_in_the_documented_channels():
    ids = np.array([[0, 1, 255, 256], [65535, 65536, 0x123456, MAX_ID]], dtype=np.uint32)

    rgba = np.asarray(Image.open(io.BytesIO(encode_bitmap(ids))))

    assert rgba.dtype == np.uint8
    assert (rgba[..., 3] == 255).all()
    assert rgba[1, 2].tolist() == [0x56, 0x34, 0x12, 255]
    channels = rgba.astype(np.uint32)
    assert np.array_equal(channels[..., 0] + 256 * channels[..., 1] + 65536 * channels[..., 2], ids)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32, np.int64])
def test_other_integer_dtypes_encode_to_the_same_png(dtype):
    ids = np.arange(12, dtype=dtype).reshape(3, 4)

    assert np.array_equal(decode_bitmap(encode_bitmap(ids)), ids.astype(np.uint32))


@pytest.mark.parametrize(
    "ids",
    [
        np.array([[MAX_ID + 1]], dtype=np.uint32),
        np.array([[-1]], dtype=np.int32),
        np.zeros((2, 2, 4), dtype=np.uint8),
        np.zeros(5, dtype=np.uint32),
        np.zeros((2, 2), dtype=np.float32),
        np.zeros((0, 4), dtype=np.uint32),
    ],
    ids=["above-24-bits", "negative", "rgba-array", "one-dimensional", "float", "empty"],
)
def test_arrays_that_are_not_id_bitmaps_cannot_be_encoded(ids):
    with pytest.raises(ValueError, match=r"bitmap ids|integer array|at least one pixel"):
        encode_bitmap(ids)


def test_sdk_reads_our_bitmaps_and_we_read_the_sdks(monkeypatch):
    ids = np.random.default_rng(4).integers(0, 5000, size=(31, 17), dtype=np.uint32)
    ours = encode_bitmap(ids)

    class Response:
        content = ours

    monkeypatch.setattr(sdk_utils.session, "get", lambda url, **kwargs: Response())
    sdk_file = sdk_utils.bitmap2file(ids)

    assert np.array_equal(sdk_utils.load_label_bitmap_from_url("https://assets/label.png"), ids)
    assert np.array_equal(decode_bitmap(sdk_file.getvalue()), ids)


def test_real_photo_mask_validates_against_the_photo_size():
    photo = Image.open(io.BytesIO(read_shared(SHARED_DATA / "images" / "coins.png")))
    gray = np.asarray(photo.convert("L"))
    ids = np.where(gray > 128, 1, 0).astype(np.uint32)
    ids[: gray.shape[0] // 2][ids[: gray.shape[0] // 2] == 1] = 2

    decoded = validate_bitmap(encode_bitmap(ids), image_size=photo.size, annotation_ids=[1, 2])

    assert photo.size == (384, 303)
    assert decoded.shape == (303, 384)
    assert set(np.unique(decoded).tolist()) == {0, 1, 2}


def test_bitmap_of_the_wrong_size_is_refused_from_its_header_before_decoding():
    ids = np.zeros((4, 6), dtype=np.uint32)
    ids[0, 0], ids[1, 1], ids[2, 2] = 3, 9, MAX_ID

    with pytest.raises(BitmapFormatError) as raised:
        validate_bitmap(encode_bitmap(ids), image_size=(6, 5), annotation_ids=[3])

    assert _rule(raised) == [("segmentation_bitmap", "image_size")]
    assert "bitmap is 6x4 but the image is 6x5" in str(raised.value)


def test_a_small_png_of_a_huge_bitmap_is_refused_without_decoding_it():
    # 13000 x 13000 all-zero RGBA: a few hundred KB compressed, 676 MB decoded. A header that says so and a
    # truncated body: had it been decoded, the missing data would be a different error.
    png = encode_bitmap(np.zeros((2, 2), np.uint32))
    header = png[:16] + struct.pack(">II", 13000, 13000) + png[24:29]
    huge = header + struct.pack(">I", zlib.crc32(header[12:29])) + png[33:]

    assert png_size(huge) == (13000, 13000)
    with pytest.raises(BitmapFormatError) as raised:
        validate_bitmap(huge, image_size=(640, 480), annotation_ids=[])
    assert _rule(raised) == [("segmentation_bitmap", "image_size")]
    with pytest.raises(BitmapFormatError) as raised:
        validate_bitmap(huge, image_size=None, annotation_ids=[])
    assert _rule(raised) == [("segmentation_bitmap", "bitmap_size")]


def test_a_bitmap_of_the_right_size_with_unknown_ids_reports_each():
    ids = np.zeros((4, 6), dtype=np.uint32)
    ids[0, 0], ids[1, 1], ids[2, 2] = 3, 9, MAX_ID

    with pytest.raises(BitmapFormatError) as raised:
        validate_bitmap(encode_bitmap(ids), image_size=(6, 4), annotation_ids=[3])

    assert _rule(raised) == [
        ("segmentation_bitmap", "unknown_annotation_id"),
        ("segmentation_bitmap", "unknown_annotation_id"),
    ]
    assert "id 16777215 is in the bitmap" in str(raised.value)


def test_unknown_ids_are_capped_with_a_summary_and_the_path_is_the_callers():
    ids = np.arange(50, dtype=np.uint32).reshape(5, 10)

    with pytest.raises(LabelFormatError) as raised:
        validate_bitmap(encode_bitmap(ids), image_size=None, annotation_ids=[], path="frames[2].segmentation_bitmap")

    assert len(raised.value.issues) == 21
    assert {issue.path for issue in raised.value.issues} == {"frames[2].segmentation_bitmap"}
    assert "29 more unknown ids" in raised.value.issues[-1].message


def test_unlabeled_bitmap_needs_no_annotations():
    assert validate_bitmap(encode_bitmap(np.zeros((3, 3), np.uint32)), image_size=(3, 3), annotation_ids=[]).sum() == 0


REJECTED = {
    "jpeg": lambda: read_shared(SHARED_DATA / "images" / "rocket.jpg"),
    "rgb-png": lambda: _pillow_png(np.zeros((4, 4, 3), np.uint8), "RGB"),
    "gray-png": lambda: _pillow_png(np.zeros((4, 4), np.uint8), "L"),
    "gray-alpha-png": lambda: _pillow_png(np.zeros((4, 4, 2), np.uint8), "LA"),
    "palette-png": lambda: _pillow_png(np.zeros((4, 4), np.uint8), "P"),
    "16-bit-rgba-png": lambda: _png(2, 2, 16, 6, b"\x00\x01\x00\x00\x00\x00\xff\xff" * 4),
    "truncated-png": lambda: encode_bitmap(np.arange(400, dtype=np.uint32).reshape(20, 20))[:-40],
    "empty": lambda: b"",
    "random-bytes": lambda: bytes(range(256)),
    "not-bytes": lambda: "segmentation.png",
}


@pytest.mark.parametrize("name", REJECTED)
def test_anything_but_an_8_bit_rgba_png_is_rejected(name):
    with pytest.raises(BitmapFormatError) as raised:
        decode_bitmap(REJECTED[name]())

    assert _rule(raised) == [("segmentation_bitmap", "rgba_png")]


def test_hand_written_8_bit_rgba_png_is_accepted():
    png = _png(2, 1, 8, 6, bytes([1, 0, 0, 255, 0, 1, 0, 255]))

    assert decode_bitmap(png).tolist() == [[1, 256]]


def test_transparent_pixels_are_rejected():
    rgba = np.zeros((3, 3, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[1, 1, 3] = 0

    with pytest.raises(BitmapFormatError) as raised:
        validate_bitmap(_pillow_png(rgba, "RGBA"), image_size=(3, 3), annotation_ids=[])

    assert _rule(raised) == [("segmentation_bitmap", "alpha")]
    assert "1 pixel(s)" in str(raised.value)
