"""Annotated document text: well-nested markup, everything escaped."""

from __future__ import annotations

import pytest

from web.annotate import Annotation, render


@pytest.mark.parametrize(
    "text, annotations, expected",
    [
        ("plain <b>", [], "plain &lt;b&gt;"),
        ("cost £279 per week", [Annotation(5, 18, "mark", (("class", "figure"),))], 'cost <mark class="figure">£279 per week</mark>'),
        # nested: a figure inside a claim
        ("A. Costs were £279.", [Annotation(3, 19, "span", (("class", "claim"),)), Annotation(14, 18, "mark")],
         'A. <span class="claim">Costs were <mark>£279</mark>.</span>'),
        # overlapping spans are closed and reopened so the markup nests
        ("abcdef", [Annotation(0, 4, "span"), Annotation(2, 6, "mark")], "<span>ab<mark>cd</mark></span><mark>ef</mark>"),
        # attribute values are escaped
        ("x", [Annotation(0, 1, "a", (("href", '/e?a=1&b="2"'),))], '<a href="/e?a=1&amp;b=&#34;2&#34;">x</a>'),
        # spans outside the text are ignored
        ("abc", [Annotation(2, 9, "mark")], "abc"),
    ],
)
def test_render(text, annotations, expected):
    assert str(render(text, annotations)) == expected
