"""Actors: the organisations, people, places and studies a document mentions, and the roles it states.

Mentions come from five sources, each recorded as the mention's ``method``, and where two
overlap the more trusted wins (in this order): ``gazetteer`` (exact alias matches against the curated
``ingest/data/gazetteer.toml``, case-sensitive except for aliases of three words or more),
``acronym-definition`` ("Social Policy Research Unit (SPRU)", kept only when the long form is an
organisation by gazetteer or by its head word, so "Personal Health Budgets (PHBs)" gives nothing),
``reference-list`` ("Glendinning, C." in a references or sources section), ``pattern`` (titled
people such as "Dr Rabiee"; capitalised names ending in an organisation head word such as
"... Council", "... Unit", "Department of ...") and ``spacy-ner`` (PERSON/ORG/GPE/LOC after fixing
spaCy's known errors here: places tagged PERSON, titled people tagged ORG, REF field labels glued
on, spans crossing a line or keeping "'s", and a stoplist of programme and instrument acronyms
such as "IBs" or "RCT"). Keys merge mentions across documents: a gazetteer entry's key, or for an
acronym defined in the document its long form's key; people are keyed ``person-<surname>``, so
"Glendinning", "Professor Glendinning" and "Glendinning, C." merge (surname-only merging is a
deliberate simplification for this corpus, where no two actors share a surname); anything else is
the slug of its name without a leading "the" or a possessive. Studies such as IBSEN are gazetteer
type ``study`` and keep ``actor_type`` "study" rather than being passed off as organisations.
Roles (led, co-ordinated, funded, commissioned, published, visited, managed, evaluated) come from
spaCy's dependency parse (``nsubj``, or the ``by`` agent of a passive), with a surface fallback
where spaCy mis-tokenises the verb ("co-ordinated").
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..ids import slugify
from ..records import ActorMention, ActorRole, ParsedDocument

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.toml"

METHOD_PRIORITY = {"gazetteer": 0, "acronym-definition": 1, "reference-list": 2, "pattern": 3, "spacy-ner": 4}
NER_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}
ORG_HEADS = frozenset(
    "Council Unit Trust Commission Committee Foundation Association Institute Centre Center Department "
    "University College School Office Agency Board Borough Consortium Confederation Network Partnership "
    "Society Group Service".split()
)
NOT_ACTOR_WORDS = frozenset(
    "Report Journal Review Paper Budget Budgets Pilot Pilots Programme Project Projects Evaluation "
    "Studies Sciences Toolkit Act Bill Framework Questionnaire Scheme".split()
)
START_STOPWORDS = frozenset(
    "The A An In On This That These Its Their Our For From By With And Of All Both Each Every Some Many "
    "Most Another Other Such Before After During Through Under".split()
)
PERSON_TITLES = r"Professor|Prof\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame|Lord|Baroness|Councillor"
REF_FIELD_LABELS = (
    "Submitting Institution|Unit of Assessment|Summary Impact Type|Research Subject Area\\(s\\)|"
    "Summary of the impact|Underpinning research|References to the research|Details of the impact|"
    "Sources to corroborate the impact|Grants|Title"
)
REFERENCE_SECTION = re.compile(r"reference|sources|bibliograph|further reading|corroborate", re.I)
FIELD_SECTION = re.compile(r"research subject area|summary impact type|unit of assessment|submitting institution", re.I)


def reads_entities(section_title: str | None) -> bool:
    """Whether spaCy's entities in a section under this heading become actor candidates: not in a
    reference or sources list (its authors are read as "Surname, I.") nor in a REF field label."""
    title = section_title or ""
    return not (REFERENCE_SECTION.search(title) or FIELD_SECTION.search(title))


SP = r"[^\S\n]+"
CAP = r"[A-Z][A-Za-z'’-]*"
NAME = r"[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"
INITIALS = r"[A-Z](?:\.|-[A-Z]\.?)(?:[^\S\n]?[A-Z](?:\.|-[A-Z]\.?))*"
CAPITAL_RUN = re.compile(rf"{CAP}(?:{SP}(?:(?:of|for|upon|on|and|the|&){SP})*{CAP})*")
TITLED_PERSON = re.compile(rf"(?<![\w])(?:{PERSON_TITLES}){SP}((?:{NAME}{SP}){{0,2}}{NAME})")
REFERENCE_AUTHOR = re.compile(rf"(?<![\w'’-])({NAME}),[^\S\n]({INITIALS})")
OFFICE_HOLDER = re.compile(
    rf"(?:(?:{NAME}){SP})*(?:State{SP})?Minister{SP}for{SP}{NAME}(?:{SP}{NAME})*|Head{SP}of{SP}the{SP}{NAME}(?:{SP}{NAME})*"
)
NAMED_HOLDER = re.compile(rf",{SP}{NAME}{SP}{NAME}")
SIGNATURE = re.compile(
    rf"(?m)^({NAME}(?:{SP}[A-Z]\.)?{SP}{NAME})\n+(?:{NAME}{SP})*(?:Advisor|Adviser|Director|Manager|Officer|Executive|"
    rf"Lecturer|Fellow|Researcher|Consultant|Analyst|Professor)\b"
)
ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Za-z&]{1,11})\)")
URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|\S+\.(?:org|ac|co|gov)\.uk\S*")
POSSESSIVE = re.compile(r"['’]s?$")
ENTITY_LEAD = re.compile(rf"^(?:(?:{REF_FIELD_LABELS})\s*[-–:]?\s*|[\s•`'‘’“\"(\[-]+|(?:the|The)\s+)+")
ENTITY_TAIL = re.compile(r"(?:['’]s\b|[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰.,;:)\]'’\"”(-]+)+$")


@dataclass(frozen=True)
class GazetteerEntry:
    """One curated actor: its key, preferred label, type and other surface forms."""

    key: str
    label: str
    type: str  # organisation, person, place, study
    aliases: tuple[str, ...]
    generic: bool = False  # a kind of body (a primary care trust): recognised, never emitted


@dataclass(frozen=True)
class Gazetteer:
    """The curated actors, indexed by surface form, with the compiled matcher and the stoplist."""

    entries: tuple[GazetteerEntry, ...]
    forms: dict[str, GazetteerEntry]  # exact surface form -> entry
    folded: dict[str, GazetteerEntry]  # case-folded surface form of three words or more -> entry
    matcher: re.Pattern[str]
    stoplist: frozenset[str]
    generic: frozenset[str]  # keys of generic entries

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The entry ``surface`` names, tried as written and without a leading "the" or "'s"."""
        for form in (surface, normalise_name(surface)):
            entry = self.forms.get(form) or self.folded.get(form.casefold())
            if entry is not None:
                return entry
        return None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    actor_type: str
    key: str
    method: str
    label: str | None = None  # fixed label (gazetteer), else chosen from the forms seen
    priority: int | None = None  # overrides the method's priority (office-holders over the places they name)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read the gazetteer TOML (default ``ingest/data/gazetteer.toml``) into a ``Gazetteer``."""
    data = tomllib.loads(Path(path or DEFAULT_GAZETTEER).read_text(encoding="utf-8"))
    entries = tuple(
        GazetteerEntry(a["key"], a["label"], a["type"], tuple(a.get("aliases", ())), a.get("generic", False))
        for a in data["actor"]
    )
    forms = {form: e for e in entries for form in (e.label, *e.aliases)}
    folded = {form.casefold(): e for form, e in forms.items() if len(form.split()) >= 3}
    generic = frozenset(e.key for e in entries if e.generic)
    return Gazetteer(entries, forms, folded, _compile_matcher(forms), frozenset(data.get("stoplist", ())), generic)


def _compile_matcher(forms: dict[str, GazetteerEntry]) -> re.Pattern[str]:
    def alternative(form: str) -> str:
        body = SP.join(re.escape(word) for word in form.split())
        return f"(?i:{body})" if len(form.split()) >= 3 else body

    ordered = sorted((f for f in forms if not POSSESSIVE.search(f)), key=len, reverse=True)
    return re.compile(rf"(?<![\w&-])(?:{'|'.join(alternative(f) for f in ordered)})(?![\w-])")


def normalise_name(name: str) -> str:
    """A name without a leading "the", a possessive "'s" or surrounding spaces."""
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    return POSSESSIVE.sub("", name).strip()


def person_key(surname: str) -> str:
    return f"person-{slugify(surname)}"


# --- Sources of mentions


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL.finditer(text)]


def _gazetteer_candidates(text: str, gazetteer: Gazetteer) -> list[_Candidate]:
    found = []
    for m in gazetteer.matcher.finditer(text):
        entry = gazetteer.lookup(m.group())
        if entry is not None:
            found.append(_Candidate(m.start(), m.end(), m.group(), entry.type, entry.key, "gazetteer", entry.label))
    return found


def _acronym_long_form(words: list[re.Match[str]], acronym: str) -> int | None:
    """Index into ``words`` where the long form of ``acronym`` starts (Schwartz-Hearst), or None."""
    letters = [c.lower() for c in acronym.rstrip("s") if c.isalnum()]
    phrase = " ".join(w.group() for w in words).lower()
    i = len(phrase) - 1
    for j, letter in enumerate(reversed(letters)):
        first = j == len(letters) - 1
        while i >= 0 and (phrase[i] != letter or (first and i > 0 and phrase[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    start_char = i + 1
    offset = 0
    for index, word in enumerate(words):
        if offset == start_char:
            return index
        offset += len(word.group()) + 1
    return None


def _is_organisation_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and bool(ORG_HEADS & set(words)) and not NOT_ACTOR_WORDS & set(words)


def _acronym_candidates(text: str, gazetteer: Gazetteer, urls: list[tuple[int, int]]) -> list[_Candidate]:
    """Acronyms defined as "Long Form (ACR)" whose long form is an organisation or study, and their uses."""
    found: list[_Candidate] = []
    defined: dict[str, _Candidate] = {}
    for m in ACRONYM_IN_BRACKETS.finditer(text):
        acronym = m.group(1)
        line_start = text.rfind("\n", 0, m.start()) + 1
        words = list(re.finditer(r"\S+", text[line_start : m.start()]))[-12:]
        words = [w for w in words if not w.group().startswith("(")] if words else words
        index = _acronym_long_form(words, acronym) if words else None
        if index is None:
            continue
        start, end = line_start + words[index].start(), line_start + words[-1].end()
        long_form = normalise_name(text[start:end].rstrip(",;"))
        if not re.fullmatch(rf"{CAP}(?:{SP}(?:(?:of|for|and|the|&|on|upon){SP})*{CAP})*", long_form):
            continue
        entry = gazetteer.lookup(long_form) or gazetteer.lookup(acronym)
        if entry is not None:
            key, label, actor_type = entry.key, entry.label, entry.type
        elif _is_organisation_name(long_form):
            key, label, actor_type = slugify(long_form), long_form, "organisation"
        else:
            continue
        end = start + len(long_form)
        found.append(_Candidate(start, end, text[start:end], actor_type, key, "acronym-definition", label))
        defined[acronym] = _Candidate(0, 0, acronym, actor_type, key, "acronym-definition", label)
    for acronym, template in defined.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            if not _inside(m.span(), urls):
                found.append(_Candidate(m.start(), m.end(), acronym, template.actor_type, template.key,
                                        "acronym-definition", template.label))
    return found


def _pattern_organisations(text: str, stoplist: frozenset[str]) -> list[_Candidate]:
    """Capitalised names around an organisation head word: "Lancashire County Council", "Office for ..."."""
    found = []
    for run in CAPITAL_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group()))
        heads = [i for i, w in enumerate(words) if w.group() in ORG_HEADS]
        if not heads:
            continue
        head = heads[-1]
        first = head
        while first > 0 and words[first - 1].group()[0].isupper() or (
            first > 1 and words[first - 1].group() in ("of", "for", "&") and words[first - 2].group()[0].isupper()
        ):
            first -= 1
        possessives = [i for i in range(first, head) if POSSESSIVE.search(words[i].group())]
        first = possessives[-1] + 1 if possessives else first  # "Kenya's Office of ..." names the office
        while first < head and (words[first].group() in START_STOPWORDS or not words[first].group()[0].isupper()):
            first += 1
        last = len(words) - 1 if head + 1 < len(words) and words[head + 1].group() in ("of", "for", "upon", "on") else head
        name = " ".join(w.group() for w in words[first : last + 1])
        if _is_organisation_name(name) and words[last].group()[0].isupper() and name not in stoplist:
            start, end = run.start() + words[first].start(), run.start() + words[last].end()
            found.append(_Candidate(start, end, text[start:end], "organisation", slugify(normalise_name(name)), "pattern"))
    return found


def _titled_people(text: str) -> list[_Candidate]:
    """People named with a title: "Professor Glendinning", "Dr Arksey" (which spaCy tags ORG)."""
    return [
        _Candidate(m.start(), m.end(), m.group(), "person", person_key(m.group(1).split()[-1]), "pattern")
        for m in TITLED_PERSON.finditer(text)
    ]


def _office_holders(text: str) -> list[_Candidate]:
    """Unnamed office-holders ("The South Australia State Minister for Disability", "the Head of the
    Disability Service"); an office followed by the holder's name is left to the name."""
    found = []
    for m in OFFICE_HOLDER.finditer(text):
        if not NAMED_HOLDER.match(text, m.end()):
            office = normalise_name(m.group())
            start = m.end() - len(office)
            found.append(_Candidate(start, m.end(), office, "person", slugify(office), "pattern", office, 0))
    return found


def _signatures(text: str) -> list[_Candidate]:
    """An author's signature: a name on its own line followed by a job title ("Rob Bailey" / "Principal Advisor, APSE")."""
    return [
        _Candidate(m.start(1), m.end(1), m.group(1), "person", person_key(m.group(1).split()[-1]), "pattern")
        for m in SIGNATURE.finditer(text)
    ]


def _reference_authors(parsed: ParsedDocument) -> list[_Candidate]:
    """Authors listed as "Surname, I." in a references or sources section."""
    text = parsed.text
    found = []
    for section in parsed.segmented.sections:
        if not REFERENCE_SECTION.search(section.title or ""):
            continue
        for m in REFERENCE_AUTHOR.finditer(text, section.start, section.end):
            found.append(_Candidate(m.start(), m.end(), m.group(), "person", person_key(m.group(1)),
                                    "reference-list", f"{m.group(2)} {m.group(1)}"))
    return found


def _clean_entity(text: str) -> tuple[int, int]:
    """The span of ``text`` left after dropping glued field labels, "the", "'s", footnote digits, a line break."""
    start = ENTITY_LEAD.match(text).end() if ENTITY_LEAD.match(text) else 0
    end = len(text)
    for stop in ("\n", " (", "•"):
        cut = text.find(stop, start)
        if cut != -1:
            end = min(end, cut)
    tail = ENTITY_TAIL.search(text[start:end])
    return start, (start + tail.start() if tail else end)


def _ner_candidates(parsed: ParsedDocument, gazetteer: Gazetteer, people: set[str]) -> list[_Candidate]:
    """spaCy's entities, cleaned and filtered; ``people`` are surnames already known to be people."""
    found = []
    for block, doc in parsed.block_docs:
        section = parsed.segmented.section_of(block.start)
        if section and not reads_entities(section.title):
            continue
        for ent in doc.ents:
            if ent.label_ not in NER_TYPES:
                continue
            lead, tail = _clean_entity(ent.text)
            surface = ent.text[lead:tail]
            start = block.start + ent.start_char + lead
            candidate = _classify_entity(surface, NER_TYPES[ent.label_], gazetteer, people)
            if candidate is not None:
                actor_type, key, label = candidate
                found.append(_Candidate(start, start + len(surface), surface, actor_type, key, "spacy-ner", label))
    return found


def _classify_entity(surface: str, ner_type: str, gazetteer: Gazetteer, people: set[str]) -> tuple[str, str, str | None] | None:
    """(actor type, key, fixed label) for a cleaned entity, or None when it is not an actor."""
    words = surface.split()
    if len(surface) < 2 or surface in gazetteer.stoplist or not words:
        return None
    entry = gazetteer.lookup(surface)
    if entry is not None:
        return entry.type, entry.key, entry.label
    names = [w for w in words if w not in ("of", "for", "and", "&", "upon", "on", "the")]
    if not names or not all(re.fullmatch(r"[A-Z][A-Za-z'’.-]*", w) for w in names) or NOT_ACTOR_WORDS & set(words):
        return None
    if ner_type == "organisation" and len(words) == 1 and not surface.isupper():
        return None  # a lone capitalised word tagged ORG here is a surname, a programme or a generic noun
    if ner_type == "person" or slugify(words[-1]) in people:
        if surface.isupper() or len(words) > 4 or not any(re.search(r"[a-z]{2}", w) for w in words):
            return None
        return "person", person_key(words[-1]), None
    if ner_type == "place" and surface.isupper():
        return None
    return ner_type, slugify(normalise_name(surface)), None


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _resolve(candidates: list[_Candidate], urls: list[tuple[int, int]]) -> list[_Candidate]:
    """Non-overlapping candidates, the most trusted method first, then the longest."""
    taken: list[tuple[int, int]] = []
    kept = []
    def rank(c: _Candidate) -> tuple[int, int, int]:
        return (METHOD_PRIORITY[c.method] if c.priority is None else c.priority), c.start - c.end, c.start

    for c in sorted(candidates, key=rank):
        span = (c.start, c.end)
        if c.end > c.start and not _inside(span, taken) and not _inside(span, urls):
            taken.append(span)
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def _person_label(c: _Candidate) -> tuple[int, int, str]:
    """(rank, length, label) of a person's form: a full name ("Mark Wilberforce") ranks above
    initials ("C. Glendinning"), which rank above a titled or bare surname."""
    if c.method == "reference-list":
        return 1, len(c.label or ""), c.label or c.text
    name = re.sub(rf"^(?:{PERSON_TITLES}){SP}", "", c.text)
    return (2 if len(name.split()) > 1 else 0), len(c.text), (name if len(name.split()) > 1 else c.text)


def _labels(kept: list[_Candidate]) -> dict[str, str]:
    """The preferred label of each key: the gazetteer's, else the best full form seen in the document."""
    by_key: dict[str, list[_Candidate]] = {}
    for c in kept:
        by_key.setdefault(c.key, []).append(c)
    labels = {}
    for key, group in by_key.items():
        fixed = [c.label for c in group if c.label and c.actor_type != "person"]
        if fixed:
            labels[key] = fixed[0]
        elif group[0].actor_type == "person":
            labels[key] = max(_person_label(c) for c in group)[2]
        else:
            labels[key] = max((normalise_name(c.text) for c in group), key=len)
    return labels


def extract_actors(parsed: ParsedDocument, gazetteer: Gazetteer) -> list[ActorMention]:
    """Every actor mention in the document, in text order, keyed for merging across documents."""
    text = parsed.text
    urls = _url_spans(text)
    structured = (
        _gazetteer_candidates(text, gazetteer)
        + _acronym_candidates(text, gazetteer, urls)
        + _reference_authors(parsed)
        + _titled_people(text)
        + _office_holders(text)
        + _signatures(text)
        + _pattern_organisations(text, gazetteer.stoplist)
    )
    surnames = {c.key.removeprefix("person-") for c in structured if c.actor_type == "person"}
    kept = _resolve(structured + _ner_candidates(parsed, gazetteer, surnames), urls)
    labels = _labels(kept)
    return [
        ActorMention(parsed.doc_id, c.start, c.end, c.text, c.actor_type, c.key, labels[c.key], c.method)
        for c in kept
        if c.key not in gazetteer.generic
    ]


# --- Roles

ROLE_VERBS = {
    "led": "led", "leads": "led", "lead": "led",
    "co-ordinated": "co-ordinated", "coordinated": "co-ordinated", "co-ordinates": "co-ordinated",
    "coordinates": "co-ordinated", "co-ordinate": "co-ordinated", "coordinate": "co-ordinated",
    "funded": "funded", "funds": "funded", "fund": "funded",
    "commissioned": "commissioned", "commissions": "commissioned", "commission": "commissioned",
    "published": "published", "publishes": "published", "publish": "published",
    "visited": "visited", "visits": "visited", "visit": "visited",
    "managed": "managed", "manages": "managed", "manage": "managed",
    "evaluated": "evaluated", "evaluates": "evaluated", "evaluate": "evaluated",
}
ROLE_VERB = re.compile(rf"(?<![\w-])({'|'.join(sorted(map(re.escape, ROLE_VERBS), key=len, reverse=True))})(?![\w-])", re.I)
SUBJECT_GAP = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?:,[^,]*,\s*)?(?:(?:also|jointly|then|subsequently)\s+)?$")
OBJECT_END = re.compile(r"[,;:.!?()]|\s(?:and|to|in|on|at|between|since|during)\s")


def _mention_at(mentions: list[ActorMention], starts: list[int], start: int, end: int) -> ActorMention | None:
    """The first mention overlapping ``[start, end)``."""
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    for m in mentions[i:]:
        if m.start >= end:
            return None
        if m.end > start:
            return m
    return None


def _span(tokens: list, exclude: set[int] = frozenset()) -> tuple[int, int] | None:
    """The character span (in the block) of ``tokens``' subtrees, leaving out token indices in ``exclude``."""
    indices = sorted({t.i for tok in tokens for t in tok.subtree} - exclude)
    if not indices:
        return None
    doc = tokens[0].doc
    return doc[indices[0]].idx, doc[indices[-1]].idx + len(doc[indices[-1]])


def _dependency_arguments(verb) -> tuple[list, list, set[int]]:
    """(subject tokens, object tokens, token indices to leave out of the object) from the parse."""
    children = list(verb.children)
    agents = [g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if agents:
        objects = [c for c in children if c.dep_ == "nsubjpass"]
        if objects or verb.dep_ != "acl":
            return agents, objects, set()
        noun = verb.head
        while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        return agents, [noun], {t.i for t in verb.doc[verb.i :]}
    subjects = [c for c in children if c.dep_ == "nsubj"]
    objects = [c for c in children if c.dep_ in ("dobj", "attr")]
    head = verb
    while not subjects and head.dep_ == "conj" and head.head is not head:
        head = head.head
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
        objects = objects or [c for c in head.children if c.dep_ == "dobj"]
    if not subjects and verb.dep_ == "xcomp":
        subjects = [c for c in verb.head.children if c.dep_ == "dobj"]
    return subjects, objects, set()


def _named_by(token, mentions: list[ActorMention], starts: list[int], base: int) -> ActorMention | None:
    """The mention a phrase headed by ``token`` names: at the head, or at a compound or apposition of it."""
    for t in [token, *(c for c in token.children if c.dep_ in ("compound", "appos", "nmod"))]:
        found = _mention_at(mentions, starts, base + t.idx, base + t.idx + len(t))
        if found is not None:
            return found
    return None


def _surface_arguments(text: str, verb_start: int, verb_end: int, mentions: list[ActorMention], base: int) -> tuple[ActorMention | None, tuple[int, int] | None]:
    """Where the parse fails: the mention just before the verb, and the phrase just after it."""
    before = [m for m in mentions if m.end <= base + verb_start and SUBJECT_GAP.match(text[m.end - base : verb_start])]
    rest = text[verb_end:]
    stop = OBJECT_END.search(rest)
    phrase_end = verb_end + (stop.start() if stop else len(rest))
    lead = len(rest) - len(rest.lstrip())
    return (before[-1] if before else None), ((verb_end + lead, phrase_end) if phrase_end > verb_end + lead else None)


def extract_roles(parsed: ParsedDocument, mentions: list[ActorMention]) -> list[ActorRole]:
    """Relations the text states between an actor and what it led, funded, commissioned, published ..."""
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    roles = []
    for block, doc in parsed.block_docs:
        block_text = parsed.text[block.start : block.end]  # the doc's text, without joining its tokens again
        for sent in doc.sents:
            for match in ROLE_VERB.finditer(block_text[sent.start_char : sent.end_char]):
                verb_start, verb_end = sent.start_char + match.start(), sent.start_char + match.end()
                verb = doc.char_span(verb_start, verb_end, alignment_mode="expand")
                role = _role(parsed, block.start, sent, verb, ROLE_VERBS[match.group(1).lower()], mentions, starts)
                if role is not None:
                    roles.append(role)
    return roles


def _role(parsed: ParsedDocument, base: int, sent, verb_span, role: str, mentions: list[ActorMention], starts: list[int]) -> ActorRole | None:
    """The role ``verb_span`` states, from the parse when spaCy read it as one verb, else from the surface."""
    doc = verb_span.doc
    subjects: list = []
    if len(verb_span) == 1 and verb_span[0].tag_.startswith("VB"):
        subjects, objects, exclude = _dependency_arguments(verb_span[0])
        subject = _named_by(subjects[0], mentions, starts, base) if subjects else None
        obj_span = _span(objects, exclude)
        obj = _named_by(objects[0], mentions, starts, base) if objects else None
    if not subjects:
        in_sentence = [m for m in mentions if base + sent.start_char <= m.start < base + sent.end_char]
        subject, obj_span = _surface_arguments(doc.text, verb_span.start_char, verb_span.end_char, in_sentence, base)
        obj = _mention_at(mentions, starts, base + obj_span[0], base + obj_span[1]) if obj_span else None
    if subject is None or obj_span is None:
        return None
    inside = obj is not None and base + obj_span[0] <= obj.start < base + obj_span[1]
    object_key = obj.key if inside and obj.key != subject.key else None
    sentence = _sentence_of(parsed, base + verb_span.start_char) or (base + sent.start_char, base + sent.end_char)
    return ActorRole(parsed.doc_id, subject.key, role, object_key, doc.text[obj_span[0] : obj_span[1]], sentence)


def _sentence_of(parsed: ParsedDocument, offset: int) -> tuple[int, int] | None:
    for s in parsed.segmented.sentences:
        if s.start <= offset < s.end:
            return s.start, s.end
    return None
