"""Plain-text rendering of an answer for the terminal (``kb ask`` without ``--json``).

The quotes appear grouped by document and then by kind, in the order of each group's best quote,
each numbered by its rank and followed by its section, offsets and the figures it holds; an
answer with no evidence is one plain sentence.
"""

from __future__ import annotations


def render_text(answer: dict) -> str:
    if answer["no_answer"]:
        return answer["message"]
    lines = []
    figures = _figures_by_answer(answer["figures"])
    for group in answer["groups"]:
        lines.append(f"{group['document']['id']}: {group['document']['title']}")
        for kind in group["kinds"]:
            lines.append(f"  {kind['kind']}")
            for n in kind["answers"]:
                lines.extend(_quote(n, answer["answers"][n], figures.get(n, [])))
        lines.append("")
    entities = ", ".join(e["label"] for e in answer["entities"])
    if entities:
        lines.append(f"entities: {entities}")
    return "\n".join(lines).rstrip()


def _quote(n: int, item: dict, figures: list[dict]) -> list[str]:
    where = " · ".join(x for x in (item["section"], f"{item['start']}-{item['end']}") if x)
    lines = [f"    {n + 1}. “{item['text']}”", f"       {where}"]
    lines.extend(f"       figure: {_figure(f)}" for f in figures)
    return lines


def _figure(figure: dict) -> str:
    about = "; ".join(x for x in (_quantity(figure), figure["measure"], figure["group"]) if x)
    text = f"{figure['text']} ({about})"
    if figure["comparator"]:
        other = figure["comparator"]
        text += f", compared with {other['text']}{' for ' + other['group'] if other['group'] else ''}"
    if figure["grant"]:
        grant = figure["grant"]
        text += f", grant from {grant['funder']}: {grant['title']}"
    return text


def _quantity(figure: dict) -> str | None:
    """The value and unit, except for a period, whose text says it better."""
    return None if figure["unit"] == "period" else f"{figure['value']:,} {figure['unit']}"


def _figures_by_answer(figures: list[dict]) -> dict[int, list[dict]]:
    by_answer: dict[int, list[dict]] = {}
    for figure in figures:
        by_answer.setdefault(figure["answer"], []).append(figure)
    return by_answer
