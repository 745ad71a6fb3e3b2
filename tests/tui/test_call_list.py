"""The week's call list: the cursor walks the calls and skips the headings; Enter and a click choose."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult

from tamdesk.tui.widgets.call_list import CallList, Row

HOLIDAY = "    ◆ holiday: Thanksgiving Day (US): Northwind Traders, Tailspin Toys, Wayne Enterprises"


def week_rows(calls_on_monday: int = 2) -> list[Row]:
    rows = [Row(Text("Mon 23 Nov"))]
    rows += [Row(Text(f"  1{n}:00 call {n}"), f"call:{n}") for n in range(calls_on_monday)]
    rows += [Row(Text("Tue 24 Nov  no calls")), Row(Text("Wed 25 Nov")), Row(Text(HOLIDAY))]
    rows += [Row(Text("  09:00 wednesday call"), "call:wed")]
    return rows


class ListApp(App[None]):
    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield CallList(id="calls")

    def on_mount(self) -> None:
        self.query_one(CallList).set_rows(self.rows)

    def on_call_list_chosen(self, event: CallList.Chosen) -> None:
        self.chosen.append(event.key)


async def test_the_cursor_walks_the_calls_and_skips_headings():
    app = ListApp(week_rows())
    async with app.run_test(size=(60, 20)) as pilot:
        calls = app.query_one(CallList)
        assert calls.highlighted_key is None
        await pilot.press("down")
        assert calls.highlighted_key == "call:0"  # the first call, not the Monday heading
        await pilot.press("down", "down")
        assert calls.highlighted_key == "call:wed"  # past Tuesday, Wednesday and the holiday
        await pilot.press("down")
        assert calls.highlighted_key == "call:wed"  # the last call stays
        await pilot.press("up")
        assert calls.highlighted_key == "call:1"
        await pilot.press("home")
        assert calls.highlighted_key == "call:0"
        await pilot.press("end")
        assert calls.highlighted_key == "call:wed"


async def test_enter_and_a_click_choose_a_call_and_a_click_on_a_heading_does_not():
    app = ListApp(week_rows())
    async with app.run_test(size=(60, 20)) as pilot:
        calls = app.query_one(CallList)
        calls.highlight("call:1")
        await pilot.press("enter")
        assert app.chosen == ["call:1"]
        # Line 0 is the border; line 1 the Monday heading, line 2 the first call.
        await pilot.click(CallList, offset=(5, 1))
        assert app.chosen == ["call:1"]
        await pilot.click(CallList, offset=(5, 2))
        assert app.chosen == ["call:1", "call:0"]
        assert calls.highlighted_key == "call:0"


async def test_a_new_set_of_rows_keeps_the_cursor_on_its_call_or_lifts_it():
    app = ListApp(week_rows())
    async with app.run_test(size=(60, 20)) as pilot:
        calls = app.query_one(CallList)
        calls.highlight("call:wed")
        calls.set_rows(week_rows(calls_on_monday=5))
        await pilot.pause()
        assert calls.highlighted_key == "call:wed"
        calls.set_rows([Row(Text("Mon 30 Nov  no calls"))])
        await pilot.pause()
        assert calls.highlighted_key is None
        await pilot.press("down", "enter")
        assert calls.highlighted_key is None and app.chosen == []


async def test_a_row_wider_than_the_list_wraps_under_its_own_indent():
    app = ListApp(week_rows())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        calls = app.query_one(CallList)
        shown = "\n".join(calls.render_line(y).text.rstrip() for y in range(calls.scrollable_content_region.height))
    # 56 cells inside the border and the pad; the later line is under the note's indent and two more.
    assert "\n     ◆ holiday: Thanksgiving Day (US): Northwind\n       Traders, Tailspin Toys, Wayne Enterprises\n" in shown


async def test_paging_keeps_the_cursor_in_view():
    rows = [Row(Text(f"Day {d}")) if d % 5 == 0 else Row(Text(f"  call {d}"), f"call:{d}") for d in range(100)]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        calls = app.query_one(CallList)
        await pilot.press("down", "pagedown", "pagedown")
        key = calls.highlighted_key
        assert key is not None and int(key.split(":")[1]) >= 15
        row = int(key.split(":")[1])
        assert calls.scroll_offset.y <= row < calls.scroll_offset.y + calls.scrollable_content_region.height
        await pilot.press("end")
        assert calls.highlighted_key == "call:99"
        assert calls.scroll_offset.y == calls.max_scroll_y
        await pilot.press("pageup")
        assert calls.highlighted_key is not None and int(calls.highlighted_key.split(":")[1]) < 99


async def test_the_mouse_over_a_call_lights_it_and_leaving_puts_it_out():
    app = ListApp(week_rows())
    async with app.run_test(size=(60, 20)) as pilot:
        calls = app.query_one(CallList)

        def background(line: int):
            calls.render_lines(calls.region.reset_offset)  # as drawing a frame does first
            return next(iter(calls.render_line(line))).style.bgcolor

        plain = background(1)  # the first call (line 0 is the Monday heading), under neither cursor nor mouse
        await pilot.hover(CallList, offset=(5, 2))  # the widget's line 0 is its border
        assert background(1) != plain
        assert background(2) == plain
        await pilot.hover(CallList, offset=(5, 1))  # over the heading, which never lights
        assert background(1) == plain


def long_rows(count: int) -> list[Row]:
    return [Row(Text(f"Day {d}")) if d % 5 == 0 else Row(Text(f"  call {d}"), f"call:{d}") for d in range(count)]


async def test_new_rows_of_another_length_scroll_to_their_own_end_without_laying_the_screen_out():
    # A week's turn: both lists are longer than the view, so the scrollbar stays and the screen's
    # layout cannot change; the list is not laid out again, yet it scrolls exactly over its new length.
    app = ListApp(long_rows(100))
    async with app.run_test(size=(40, 12)) as pilot:
        calls = app.query_one(CallList)
        await pilot.press("end")
        assert calls.scroll_offset.y == calls.max_scroll_y == 100 - calls.scrollable_content_region.height
        laid_out: list[bool] = []
        refresh = calls.refresh

        def watched(*regions, layout=False, **options):
            laid_out.append(layout)
            return refresh(*regions, layout=layout, **options)

        calls.refresh = watched  # type: ignore[method-assign]
        calls.set_rows(long_rows(40))
        await pilot.pause()
        assert not any(laid_out)
        assert calls.max_scroll_y == 40 - calls.scrollable_content_region.height
        assert calls.vertical_scrollbar.window_virtual_size == 40
        await pilot.press("home", "end")
        assert calls.highlighted_key == "call:39" and calls.scroll_offset.y == calls.max_scroll_y


async def test_rows_that_no_longer_need_a_scrollbar_lay_the_list_out_without_one():
    # From 100 rows to 4 the scrollbar goes, and the rows take its column back.
    app = ListApp(long_rows(100))
    async with app.run_test(size=(40, 12)) as pilot:
        calls = app.query_one(CallList)
        assert calls.show_vertical_scrollbar
        with_bar = calls.scrollable_content_region.width
        calls.set_rows(long_rows(4))
        await pilot.pause()
        assert not calls.show_vertical_scrollbar and calls.max_scroll_y == 0
        assert calls.scrollable_content_region.width > with_bar


@settings(deadline=None)
@given(
    words=st.lists(st.text(alphabet="ab ✓—日本é", min_size=1, max_size=12), min_size=1, max_size=12),
    width=st.integers(min_value=1, max_value=40),
)
def test_a_long_row_breaks_where_richs_wrap_breaks_it(words: list[str], width: int) -> None:
    # The list wraps a row itself, faster than Text.wrap (a tenth of a page turn): the same lines, the same styles.
    from rich.console import Console

    from tamdesk.tui.widgets.call_list import wrapped

    text = Text(" ")
    for number, word in enumerate(words):
        text.append(word + " " * (number % 3), style="bold" if number % 2 else "cyan")
    expected = text.wrap(Console(width=200), width)
    assert [(line.plain, line.spans) for line in wrapped(text, width)] == [(line.plain, line.spans) for line in expected]
