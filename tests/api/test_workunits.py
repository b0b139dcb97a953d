"""Workunits: read by managers through the SDK with sort, time window and paging; permissions; queries."""

from datetime import UTC, datetime

import pytest
from segments.exceptions import AuthorizationError, NotFoundError

from datasets.models import Workunit
from datasets.services.workunits import record_workunit
from tests.api.conftest import PERSONAS, expected_status, make_sample


def worked(sample, user, seconds: int, when: datetime) -> Workunit:
    workunit = record_workunit(user, sample, work_type="LABELING", time=seconds, inactive_time=1)
    Workunit.objects.filter(pk=workunit.pk).update(created_at=when)
    return workunit


def test_sdk_reads_workunits_newest_first_with_window_and_paging(manager_sdk, personas, dataset):
    rose = make_sample(dataset, "rose.png")
    lara = personas["labeler"].user
    for day in (1, 2, 3):
        worked(rose, lara, day * 10, datetime(2026, 1, day, 12, tzinfo=UTC))

    newest_first = manager_sdk.get_workunits("olivia/flowers")
    oldest_first = manager_sdk.get_workunits("olivia/flowers", direction="asc", include_session_time_metrics=True)
    window = manager_sdk.get_workunits("olivia/flowers", start="2026-01-02T00:00:00", end="2026-01-02T23:59:59")

    assert [w.time for w in newest_first] == [30, 20, 10]
    assert (newest_first[0].sample_name, newest_first[0].created_by) == ("rose.png", "lara")
    assert [w.time for w in oldest_first] == [10, 20, 30]
    assert oldest_first[0].session_time_metrics == {"time": 10, "inactive_time": 1}
    assert [w.time for w in window] == [20]
    assert [w.time for w in manager_sdk.get_workunits("olivia/flowers", per_page=2, page=2)] == [10]
    with pytest.raises(NotFoundError):
        manager_sdk.get_workunits("olivia/flowers", per_page=2, page=3)


def test_labelers_cannot_read_workunits(labeler_sdk, dataset):
    with pytest.raises(AuthorizationError):
        labeler_sdk.get_workunits("olivia/flowers")
    with pytest.raises(NotFoundError):
        labeler_sdk.get_workunits("abcde/nothing")


@pytest.mark.parametrize("who", PERSONAS)
def test_workunits_need_manager(api, personas, who):
    response = api.get(personas[who], "/datasets/olivia/flowers/workunits/")
    assert response.status_code == expected_status(who, "manager")


def test_workunit_list_takes_a_fixed_number_of_queries(api, personas, dataset, django_assert_num_queries):
    rose, manager = make_sample(dataset, "rose.png"), personas["manager"]
    api.get(manager, "/user")
    record_workunit(personas["labeler"].user, rose, work_type="LABELING", time=5)
    with django_assert_num_queries(4):  # key, dataset, role, workunits with sample and user
        api.get(manager, "/datasets/olivia/flowers/workunits/")
    for index in range(6):
        record_workunit(personas["reviewer"].user, make_sample(dataset, f"s{index}"), work_type="REVIEWING", time=1)
    with django_assert_num_queries(4):
        assert len(api.get(manager, "/datasets/olivia/flowers/workunits/").json()) == 7
