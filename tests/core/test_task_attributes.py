"""Dataset task attributes (categories and attribute definitions): stored as given, malformed ones located."""

import copy

import pytest
from segments import typing as sdk

from labeling.core.errors import LabelFormatError
from labeling.core.task_attributes import TaskConfig, validate_task_attributes
from tests.core.label_examples import DELETE, TASK_ATTRIBUTES, mutate

# The SDK's add_dataset test fixture (tests/fixtures/payloads.py), plus the warning rules and link
# settings the spec lists for it.
SDK_FIXTURE = {
    "format_version": "0.1",
    "categories": [
        {
            "name": "test",
            "id": 1,
            "color": [0, 0, 0, 0],
            "attributes": [
                {
                    "name": "color",
                    "input_type": "select",
                    "values": ["green", "yellow", "red"],
                    "default_value": "red",
                },
                {"name": "description", "input_type": "text", "default_value": "A nice car."},
                {
                    "name": "number_of_wheels",
                    "input_type": "number",
                    "min": 1,
                    "max": 20,
                    "step": 1,
                    "default_value": 4,
                },
                {"name": "is_electric", "input_type": "checkbox", "default_value": False},
            ],
            "link_category_restrictions": [1],
        },
    ],
    "warning_rules": [
        {"name": "intersecting-cuboids", "excluded_categories": [1]},
        {"name": "intersecting-cuboids", "excluded_set_of_categories": [1, 2]},
        {"name": "cuboid-dimension-limits", "categories": [1], "min": {"x": 0.5}, "max": {"x": 6, "z": 3}},
        {"name": "cuboid-dimension-limits"},
    ],
    "circle_radius": 4,
}


def test_sdk_fixture_task_attributes_validate_and_match_the_sdk_model():
    stored = copy.deepcopy(SDK_FIXTURE)

    assert validate_task_attributes("vector", SDK_FIXTURE) is None
    assert stored == SDK_FIXTURE
    assert sdk.TaskAttributes.model_validate(SDK_FIXTURE).categories[0].attributes[2].max == 20


def test_rich_configuration_with_every_input_type_validates():
    config = copy.deepcopy(TASK_ATTRIBUTES)
    config["categories"][2]["attributes"] = [
        {"name": name, "input_type": name, "is_track_level": True, "synced_across_sensors": False}
        for name in ("vector3", "quaternion", "points")
    ]
    config["categories"][3]["dimensions"] = {"x": 0.6, "y": 0.6, "z": None}
    config["categories"][3]["has_instances"] = True
    config["categories"][3]["attributes"] = [
        {
            "name": "speed",
            "input_type": "number",
            "min": "",
            "max": " ",
            "step": None,
            "sensor_filter": "Lidar",
        }
    ]

    validate_task_attributes("pointcloud-cuboid-sequence", config)
    assert sdk.TaskAttributes.model_validate(config).categories[3].attributes[0].min is None


def test_category_id_zero_and_empty_configuration_are_accepted():
    validate_task_attributes("segmentation-bitmap", {"categories": [{"id": 0, "name": "background"}]})
    validate_task_attributes("segmentation-bitmap", {})
    validate_task_attributes("segmentation-bitmap", {"categories": None, "image_attributes": None})


MALFORMED = [
    ("categories[1].id", 1, None, "duplicate_id"),
    ("categories[1].name", "car", None, "duplicate_name"),
    ("categories[0].id", DELETE, None, "required"),
    ("categories[0].id", -1, None, "non_negative"),
    ("categories[0].id", "1", None, "type"),
    ("categories[0].name", "  ", None, "non_empty"),
    ("categories[0].name", DELETE, None, "required"),
    ("categories[0].color", [255, 0], None, "color"),
    ("categories[0].color", [256, 0, 0], None, "color"),
    ("categories[0].color", "red", None, "color"),
    ("categories[0].color", [255, 0, 0, 0, 0], None, "color"),
    ("categories[0].color", [255.0, 0, 0], None, "color"),
    ("categories[0].has_instances", None, None, "type"),
    ("categories[0].dimensions", {"x": -1}, "categories[0].dimensions.x", "positive"),
    ("categories[0].attributes", {}, None, "type"),
    ("categories[0].attributes[0].input_type", "slider", None, "one_of"),
    ("categories[0].attributes[0].values", DELETE, None, "required"),
    ("categories[0].attributes[0].values", [], None, "min_items"),
    (
        "categories[0].attributes[0].values",
        ["red", "red"],
        "categories[0].attributes[0].values[1]",
        "duplicate_value",
    ),
    ("categories[0].attributes[0].default_value", "purple", None, "attribute_value"),
    ("categories[0].attributes[0].is_mandatory", "yes", None, "type"),
    ("categories[0].attributes[1].min", 10, "categories[0].attributes[1].max", "attribute_range"),
    ("categories[0].attributes[1].default_value", 9, None, "attribute_range"),
    ("categories[0].attributes[1].step", 0, None, "positive"),
    ("categories[0].attributes[1].max", "six", None, "type"),
    ("categories[0].attributes[2].default_value", "no", None, "type"),
    ("categories[0].attributes[3].name", "color", None, "duplicate_name"),
    ("categories[0].attributes[4].name", DELETE, None, "required"),
    ("categories[0].link_attributes[0].input_type", "vector3", None, "one_of"),
    (
        "categories[0].link_category_restrictions",
        ["2"],
        "categories[0].link_category_restrictions[0]",
        "type",
    ),
    ("image_attributes", {"weather": "sunny"}, None, "type"),
    ("image_attributes[1].input_type", DELETE, None, "required"),
    ("categories", {"1": "car"}, None, "type"),
    ("categories[3]", "sign", None, "type"),
    ("format_version", True, None, "type"),
    ("warning_rules", [{"name": "overlapping-polygons"}], "warning_rules[0].name", "one_of"),
    (
        "warning_rules",
        [{"name": "cuboid-dimension-limits", "min": {"x": "1"}}],
        "warning_rules[0].min.x",
        "type",
    ),
    (
        "warning_rules",
        [{"name": "intersecting-cuboids", "excluded_categories": 1}],
        "warning_rules[0].excluded_categories",
        "type",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "expect", "rule"), MALFORMED, ids=[f"{path}->{rule}" for path, _, _, rule in MALFORMED]
)
def test_malformed_task_attributes_are_rejected_with_their_path_and_rule(path, value, expect, rule):
    config = mutate(TASK_ATTRIBUTES, path, value)

    with pytest.raises(LabelFormatError) as raised:
        validate_task_attributes("vector", config)

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [(expect or path, rule)]


def test_task_attributes_of_unknown_task_type_or_not_an_object_are_rejected():
    with pytest.raises(LabelFormatError) as raised:
        validate_task_attributes("vectors", [])

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [
        ("", "unknown_task_type"),
        ("", "type"),
    ]


def test_task_config_indexes_categories_and_tolerates_missing_parts():
    config = TaskConfig.from_task_attributes(TASK_ATTRIBUTES)
    empty = TaskConfig.from_task_attributes(None)

    assert sorted(config.categories) == [1, 2, 3, 4]
    assert list(config.object_attributes(1))[:2] == ["color", "doors"]
    assert config.object_attributes(1)["doors"]["max"] == 6
    assert list(config.link_attributes(1)) == ["relation"]
    assert config.object_attributes(99) == {}
    assert config.object_attributes(None) == {}
    assert list(config.image_attributes) == ["weather", "remark"]
    assert empty.categories == {}
    assert empty.image_attributes == {}


def test_text_tokenizer_is_words_or_characters():
    for mode in ("words", "characters", None):
        validate_task_attributes("text-named-entities", {"categories": [], "text_tokenizer": mode})
    with pytest.raises(LabelFormatError) as raised:
        validate_task_attributes("text-span-categorization", {"categories": [], "text_tokenizer": "bpe"})
    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [("text_tokenizer", "one_of")]
