"""The reviewer's Accept and Reject buttons are readable in every image editor: their label's colour stands out
from their background (a Reject once showed red text on a red button, an empty red button)."""

import re

import pytest
from playwright.sync_api import Locator, expect

from tests.browser_shell.conftest import EDITORS, log_in, make_dataset, open_editor

pytestmark = pytest.mark.browser
# WCAG's minimum contrast ratio for large or bold text; the toolbar's labels are 13-14 px semibold.
MIN_CONTRAST = 3.0


def rgb(css_colour: str) -> tuple[float, ...]:
    """(r, g, b, alpha) of a computed `rgb(...)` / `rgba(...)` colour."""
    parts = [float(part) for part in re.findall(r"[\d.]+", css_colour)]
    return tuple(parts[:3]) + ((parts[3],) if len(parts) > 3 else (1.0,))


def luminance(colour: tuple[float, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(button: Locator) -> float:
    """Contrast ratio of the button's text colour against its background (white behind a transparent one)."""
    text, background = button.evaluate("b => { const s = getComputedStyle(b); return [s.color, s.backgroundColor]; }")
    back = rgb(background)
    if back[3] == 0:
        back = (255.0, 255.0, 255.0, 1.0)
    light, dark = sorted((luminance(rgb(text)), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_reviewer_sees_readable_accept_and_reject_buttons(page, live_server, people, kind, tmp_path):
    # given: rita reviews a sample in the editor
    dataset = make_dataset(live_server, people, kind, samples=1)
    log_in(page, live_server, people["rita"])

    # when
    open_editor(page, live_server, kind, dataset.samples.get())

    # then: both buttons show their word, legibly
    page.locator(".ve-toolbar").screenshot(path=str(tmp_path / f"review-toolbar-{kind}.png"))
    for test_id, word in (("review-reject", "Reject"), ("review-accept", "Accept")):
        button = page.get_by_test_id(test_id)
        expect(button).to_have_text(word)
        assert contrast(button) >= MIN_CONTRAST, f"{word} button of the {kind} editor: text blends into its background"

    # and: so is the Reject of the dialog that asks for the reason
    page.keyboard.press("Shift+R")
    confirm = page.get_by_test_id("reject-confirm")
    expect(confirm).to_have_text("Reject")
    page.get_by_test_id("reject-dialog").screenshot(path=str(tmp_path / f"reject-dialog-{kind}.png"))
    assert contrast(confirm) >= MIN_CONTRAST, f"Reject of the {kind} editor's dialog: text blends into its background"
