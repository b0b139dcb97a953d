""" "Compare with" in the cuboid sequence editor: the demo's `prelabels` (the source data's cuboids) drawn as dashed
wireframes beside the ground truth, and one track copied with its keyframes into the ground truth."""

import re

from playwright.sync_api import expect

from datasets.models import Label
from tests.browser_cuboid.conftest import log_in_as_demo_labeler, open_cuboid_editor, shown_cuboids

REFERENCE = "() => window.cuboidEditor.referenceObjects()"


def keyframe_positions(label: Label, track_id: int) -> dict[int, dict]:
    return {
        index: annotation["position"]
        for index, frame in enumerate(label.attributes["frames"])
        for annotation in frame["annotations"]
        if annotation.get("is_keyframe") and annotation["track_id"] == track_id
    }


def test_labeler_shows_prelabels_as_wireframes_and_copies_a_track(page, live_server, demo):
    # given: the 4-frame demo sequence, whose `prelabels` label set holds the source data's cuboids
    sample = demo.lidar_datasets[0].samples.get()
    prelabels = Label.objects.get(sample=sample, labelset__name="prelabels")
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)
    before = len(shown_cuboids(page))

    # when: comparing with the prelabels
    page.get_by_test_id("reference-picker").select_option("prelabels")

    # then: their cuboids of this frame are drawn as wireframes (not as edited cuboids)
    page.wait_for_function(f"({REFERENCE})().length > 0")
    reference = page.evaluate(REFERENCE)
    assert page.evaluate("() => window.cuboidEditor.reference.group.children.length") == len(reference)
    assert len(shown_cuboids(page)) == before
    page.screenshot(path="/tmp/cuboid-compare.png")

    # when: one track is copied (the contract's copyFromReference, as Alt+C does with the clicked cuboids)
    track_id = reference[0]["id"]
    assert page.evaluate(f"() => window.cuboidEditor.copyFromReference([{track_id}])") == 1

    # then: it is a new track of the ground truth with the prelabels' keyframes; the prelabels are unchanged
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", str(before + 1))
    new_id = page.evaluate("() => window.cuboidEditor.selectedId")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(re.compile("^Saved"))
    ground_truth = Label.objects.get(sample=sample, labelset__name="ground-truth")
    assert keyframe_positions(ground_truth, new_id) == keyframe_positions(prelabels, track_id)
    assert Label.objects.get(pk=prelabels.pk).version == prelabels.version
