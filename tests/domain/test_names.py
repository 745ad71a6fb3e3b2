"""Names as people type them: any case, any accents, a unique start (issue 15)."""

import pytest

from tamdesk.domain.errors import BadInput
from tamdesk.domain.names import folded, named

NAMES = [(1, "Tyrell Corp"), (2, "Café Corp"), (3, "Contoso Ibérica"), (4, "Contoso Ltd"), (5, "Acme"), (6, "Acme Labs")]


@pytest.mark.parametrize(
    "typed, key",
    [
        ("tyrell", 1),  # a unique start, any case
        ("TYRELL CORP", 1),
        ("café", 2),
        ("cafe", 2),  # accents never count
        ("CAFÉ corp", 2),
        ("contoso ibe", 3),
        ("acme", 5),  # the whole name wins over a start it shares with "Acme Labs"
        ("acme l", 6),
        ("  acme   labs ", 6),  # stray spaces
    ],
)
def test_a_name_is_its_whole_or_a_unique_start(typed, key):
    assert named(typed, NAMES, "customer") == key


def test_a_start_several_names_share_is_bad_input_listing_them():
    with pytest.raises(BadInput, match=r"'contoso' matches 2 customers: Contoso Ibérica, Contoso Ltd; type more"):
        named("contoso", NAMES, "customer")


@pytest.mark.parametrize("typed", ["umbrella", "corp", "\u0301", "tyrell corporation"])
def test_no_match_is_none(typed):
    # "corp" is inside two names but starts none: only a start counts.
    assert named(typed, NAMES, "customer") is None


def test_folded_drops_case_and_accents():
    assert folded("Contoso Ibérica") == folded("CONTOSO IBERICA") == "contoso iberica"


@pytest.mark.parametrize(
    "count, tail",
    [
        (8, "Shop H; type more"),  # SHOWN_MATCHES names are all listed, nothing "more"
        (9, "Shop H and 1 more; type more"),  # one past it: eight listed (A to H), the ninth counted
        (12, "Shop H and 4 more; type more"),
    ],
)
def test_an_ambiguous_start_lists_eight_names_and_counts_the_rest(count, tail):
    shops = [(n, f"Shop {chr(ord('A') + n)}") for n in range(count)]
    with pytest.raises(BadInput) as refused:
        named("shop", shops, "customer")
    assert f"matches {count} customers: Shop A, Shop B, " in refused.value.message
    assert tail in refused.value.message
