"""The text editor in a real browser (templates/datasets/text_editor.html, frontend_static/editors/text/): label
real Wikigold entities with the keyboard only and with a half-word mouse selection, save through the editor and
find the words' offsets in the database; overlapping span categories are both visible and selectable; spans in
non-ASCII text are stored in code points."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from datasets.demo import NER_TASK_ATTRIBUTES, SPAN_TASK_ATTRIBUTES
from datasets.models import GROUND_TRUTH, Label, LabelSet, Sample
from datasets.services.datasets import create_dataset
from tests.browser_text.conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = [json.loads(line) for line in (ROOT / "examples/text/wikigold_spans_first300.jsonl").open(encoding="utf-8")]
OFFSET_CASES = json.loads((ROOT / "tests/data/text_offsets.json").read_text(encoding="utf-8"))["cases"]
NER_IDS = {category["name"]: category["id"] for category in NER_TASK_ATTRIBUTES["categories"]}


@pytest.fixture
def lena(transactional_db):
    return get_user_model().objects.create_user(username="lena", password=PASSWORD)


def text_dataset(user, task_type: str, task_attributes: dict, texts: list[str]) -> list[Sample]:
    """A dataset of `task_type` owned by `user` with one sample per text (named s0, s1, ...)."""
    dataset = create_dataset(
        user,
        owner_name=user.username,
        owner_user=user,
        name="texts",
        task_type=task_type,
        task_attributes=task_attributes,
    )
    # (no service call here: its live event would need an event loop, and Playwright's runs in this thread)
    return [
        Sample.objects.create(dataset=dataset, name=f"s{index}", attributes={"text": text})
        for index, text in enumerate(texts)
    ]


def open_editor(page: Page, live_server, sample: Sample) -> None:
    dataset = sample.dataset
    page.goto(f"{live_server.url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}")
    expect(page.get_by_test_id("text-editor")).to_have_attribute("data-ready", "true")


def drag_select(page: Page, start: int, end: int) -> None:
    """Press the mouse in the middle of UTF-16 character `start` of the text and release it in character `end - 1`."""
    points = page.evaluate(
        """([start, end]) => {
          const view = window.textEditor.view;
          const at = (index) => {
            view.showSelection(index, index + 1);
            const rect = window.getSelection().getRangeAt(0).getClientRects()[0];
            window.getSelection().removeAllRanges();
            return [rect.left + rect.width / 2, rect.top + rect.height / 2];
          };
          return [at(start), at(end - 1)];
        }""",
        [start, end],
    )
    page.mouse.move(*points[0])
    page.mouse.down()
    page.mouse.move(*points[1], steps=5)
    page.mouse.up()


def save(page: Page) -> None:
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-state", "saved")


def stored(sample: Sample) -> list[dict]:
    return Label.objects.get(sample=sample, labelset__name=GROUND_TRUTH).attributes["annotations"]


def test_keyboard_only_and_a_half_word_mouse_selection_label_a_wikigold_sentence(page, live_server, lena):
    # given the first Wikigold sentence of the NER demo, open in the editor
    sentence = SENTENCES[0]
    [sample] = text_dataset(lena, "text-named-entities", NER_TASK_ATTRIBUTES, [sentence["text"]])
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)
    selection = page.get_by_test_id("text-selection")

    # when three entities are labeled with the keyboard only: the token at the caret, a token further on,
    # and four tokens selected by Shift+ArrowRight
    page.keyboard.press("4")  # "010", MISC
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(selection).to_have_attribute("data-snapped", "Japanese")
    page.keyboard.press("4")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowRight")
    expect(selection).to_have_attribute("data-snapped", "The Mad Capsule Markets")
    page.keyboard.press("3")  # ORG

    # and one by mouse: a selection from inside "tenth" to inside "album" snaps to both words
    tenth = sentence["text"].index("tenth")
    drag_select(page, tenth + 2, tenth + 9)
    expect(selection).to_have_attribute("data-snapped", "tenth album")
    page.keyboard.press("2")  # LOC
    expect(page.get_by_test_id("span-text")).to_have_text("tenth album")
    expect(page.get_by_test_id("span-count")).to_have_text("4")
    misc = page.get_by_test_id(f"entity-count-{NER_IDS['MISC']}")
    expect(misc).to_contain_text("2")

    # and the count of a category jumps to its spans, one after the other
    misc.click()
    expect(page.get_by_test_id("span-text")).to_have_text("Japanese")
    misc.click()
    expect(page.get_by_test_id("span-text")).to_have_text("010")

    # and an entity overlapping one of them is refused in the browser with the server's message
    capsule = sentence["text"].index("Capsule")
    drag_select(page, capsule + 1, capsule + 3)
    page.keyboard.press("1")
    expect(page.get_by_test_id("editor-toast")).to_contain_text("named entities may not overlap: annotations[")
    expect(page.get_by_test_id("span-count")).to_have_text("4")

    # and undo takes the last span back, redo brings it again
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("span-count")).to_have_text("3")
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("span-count")).to_have_text("4")
    save(page)

    # then the stored label holds the words' exact offsets: Wikigold's three entities and the mouse's words
    annotations = stored(sample)
    wikigold = [(s["start"], s["end"], NER_IDS[s["label"]]) for s in sentence["spans"]]
    mouse = (tenth, tenth + len("tenth album"), NER_IDS["LOC"])
    assert [(a["start"], a["end"], a["category_id"]) for a in annotations] == sorted([*wikigold, mouse])
    assert [sentence["text"][a["start"] : a["end"]] for a in annotations] == [
        "010",
        "tenth album",
        "Japanese",
        "The Mad Capsule Markets",
    ]
    assert Label.objects.get(sample=sample).label_status == "LABELING_IN_PROGRESS"


def test_overlapping_span_categories_are_both_visible_and_selectable(page, live_server, lena):
    # given a span categorization sample of the demo's categories
    text = SENTENCES[0]["text"]
    [sample] = text_dataset(lena, "text-span-categorization", SPAN_TASK_ATTRIBUTES, [text])
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)

    # when the band's name is found by the search and labeled an organization (its category clicked), then
    # "Capsule" inside it a named entity (its number key)
    search = page.get_by_test_id("text-search")
    for query, key in [("the mad capsule markets", None), ("Capsule", "1")]:
        page.keyboard.press("Control+f")
        expect(search).to_be_focused()
        search.fill(query)
        search.press("Enter")
        expect(page.get_by_test_id("search-info")).to_have_text("1 of 1")
        if key:
            page.keyboard.press(key)
        else:
            page.get_by_test_id("category-3").click()
    expect(page.get_by_test_id("span-count")).to_have_text("2")

    # then the overlap shows two underlines at two levels; clicking there selects one span, then the other
    overlap = page.locator(".text-segment.in-span", has_text="Capsule")
    expect(overlap).to_have_attribute("data-spans", "1 2")
    positions = overlap.evaluate("element => element.style.backgroundPosition")
    assert positions.count("calc") == 2, positions
    assert "4px" in positions, positions
    assert page.locator(".text-segment[data-spans='1']").count() == 2  # "The Mad " and " Markets"
    panel_text = page.get_by_test_id("span-text")
    expect(panel_text).to_have_text("Capsule")  # the new span is selected
    overlap.click()
    expect(panel_text).to_have_text("The Mad Capsule Markets")
    overlap.click()
    expect(panel_text).to_have_text("Capsule")

    # and the selected span's category changes in its panel, the entity list jumps to the other one
    page.get_by_test_id("span-category").select_option(label="person")
    page.get_by_test_id("entity-list").get_by_role("button", name="The Mad Capsule Markets").click()
    expect(panel_text).to_have_text("The Mad Capsule Markets")
    save(page)
    start = text.index("The Mad")
    assert [(text[a["start"] : a["end"]], a["category_id"]) for a in stored(sample)] == [
        ("The Mad Capsule Markets", 3),
        ("Capsule", 2),
    ]
    assert stored(sample)[0]["start"] == start

    # and Delete removes the selected span (saved again)
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("span-count")).to_have_text("1")
    save(page)
    assert [text[a["start"] : a["end"]] for a in stored(sample)] == ["Capsule"]


def test_spans_in_non_ascii_text_are_stored_in_code_points(page, live_server, lena):
    # given samples of accented, CJK, emoji and mathematical-letter text
    samples = text_dataset(lena, "text-named-entities", NER_TASK_ATTRIBUTES, [case["text"] for case in OFFSET_CASES])
    log_in(page, live_server, "lena")
    for sample, case in zip(samples, OFFSET_CASES, strict=True):
        open_editor(page, live_server, sample)
        for span in case["spans"]:
            # the page's selection (UTF-16) goes from after the span's first code point to before its last one,
            # unless that code point is a token by itself (an emoji, a Han character): the mouse's selection
            # there is handed to the editor as a mouse release would
            page.evaluate(
                """span => {
                  const { offsets, view, tokens } = window.textEditor;
                  const text = view.text;
                  const at = offsets.spanToUtf16(span);
                  const first = String.fromCodePoint(text.codePointAt(at.start)).length;
                  const last = text.charCodeAt(at.end - 1) >= 0xdc00 && text.charCodeAt(at.end - 1) <= 0xdfff ? 2 : 1;
                  const firstEnd = tokens.ends[tokens.starts.indexOf(at.start)];
                  const lastStart = tokens.starts[tokens.ends.indexOf(at.end)];
                  const inner = [
                    firstEnd - at.start > first ? at.start + first : at.start,
                    at.end - lastStart > last ? at.end - last : at.end,
                  ];
                  view.container.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
                  view.showSelection(...(inner[1] > inner[0] ? inner : [at.start, at.end]));
                  view.container.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
                }""",
                span,
            )
            page.keyboard.press("1")
        expect(page.get_by_test_id("span-count")).to_have_text(str(len(case["spans"])))
        save(page)

        # then the database holds the server's code point offsets of every word
        got = [(a["start"], a["end"]) for a in stored(sample)]
        assert got == [(s["start"], s["end"]) for s in case["spans"]], case["text"]
        assert [case["text"][start:end] for start, end in got] == [s["text"] for s in case["spans"]]
    assert LabelSet.objects.filter(dataset=samples[0].dataset).count() >= 1


def test_an_overlapping_prelabel_is_not_sent_and_unsaved_spans_come_back_as_a_draft(page, live_server, lena):
    # given an NER sample whose pre-label holds two overlapping entities (written before the rule existed)
    sentence = SENTENCES[0]
    text = sentence["text"]
    [sample] = text_dataset(lena, "text-named-entities", NER_TASK_ATTRIBUTES, [text])
    band = text.index("The Mad")
    capsule = text.index("Capsule")
    Label.objects.create(
        sample=sample,
        labelset=LabelSet.objects.get(dataset=sample.dataset, name=GROUND_TRUTH),
        label_status="PRELABELED",
        attributes={
            "format_version": "0.1",
            "annotations": [
                {"start": band, "end": band + len("The Mad Capsule Markets"), "category_id": 3},
                {"start": capsule, "end": capsule + len("Capsule"), "category_id": 1},
            ],
        },
    )
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)

    # when it is saved, the editor refuses with the server's message and sends nothing
    page.keyboard.press("Control+s")
    errors = page.get_by_test_id("save-errors")
    expect(errors).to_contain_text(
        f"named entities may not overlap: annotations[0] [{band}, {band + 23}) and "
        f"annotations[1] [{capsule}, {capsule + 7}) overlap"
    )
    assert Label.objects.get(sample=sample).version == 1

    # and the message selects the later span, which Delete removes; then the save goes through
    errors.get_by_role("button").click()
    expect(page.get_by_test_id("span-text")).to_have_text("Capsule")
    page.keyboard.press("Delete")
    save(page)
    assert [text[a["start"] : a["end"]] for a in stored(sample)] == ["The Mad Capsule Markets"]

    # and a span created but not saved is offered back after a reload
    page.keyboard.press("Escape")
    page.keyboard.press("1")  # "010", at the caret
    expect(page.get_by_test_id("span-count")).to_have_text("2")
    page.wait_for_timeout(400)  # the shell keeps the draft 250 ms after a change
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_test_id("text-editor")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("span-count")).to_have_text("1")
    page.get_by_test_id("draft-restore").click()
    expect(page.get_by_test_id("span-count")).to_have_text("2")
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-state", "dirty")


def test_span_attributes_are_edited_and_a_required_one_is_asked_for_before_labeled(page, live_server, lena):
    # given an NER dataset whose PER spans need a "role"
    text = SENTENCES[0]["text"]
    role = {"name": "role", "input_type": "select", "values": ["artist", "other"], "is_mandatory": True}
    categories = [
        {**category, "attributes": [role]} if category["name"] == "PER" else category
        for category in NER_TASK_ATTRIBUTES["categories"]
    ]
    [sample] = text_dataset(lena, "text-named-entities", {**NER_TASK_ATTRIBUTES, "categories": categories}, [text])
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)

    # when a PER span is created and the label marked labeled, the editor asks for the role and sends nothing
    page.keyboard.press("1")
    page.keyboard.press("Shift+L")
    expect(page.get_by_test_id("save-errors")).to_contain_text('the attribute "role" is required')
    assert not Label.objects.filter(sample=sample).exists()

    # then the role chosen in the span's panel is stored with the span
    page.get_by_test_id("span-attribute-role").select_option("artist")
    page.keyboard.press("Shift+L")
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-state", "saved")
    label = Label.objects.get(sample=sample)
    assert label.label_status == "LABELED"
    assert label.attributes["annotations"] == [
        {"start": 0, "end": 3, "category_id": NER_IDS["PER"], "attributes": {"role": "artist"}}
    ]


def test_keep_both_after_a_conflict_puts_my_new_span_on_their_version(page, live_server, lena):
    # given an NER sample labeled with the band, opened in the editor
    sentence = SENTENCES[0]
    text = sentence["text"]
    [sample] = text_dataset(lena, "text-named-entities", NER_TASK_ATTRIBUTES, [text])
    band = text.index("The Mad Capsule Markets")
    labelset = LabelSet.objects.get(dataset=sample.dataset, name=GROUND_TRUTH)
    first = {"start": band, "end": band + len("The Mad Capsule Markets"), "category_id": NER_IDS["ORG"]}
    Label.objects.create(sample=sample, labelset=labelset, attributes={"format_version": "0.1", "annotations": [first]})
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)
    # when I add a span at the start while someone else saves a span near the end
    page.keyboard.press("1")  # the token at the caret, as the first category
    expect(page.get_by_test_id("span-count")).to_have_text("2")
    theirs_start = text.index("Japanese")
    theirs = {"start": theirs_start, "end": theirs_start + len("Japanese"), "category_id": NER_IDS["MISC"]}
    Label.objects.filter(sample=sample).update(
        attributes={"format_version": "0.1", "annotations": [first, theirs]}, version=2
    )
    page.keyboard.press("Control+s")
    page.get_by_test_id("conflict-keep-both").click()
    # then the editor shows their version with my span on top, and saving stores all three
    expect(page.get_by_test_id("span-count")).to_have_text("3")
    save(page)
    spans = [(text[a["start"] : a["end"]], a["category_id"]) for a in stored(sample)]
    assert spans == [
        (text[0 : text.index(" ")], NER_IDS[NER_TASK_ATTRIBUTES["categories"][0]["name"]]),
        ("Japanese", NER_IDS["MISC"]),
        ("The Mad Capsule Markets", NER_IDS["ORG"]),
    ]
    assert Label.objects.get(sample=sample).version == 3
