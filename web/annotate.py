"""Render a document's canonical text as HTML with its extracted spans marked.

Annotations are ``[start, end)`` spans with the tag and attributes to wrap them in; they may
nest or overlap. Rendering walks the span boundaries, closing and reopening tags so the markup
is always well nested, and escapes every piece of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    tag: str  # span, mark, a
    attrs: tuple[tuple[str, str], ...] = field(default=())
    priority: int = 0  # outer first: lower priority opens first at the same start

    def open_tag(self) -> str:
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in self.attrs)
        return f"<{self.tag}{attrs}>"

    def close_tag(self) -> str:
        return f"</{self.tag}>"


def render(text: str, annotations: list[Annotation]) -> Markup:
    spans = [a for a in annotations if 0 <= a.start < a.end <= len(text)]
    boundaries = sorted({0, len(text), *(a.start for a in spans), *(a.end for a in spans)})
    order = sorted(spans, key=lambda a: (a.start, -a.end, a.priority))
    out: list[str] = []
    open_stack: list[Annotation] = []
    for left, right in zip(boundaries, boundaries[1:]):
        active = [a for a in order if a.start <= left and right <= a.end]
        common = 0
        while common < len(open_stack) and common < len(active) and open_stack[common] is active[common]:
            common += 1
        for annotation in reversed(open_stack[common:]):
            out.append(annotation.close_tag())
        for annotation in active[common:]:
            out.append(annotation.open_tag())
        open_stack = active
        out.append(str(escape(text[left:right])))
    for annotation in reversed(open_stack):
        out.append(annotation.close_tag())
    return Markup("".join(out))
