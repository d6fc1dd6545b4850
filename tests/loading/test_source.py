"""jmap.loading.yaml_reader with each YAML parser: libyaml (the default) and pyyaml's Python
parser.

Positions are worked out from the character index of each mark, so both parsers must agree on
what an index counts, and both must count lines and columns as an editor does.
"""

from __future__ import annotations

import math

import pytest
import yaml

from jmap.loading import yaml_reader as source
from jmap.loading.document import Document, Position, SourceError, as_written
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.loading.yaml_reader import parse
from tests.helpers import LIBYAML_HINT


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read YAML with this parser only."""
    name: str = request.param
    assert name in source.PARSERS, f"pyyaml was built without {name}: {LIBYAML_HINT}"
    monkeypatch.setattr(source, "PARSERS", {name: source.PARSERS[name]})
    return name


def read(text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    document = parse(text, limits)
    assert document is not None
    return document


def refusal(text: str, limits: Limits = DEFAULT_LIMITS) -> SourceError:
    with pytest.raises(SourceError) as raised:
        parse(text, limits)
    return raised.value


def test_libyaml_is_the_parser_whenever_pyyaml_has_it() -> None:
    expected = "libyaml" if yaml.__with_libyaml__ else "python"
    assert next(iter(source.PARSERS)) == expected


def test_a_column_counts_characters_not_bytes(parser: str) -> None:
    document = read("{a: 日本🙂, b: 2}\n")
    assert (document.keys[("b",)].line, document.keys[("b",)].column) == (1, 10)
    document = read('a: "é日本🙂"\nb: [x, y]\n')
    assert document.values[("b", 1)] == Position(2, 8)


def test_lines_break_at_cr_lf_and_cr(parser: str) -> None:
    document = read("a: 1\r\nb: 2\rc: 3\n")
    assert document.keys[("c",)] == Position(3, 1)


def test_yaml_1_1_line_breaks_in_quoted_text_are_not_lines_of_the_file(parser: str) -> None:
    document = read('a: "x\u2028y\x85z\u2029"\nb: [1]\n')
    assert document.keys[("b",)] == Position(2, 1)
    assert document.values[("b", 0)] == Position(2, 5)


def test_a_byte_order_mark_takes_no_column(parser: str) -> None:
    document = read("\ufeffa: 1\nb: [2]\n")
    assert document.keys[("a",)] == Position(1, 1)
    assert document.values[("b", 0)] == Position(2, 5)


@pytest.mark.parametrize(
    ("text", "character", "place"),
    [
        ("a: é\x7f\n", "0x007f", (1, 5)),  # libyaml reports this one by byte offset
        ("a: 1\nb: 日本\x1b[2J\n", "0x001b", (2, 6)),
        ("a: \ud800\n", "0xd800", (1, 4)),  # a lone surrogate can only come through the API
        ("a: 1\n\x00", "0x0000", (2, 1)),
    ],
)
def test_a_character_yaml_refuses_is_located(
    parser: str, text: str, character: str, place: tuple[int, int]
) -> None:
    error = refusal(text)
    assert error.message == f"character {character} is not allowed in YAML; remove it"
    assert (error.line, error.column) == place


def test_a_unicode_escape_past_the_last_character_is_located(parser: str) -> None:
    # pyyaml's own scanner used to crash on it (chr() of 0x110000).
    error = refusal('a: "\\U00110000"\n')
    assert error.message.startswith("invalid YAML: found invalid Unicode character escape code")
    assert (error.line, error.column) == (1, 7)


def test_surrogate_pair_escapes_are_one_character(parser: str) -> None:
    document = read('{"\\ud83d\\ude00": "run \\ud83c\\udfc3", "b": "\\U0001F600"}\n')
    assert document.data == {"😀": "run 🏃", "b": "😀"}


def test_half_a_surrogate_pair_is_located_at_its_text(parser: str) -> None:
    error = refusal('a: 1\nb: "run \\udfc3 \\ud83c"\n')
    assert error.message.startswith("the escape \\udfc3 is half of a UTF-16 surrogate pair")
    assert (error.line, error.column) == (2, 4)


def test_a_number_remembers_how_it_was_written(parser: str) -> None:
    data = read("a: [08, 1.10, 1E2, 0x1F, 0o17, +3, -.inf, .NaN, 7]\n").data["a"]
    assert data[:7] == [8, 1.1, 100.0, 31, 15, 3, -math.inf]
    assert math.isnan(data[7])
    assert [isinstance(value, float) for value in data] == [
        *(False, True, True, False, False, False, True, True, False)
    ]
    assert [as_written(value) for value in data] == [
        *("08", "1.10", "1E2", "0x1F", "0o17", "+3", "-.inf", ".NaN", "7"),
    ]


def test_only_numbers_have_a_written_form() -> None:
    assert [as_written(value) for value in ("08", 8, True, None)] == ["08", 8, True, None]


def test_a_text_libyaml_refuses_gets_pyyamls_message(parser: str) -> None:
    # libyaml would say "did not find expected ',' or ']'", without what it found.
    error = refusal("a: [1, 2\nb: 3\n")
    assert error.message.startswith("invalid YAML: expected ',' or ']', but got ':'")
    assert (error.line, error.column) == (2, 2)


def test_valid_yaml_libyaml_refuses_is_read(parser: str) -> None:
    # A reserved directive: YAML 1.2 says to ignore it; libyaml refuses it.
    assert read("%FOO bar\n---\na: 1\n").data == {"a": 1}


def test_a_merge_key_is_refused_whichever_parser_reads_it(parser: str) -> None:
    # libyaml gives a plain scalar the style '' where pyyaml gives None.
    error = refusal("a: &a {x: 1}\nb:\n  <<: *a\n")
    assert error.message.startswith("YAML merge keys ('<<') are not supported")
    assert (error.line, error.column) == (3, 3)
    assert read('b:\n  "<<": 1\n').data == {"b": {"<<": 1}}


def test_nesting_past_the_limit_stops_the_parser_in_time(parser: str) -> None:
    error = refusal("a: " + "[" * 100_000)
    assert error.message.startswith(f"nesting deeper than {DEFAULT_LIMITS.max_depth} levels")
    assert (error.line, error.column) == (1, 4 + DEFAULT_LIMITS.max_depth - 1)


# {a: [1, 2, 3], b: [4, 5, 6]}: the mapping, two keys, two lists and six items.
ELEVEN_VALUES = "a: [1, 2, 3]\nb: [4, 5, 6]\n"


def test_the_value_limit_counts_every_value_without_aliases(parser: str) -> None:
    assert read(ELEVEN_VALUES, Limits(max_nodes=11)).size == 11
    error = refusal(ELEVEN_VALUES, Limits(max_nodes=10))
    assert error.message.startswith("more than 10 values once aliases are expanded")


def test_the_value_limit_counts_an_alias_as_the_copy_it_is(parser: str) -> None:
    text = "a: &a [1, 2, 3]\nb: *a\nc: *a\n"  # 1 + 3 keys + 3 lists of 3
    assert read(text, Limits(max_nodes=16)).size == 16
    error = refusal(text, Limits(max_nodes=15))
    assert error.message.startswith("more than 15 values once aliases are expanded")
