"""The import-job framework through the import page's endpoints, with a small importer registered by the test:
files checked on upload, options checked on start, the job run by the (in-process) Celery task, its report or
its errors on the job, and nothing left behind by a refused import."""

import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets.models import Dataset, ImportJob, Sample
from datasets.services import imports
from datasets.services.datasets import create_dataset
from datasets.services.samples import create_samples
from labeling.exceptions import InvalidInput

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
saved_urls: list[str] = []


def check_file(path: str, head: bytes, size: int) -> None:
    if not head.startswith(b"\x89PNG"):
        raise imports.ImportFileRefused("not a PNG image")


def clean_options(dataset, options: dict) -> dict:
    prefix = options.get("prefix", "img")
    if not isinstance(prefix, str) or not prefix.isidentifier():
        raise InvalidInput("bad prefix", errors=[{"path": "options.prefix", "rule": "identifier", "message": "x"}])
    return {"prefix": prefix, "fail": bool(options.get("fail"))}


def run(ctx: imports.ImportContext) -> imports.ImportReport:
    items = []
    for number, asset in enumerate(ctx.assets):
        with ctx.open(asset) as stored:
            url = ctx.save_file(f"copies/{number}.png", stored.read())
        saved_urls.append(url)
        items.append({"name": f"{ctx.options['prefix']}-{number}", "attributes": {"image": {"url": url}}})
        ctx.progress(number + 1, len(ctx.assets), "copying")
    if ctx.options["fail"]:
        raise InvalidInput("refused", errors=[{"path": ctx.assets[0].filename, "rule": "test", "message": "no"}])
    create_samples(ctx.actor, ctx.dataset, items)
    return imports.ImportReport(created={"samples": len(items)}, refused=[("other.txt", "ignored")])


@pytest.fixture(autouse=True)
def png_importer():
    spec = imports.register_importer(
        imports.ImporterSpec(
            kind="test-png",
            label="Test PNG copies",
            help="Copies PNG files into image samples.",
            accept=(".png",),
            task_types=frozenset({"vector"}),
            options=(imports.OptionSpec("prefix", "Name prefix", default="img"),),
            check_file=check_file,
            clean_options=clean_options,
            run=run,
        )
    )
    saved_urls.clear()
    yield spec
    imports._REGISTRY.pop("test-png", None)


@pytest.fixture
def dataset(alice):
    return create_dataset(alice, owner_name="alice", owner_user=alice, name="photos", task_type="vector")


def upload(client, dataset, path: Path, relative_path: str, kind: str = "test-png"):
    url = reverse("import-files", args=[dataset.owner_name, dataset.name, kind])
    return client.post(url, {"file": SimpleUploadedFile(path.name, path.read_bytes()), "relativePath": relative_path})


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    """POST the import; the job, enqueued after commit (which the test transaction never reaches), runs at
    once in-process (eager Celery)."""

    def post(dataset, assets, options, kind: str = "test-png"):
        url = reverse("import-start", args=[dataset.owner_name, dataset.name, kind])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, json.dumps({"assets": assets, "options": options}), "application/json")

    return post


def test_import_page_offers_the_importers_of_the_task_type_with_their_options(client, alice, dataset):
    client.force_login(alice)

    page = client.get(reverse("import", args=["alice", "photos"]) + "?kind=test-png")

    assert page.status_code == 200
    assert b'data-testid="importer-test-png"' in page.content
    assert b'data-testid="import-option-prefix"' in page.content
    assert b'data-testid="import-link"' in client.get(reverse("dataset", args=["alice", "photos"])).content


def test_an_import_creates_its_samples_and_reports_them(client, alice, dataset, start):
    client.force_login(alice)
    photos = [EXAMPLES / "images" / "astronaut.png", EXAMPLES / "images" / "coins.png"]
    assets = [upload(client, dataset, photo, f"batch/{photo.name}").json()["asset"] for photo in photos]

    response = start(dataset, assets, {"prefix": "shot"})

    assert response.status_code == 202, response.content
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "SUCCEEDED"
    assert (status["done"], status["total"]) == (2, 2)
    assert status["report"]["created"] == {"samples": 2}
    assert status["report"]["refused"] == [{"name": "other.txt", "reason": "ignored"}]
    assert sorted(Sample.objects.filter(dataset=dataset).values_list("name", flat=True)) == ["shot-0", "shot-1"]
    assert all(url.startswith("http://testserver/media/imports/") for url in saved_urls)
    page = client.get(reverse("dataset", args=["alice", "photos"]))
    assert b"test-png succeeded" in page.content


def test_a_refused_import_stores_nothing_and_lists_why(client, alice, dataset, start):
    client.force_login(alice)
    asset = upload(client, dataset, EXAMPLES / "images" / "coins.png", "coins.png").json()["asset"]

    response = start(dataset, [asset], {"fail": True})

    job = ImportJob.objects.get(uuid=response.json()["import"])
    assert job.status == ImportJob.FAILED
    assert job.errors == [{"path": "coins.png", "rule": "test", "message": "no"}]
    assert not Sample.objects.filter(dataset=dataset).exists()
    assert saved_urls
    assert not default_storage.exists(f"imports/{job.uuid.hex}/copies/0.png")


def test_a_file_the_importer_refuses_is_not_stored(client, alice, dataset):
    client.force_login(alice)

    response = upload(client, dataset, EXAMPLES / "images" / "retina.jpg", "retina.png")

    assert response.status_code == 400
    assert response.json()["reason"] == "not a PNG image"


def test_a_file_over_the_limit_is_refused(client, alice, dataset, settings):
    settings.ASSET_MAX_BYTES = 100
    client.force_login(alice)

    response = upload(client, dataset, EXAMPLES / "images" / "coins.png", "coins.png")

    assert response.status_code == 400
    assert "over the limit of 100 bytes" in response.json()["reason"]


def test_bad_options_and_foreign_files_are_refused_before_any_job(client, alice, labeler, dataset, start):
    client.force_login(alice)
    asset = upload(client, dataset, EXAMPLES / "images" / "coins.png", "coins.png").json()["asset"]

    bad_option = start(dataset, [asset], {"prefix": "not ok"})
    client.force_login(labeler)
    denied = start(dataset, [asset], {})
    create_dataset(labeler, owner_name="labeler", owner_user=labeler, name="own", task_type="vector")
    foreign = start(Dataset(owner_name="labeler", name="own"), [asset], {})

    assert bad_option.status_code == 400
    assert bad_option.json()["errors"][0]["path"] == "options.prefix"
    assert denied.status_code in (403, 404)
    assert foreign.status_code == 400
    assert foreign.json()["errors"][0]["rule"] == "not_found"
    assert not ImportJob.objects.exists()


def test_an_importer_for_another_task_type_is_refused(client, alice):
    create_dataset(alice, owner_name="alice", owner_user=alice, name="masks", task_type="segmentation-bitmap")
    client.force_login(alice)

    response = client.post(
        reverse("import-files", args=["alice", "masks", "test-png"]),
        {"file": SimpleUploadedFile("coins.png", (EXAMPLES / "images" / "coins.png").read_bytes())},
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "task_type"


def test_running_a_job_twice_imports_once(client, alice, dataset, start):
    client.force_login(alice)
    asset = upload(client, dataset, EXAMPLES / "images" / "coins.png", "coins.png").json()["asset"]
    job = ImportJob.objects.get(uuid=start(dataset, [asset], {}).json()["import"])

    imports.run_import(job.pk)

    assert Sample.objects.filter(dataset=dataset).count() == 1


def test_one_of_a_kind_is_reported_in_the_singular_with_a_readable_start_time(client, alice, dataset, start):
    client.force_login(alice)
    asset = upload(client, dataset, EXAMPLES / "images" / "coins.png", "coins.png").json()["asset"]

    response = start(dataset, [asset], {})

    status = client.get(response.json()["status_url"]).json()
    assert status["summary"] == "1 sample"
    job = ImportJob.objects.get(uuid=response.json()["import"])
    started = job.created_at.strftime("%-d %b %Y, %H:%M UTC")
    import_page = client.get(reverse("import", args=["alice", "photos"])).content.decode()
    assert f'<time datetime="{job.created_at.isoformat()}" data-testid="import-started">{started}</time>' in import_page
    assert "<td>1 sample; 1 refused</td>" in import_page
    assert "1 sample ·" in client.get(reverse("dataset", args=["alice", "photos"])).content.decode()


def test_counts_of_any_kind_are_worded_in_the_singular_for_one():
    assert [imports.count_of(n, kind) for n, kind in [(1, "boxes"), (2, "boxes"), (0, "samples"), (1, "frames")]] == [
        "1 box",
        "2 boxes",
        "0 samples",
        "1 frame",
    ]
