"""The text editor's building blocks in a real browser (frontend_static/editors/text/harness.html): label real
Wikigold entities with the keyboard only and with a half-word mouse selection, store the label through the API
and find the offsets of the words; overlapping span categories are both visible and selectable; non-ASCII text
gives the server's code point offsets."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from datasets.models import Label, Sample
from datasets.services.datasets import create_dataset
from tests.browser_text.conftest import log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = [json.loads(line) for line in (ROOT / "examples/text/wikigold_spans_first300.jsonl").open(encoding="utf-8")]
OFFSET_CASES = json.loads((ROOT / "tests/data/text_offsets.json").read_text(encoding="utf-8"))["cases"]
NER = [{"id": 1, "name": "PER"}, {"id": 2, "name": "LOC"}, {"id": 3, "name": "ORG"}, {"id": 4, "name": "MISC"}]
CATEGORY_IDS = {category["name"]: category["id"] for category in NER}


def open_harness(page: Page, live_server, sample: dict) -> None:
    page.goto(f"{live_server.url}/static/editors/text/harness.html")
    expect(page.get_by_test_id("harness-state")).to_have_attribute("data-loaded", "true")
    page.evaluate("sample => window.textHarness.mount(sample)", sample)


def label(page: Page) -> dict:
    return page.evaluate("() => window.textHarness.current.label()")


def drag_select(page: Page, start: int, end: int) -> None:
    """Press the mouse at UTF-16 index `start` of the text and release it at `end` (mid-character positions)."""
    points = page.evaluate(
        """([start, end]) => {
          const view = window.textHarness.current.view;
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


def test_keyboard_only_and_a_half_word_mouse_selection_label_a_wikigold_sentence(page, live_server, transactional_db):
    # given a Wikigold sentence as a sample of an NER dataset, open in the harness by a logged-in labeler
    sentence = SENTENCES[0]
    user = get_user_model().objects.create_user(username="nora", password="text-pass-1234")
    task_attributes = {"format_version": "0.1", "categories": NER}
    dataset = create_dataset(
        user,
        owner_name="nora",
        owner_user=user,
        name="news",
        task_type="text-named-entities",
        task_attributes=task_attributes,
    )
    # (no service call here: its live event would need an event loop, and Playwright's runs in this thread)
    sample = Sample.objects.create(dataset=dataset, name="s0", attributes={"text": sentence["text"]})
    log_in(page, live_server, "nora")
    open_harness(page, live_server, {"text": sentence["text"], "categories": NER, "allowOverlap": False})

    # when three entities are labeled with the keyboard only: the token at the caret, a token further on,
    # and four tokens selected by Shift+ArrowRight
    page.keyboard.press("4")  # "010", MISC
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("4")  # "Japanese", MISC
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_test_id("harness-state")).to_contain_text('snapped "The Mad Capsule Markets"')
    page.keyboard.press("3")  # ORG
    keyboard_label = label(page)

    # and one more by mouse: a selection from inside "tenth" to inside "album" snaps to both words
    tenth = sentence["text"].index("tenth")
    drag_select(page, tenth + 2, tenth + 9)
    expect(page.get_by_test_id("harness-state")).to_contain_text('snapped "tenth album"')
    page.keyboard.press("2")
    stored_label = label(page)
    status = page.evaluate(
        """async ([uuid, attributes]) => {
          const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken=")).split("=")[1];
          const response = await fetch(`/labels/${uuid}/ground-truth/`, {
            method: "PUT",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
            body: JSON.stringify({label_status: "LABELED", attributes}),
          });
          return response.status;
        }""",
        [str(sample.uuid), stored_label],
    )

    # then the label holds the words' exact offsets, in the browser and in the database
    expected = [(s["start"], s["end"], CATEGORY_IDS[s["label"]]) for s in sentence["spans"]]
    assert [(a["start"], a["end"], a["category_id"]) for a in keyboard_label["annotations"]] == expected
    assert status == 201
    stored = Label.objects.get(sample=sample).attributes["annotations"]
    words = [sentence["text"][a["start"] : a["end"]] for a in stored]
    assert words == ["010", "tenth album", "Japanese", "The Mad Capsule Markets"]
    assert [a["category_id"] for a in stored] == [4, 2, 4, 3]


def test_named_entities_refuse_an_overlapping_span_in_the_browser(page, live_server):
    sentence = SENTENCES[0]
    markets = sentence["spans"][2]
    annotations = [{"start": markets["start"], "end": markets["end"], "category_id": 3}]
    open_harness(
        page,
        live_server,
        {"text": sentence["text"], "categories": NER, "allowOverlap": False, "annotations": annotations},
    )
    capsule = sentence["text"].index("Capsule")
    drag_select(page, capsule + 1, capsule + 3)
    page.keyboard.press("1")
    expect(page.get_by_test_id("harness-state")).to_have_text("refused: named entities may not overlap")
    assert label(page)["annotations"] == annotations


def test_overlapping_span_categories_are_both_visible_and_selectable(page, live_server):
    # given a span categorization sample with two overlapping spans: "The Mad Capsule Markets" and "Capsule"
    text = SENTENCES[0]["text"]
    band = {"start": text.index("The Mad"), "end": text.index(" ."), "category_id": 1}
    categories = [{"id": 1, "name": "organization"}, {"id": 2, "name": "named-entity"}]
    open_harness(page, live_server, {"text": text, "categories": categories, "annotations": [band]})
    capsule = text.index("Capsule")
    drag_select(page, capsule + 2, capsule + 4)
    page.keyboard.press("2")

    # then the overlap shows two underlines at two levels, and clicking there selects one span, then the other
    overlap = page.locator(".text-segment.in-span", has_text="Capsule")
    expect(overlap).to_have_attribute("data-spans", "1 2")
    positions = overlap.evaluate("element => element.style.backgroundPosition")
    assert positions.count("calc") == 2, positions
    assert "4px" in positions
    assert page.locator(".text-segment[data-spans='1']").count() == 2  # "The Mad " and " Markets": one span
    assert page.get_by_test_id("text-view").evaluate("e => getComputedStyle(e).getPropertyValue('--text-depth')") == "2"
    state = page.get_by_test_id("harness-state")
    expect(state).to_have_attribute("data-selected", "2")  # the new span
    overlap.click()
    expect(state).to_have_attribute("data-selected", "1")  # a click where both are: the next one over it
    overlap.click()
    expect(state).to_have_attribute("data-selected", "2")
    page.locator(".text-segment[data-spans='1']").first.click()
    expect(state).to_have_attribute("data-selected", "1")
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("harness-state")).to_have_attribute("data-spans", "1")
    got = label(page)["annotations"]
    assert [text[a["start"] : a["end"]] for a in got] == ["Capsule"]


@pytest.mark.parametrize("case", range(len(OFFSET_CASES)))
def test_spans_selected_in_non_ascii_text_have_the_servers_code_point_offsets(page, live_server, case):
    # the DOM selection (UTF-16) is set directly here, from after each span's first code point to before its
    # last one; the mouse's way to a selection is tested on Wikigold above
    item = OFFSET_CASES[case]
    open_harness(page, live_server, {"text": item["text"], "categories": NER})
    for span in item["spans"]:
        selected = page.evaluate(
            """span => {
              const { offsets, view } = window.textHarness.current;
              const at = offsets.spanToUtf16(span);
              const text = window.textHarness.current.view.text;
              // one code point in from each end (a browser selection never splits a surrogate pair)
              const first = String.fromCodePoint(text.codePointAt(at.start)).length;
              const last = text.charCodeAt(at.end - 1) >= 0xdc00 && text.charCodeAt(at.end - 1) <= 0xdfff ? 2 : 1;
              // ...when that code point is not a whole token by itself (an emoji): half a token, never none
              const { tokens } = window.textHarness.current;
              const firstEnd = tokens.ends[tokens.starts.indexOf(at.start)];
              const lastStart = tokens.starts[tokens.ends.indexOf(at.end)];
              const shrunk = [
                firstEnd - at.start > first ? at.start + first : at.start,
                at.end - lastStart > last ? at.end - last : at.end,
              ];
              const inner = shrunk[1] > shrunk[0] ? shrunk : [at.start, at.end];
              view.showSelection(...inner);
              const dom = view.domSelection();
              return dom.focus > dom.anchor;
            }""",
            span,
        )
        assert selected, span
        page.keyboard.press("1")
    got = [(a["start"], a["end"]) for a in label(page)["annotations"]]
    wanted = [(s["start"], s["end"]) for s in item["spans"]]
    # the words' offsets are the server's code points; a selection stopping inside a CJK word keeps only the
    # characters it covers (each Han character is a token), so those spans shrink by design
    cjk = [s for s in item["spans"] if any("\u4e00" <= c <= "\u9fff" for c in s["text"])]
    assert [g for g in got if not any(c["start"] <= g[0] < c["end"] for c in cjk)] == [
        w for w, s in zip(wanted, item["spans"], strict=True) if s not in cjk
    ]
    assert all(item["text"][start:end].strip() for start, end in got)
