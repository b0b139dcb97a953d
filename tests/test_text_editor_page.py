"""The text editor page: both text task types open it with the sample's text in editor_config."""

import pytest
from django.urls import reverse

from datasets.demo import NER_TASK_ATTRIBUTES, SPAN_TASK_ATTRIBUTES
from datasets.models import Sample
from datasets.services.datasets import create_dataset


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task_type", "task_attributes"),
    [("text-named-entities", NER_TASK_ATTRIBUTES), ("text-span-categorization", SPAN_TASK_ATTRIBUTES)],
)
def test_text_samples_open_the_text_editor_with_their_text(client, django_user_model, task_type, task_attributes):
    user = django_user_model.objects.create_user(username="tess", password="x-pass-1234")
    dataset = create_dataset(
        user, owner_name="tess", owner_user=user, name="texts", task_type=task_type, task_attributes=task_attributes
    )
    sample = Sample.objects.create(dataset=dataset, name="s0", attributes={"text": "Zoë met 東京 🎉"})
    client.force_login(user)

    response = client.get(reverse("label-editor", args=["tess", "texts", sample.uuid]))

    assert response.status_code == 200
    assert response.templates[0].name == "datasets/text_editor.html"
    config = response.context["editor_config"]
    assert config["sample"]["text"] == "Zoë met 東京 🎉"
    assert config["dataset"]["task_type"] == task_type
    assert 'data-testid="text-editor"' in response.content.decode()
