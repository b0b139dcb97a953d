"""Management commands a newcomer and the tools use: create_api_key, load_demo_data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from datasets.demo import demo_image_files
from datasets.models import Collaborator, Dataset, Label
from labeling.auth import user_for_api_key
from labeling.models import ApiKey

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_a_working_key_as_the_last_line(alice):
    out = StringIO()
    call_command("create_api_key", "alice", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert user_for_api_key(f"APIKey {key}") == alice
    assert ApiKey.objects.get(user=alice).key_hash != key  # only the hash is stored


def test_create_api_key_for_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_key", "nobody", stdout=StringIO())


def test_demo_data_is_created_from_the_real_photos_and_is_idempotent(db):
    out = StringIO()
    call_command("load_demo_data", "--site-url", "http://127.0.0.1:9999", stdout=out)
    call_command("load_demo_data", "--site-url", "http://127.0.0.1:8000", stdout=out)
    dataset = Dataset.objects.get(owner_name="demo-org", name="photos")
    photos = demo_image_files()
    assert len(photos) == 10
    sequence = Dataset.objects.get(owner_name="demo-org", name="parking-lot").samples.get()
    assert len(sequence.attributes["frames"]) == 50
    assert dataset.task_type == "vector"
    assert dataset.samples.count() == len(photos)
    sample = dataset.samples.get(name="chelsea.png")
    assert sample.attributes == {"image": {"url": "http://127.0.0.1:8000/static/examples/images/chelsea.png"}}
    assert Collaborator.objects.get(dataset=dataset, user__username="labeler").role == "labeler"
    assert "labeler / labeler-demo-pass" in out.getvalue()


def test_demo_text_datasets_hold_the_first_300_wikigold_sentences_unlabeled(db):
    call_command("load_demo_data", "--site-url", "http://127.0.0.1:8000", stdout=StringIO())
    call_command("load_demo_data", "--site-url", "http://127.0.0.1:8000", stdout=StringIO())
    ner = Dataset.objects.get(owner_name="demo-org", name="wikigold-ner")
    spans = Dataset.objects.get(owner_name="demo-org", name="wikigold-spans")
    assert (ner.task_type, spans.task_type) == ("text-named-entities", "text-span-categorization")
    assert ner.samples.count() == 300
    assert spans.samples.count() == 100
    first = ner.samples.get(name="wikigold-001").attributes["text"]
    assert first.startswith("010 is the tenth album from Japanese Punk Techno band The Mad Capsule Markets")
    assert [c["name"] for c in ner.categories] == ["PER", "LOC", "ORG", "MISC"]
    assert not Label.objects.filter(sample__dataset__in=[ner, spans]).exists()
    assert Collaborator.objects.get(dataset=ner, user__username="labeler").role == "labeler"


def test_demo_photos_are_served_as_static_files(client, db):
    response = client.get("/static/examples/images/chelsea.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
