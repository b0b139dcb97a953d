"""Issues with anchors and comments, through the SDK and over HTTP; permission matrix; pinned query counts."""

import pytest
from segments.exceptions import NetworkError, NotFoundError

from datasets.models import Issue, IssueComment
from tests.api.conftest import PERSONAS, expected_status, make_sample, snapshot

ANCHOR = {"type": "location", "frame": 0, "sensor": "Lidar", "location": {"type": "2d", "x": 1.2, "y": 3.5}}


@pytest.fixture
def rose(dataset):
    return make_sample(dataset, "rose.png")


def make_issue(sample, author, **fields) -> Issue:
    return Issue.objects.create(sample=sample, description="Fix me", created_by=author, updated_by=author, **fields)


def test_sdk_adds_updates_lists_and_deletes_an_anchored_issue(reviewer_sdk, rose):
    issue = reviewer_sdk.add_issue(str(rose.uuid), "You forgot to label this car.", anchor=ANCHOR)
    updated = reviewer_sdk.update_issue(
        issue.uuid, "Still missing", status="CLOSED", anchor={"type": "track", "trackNumber": 4}
    )

    assert (issue.sample_uuid, issue.sample_name, issue.status) == (str(rose.uuid), "rose.png", "OPEN")
    assert issue.anchor.location.x == 1.2
    assert (updated.description, updated.status, updated.anchor.trackNumber) == ("Still missing", "CLOSED", 4)
    assert [i.uuid for i in reviewer_sdk.get_issues("olivia/flowers")] == [issue.uuid]
    reviewer_sdk.delete_issue(issue.uuid)
    assert not Issue.objects.exists()


@pytest.mark.parametrize(
    "anchor",
    [
        {"type": "basic"},
        {"type": "track", "trackNumber": 1, "trackAttribute": "color", "frame": 3},
        {"type": "sceneAttribute", "sceneAttribute": "weather"},
        {"type": "location", "location": {"type": "3d", "x": 1, "y": 2, "z": 3}},
    ],
)
def test_every_anchor_shape_reads_back_through_the_sdk(reviewer_sdk, rose, anchor):
    reviewer_sdk.add_issue(str(rose.uuid), "Look", anchor=anchor)
    assert reviewer_sdk.get_issues("olivia/flowers")[0].anchor.type == anchor["type"]


def test_a_malformed_anchor_is_refused(reviewer_sdk, rose):
    with pytest.raises(NetworkError):
        reviewer_sdk.add_issue(str(rose.uuid), "Look", anchor={"type": "track"})
    assert not Issue.objects.exists()


def test_issue_on_an_unknown_sample_or_unknown_issue_is_not_found(reviewer_sdk, dataset):
    with pytest.raises(NotFoundError):
        reviewer_sdk.add_issue("12345", "You forgot to label this car.")
    with pytest.raises(NotFoundError):
        reviewer_sdk.update_issue("12345", "You forgot to label this car.")
    with pytest.raises(NotFoundError):
        reviewer_sdk.delete_issue("00000000-0000-0000-0000-000000000001")


def test_resource_api_sample_get_issues_uses_the_sdks_dataset_path(reviewer_sdk, rose):
    issue = reviewer_sdk.get_sample(str(rose.uuid)).add_issue("Check the stem")
    assert [i.uuid for i in reviewer_sdk.get_sample(str(rose.uuid)).get_issues()] == [issue.uuid]
    issue.update(status="CLOSED")
    issue.delete()
    assert not Issue.objects.exists()


def test_labelers_answer_issues_with_comments(api, personas, rose):
    issue = make_issue(rose, personas["reviewer"].user)
    response = api.post(personas["labeler"], f"/issues/{issue.uuid}/comments/", {"text": "Fixed it"})
    assert response.status_code == 201
    assert [(c["created_by"], c["text"]) for c in response.json()["comments"]] == [("lara", "Fixed it")]
    assert response.json()["updated_by"] == "lara"


@pytest.mark.parametrize("who", PERSONAS)
def test_read_issues_needs_read_access(api, personas, rose, who):
    issue = make_issue(rose, personas["reviewer"].user)
    for path in (
        "/datasets/olivia/flowers/issues/",
        f"/samples/{rose.uuid}/issues/",
        f"/issues/{issue.uuid}/",
    ):
        assert api.get(personas[who], path).status_code == expected_status(who, "labeler")


@pytest.mark.parametrize("who", PERSONAS)
def test_add_issue_needs_reviewer(api, personas, rose, who):
    before = snapshot()
    response = api.post(personas[who], f"/samples/{rose.uuid}/issues/", {"description": "Look", "anchor": ANCHOR})
    assert response.status_code == expected_status(who, "reviewer", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_update_issue_needs_reviewer(api, personas, rose, who):
    issue = make_issue(rose, personas["reviewer"].user)
    before = snapshot()
    response = api.patch(personas[who], f"/issues/{issue.uuid}/", {"description": "Redraw it.", "status": "CLOSED"})
    assert response.status_code == expected_status(who, "reviewer")
    if response.status_code != 200:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_issue_needs_reviewer(api, personas, rose, who):
    issue = make_issue(rose, personas["reviewer"].user)
    before = snapshot()
    response = api.delete(personas[who], f"/issues/{issue.uuid}/")
    assert response.status_code == expected_status(who, "reviewer", 204)
    if response.status_code != 204:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_comment_needs_labeler(api, personas, rose, who):
    issue = make_issue(rose, personas["reviewer"].user)
    before = snapshot()
    response = api.post(personas[who], f"/issues/{issue.uuid}/comments/", {"text": "Done"})
    assert response.status_code == expected_status(who, "labeler", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("path", ["/datasets/olivia/flowers/issues/", "/samples/{uuid}/issues/"])
def test_issue_lists_take_a_fixed_number_of_queries(api, personas, rose, django_assert_num_queries, path):
    viewer, reviewer = personas["labeler"], personas["reviewer"]
    path = path.format(uuid=rose.uuid)

    def grow(count: int):
        for _ in range(count):
            issue = make_issue(rose, reviewer.user, anchor={"type": "basic"})
            IssueComment.objects.create(issue=issue, text="a", created_by=viewer.user)
            IssueComment.objects.create(issue=issue, text="b", created_by=reviewer.user)

    # key, dataset and role (two queries; one for a sample: access.get_sample), issues with people, comments
    expected = 4 if path.startswith("/samples/") else 5
    api.get(viewer, "/user")
    grow(1)
    with django_assert_num_queries(expected):
        api.get(viewer, path)
    grow(6)
    with django_assert_num_queries(expected):
        assert len(api.get(viewer, path).json()) == 7
