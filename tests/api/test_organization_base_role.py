"""An organization's base role (issue 14 item 1, the SDK's test_unauthorized_dataset_request): with
`default_member_role: "none"` a member who is not an admin is kept out of a dataset until invited."""

import pytest
from segments.exceptions import NotFoundError

from datasets.models import Collaborator, Sample
from labeling.models import Organization
from tests.api.conftest import make_dataset, make_organization, make_persona, make_sample, snapshot


@pytest.fixture
def acme(db):
    admin, member = make_persona("admin", "ada"), make_persona("labeler", "max")
    organization = make_organization("acme", {admin.user: "admin", member.user: "manager"})
    secret = make_dataset(admin.user, "secret", organization=organization)
    make_sample(secret, "plan.png")
    return organization, admin, member, secret


def test_by_default_every_member_has_their_role_on_the_organizations_datasets(api, acme):
    member = acme[2]
    assert api.get(member, "/datasets/acme/secret/").json()["role"] == "manager"


def test_an_admin_sets_the_base_role_to_none_and_a_member_is_kept_out_until_invited(api, sdk_for, acme):
    _, admin, member, secret = acme
    # when an admin sets the base role to none
    response = api.patch(admin, "/organizations/acme/", {"default_member_role": "none"})
    assert response.status_code == 200, response.content
    assert response.json() == {"name": "acme", "default_member_role": "none"}
    # then the member cannot see the dataset, its samples or its labels (404, as the SDK expects)
    member_sdk = sdk_for(member)
    with pytest.raises(NotFoundError):
        member_sdk.get_dataset("acme/secret")
    sample = Sample.objects.get(dataset=secret)
    assert api.get(member, f"/samples/{sample.uuid}/").status_code == 404
    assert "acme/secret" not in [d.full_name for d in member_sdk.get_datasets()]
    # the admin still can
    assert sdk_for(admin).get_dataset("acme/secret").role == "admin"
    # and once invited as a collaborator the member has that role
    Collaborator.objects.create(dataset=secret, user=member.user, role="labeler")
    assert member_sdk.get_dataset("acme/secret").role == "labeler"
    assert api.get(member, f"/samples/{sample.uuid}/").status_code == 200


def test_only_an_admin_sets_the_base_role_and_only_to_a_known_value(api, acme):
    _, admin, member, _ = acme
    before = snapshot()
    assert api.patch(member, "/organizations/acme/", {"default_member_role": "none"}).status_code == 403
    response = api.patch(admin, "/organizations/acme/", {"default_member_role": "viewer"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "default_member_role"
    assert snapshot() == before
    assert Organization.objects.get(name="acme").default_member_role == "member"
