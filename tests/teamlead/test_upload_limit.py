"""One upload limit (README, Configuration): ASSET_MAX_MB bounds every upload; the page uploader's old
UPLOAD_MAX_FILE_BYTES still works when ASSET_MAX_MB is unset (deprecated alias), read by a fresh settings
module in a child process."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

MIB = 1024 * 1024


def limits(**environment: str) -> tuple[int, int]:
    env = {key: value for key, value in os.environ.items() if key not in ("ASSET_MAX_MB", "UPLOAD_MAX_FILE_BYTES")}
    env.update(environment, DJANGO_SETTINGS_MODULE="labeling.settings")
    code = "from labeling import settings; print(settings.ASSET_MAX_BYTES, settings.UPLOAD_MAX_FILE_BYTES)"
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    asset, upload = output.split()
    return int(asset), int(upload)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 512 * MIB),
        ({"ASSET_MAX_MB": "8"}, 8 * MIB),
        ({"UPLOAD_MAX_FILE_BYTES": "1000"}, 1000),
        ({"ASSET_MAX_MB": "8", "UPLOAD_MAX_FILE_BYTES": "1000"}, 8 * MIB),
    ],
)
def test_asset_max_mb_is_the_one_upload_limit_and_the_old_name_an_alias(environment, expected):
    assert limits(**environment) == (expected, expected)
