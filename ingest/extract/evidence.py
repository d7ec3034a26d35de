"""Evidence classification: for each claim, the topics it concerns (well-being, cost, choice and
control...), the populations it is evidence about, the direction it points for each population on
each topic (better, worse, no difference, mixed, descriptive) and the kind of evidence behind it
(trial or evaluation finding, survey, staff or provider report, commentary or opinion, guidance),
every decision with the words that triggered it, so a reader can see why. Topics come from their
wordings in the sentence (not where they are aims, measures or names); populations from the
claim, less the speakers of a report that concerns someone else, or else from a wording that
implies one ("funding streams": councils); the direction from the cue nearest the population's
mention (when the sentence contrasts groups) or the topic's, turned round after a comparator
("standard arrangements look more cost-effective") and set by the topic's polarity for quantity
cues ("costs are set to increase"). Caveats qualify evidence rather than give it, so they get
topics but no judgements; guidance counts only where it states a direction. The rules are data:
``ingest/data/topics.toml`` and ``ingest/data/evidence.toml``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..records import Claim, ClaimAssessment, Judgement, ParsedDocument, TopicMention
from .claims import ClaimLexicon, Population, load_lexicon

DATA = Path(__file__).resolve().parent.parent / "data"
TOPICS_PATH = DATA / "topics.toml"
RULES_PATH = DATA / "evidence.toml"
DIRECTIONS = ("better", "worse", "no difference", "mixed", "descriptive")
EVIDENCE_KINDS = (
    "trial or evaluation finding", "survey", "staff or provider report", "commentary or opinion", "guidance",
)
STATED = ("better", "worse", "no difference", "mixed")  # cue kinds that state a direction themselves
QUANTITY = ("up", "down")
TURNED = {"better": "worse", "worse": "better", "up": "down", "down": "up"}  # after a comparator subject
NO_JUDGEMENT_KINDS = ("caveat",)  # qualify evidence rather than give it
DIRECTED_ONLY_KINDS = ("recommendation",)  # guidance is evidence for the map only when it states a direction
KIND_RULE_FIELDS = ("claim_kinds", "speakers", "cues", "headings", "document_types")
_FIGURES = re.compile(r"£\s?(?P<a>[\d,.]+)[^£.;]{0,40}?compared with £\s?(?P<b>[\d,.]+)")
CLAUSE_END = ",;:()–—-"  # a word ending in one of these ends a negation's reach


@dataclass(frozen=True)
class Topic:
    """An outcome a claim can be about, and the wordings the documents use for it."""

    key: str
    label: str
    note: str
    wordings: tuple[str, ...]
    more_is: str  # better, worse or unclear: what more of it means for people
    absorbs: tuple[str, ...] = ()  # topics that are this one's measures in the same sentence


@dataclass(frozen=True)
class KindRule:
    """When a claim's evidence is of ``kind``: by claim kind, speaker, cue, heading or document type."""

    kind: str
    claim_kinds: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceLexicon:
    """Topics, direction cues and evidence-kind rules, with the claim lexicon's populations."""

    topics: tuple[Topic, ...]
    populations: tuple[Population, ...]
    study_keys: frozenset[str]
    report_verbs: tuple[str, ...]
    speaker_words: int
    other_groups: tuple[str, ...]
    aims: tuple[str, ...]
    aim_words: int
    implied_populations: tuple[tuple[str, tuple[str, ...]], ...]  # (population, cues)
    direction_cues: tuple[tuple[str, tuple[str, ...]], ...]  # (better|worse|...|up|down, cues)
    negators: tuple[str, ...]
    comparators: tuple[str, ...]
    comparison_words: tuple[str, ...]
    contrasts: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    negation_words: int
    kind_rules: tuple[KindRule, ...]

    def topic(self, key: str) -> Topic:
        return next(t for t in self.topics if t.key == key)


@dataclass(frozen=True)
class ClaimContext:
    """What the classifier needs beyond the claim: its lead-in sentence and the document type."""

    lead_in: str | None = None
    doc_type: str | None = None


@dataclass(frozen=True)
class _Match:
    kind: str
    start: int
    end: int
    text: str


def load_topics(path: str | Path | None = None) -> tuple[Topic, ...]:
    """The topics of ``ingest/data/topics.toml`` (or ``path``), in file order."""
    data = tomllib.loads(Path(path or TOPICS_PATH).read_text(encoding="utf-8"))
    return tuple(
        Topic(t["key"], t["label"], t["note"], tuple(t["wordings"]), t["more_is"], tuple(t.get("absorbs", ())))
        for t in data["topic"]
    )


def load_evidence_lexicon(
    topics_path: str | Path | None = None, rules_path: str | Path | None = None, claims: ClaimLexicon | None = None
) -> EvidenceLexicon:
    """Topics, rules and (from the claim lexicon) populations and study keys."""
    rules = tomllib.loads(Path(rules_path or RULES_PATH).read_text(encoding="utf-8"))
    claims = claims or load_lexicon()
    direction = rules["direction"]
    return EvidenceLexicon(
        topics=load_topics(topics_path),
        populations=claims.populations,
        study_keys=claims.study_keys,
        report_verbs=tuple(rules["report_verbs"]),
        speaker_words=rules["speaker_words"],
        other_groups=tuple(rules["other_groups"]),
        aims=tuple(rules["aims"]),
        aim_words=rules["aim_words"],
        implied_populations=tuple((p["population"], tuple(p["cues"])) for p in rules["implied_population"]),
        direction_cues=tuple((kind, tuple(direction[kind])) for kind in (*STATED, *QUANTITY)),
        negators=tuple(direction["negators"]),
        comparators=tuple(direction["comparators"]),
        comparison_words=tuple(direction["comparison_words"]),
        contrasts=tuple(direction["contrasts"]),
        clause_breaks=tuple(direction["clause_breaks"]),
        negation_words=direction["negation_words"],
        kind_rules=tuple(
            KindRule(rule["kind"], **{field: tuple(rule.get(field, ())) for field in KIND_RULE_FIELDS})
            for rule in rules["evidence_kind"]
        ),
    )


def assess_claims(parsed: ParsedDocument, claims: list[Claim], lexicon: EvidenceLexicon) -> list[Claim]:
    """``claims`` with their assessments, each classified in its context in ``parsed``."""
    lead_ins = _lead_ins(parsed)
    doc_type = parsed.segmented.read.metadata.doc_type
    return [
        dataclasses.replace(claim, assessment=classify_claim(claim, ClaimContext(lead_ins.get(claim.start), doc_type), lexicon))
        for claim in claims
    ]


def classify_claim(claim: Claim, context: ClaimContext, lexicon: EvidenceLexicon) -> ClaimAssessment:
    """Topics, evidence kind and one judgement per population and topic for ``claim``."""
    mentions = topic_mentions(claim.text, lexicon)
    kind, kind_cue = evidence_kind(claim, context, lexicon)
    topics = tuple(TopicMention(m.kind, m.text) for m in mentions)
    if claim.kind in NO_JUDGEMENT_KINDS or not mentions:
        return ClaimAssessment(kind, kind_cue, topics)
    return ClaimAssessment(kind, kind_cue, topics, tuple(_judgements(claim, context, mentions, lexicon)))


def _judgements(claim: Claim, context: ClaimContext, mentions: list[_Match], lexicon: EvidenceLexicon) -> list[Judgement]:
    """A judgement per population and topic: the direction at the population's mention when the
    sentence names two or more populations (it may contrast them), else at the topic's; a list
    item with no cue takes its lead-in's."""
    named = _population_matches(claim.text, lexicon)
    cues = direction_cues(claim.text, lexicon)
    lead_in_cues = direction_cues(context.lead_in, lexicon) if context.lead_in else []
    judgements = []
    for population, population_cue in evidence_populations(claim, context, lexicon):
        for mention in mentions:
            anchor = named[population] if len(named) >= 2 and population in named else mention
            topic = lexicon.topic(mention.kind)
            direction, cue = decide_direction(cues, anchor, topic)
            if cue is None and lead_in_cues:
                direction, cue = decide_direction(lead_in_cues, None, topic)
                cue = f"{cue} (lead-in)" if cue else None
            if direction != "descriptive" or claim.kind not in DIRECTED_ONLY_KINDS:
                judgements.append(Judgement(population, mention.kind, direction, cue, mention.text, population_cue))
    return judgements


# --- matching


@functools.lru_cache(maxsize=None)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern finding any of ``terms`` as whole words, longest first; a term with capitals
    matches only as written, the others in any case; a possessive matches its term."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    before, after = r"(?<![\w-])", r"(?:['’]s?)?(?![\w-])"
    if all(term[0].isalnum() and term[-1].isalnum() for term in ordered):
        # the same checks on every term, so they go outside the alternation: a search then tries
        # the terms only where a word starts (and backtracks into it when a term ends mid-word)
        return re.compile(before + "(?:" + "|".join(_term_body(term) for term in ordered) + ")" + after)
    return re.compile("|".join(
        (before if term[0].isalnum() else "") + _term_body(term) + (after if term[-1].isalnum() else "") for term in ordered
    ))


def _term_body(term: str) -> str:
    """``term``'s words apart by any white space; in any case unless it has capitals."""
    body = r"\s+".join(re.escape(word) for word in term.split())
    return body if any(c.isupper() for c in term) else f"(?i:{body})"


def find_terms(text: str, terms: tuple[str, ...], kind: str = "") -> list[_Match]:
    """Every non-overlapping occurrence in ``text`` of any of ``terms``, in order (a curly
    apostrophe matches a straight one)."""
    pattern = _term_pattern(tuple(terms))
    if pattern is None:
        return []
    return [_Match(kind, m.start(), m.end(), text[m.start() : m.end()]) for m in pattern.finditer(text.replace("’", "'"))]


def _first_wins(matches: list[_Match]) -> list[_Match]:
    """Of overlapping matches, the one that starts first, then the longer."""
    kept: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


# --- topics


def topic_mentions(text: str, lexicon: EvidenceLexicon) -> list[_Match]:
    """The first mention of each topic in ``text``, in order; a wording inside a longer wording
    of another topic does not count, nor one in a name or one that is an aim or a measure, and
    absorbed topics go."""
    aims = find_terms(text, lexicon.aims)
    found = [
        m
        for m in _first_wins([m for topic in lexicon.topics for m in find_terms(text, topic.wordings, topic.key)])
        if not _is_proper_name(text, m, lexicon.topic(m.kind).wordings)
        and not any(a.end <= m.start and len(text[a.end : m.start].split()) <= lexicon.aim_words for a in aims)
    ]
    absorbed = {key for m in found for key in lexicon.topic(m.kind).absorbs}
    firsts: dict[str, _Match] = {}
    for match in found:
        if match.kind not in absorbed:
            firsts.setdefault(match.kind, match)
    return list(firsts.values())


def _is_proper_name(text: str, match: _Match, wordings: tuple[str, ...]) -> bool:
    """A lower-case wording capitalised after the sentence's first word: part of a name ("the
    Right to Control pilots")."""
    return match.text[:1].isupper() and match.text not in wordings and bool(text[: match.start].strip())


# --- populations


def _population_matches(text: str, lexicon: EvidenceLexicon) -> dict[str, _Match]:
    """The first mention of each population named in ``text``."""
    found = _first_wins([m for p in lexicon.populations for m in find_terms(text, p.terms, p.key)])
    firsts: dict[str, _Match] = {}
    for match in found:
        firsts.setdefault(match.kind, match)
    return firsts


def speaker_mentions(text: str, lexicon: EvidenceLexicon) -> list[_Match]:
    """Mentions of the populations named only before the first report verb, within
    ``speaker_words`` words of it, with the verb as the last item ("Staff" ... "reported")."""
    verb = next(iter(find_terms(text, lexicon.report_verbs)), None)
    if verb is None:
        return []
    named = _first_wins([m for p in lexicon.populations for m in find_terms(text, p.terms, p.key)])
    after = {m.kind for m in named if m.start >= verb.end}
    before = [
        m for m in named
        if m.end <= verb.start and len(text[m.end : verb.start].split()) <= lexicon.speaker_words and m.kind not in after
    ]
    return [*before, verb] if before else []


def speakers(text: str, lexicon: EvidenceLexicon) -> set[str]:
    """The populations ``text`` names as the speakers of a report ("Staff reported...")."""
    return {m.kind for m in speaker_mentions(text, lexicon)[:-1]}


def evidence_populations(claim: Claim, context: ClaimContext, lexicon: EvidenceLexicon) -> list[tuple[str, str | None]]:
    """The populations ``claim`` is evidence about, each with the wording that implied it (None
    when the claim or its context names it)."""
    own = set(_population_matches(claim.text, lexicon))
    lead_in = set(_population_matches(context.lead_in, lexicon)) if context.lead_in else set()
    voices = speakers(claim.text, lexicon)
    lead_in_voices = speakers(context.lead_in, lexicon) if context.lead_in else set()
    inherited = set(claim.populations) - own - lead_in_voices
    if find_terms(claim.text, lexicon.other_groups):
        inherited = set()
    concerned = (own - voices) | (inherited - voices) | (lead_in - lead_in_voices)
    keys = concerned or (own & voices)
    found = [(key, None) for key in _in_lexicon_order(keys, lexicon)]
    if not concerned:
        found += [
            (population, implied[0].text)
            for population, cues in lexicon.implied_populations
            if population not in keys and (implied := find_terms(claim.text, cues))
        ]
    return found


def _in_lexicon_order(keys: set[str], lexicon: EvidenceLexicon) -> list[str]:
    return [p.key for p in lexicon.populations if p.key in keys]


# --- direction


def direction_cues(text: str, lexicon: EvidenceLexicon) -> list[_Match]:
    """The direction cues of ``text`` in order: negated cues become "no difference", cues after a
    comparator subject are turned round, and figure comparisons ("£279 ..., compared with £296")
    count as quantity cues."""
    found = [m for kind, cues in lexicon.direction_cues for m in find_terms(text, cues, kind)]
    found += _figure_cues(text)
    found += find_terms(text, lexicon.negators, "negator") + find_terms(text, lexicon.contrasts, "contrast")
    cues = _negate(text, _first_wins(found), lexicon)
    return _turn_after_comparators(text, cues, lexicon)


def _figure_cues(text: str) -> list[_Match]:
    cues = []
    for m in _FIGURES.finditer(text):
        a, b = (float(v.replace(",", "").rstrip(".")) for v in (m["a"], m["b"]))
        if a != b:
            cues.append(_Match("up" if a > b else "down", m.start(), m.end(), m.group()))
    return cues


def _negation_end(text: str, start: int, lexicon: EvidenceLexicon) -> int:
    """Where a negation starting at ``start`` stops: a clause break or ``negation_words`` words on."""
    end = start
    for n, word in enumerate(re.finditer(r"\S+", text[start:])):
        if n and (n > lexicon.negation_words or word.group().lower() in lexicon.clause_breaks):
            break
        end = start + word.end()
        if n and word.group()[-1] in CLAUSE_END:
            break
    return end


def _negate(text: str, cues: list[_Match], lexicon: EvidenceLexicon) -> list[_Match]:
    """Negators and "no difference" cues swallow the direction cues in their reach; a negator
    that reaches none stays as a bare negation spanning its reach (it may reach the topic's
    wording)."""
    result: list[_Match] = []
    negation: int | None = None  # index in result of the negation whose reach we are in
    reach = -1
    for cue in cues:
        if negation is not None and cue.start < reach and cue.kind in (*STATED, *QUANTITY):
            start = result[negation].start
            result[negation] = _Match("no difference", start, cue.end, text[start : cue.end])
            continue
        if cue.kind in ("negator", "no difference"):
            negation, reach = len(result), _negation_end(text, cue.start, lexicon)
            cue = _Match(cue.kind, cue.start, reach, cue.text) if cue.kind == "negator" else cue
        result.append(cue)
    return result


def _turn_after_comparators(text: str, cues: list[_Match], lexicon: EvidenceLexicon) -> list[_Match]:
    """Better and worse cues after a comparator named as the subject are turned round."""
    subjects = [
        m for m in find_terms(text, lexicon.comparators)
        if not find_terms(" ".join(text[: m.start].split()[-2:]), lexicon.comparison_words)
    ]
    if not subjects:
        return cues
    first = subjects[0]
    return [
        _Match(TURNED[c.kind], c.start, c.end, f"{first.text} … {c.text}") if c.start > first.start and c.kind in TURNED else c
        for c in cues
    ]


def decide_direction(cues: list[_Match], anchor: _Match | None, topic: Topic) -> tuple[str, str | None]:
    """The direction on ``topic`` at ``anchor`` (None: the sentence's start), with its cue: a bare
    negation reaching the anchor gives no difference; else the nearest cue before the anchor, or
    the first after; a contrast after a better or worse cue makes it mixed. No cue: descriptive."""
    position = anchor.start if anchor else 0
    negations = [c for c in cues if c.kind == "negator" and c.start <= position < c.end]
    directional = [c for c in cues if c.kind in (*STATED, *QUANTITY)]
    before = [c for c in directional if c.start <= position]
    after = [c for c in directional if c.start > position]
    chosen = before[-1] if before else (after[0] if after else None)
    if anchor and negations and (chosen is None or negations[-1].start > chosen.start):
        return "no difference", f"{negations[-1].text} … {anchor.text}"
    direction = _polarity(chosen.kind, topic) if chosen else "descriptive"
    if direction == "descriptive":
        return direction, None
    contrast = next((c for c in cues if c.kind == "contrast" and c.start > chosen.start), None)
    if contrast and direction in ("better", "worse"):
        return "mixed", f"{chosen.text} … {contrast.text}"
    return direction, chosen.text


def _polarity(kind: str, topic: Topic) -> str:
    """A cue kind as a direction for ``topic``: quantity cues by whether more of it is better
    (descriptive when that is unclear)."""
    if kind not in QUANTITY:
        return kind
    if topic.more_is == "unclear":
        return "descriptive"
    more_is_better = topic.more_is == "better"
    return "better" if (kind == "up") == more_is_better else "worse"


# --- evidence kind


def evidence_kind(claim: Claim, context: ClaimContext, lexicon: EvidenceLexicon) -> tuple[str, str]:
    """The kind of evidence behind ``claim`` and the cue that decided it (see evidence.toml)."""
    voices = [(text, speaker_mentions(text, lexicon)) for text in (claim.text, context.lead_in or "")]
    for rule in lexicon.kind_rules:
        if claim.kind in rule.claim_kinds:
            return rule.kind, claim.cue or claim.kind
        for text, (*speaking, verb) in (v for v in voices if v[1]):
            spoken = [m for m in speaking if m.kind in rule.speakers]
            if spoken:
                return rule.kind, text[spoken[0].start : verb.end]
    for rule in lexicon.kind_rules:
        cue = next(iter(find_terms(claim.text, rule.cues)), None)
        if cue:
            return rule.kind, cue.text
    if claim.attributed_to in lexicon.study_keys:
        return EVIDENCE_KINDS[0], f"attributed to {claim.attributed_to}"
    for rule in lexicon.kind_rules:
        if claim.section and find_terms(claim.section, rule.headings):
            return rule.kind, f"section: {claim.section}"
    for rule in lexicon.kind_rules:
        if context.doc_type in rule.document_types:
            return rule.kind, f"document type: {context.doc_type}"
    return EVIDENCE_KINDS[3], "no other cue"


# --- context


def _lead_ins(parsed: ParsedDocument) -> dict[int, str]:
    """For each sentence in a list item, the sentence ending in a colon that leads into its list."""
    segmented = parsed.segmented
    blocks = sorted(segmented.canonical.blocks, key=lambda b: b.start)
    starts = [b.start for b in blocks]
    found: dict[int, str] = {}
    lead_in: str | None = None
    for sentence in sorted(segmented.sentences, key=lambda s: s.start):
        i = bisect.bisect_right(starts, sentence.start) - 1
        in_list = i >= 0 and blocks[i].kind == "list-item" and sentence.start < blocks[i].end
        text = sentence.quote(segmented.text).strip()
        if in_list:
            if lead_in:
                found[sentence.start] = lead_in
        else:
            lead_in = text if text.endswith(":") else None
    return found
