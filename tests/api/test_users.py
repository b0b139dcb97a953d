"""Users and organizations: /user, /users/{name} through the SDK; organizations and members over HTTP."""

import pytest
from segments.exceptions import NotFoundError

from labeling.models import Membership, Organization
from tests.api.conftest import make_organization, snapshot


def test_sdk_reads_the_caller_with_their_organizations(owner_sdk, owner):
    make_organization("acme", {owner.user: "admin"})
    me = owner_sdk.get_user()
    assert (me.username, me.is_organization, me.email) == ("olivia", False, "olivia@x.org")
    assert [(o.username, o.is_organization, o.organization_role) for o in me.organizations] == [("acme", True, "admin")]


def test_sdk_reads_another_user_without_their_email(owner_sdk, labeler):
    other = owner_sdk.get_user("lara")
    assert (other.username, other.is_organization, other.email) == ("lara", False, None)


def test_sdk_reads_an_organization_as_a_user(owner_sdk, labeler, owner):
    make_organization("acme", {owner.user: "admin", labeler.user: "labeler"})
    acme = owner_sdk.get_user("acme")
    assert (acme.username, acme.is_organization, acme.organization_role) == ("acme", True, "admin")
    assert sorted(m.username for m in acme.members) == ["lara", "olivia"]


def test_outsiders_see_an_organization_but_not_its_members(outsider_sdk, owner):
    make_organization("acme", {owner.user: "admin"})
    acme = outsider_sdk.get_user("acme")
    assert (acme.is_organization, acme.members) == (True, None)


def test_unknown_user_is_not_found(owner_sdk):
    with pytest.raises(NotFoundError):
        owner_sdk.get_user("abcde" * 10)


def test_creating_an_organization_makes_you_its_admin(api, owner):
    response = api.post(owner, "/organizations/", {"name": "acme"})
    assert response.status_code == 201
    assert (response.json()["username"], response.json()["is_organization"]) == ("acme", True)
    assert Membership.objects.get().role == "admin"


@pytest.mark.parametrize("name", ["olivia", "OLIVIA", "acme"])
def test_organization_names_share_the_user_namespace(api, owner, name):
    make_organization("acme", {})
    before = snapshot()
    response = api.post(owner, "/organizations/", {"name": name})
    assert response.status_code == 400
    assert "already exists" in response.json()["detail"]
    assert snapshot() == before


def test_admins_manage_members(api, owner, labeler):
    make_organization("acme", {owner.user: "admin"})
    added = api.post(owner, "/organizations/acme/members/", {"user": "lara", "role": "labeler"})
    changed = api.patch(owner, "/organizations/acme/members/lara", {"role": "manager"})
    listed = api.get(labeler, "/organizations/acme/members/")

    assert added.status_code == 201
    assert changed.json()["role"] == "manager"
    assert [(m["user"]["username"], m["role"]) for m in listed.json()] == [
        ("lara", "manager"),
        ("olivia", "admin"),
    ]
    assert api.delete(owner, "/organizations/acme/members/lara").status_code == 204
    assert list(Membership.objects.values_list("user__username", flat=True)) == ["olivia"]


@pytest.mark.parametrize("role", ["labeler", "reviewer", "manager"])
def test_members_below_admin_cannot_manage_members(api, owner, labeler, outsider, role):
    make_organization("acme", {owner.user: "admin", labeler.user: role})
    before = snapshot()
    assert api.post(labeler, "/organizations/acme/members/", {"user": "oscar"}).status_code == 403
    assert api.patch(labeler, "/organizations/acme/members/olivia", {"role": "labeler"}).status_code == 403
    assert api.delete(labeler, "/organizations/acme/members/olivia").status_code == 403
    assert snapshot() == before


def test_outsiders_cannot_read_members_and_anonymous_cannot_do_anything(api, owner, outsider, anonymous):
    make_organization("acme", {owner.user: "admin"})
    assert api.get(outsider, "/organizations/acme/members/").status_code == 403
    assert api.get(anonymous, "/organizations/acme/members/").status_code == 401
    assert api.get(anonymous, "/user").status_code == 401
    assert api.post(anonymous, "/organizations/", {"name": "x"}).status_code == 401
    assert Organization.objects.count() == 1


def test_a_member_may_leave_but_the_last_admin_may_not(api, owner, labeler):
    make_organization("acme", {owner.user: "admin", labeler.user: "labeler"})
    assert api.delete(labeler, "/organizations/acme/members/lara").status_code == 204
    refused = api.delete(owner, "/organizations/acme/members/olivia")
    demoted = api.patch(owner, "/organizations/acme/members/olivia", {"role": "manager"})
    assert refused.status_code == demoted.status_code == 400
    assert "cannot leave the organization" in refused.json()["detail"]
    assert Membership.objects.get().role == "admin"


def test_member_list_takes_a_fixed_number_of_queries(api, owner, django_assert_num_queries):
    from tests.api.conftest import make_user

    acme = make_organization("acme", {owner.user: "admin"})
    api.get(owner, "/user")
    with django_assert_num_queries(4):  # key, organization, caller's membership, members with users
        api.get(owner, "/organizations/acme/members/")
    for index in range(5):
        Membership.objects.create(organization=acme, user=make_user(f"member{index}"))
    with django_assert_num_queries(4):
        assert len(api.get(owner, "/organizations/acme/members/").json()) == 6
