"""What the contacts area and the contact form look like, at 100×32, as of TODAY."""

from __future__ import annotations

SIZE = (100, 32)


class TestContactsArea:
    def test_the_table_and_the_panel(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="contacts"), terminal_size=SIZE)

    def test_the_filter_with_a_query(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="contacts"), press=["slash", *"ra"], terminal_size=SIZE)

    def test_sorted_by_due(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="contacts"), press=["s"], terminal_size=SIZE)


class TestContactForm:
    def test_the_new_contact_form(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="contacts"), press=["n"], terminal_size=SIZE)

    def test_the_form_with_a_validation_error(self, snap_compare, make_app) -> None:
        press = ["n", *["tab"] * 7, *"abc", "ctrl+s"]  # name → cadence
        assert snap_compare(make_app(start="contacts"), press=press, terminal_size=SIZE)
