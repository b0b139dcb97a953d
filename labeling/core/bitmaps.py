"""Segmentation bitmaps: a uint32 id per pixel stored as an 8-bit RGBA PNG (spec section 7).

`id = R + 256 * G + 65536 * B` (little-endian in the first three bytes), alpha is 255 everywhere, 0 means
unlabeled. This is what the SDK's `bitmap2file` writes and `load_label_bitmap_from_url` reads. All conversions
are NumPy views and vector operations; no Python loop touches a pixel. The encoder writes standard PNG chunks
with zlib (see PNG_COMPRESS_LEVEL for why); the decoder is Pillow.

Errors: a PNG that is not an 8-bit RGBA PNG, or has alpha != 255, raises `BitmapFormatError` (a
`LabelFormatError`) with path `segmentation_bitmap` (or the `path` given) and rule `rgba_png` / `alpha`.
"""

import io
import struct
import zlib
from collections.abc import Iterable

import numpy as np
from PIL import Image

from labeling.core.checks import Issues
from labeling.core.errors import BitmapFormatError, FormatIssue

MAX_ID = 2**24 - 1
BITMAP_PATH = "segmentation_bitmap"
# The encoder writes the PNG chunks itself (stdlib zlib) instead of calling Pillow: Pillow's PNG writer always
# runs adaptive per-row filtering, which alone costs ~55 ms for 1920x1080 RGBA at any compress_level
# (measured with Pillow 13 on the 2-core CI machine; whole save 74 ms CPU at level 1), while label bitmaps
# (flat regions) compress as well without filters: zlib level 1 on unfiltered rows takes ~14 ms. Decoding
# stays with Pillow, which reads every valid PNG whatever its filters. See bench/bench_formats.py.
PNG_COMPRESS_LEVEL = 1
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGBA_COLOR_TYPE = 6
MAX_REPORTED_IDS = 20


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def encode_bitmap(ids: np.ndarray) -> bytes:
    """Encode an (H, W) array of annotation ids (integers in 0..2**24-1) as an 8-bit RGBA PNG.

    Accepts any integer dtype; raises ValueError for other dtypes, other shapes, an empty array, or ids
    outside 0..2**24-1.
    """
    ids = np.asarray(ids)
    if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"expected an (H, W) integer array, got shape {ids.shape} and dtype {ids.dtype}")
    if ids.size == 0:
        raise ValueError(f"a bitmap needs at least one pixel, got shape {ids.shape}")
    if int(ids.min()) < 0 or int(ids.max()) > MAX_ID:
        raise ValueError(f"bitmap ids must be in 0..{MAX_ID}, got {int(ids.min())}..{int(ids.max())}")
    height, width = ids.shape
    # Each scanline is a filter-type byte (0: none) followed by R, G, B, A per pixel; the little-endian bytes
    # of a uint32 id below 2**24 are exactly R, G, B and a 0 that becomes alpha 255.
    scanlines = np.zeros((height, 1 + 4 * width), dtype=np.uint8)
    scanlines[:, 1:] = ids.astype("<u4").view(np.uint8).reshape(height, 4 * width)
    scanlines[:, 4::4] = 255
    header = struct.pack(">IIBBBBB", width, height, 8, _RGBA_COLOR_TYPE, 0, 0, 0)
    pixels = zlib.compress(scanlines.data, PNG_COMPRESS_LEVEL)  # a view: no copy of the scanlines
    return _PNG_SIGNATURE + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def _bitmap_error(path: str, rule: str, message: str) -> BitmapFormatError:
    return BitmapFormatError([FormatIssue(path=path, rule=rule, message=message)])


def _check_png_header(png: bytes, path: str) -> None:
    # IHDR is always the first chunk: width, height (4 bytes each), then bit depth and color type.
    if not isinstance(png, bytes | bytearray) or png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise _bitmap_error(path, "rgba_png", "not a PNG file")
    bit_depth, color_type = png[24], png[25]
    if color_type != _RGBA_COLOR_TYPE or bit_depth != 8:
        raise _bitmap_error(
            path,
            "rgba_png",
            f"must be an 8-bit RGBA PNG, got color type {color_type} with bit depth {bit_depth}",
        )


def decode_bitmap(png: bytes, *, path: str = BITMAP_PATH) -> np.ndarray:
    """Decode a label bitmap PNG into an (H, W) uint32 array of annotation ids.

    Raises BitmapFormatError (rule `rgba_png`) for anything but an 8-bit RGBA PNG, including truncated files,
    and (rule `alpha`) when any pixel's alpha is not 255.
    """
    _check_png_header(png, path)
    try:
        with Image.open(io.BytesIO(png)) as image:
            rgba = np.asarray(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        # Pillow reports corrupt data as any of the first three; the last guards against zip bombs.
        raise _bitmap_error(path, "rgba_png", f"unreadable PNG: {error}") from error
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise _bitmap_error(path, "rgba_png", f"decoded to shape {rgba.shape} {rgba.dtype}, not RGBA")
    alpha = rgba[..., 3]
    if (alpha != 255).any():
        count = int(np.count_nonzero(alpha != 255))
        raise _bitmap_error(path, "alpha", f"alpha must be 255 everywhere; {count} pixel(s) differ")
    ids = np.ascontiguousarray(rgba).view("<u4")[..., 0] & np.uint32(MAX_ID)
    return ids.astype(np.uint32, copy=False)


def _unknown_ids(ids: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Sorted ids (other than 0) present in `ids` but not in `known`, via a lookup table, not a sort."""
    highest = int(ids.max()) if ids.size else 0
    table = np.zeros(highest + 1, dtype=bool)
    table[0] = True
    table[known[known <= highest]] = True
    unknown_pixels = ~table[ids]
    if not unknown_pixels.any():
        return np.empty(0, dtype=np.uint32)
    return np.unique(ids[unknown_pixels])


def validate_bitmap(
    png: bytes,
    *,
    image_size: tuple[int, int] | None,
    annotation_ids: Iterable[int],
    path: str = BITMAP_PATH,
) -> np.ndarray:
    """Decode an uploaded label bitmap and check it against its sample and label; return the (H, W) ids.

    image_size: (width, height) of the sample image in pixels, or None when unknown. Every non-zero id in
    the bitmap must be one of `annotation_ids`. Raises BitmapFormatError with all issues (rules `rgba_png`,
    `alpha`, `image_size`, `unknown_annotation_id`); `path` names the bitmap in them.
    """
    ids = decode_bitmap(png, path=path)
    issues = Issues()
    height, width = ids.shape
    if image_size is not None and (width, height) != tuple(image_size):
        expected_width, expected_height = image_size
        message = f"bitmap is {width}x{height} but the image is {expected_width}x{expected_height}"
        issues.add(path, "image_size", message)
    known = np.fromiter((int(i) for i in annotation_ids if 0 < int(i) <= MAX_ID), dtype=np.int64)
    unknown = _unknown_ids(ids, known)
    for object_id in unknown[:MAX_REPORTED_IDS]:
        issues.add(path, "unknown_annotation_id", f"id {int(object_id)} is in the bitmap but not in annotations")
    if len(unknown) > MAX_REPORTED_IDS:
        issues.add(path, "unknown_annotation_id", f"{len(unknown) - MAX_REPORTED_IDS} more unknown ids")
    issues.raise_if_any(BitmapFormatError)
    return ids
