"""Extract the JSON examples of the Segments.ai "Label formats" page (a documentation seed) as Python data.

How the documentation snippets become JSON (each step is mechanical; nothing is hand-edited):
1. Blocks: every fenced block tagged json, javascript or jsonp, plus the one
   `<pre class="language-javascript">`
   HTML block (its tags are stripped and entities unescaped). Each block keeps the chain of headings above it.
2. Text clean-up, with a scanner that knows when it is inside a JSON string (URLs contain `//`): `// comments`
   are removed; trailing commas before `}` or `]` are removed; an elision `...` becomes the placeholder
   `"...": null` inside an object and `"..."` inside an array (`[0, 3...]` gets the missing comma). A snippet
   that is a bare list of members (`"format_version": ..., "annotations": [...]`) gets its missing braces.
3. Placeholders are then resolved by `resolve`: a `"..."` array element is dropped; an object that is only
   `{"...": null}` is replaced by a copy of the template the test names for its key (e.g. the page's own frame
   example for `frames`), with `id`/`track_id` renumbered to its 1-based position; an object holding
   `"...": null` next to real keys is completed from the template, its own keys winning.
"""

import copy
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PLACEHOLDER = "..."
_LANGUAGES = ("json", "javascript", "jsonp")


@dataclass(frozen=True)
class SeedBlock:
    heading: str  # e.g. "Image > Segmentation labels"
    language: str
    text: str


def _heading_level(line: str) -> int:
    match = re.match(r"^(#{1,6}) ", line)
    return len(match.group(1)) if match else 0


def extract_blocks(markdown: str) -> list[SeedBlock]:
    """All JSON-ish example blocks of the page, in order, with their heading chain (levels 2 to 4)."""
    headings: dict[int, str] = {}
    blocks: list[SeedBlock] = []
    lines = iter(markdown.splitlines())
    for line in lines:
        level = _heading_level(line)
        if level >= 2:
            headings = {key: value for key, value in headings.items() if key < level}
            headings[level] = line[level + 1 :].strip()
        heading = " > ".join(headings[key] for key in sorted(headings))
        fence = re.match(r"^```(\w*)\s*$", line.strip())
        if fence and fence.group(1) in _LANGUAGES:
            body = []
            for inner in lines:
                if inner.strip().startswith("```"):
                    break
                body.append(inner)
            blocks.append(SeedBlock(heading, fence.group(1), "\n".join(body)))
        elif line.startswith('<pre class="language-javascript">'):
            body = [line]
            for inner in lines:
                body.append(inner)
                if "</pre>" in inner:
                    break
            text = html.unescape(re.sub(r"<[^>]+>", "", "\n".join(body)))
            blocks.append(SeedBlock(heading, "javascript", text))
    return blocks


def _drop_trailing_comma(out: list[str]) -> None:
    index = len(out) - 1
    while index >= 0 and out[index].isspace():
        index -= 1
    if index >= 0 and out[index] == ",":
        del out[index]


def _last_significant(out: list[str]) -> str:
    for char in reversed(out):
        if not char.isspace():
            return char
    return ""


def clean(text: str) -> Any:
    """Turn one documentation snippet into parsed JSON with placeholders (see the module docstring)."""
    out: list[str] = []
    stack: list[str] = []
    in_string = escaped = False
    position = unmatched_closers = 0
    while position < len(text):
        char = text[position]
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            position += 1
            continue
        if text.startswith("//", position):
            position = text.find("\n", position) if "\n" in text[position:] else len(text)
            continue
        if text.startswith(PLACEHOLDER, position):
            if _last_significant(out) not in ("", "[", "{", ",", ":"):
                out.append(",")
            out.append('"...": null' if stack and stack[-1] == "{" else '"..."')
            position += len(PLACEHOLDER)
            continue
        if char in "{[":
            stack.append(char)
        elif char in "}]":
            _drop_trailing_comma(out)
            if stack:
                stack.pop()
            else:
                unmatched_closers += 1
        in_string = char == '"'
        out.append(char)
        position += 1
    _drop_trailing_comma(out)
    cleaned = "".join(out).strip()
    if not cleaned.startswith(("{", "[")):
        cleaned = "{" + cleaned + ("" if unmatched_closers else "}")
    return json.loads(cleaned)


def _from_template(template: Any, position: int) -> Any:
    value = copy.deepcopy(template)
    if isinstance(value, dict):
        for key in ("id", "track_id"):
            if key in value:
                value[key] = position + 1
    return value


def _template_for(templates: dict[str, Any], key: str, parent: dict | None) -> Any:
    task_type = parent.get("task_type") if isinstance(parent, dict) else None
    for name in (f"{key}@{task_type}", key):
        if name in templates:
            return templates[name]
    raise KeyError(f"no template for placeholder under {key!r} (task_type {task_type!r})")


def resolve(value: Any, templates: dict[str, Any], key: str = "", parent: dict | None = None) -> Any:
    """Replace the placeholders of `clean`'s output; `templates` maps a key name (the key holding the
    placeholder, "" for the root, "attributes@<task_type>" for a sensor) to the value it stands for."""
    if isinstance(value, list):
        resolved = []
        for element in value:
            if element == PLACEHOLDER:
                continue
            if element == {PLACEHOLDER: None}:
                element = _from_template(_template_for(templates, key, parent), len(resolved))
            resolved.append(resolve(element, templates, key, parent))
        return resolved
    if isinstance(value, dict):
        if PLACEHOLDER in value:
            own = {name: member for name, member in value.items() if name != PLACEHOLDER}
            value = {**copy.deepcopy(_template_for(templates, key, parent)), **own}
        return {name: resolve(member, templates, name, value) for name, member in value.items()}
    return value


def load_blocks(path: Path) -> list[SeedBlock]:
    assert path.is_file(), f"missing seed file {path} (tests/data/seeds/)"
    return extract_blocks(path.read_text(encoding="utf-8"))
