"""Citation exports for impact officers: a document's reference lists, traced and in standard formats.

``traced_record`` is ``citation_record`` (references, corroborating sources, footnotes, pointers,
grants) plus the document's title and type and, for every in-text pointer, the sentence it sits
in. From a list of such records ``render`` writes CSV (one row per list entry, with the markers
and sentences pointing to it), BibTeX (stable keys like ``glendinning2008evaluation``, LaTeX
specials escaped), RIS, CSL-JSON, or a trace to read in a terminal: each impact sentence with its
pointers and the corroborating source they point to, then the research references.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from . import namespaces as ns
from .catalog import PREFIX_LINES, DocumentSummary
from .extracted_reader import citation_record

REF_CASE_STUDY = "ref-impact-case-study"
LIST_KINDS = ("references", "sources", "footnotes")
LIST_LABELS = {"references": "reference", "sources": "corroborating source", "footnotes": "footnote"}
TRACE_WIDTH = 100
SHORT_SENTENCE_WORDS = 6  # a sentence this short is shown after the text before it

# --- gathering


POINTER_SENTENCES = PREFIX_LINES + """
SELECT ?graph ?pointerStart ?pointerEnd ?sentence ?prefix ?start ?end WHERE { GRAPH ?graph {
    ?pointer a c4o:InTextReferencePointer ; kbv:inSentence ?span ;
             prov:wasDerivedFrom/oa:hasSelector ?pointerPosition .
    ?pointerPosition a oa:TextPositionSelector ; oa:start ?pointerStart ; oa:end ?pointerEnd .
    ?span oa:hasSelector ?position, ?quote .
    ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
    ?quote a oa:TextQuoteSelector ; oa:exact ?sentence ; oa:prefix ?prefix .
} }
"""


def case_studies(documents: list[DocumentSummary]) -> list[DocumentSummary]:
    return [d for d in documents if d.type == REF_CASE_STUDY]


def traced_record(store: ox.Store, document: DocumentSummary) -> dict:
    """``citation_record`` with the document's title and type and each pointer's sentence."""
    record = citation_record(document.id, store)
    sentences = _pointer_sentences(store, document.id)
    for pointer in record["pointers"]:
        pointer["sentence"] = sentences.get((pointer["start"], pointer["end"]))
    return {**record, "title": document.title, "type": document.type}


def _pointer_sentences(store: ox.Store, doc_id: str) -> dict[tuple[int, int], dict]:
    graph = ox.NamedNode(ns.graph_iri(doc_id))
    return {
        (int(row["pointerStart"].value), int(row["pointerEnd"].value)): {
            "text": row["sentence"].value, "prefix": row["prefix"].value,
            "start": int(row["start"].value), "end": int(row["end"].value),
        }
        for row in store.query(POINTER_SENTENCES, substitutions={ox.Variable("graph"): graph})
    }


# --- the entries of the records, each with what points to it


@dataclass(frozen=True)
class Item:
    """One list entry of one document, with its citation key and the pointers to it."""

    key: str
    document: dict
    kind: str
    entry: dict

    @property
    def pointers(self) -> list[dict]:
        return [p for p in self.document["pointers"] if p["list"] == self.kind and p["target"] == self.entry["n"]]

    @property
    def work_type(self) -> str:
        """article (in a journal), report (from a publisher) or misc."""
        if self.entry["container"]:
            return "article"
        return "report" if self.entry["publisher"] else "misc"

    @property
    def note(self) -> str:
        note = f"{self.document['document']}, {LIST_LABELS.get(self.kind, self.kind)} {self.entry['n'] or ''}".strip()
        return note if self.entry["title"] else f"{note}: {_flat(self.entry['text'])}"


def items(records: list[dict]) -> list[Item]:
    """Every entry of every record, in list order, with keys unique across the records."""
    used: set[str] = set()
    result = []
    for record in records:
        for kind in LIST_KINDS:
            for entry in record[kind]:
                key = _unique(citation_key(entry) or "-".join(_words(f"{record['document']} {kind} {entry['n'] or ''}")), used)
                result.append(Item(key, record, kind, entry))
    return result


def _unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not yet used (which it then marks used)."""
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    used.add(key)
    return key


STOPWORDS = frozenset("a an and at by for from in of on the to with".split())


def citation_key(entry: dict) -> str:
    """First author's family name, year, first significant title word: ``glendinning2008evaluation``;
    empty for an entry with neither author nor title."""
    family = _words(entry["authors"][0].split(",")[0]) if entry["authors"] else []
    title = [w for w in _words(entry["title"] or "") if w not in STOPWORDS]
    if not family and not title:
        return ""
    return (family[0] if family else "anon") + _year(entry) + (title[0] if title else "")


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


def _year(entry: dict) -> str:
    found = re.search(r"\d{4}", entry["year"] or "")
    return found.group() if found else ""


def _flat(text: str) -> str:
    return " ".join(text.split())


def _is_person(name: str) -> bool:
    """Authors written 'Family, Given' are people; names without a comma are organisations."""
    return ", " in name


def _pointer_sentences_of(item: Item) -> list[str]:
    return list(dict.fromkeys(p["sentence"]["text"] for p in item.pointers if p["sentence"]))


# --- CSV

CSV_COLUMNS = (
    "document", "document_title", "list", "n", "authors", "year", "title", "container", "publisher",
    "doi", "url", "entry_text", "pointer_markers", "pointer_sentences",
)


def to_csv(records: list[dict]) -> str:
    """One row per list entry; the markers pointing to it joined by '; ', their sentences by ' | '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items(records):
        entry = item.entry
        writer.writerow([
            item.document["document"], item.document["title"] or "", item.kind, entry["n"] or "",
            "; ".join(entry["authors"]), entry["year"] or "", entry["title"] or "", entry["container"] or "",
            entry["publisher"] or "", entry["doi"] or "", entry["url"] or "", _flat(entry["text"]),
            "; ".join(p["marker"] for p in item.pointers), " | ".join(_pointer_sentences_of(item)),
        ])
    return out.getvalue()


# --- BibTeX

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
BIBTEX_TYPES = {"article": "article", "report": "techreport", "misc": "misc"}


def latex_escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(char, char) for char in _flat(text))


def _protect_acronyms(text: str) -> str:
    """Braces keep capitals that styles would lower-case: '{NHS}', '{IBSEN}'."""
    return re.sub(r"(?<![\\\w])([A-Z][A-Z0-9]+)\b", r"{\1}", text)


def _bibtex_author(name: str) -> str:
    return latex_escape(name) if _is_person(name) else "{" + latex_escape(name) + "}"


def _bibtex_url(url: str) -> str:
    """URLs and DOIs go in verbatim (the url package handles % and _); only braces are encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex_fields(item: Item) -> list[tuple[str, str]]:
    entry = item.entry
    venue = "journal" if item.work_type == "article" else "institution"
    fields = [
        ("author", " and ".join(_bibtex_author(a) for a in entry["authors"])),
        ("title", _protect_acronyms(latex_escape(entry["title"] or ""))),
        ("year", _year(entry)),
        (venue, latex_escape(entry["container"] or entry["publisher"] or "")),
        ("doi", _bibtex_url(entry["doi"] or "")),
        ("url", _bibtex_url(entry["url"] or "")),
        ("note", latex_escape(item.note)),
    ]
    return [(name, value) for name, value in fields if value]


def to_bibtex(records: list[dict]) -> str:
    return "\n".join(
        f"@{BIBTEX_TYPES[item.work_type]}{{{item.key},\n"
        + "".join(f"  {name} = {{{value}}},\n" for name, value in bibtex_fields(item))
        + "}\n"
        for item in items(records)
    )


# --- RIS

RIS_TYPES = {"article": "JOUR", "report": "RPRT", "misc": "GEN"}


def ris_lines(item: Item) -> Iterator[tuple[str, str]]:
    entry = item.entry
    yield "TY", RIS_TYPES[item.work_type]
    yield "ID", item.key
    for author in entry["authors"]:
        yield "AU", author
    optional = (
        ("TI", entry["title"]), ("PY", _year(entry)), ("JO", entry["container"]), ("PB", entry["publisher"]),
        ("DO", entry["doi"]), ("UR", entry["url"]),
    )
    yield from ((tag, value) for tag, value in optional if value)
    yield "N1", item.note
    yield "ER", ""


def to_ris(records: list[dict]) -> str:
    return "\n".join(
        "".join(f"{tag}  - {_flat(value)}\n" for tag, value in ris_lines(item)) for item in items(records)
    )


# --- CSL-JSON

CSL_TYPES = {"article": "article-journal", "report": "report", "misc": "document"}


def _csl_name(name: str) -> dict:
    if not _is_person(name):
        return {"literal": name}
    family, _, given = name.partition(", ")
    return {"family": family, "given": given}


def csl_item(item: Item) -> dict:
    entry = item.entry
    year = _year(entry)
    csl = {
        "id": item.key,
        "type": CSL_TYPES[item.work_type],
        "title": entry["title"],
        "author": [_csl_name(a) for a in entry["authors"]],
        "issued": {"date-parts": [[int(year)]]} if year else None,
        "container-title": entry["container"],
        "publisher": entry["publisher"],
        "DOI": entry["doi"],
        "URL": entry["url"],
        "note": item.note,
    }
    return {name: value for name, value in csl.items() if value or name == "author"}


def to_csl_json(records: list[dict]) -> str:
    return json.dumps([csl_item(item) for item in items(records)], ensure_ascii=False, indent=2) + "\n"


# --- the trace, for a terminal


def to_trace(records: list[dict]) -> str:
    return "\n".join("\n".join(_trace_lines(record)) + "\n" for record in records)


def _trace_lines(record: dict) -> Iterator[str]:
    yield f"{record['document']} · {record['title'] or '(untitled)'}"
    record_items = items([record])
    yield from _section("Impact sentences and the corroborating sources they point to", _impact_lines(record, record_items))
    unpointed = (i for i in record_items if i.kind == "sources" and not i.pointers)
    yield from _section("Corroborating sources no sentence points to", _entry_lines(unpointed))
    yield from _section("References to the research", _entry_lines(i for i in record_items if i.kind == "references"))
    yield from _section("Footnotes", _entry_lines(i for i in record_items if i.kind == "footnotes"))
    yield from _section("Grants", (f"  {_grant(g)}" for g in record["grants"]))
    yield from _section("Unresolved pointers", _unresolved_lines(record))


def _section(heading: str, lines: Iterator[str]) -> Iterator[str]:
    lines = list(lines)
    if lines:
        yield ""
        yield heading
        yield from lines


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(_flat(text), TRACE_WIDTH, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]


def _impact_lines(record: dict, record_items: list[Item]) -> Iterator[str]:
    """Each sentence pointing to corroborating sources and, per source, its markers and entry."""
    sources = {item.entry["n"]: item for item in record_items if item.kind == "sources"}
    by_sentence: dict[int, list[dict]] = {}
    for pointer in record["pointers"]:
        if pointer["list"] == "sources" and pointer["sentence"]:
            by_sentence.setdefault(pointer["sentence"]["start"], []).append(pointer)
    for number, start in enumerate(sorted(by_sentence), start=1):
        pointers = by_sentence[start]
        yield from _wrap(_in_context(pointers[0]["sentence"]), f"  {number:>2}. ", "      ")
        for target in dict.fromkeys(p["target"] for p in pointers):
            markers = ", ".join(f"'{p['marker']}'" for p in pointers if p["target"] == target)
            yield from _wrap(f"{markers} -> source {target}: {_flat(sources[target].entry['text'])}", "      ↳ ", "        ")


def _in_context(sentence: dict) -> str:
    """The sentence, after the words before it when it is too short to read alone ('DH (2010)4')."""
    if len(sentence["text"].split()) >= SHORT_SENTENCE_WORDS:
        return sentence["text"]
    before = sentence["prefix"].split(" ", 1)[-1]  # from the first whole word
    return f"…{before}{sentence['text']}"


def _entry_lines(entries: Iterator[Item]) -> Iterator[str]:
    for item in entries:
        doi = f" doi:{item.entry['doi']}" if item.entry["doi"] else ""
        number = f"{item.entry['n']}." if item.entry["n"] else "•"
        yield from _wrap(f"{number} {item.entry['text']}{doi}", "  ", "     ")
        for sentence in _pointer_sentences_of(item):
            yield from _wrap(f"cited in: {sentence}", "     ↳ ", "       ")


def _grant(grant: dict) -> str:
    currency = "£" if grant["currency"] == "GBP" else f"{grant['currency']} "
    amount = "" if grant["amount"] is None else f" {currency}{grant['amount']:,}"
    period = f", {grant['period']}" if grant["period"] else ""
    return f"{grant['funder'] or '(funder not named)'}{amount}{period}: {grant['title'] or '(untitled grant)'}"


def _unresolved_lines(record: dict) -> Iterator[str]:
    for pointer in record["pointers"]:
        if pointer["target"] is None:
            where = pointer["sentence"]["text"] if pointer["sentence"] else f"at {pointer['start']}"
            yield from _wrap(f"'{pointer['marker']}' ({pointer['style']}) in: {where}", "  ", "    ")


# --- formats

FORMATS: dict[str, Callable[[list[dict]], str]] = {
    "trace": to_trace,
    "csv": to_csv,
    "bibtex": to_bibtex,
    "ris": to_ris,
    "csl-json": to_csl_json,
}


def render(records: list[dict], fmt: str) -> str:
    return FORMATS[fmt](records)
