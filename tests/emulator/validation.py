"""The checks real Telegram applies to what a bot sends, so bugs surface in tests, not in prod.

Error texts follow the Bot API / TDLib wording where known; every one starts with
"Bad Request: " so PTB maps it to ``telegram.error.BadRequest``.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Json, bad_request

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
}  # fmt: skip
_ALL_TAGS = {*_SIMPLE_TAGS, "a", "span", "tg-emoji", "blockquote"}
_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{4,32}")


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are measured in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _unescape(text: str, byte_offset: int) -> str:
    """Decode the entities Telegram knows; a bare '&' or unknown entity is an error."""
    out, i = [], 0
    while (j := text.find("&", i)) >= 0:
        m = _ENTITY.match(text, j)
        name = m.group(1) if m else ""
        code = 0
        if name.startswith("#"):
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        if not m or not (name in _NAMED or 0 < code <= 0x10FFFF):
            where = byte_offset + len(text[:j].encode())
            raise _parse_error(f"Unsupported HTML entity at byte offset {where}")
        out += [text[i:j], _NAMED.get(name) or chr(code)]
        i = m.end()
    return "".join([*out, text[i:]])


def _parse_error(detail: str) -> Exception:
    return bad_request(f"can't parse entities: {detail}")


def parse_html(src: str) -> tuple[str, list[Json]]:
    """Parse Telegram's HTML subset into (visible text, entities), rejecting what Telegram does.

    Stricter than TDLib in one way on purpose: a bare '&' is an error (Telegram keeps it
    literally), because it almost always means user text was interpolated unescaped.
    """
    out: list[str] = []
    pos = 0  # UTF-16 offset of the visible text produced so far
    stack: list[tuple[str, int, Json]] = []
    entities: list[Json] = []
    i = 0
    while i < len(src):
        j = len(src) if (j := src.find("<", i)) < 0 else j
        piece = _unescape(src[i:j], len(src[:i].encode()))
        out.append(piece)
        pos += utf16_len(piece)
        if j == len(src):
            break
        byte_off = len(src[:j].encode())
        m = _TAG.match(src, j)
        if not m:
            raise _parse_error(f'Unexpected "<" at byte offset {byte_off}; escape it as &lt;')
        closing, name, attr_src = m.group(1) == "/", m.group(2).lower(), m.group(3)
        if closing:
            open_name, start, attrs = stack.pop() if stack else ("", 0, {})
            if open_name != name or attr_src.strip():
                raise _parse_error(
                    f'Unmatched end tag at byte offset {byte_off}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            _close_tag(open_name, start, pos, attrs, stack, entities)
        else:
            if name not in _ALL_TAGS:
                raise _parse_error(f'Unsupported start tag "{name}" at byte offset {byte_off}')
            attrs = {
                a.lower(): _unescape((v or "").strip("\"'"), byte_off)
                for a, v in _ATTR.findall(attr_src)
            }
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _parse_error(f'Unsupported start tag "span" at byte offset {byte_off}')
            stack.append((name, pos, attrs))
        i = m.end()
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_tag(
    name: str, start: int, end: int, attrs: Json, stack: list[Any], entities: list[Json]
) -> None:
    """Turn a closed tag into its entity (empty ranges produce none, as in Telegram)."""
    if end == start:
        return
    entity: Json = {"offset": start, "length": end - start}
    if name == "a":
        if not attrs.get("href"):
            return
        entity.update(type="text_link", url=attrs["href"])
    elif name == "span":
        entity["type"] = "spoiler"
    elif name == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=attrs.get("emoji-id", ""))
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    elif name == "code" and stack and stack[-1][0] == "pre":
        # <pre><code class="language-x"> sets the pre block's language instead of a code entity.
        lang = attrs.get("class", "")
        if lang.startswith("language-"):
            stack[-1][2]["language"] = lang.removeprefix("language-")
        return
    else:
        entity["type"] = _SIMPLE_TAGS[name]
        if name == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
    entities.append(entity)


def check_text(
    text: Any, parse_mode: Any, entities: Any, *, what: str = "message text"
) -> tuple[str, list[Json]]:
    """Validate a message text the way sendMessage/editMessageText do; return text + entities."""
    if not isinstance(text, str) or not text:
        raise bad_request(f"{what} is empty")
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        text, parsed = parse_html(text)
    elif parse_mode in (None, "") or (
        isinstance(parse_mode, str) and "markdown" in parse_mode.lower()
    ):
        parsed = check_entities(entities, text)  # Markdown is passed through unparsed (gap)
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if not text.strip():
        raise bad_request(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text, parsed


def check_entities(entities: Any, text: str) -> list[Json]:
    if entities in (None, ""):
        return []
    limit = utf16_len(text)
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("type"), str)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        and 0 <= e["offset"] <= e["offset"] + e["length"] <= limit
        for e in entities
    ):
        raise bad_request("can't parse entities: entities must be MessageEntity objects in range")
    return entities


def check_reply_markup(markup: Any) -> Json | None:
    """Validate reply_markup; return it if it is an inline keyboard (the only kind echoed)."""
    if markup in (None, ""):
        return None
    if not isinstance(markup, dict):  # a str here is JSON that _decode could not parse
        raise bad_request("can't parse reply keyboard markup JSON object")
    kind = "inline_keyboard" if "inline_keyboard" in markup else "keyboard"
    rows = markup.get(kind)
    if rows is None and (markup.get("remove_keyboard") or markup.get("force_reply")):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(f'field "{kind}" of the reply markup must be an Array of Arrays')
    if sum(len(r) for r in rows) > 100:
        raise bad_request("reply markup is too long")
    for button in (b for r in rows for b in r):
        if kind == "keyboard" and isinstance(button, str):
            button = {"text": button}
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _button_error('Field "text" must be of type String')
        if kind == "keyboard":
            continue
        actions = [a for a in _BUTTON_ACTIONS if a in button]
        if len(actions) != 1:
            raise _button_error(
                "Text buttons are unallowed in the inline keyboard"
                if not actions
                else "exactly one of the optional fields must be used"
            )
        data = button.get("callback_data", "-")
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
        if not re.match(r"(https?|tg)://\S+$", str(button.get("url", "https://x"))):
            raise bad_request("BUTTON_URL_INVALID")
    return markup if kind == "inline_keyboard" else None


def _button_error(detail: str) -> Exception:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def detect_entities(text: str) -> list[Json]:
    """What clients attach to typed text: bot_command for /cmd, mention for @username."""
    found: list[Json] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION)):
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group()),
                }
            )
    return sorted(found, key=lambda e: e["offset"])
