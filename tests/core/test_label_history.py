"""The label history's storage format (labeling.core.label_history): compressed JSON that round-trips."""

import pytest

from labeling.core.label_history import compress_attributes, decompress_attributes


@pytest.mark.parametrize(
    "attributes",
    [
        None,
        {"format_version": "0.1", "annotations": []},
        {"format_version": "0.1", "annotations": [{"id": 1, "category_id": 2, "type": "bbox", "points": [[0, 1.5]]}]},
        {"format_version": "0.1", "point_annotations": [0, 1, 1, 2] * 1000, "annotations": [{"id": 1}]},
        {"text": "naïve café ☕"},
    ],
)
def test_stored_attributes_round_trip(attributes):
    stored = compress_attributes(attributes)
    assert decompress_attributes(stored.data, stored.codec) == attributes
    assert decompress_attributes(memoryview(stored.data)) == attributes  # as PostgreSQL returns bytea


def test_repetitive_labels_are_stored_in_a_fraction_of_their_json():
    stored = compress_attributes({"format_version": "0.1", "point_annotations": [0] * 100_000 + [3] * 100_000})
    assert stored.raw_size > 400_000
    assert len(stored.data) < stored.raw_size / 100


def test_unknown_codecs_and_damaged_data_are_refused():
    stored = compress_attributes({"a": 1})
    with pytest.raises(ValueError, match="codec"):
        decompress_attributes(stored.data, "brotli")
    with pytest.raises(ValueError, match="not compressed JSON"):
        decompress_attributes(stored.data[:-3])
