"""Does a direct answer answer *this* question? Precision before coverage.

A candidate answer (a span of one cited sentence) is kept only when, in that sentence read with its article's
stated context (the sentence before it, the title, the article's date):
- **type**: the span is the kind of thing asked for — spaCy's entity label for a name (a person for "who won",
  a place for "where", an organisation for "which company"), a date or a year for "when", an amount for
  "how many/much" (digits or number words);
- **relation**: the question's predicate is stated: its verb ("won", "acquired", "enter"), by lemma, a
  derived form ("acquisition") or a word of the same relation ("beat" for "won", "bought" for "acquired");
  a copular question's role noun ("the CEO of …") likewise. "Awarded contracts in 2025" does not say when a
  company *first entered* a market;
- **constraints**: the years, numbers, ordinals, quarters and categories the question names ("2019",
  "women's", "Q2", "first") are stated — a year may also be the article's own — and the names it gives.

Otherwise the reply refuses and says what no passage states (`Misfit.reason`). Parsing is spaCy's
(`qa/nlp.py`); the relation families below are the only word lists, and they name relations, not phrasings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from index import MONTHS

from .grounding import is_negative
from .nlp import NAMED, ORGANISATION, PERSON, PLACE, Entity, Parsed, Token, entities, parse
from .places import is_country
from .text import TITLES


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that state the same relation as the question's verb or role noun (lemmas). A word may be in several. A
# word marked ">" is reached from its family, not the family from it: what was paid may be stated by "acquired …
# for $N", but "spent six seasons" states no acquisition.
_RELATION_WORDS = tuple(
    words.split()
    for words in (
        "win won beat defeat claim clinch capture triumph victory winner champion edge outlast crown",
        "lose loss fall runner-up",
        "acquire acquisition buy purchase bought takeover deal merge merger own owner ownership >stake",
        "sell sale sold divest",
        "release launch debut unveil introduce announce premiere arrive available ship drop roll",
        "found establish create start launch cofound founder",
        "lead head run chief ceo boss president chairman chair director manager leader coach",
        "operate operation run",
        "say tell state note add claim argue write according comment explain warn",
        "sign hire appoint recruit join",
        "invest investment fund funding raise back",
        "earn revenue sale income profit report post generate make",
        "enter entry expand arrive debut begin start",
        "agree accord reach adopt",
        "elevate upgrade raise",
        "visit trip travel arrive tour",
        "die death dead kill",
        "sue lawsuit suit file complaint",
        "cost price pay charge spend fee >buy >purchase >bought >acquire",
        "offer bid proposal propose",
        "value worth valuation price",
        "choose pick select name vote crown award honour honor",
        "effect force",
        "return reappoint reappointment re-elect reelect re-election reelection elect",
        "gross earn haul collect take revenue sale",
        "replace succeed successor",
        "own owner ownership stake share",
        "hand deliver delivery",
        "award grant hand",
        "dock deduct deduction penalty sanction",
        "pass passing throw",
        "marry wed wedding",
        "trade commerce export import",
        "attend crowd attendance spectator",
        "fight bout clash",
        "score net goal touchdown point try brace",
        "play star appear cast role",
        "direct director",
        "host venue hold stage",
        "supply supplier produce producer export exporter",
        "build construct develop contract",
        "grow growth rise increase jump climb gain",
        "fall decline drop decrease slide shrink",
        "plant factory facility operation site fab mill",
        "belong member >part",
        "base headquarter headquarters hq",
        "leave exit depart departure quit",
        "air broadcast televise telecast",
    )
)
RELATIONS: tuple[frozenset[str], ...] = tuple(frozenset(w.lstrip(">") for w in words) for words in _RELATION_WORDS)
_ENTRIES = tuple(frozenset(w for w in words if not w.startswith(">")) for words in _RELATION_WORDS)


def _family(*lemmas: str) -> set[str]:
    """The lemmas and every word of a relation family one of them leads into."""
    return set().union(set(lemmas), *(f for f, entry in zip(RELATIONS, _ENTRIES) if entry & set(lemmas)))


_LIGHT = _words(
    "accord cover publish feature detail highlight discuss note be have do get make go happen call know "
    "name tell give list mention report describe refer identify say"
)  # fmt: skip
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_VAGUE = {"name", "type", "kind", "number", "amount", "value", "figure", "total", "size", "one", "thing", "part"}
_MODALS = {"will", "would", "could", "might", "may", "can", "should", "shall", "'ll", "’ll"}
_HOPES = {"hope", "aim", "try", "want", "expect", "seek", "look", "plan", "set", "bid", "attempt", "intend", "need",
          "chance", "vow", "threaten", "eye", "poise", "track", "schedule", "slate", "due", "target", "goal",
          "forecast", "project", "predict", "estimate", "hopeful", "likely"}  # fmt: skip
_UNIT_NOUNS = {"percentage", "percent", "share", "rate", "proportion", "price", "tag", "cost", "score", "scoreline"}
_CORE = {"compound", "amod", "nsubj", "dobj", "nsubjpass", "appos", "poss", "nmod", "attr"}
_EXAMPLES = {"as", "including", "like"}
LONG = 25  # words: a question this long describes its answer by several facts (MultiHop-RAG's are 30-50)
_RELATIVE = {"which", "who", "that", "whom"}
_IMPERATIVE = {"name", "tell", "give", "list", "identify", "state", "find", "show", "say"}
_CATEGORIES = _words(
    "women woman men man women's men's girls boys singles doubles mixed junior senior indoor outdoor "
    "regular postseason playoff playoffs preseason amateur professional domestic international annual "
    "quarterly monthly weekly daily semi-final semifinal semifinals quarterfinal quarter-final "
    "quarterfinals preliminary grand"
)
_STAGES = _words("final finals")  # a category as a noun only
_QUARTER = re.compile(r"\b(?:Q([1-4])|(first|second|third|fourth)[- ]quarter)\b", re.I)
_SERIES = re.compile(r"\bSeries ([A-H])\b")
_QUARTER_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "dozen dozens hundreds thousands millions billions"
)  # fmt: skip
_ORDINALS = {"first": "1st|inaugural", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "last": "last",
             "final": "final", "next": "next", "opening": "opening"}  # fmt: skip

_AGENT_VERBS = {"acquire", "buy", "purchase", "own", "sell", "sue", "invest", "fund", "back", "win", "beat", "defeat",
                "lose", "host", "build", "make", "develop", "produce", "release", "launch", "sign", "hire",
                "trade", "draft", "employ", "partner", "supply", "publish", "report", "fine", "ban"}  # fmt: skip
# The entity labels each kind of name accepts. en_core_web_sm confuses people and organisations on rare names
# ("Bankman-Fried" ORG, "Ericsson" GPE): a label of the other kind is tolerated; a country never answers "who"
# or "which company", and numbers, dates, demonyms and headline words with no entity label or proper noun never do.
TYPES = {
    "person": PERSON | ORGANISATION,  # ORG for a person's name, never for an acronym ("CAIO")
    "person-strict": PERSON,
    "agent": PERSON | ORGANISATION | {"GPE"},
    "organisation": ORGANISATION | PERSON | {"GPE", "PRODUCT", "FAC"},
    "team": ORGANISATION | PERSON | {"NORP", "GPE", "FAC", "LOC"},
    "place": PLACE,
    "named": NAMED,
    "title": frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC", "ORG"}),
}
_NO_COUNTRY = {"person", "organisation"}
_STAFFING = _words("hire appoint recruit name fire sack replace succeed promote")  # verbs whose object is a person
_PERSON_NOUNS = _words(
    "person player man woman people individual ceo founder president coach manager leader executive "
    "actor actress singer star author director quarterback minister chief chairman boss winner champion "
    "athlete rapper artist musician writer journalist reporter spokesperson head owner judge senator "
    "official prime pitcher golfer driver striker filmmaker lawmaker"
)
_TEAM_NOUNS = {"team", "club", "side", "opponent", "opponents", "rival", "franchise", "squad"}
_ORG_NOUNS = {"company", "firm", "organisation", "organization", "agency", "network", "bank",
              "startup", "business", "group", "brand", "studio", "publisher", "outlet", "retailer", "maker",
              "manufacturer", "carrier", "airline", "university", "school", "label", "platform",
              "developer", "party", "union", "court", "regulator", "government", "drugmaker", "chipmaker",
              "automaker", "carmaker", "fund", "insurer", "lender"}  # fmt: skip
_TITLE_NOUNS = {"film", "movie", "show", "series", "song", "album", "book", "app", "game", "title", "product",
                "device", "phone", "card", "event", "award", "programme", "program", "novel", "play", "track",
                "documentary", "sequel", "spinoff", "spin-off", "episode", "single", "tour", "console",
                "model", "drug", "vaccine", "treatment", "bill", "law", "act", "tournament", "competition"}  # fmt: skip
_PLACE_NOUNS = {"country", "city", "state", "nation", "place", "venue", "stadium", "arena", "location",
                "region", "town", "capital", "island", "continent", "province", "county", "port"}  # fmt: skip


@dataclass(frozen=True)
class Asked:
    """What a question asks for: the answer's type, the relation that must be stated, and its constraints."""

    type: str  # person, organisation, place, named, date, amount, or "" (any)
    relations: tuple[str, ...]  # lemmas of its predicate: verbs, or a copular question's role noun
    constraints: tuple[str, ...]  # years, numbers, ordinals, quarters, categories it names (lower case)
    subject: str  # the question without its wh-word, for saying what the sources do not state
    names: frozenset[str] = frozenset()  # the words of the names it gives (lower case)
    slot: str = ""  # the answer's part in the question's clause: "subject", "object" or "" (other, unknown)
    verb: str = ""  # the lemma of the verb whose subject or object is asked
    period: str = ""  # "whole" (the full year), "part" (the first months, a quarter) or "" (not said)
    modal: bool = False  # asks about a plan or a possibility ("When will …", "Who could …")
    entities: tuple[str, ...] = ()  # the names it gives (spaCy's entities, not dates or numbers)
    words: int = 0  # its length in words
    agent: str = ""  # the name that is the subject of its verb ("How much did *Flexport* pay …", "When was
    # *Wegovy* approved")
    events: tuple[str, ...] = ()  # the lemmas of its main verbs (of `relations`; not the objects' nouns)
    counted: str = ""  # the nouns' lemmas of what "how many …" counts ("deepfake takedown request"), head last
    measure: str = ""  # the noun an amount question asks the amount of ("what was the production *budget*")
    passive: bool = False  # its verb is in the passive ("Where was the conference *held*?")
    roles: tuple[tuple[str, str], ...] = ()  # (verb lemma, "subject"/"object") the names it gives fill
    whole: str = ""  # the noun "how much of …" asks a part of ("how much of his *contract*")
    focus: str = ""  # the noun the wh-word asks for ("which *game*")
    nouns: frozenset[str] = frozenset()  # the lemmas of its common nouns, but the focus ("final"; the small
    # model tags a noun after a name as an adjective: "the Davis Cup final")
    light: tuple[str, ...] = ()  # its main verb where that is a light one, whose object carries the relation ("did
    # the Lions last *go* 10-2": a date "went 10-2 in 1962" is attached to)
    also: str = ""  # the verb whose subject the asked subject also is ("Which coach *left* his alma mater to take
    # over …")
    patient: frozenset[str] = frozenset()  # the words of what the asked subject does it to ("Which drugmaker
    # produces *the Alzheimer's drug lecanemab*"), or, where no part is asked, its main verb's object ("When did
    # Spears marry *Kevin Federline*")
    office: frozenset[str] = frozenset()  # the office its verb puts the answer in ("stepped in *as interim chief
    # executive*", "became Binance's *CEO*"), as the words that name it
    qualifiers: frozenset[str] = frozenset()  # the words that make the office another one ("*assistant* coach")
    named_patient: bool = False  # `patient` is a name, not a phrase with one inside ("caught *the deflected Hail
    # Mary*"; not "play *a central role in developing Vietnam's network*")
    counted_role: tuple[str, str] = ("", "")  # what "how many" counts as the subject or object of its verb:
    # ("subject", "provide") for "How many pregnant people *provided* urine samples"
    beaten: tuple[str, ...] = ()  # the names it makes the losing side ("their 2-1 win *over Chelsea*")
    owner: str = ""  # whose amount it asks, where no name is its verb's subject ("How much is *Shohei Ohtani's*
    # contract worth?")
    totals: bool = False  # its verb asks only how many there were in all ("how many phases did it *run to*")


_UNDISCLOSED = "not made public"  # a Misfit's `missing` where the sentence says the name is not known yet


@dataclass(frozen=True)
class Misfit:
    """Why a candidate does not answer the question: `what` is type, relation or constraint."""

    what: str
    missing: str
    subject: str

    @property
    def reason(self) -> str:
        if self.what == "type":
            return f": no cited sentence names {self.missing} that {self.subject}"
        if self.what == "relation":
            if self.missing == "as a fact":
                return f": the closest passage states a plan or a hope, not a fact, for {self.subject}"
            if self.missing == _UNDISCLOSED:
                return f": the closest passage says it has not been made public ({self.subject})"
            if self.missing in ("of whom", "and"):
                return f": the closest passage says it of someone else, not for {self.subject}"
            return f": none of them says “{self.missing}” as the question does ({self.subject})"
        return f": none of them says it for “{self.missing}” ({self.subject})"


def asked(question: str, kind: str) -> Asked:
    """Read `question` (of `qa.text.kind_of` kind `kind`) with spaCy's parse."""
    parsed = _question_parse(question)
    tokens = parsed.tokens
    focus = _focus(parsed)
    # the main verb states the relation — of a hope, the verb hoped for ("is set to *take over*"; "plans to have"
    # keeps "plan"); a verb of a clause that describes a name ("Zenly, the app co-founded by …") is a fact about
    # that name, not what is asked; a verb of totalling asks only how many ("run to")
    totalling = {i for i, t in enumerate(tokens) if kind == "number" and t.pos == "VERB" and _totalling(tokens, i)}
    verbs_ = [
        (i, t)
        for i, t in enumerate(tokens)
        if t.pos == "VERB"
        and (t.lemma not in _LIGHT or _phrasal_particle(tokens, i))  # "get *back*": a verb of its own
        and not (i == 0 and t.lemma in _IMPERATIVE)
        and i not in totalling
        and not (t.lemma in _HOPES and any(u.head == i and u.dep == "xcomp" and u.lemma not in _LIGHT for u in tokens))
    ]
    main = [
        i for i, t in verbs_ if t.dep not in ("acl", "relcl", "amod", "advcl", "compound") and not _when(tokens, i)
    ][:2] or [i for i, _ in verbs_][:1]
    objects = [
        t.lemma
        for t in tokens
        if t.head in main
        and t.dep == "dobj"
        and t.pos == "NOUN"
        and t.lemma != focus
        and t.lemma not in _VAGUE
        and not re.search(r"\d", t.text)
    ]  # fmt: skip (not a name: "49ers")
    relations = [tokens[i].lemma for i in main] + objects  # "hit a brace": a sentence may say either
    if not relations:  # "Who is the CEO of X?", "Who was named Player of the Year?": the role noun
        roles = [i for i, t in enumerate(tokens) if t.dep in ("attr", "nsubj", "dobj", "oprd", "nsubjpass", "pobj")
                 and (t.pos == "NOUN" and not t.ent or t.pos == "PROPN" and t.ent not in _NAME_LABELS)
                 and t.lemma != focus and t.lemma not in _VAGUE
                 and t.ent not in ("DATE", "CARDINAL", "ORDINAL")][:1]  # fmt: skip
        relations = [_misread_head(tokens, i) for i in roles]  # ("Inter Miami's preseason *friendly*")
    measure = focus if kind == "number" and focus and focus not in _VAGUE | _UNIT_NOUNS else ""
    if kind == "number" and not measure:  # "How much did Nike bring in *in sales*": what the amount is counted in
        measure = next((t.lemma for i, t in enumerate(tokens) if _counted_in(tokens, i, main)), "")
    constraints = _constraints(question, parsed)
    if kind == "number" and _FLOOR_Q.search(question):  # "the *cheapest* season ticket": the lowest price
        constraints.append(_FLOOR_CONSTRAINT)
    if kind == "number" and not measure and _PRICE_Q.match(question):  # "how much are children's *tickets*"
        priced = [
            i for i, t in enumerate(tokens) if t.dep == "nsubj" and t.pos == "NOUN" and tokens[t.head].dep == "ROOT"
        ]
        measure = tokens[priced[0]].lemma if priced else ""  # (the copula's subject: not "How much is Adobe
        # predicting *shoppers* will spend"), and whose it is a constraint: *children's* tickets
        constraints += [
            t.text.lower() for t in tokens if priced and t.head == priced[0] and t.dep == "poss" and t.pos == "NOUN"
        ]
    if measure:  # "what was the production *budget*"
        relations = [measure, *(r for r in relations if r != measure)]
    verbs = [t.lemma for t in tokens if t.pos == "VERB" and t.dep == "ROOT"] or [
        t.lemma for t in tokens if t.pos == "VERB"
    ]
    names = frozenset(t.text.lower() for t in tokens if t.pos == "PROPN")
    slot, verb = _slot(parsed)
    period = "part" if _PART_PERIOD.search(question) else "whole" if _WHOLE_PERIOD.search(question) else ""
    agents = [t for t in tokens if t.dep in ("nsubj", "nsubjpass") and t.pos == "PROPN"
              and tokens[t.head].pos in ("VERB", "AUX")]  # fmt: skip
    owners = [t for t in tokens if t.dep == "poss" and t.pos == "PROPN" and tokens[t.head].dep == "nsubj"]
    type_ = _type(kind, focus, question, [*verbs, verb])  # ("Who agreed to *buy* …": an agent)
    if type_ == "agent" and slot == "object" and verb in _STAFFING:  # "Who did Oregon State *hire*": a person
        type_ = "person"
    office, qualifiers = _office(tokens, main)
    return Asked(
        type=type_,
        relations=tuple(relations),
        constraints=tuple(constraints),
        subject=_subject(question),
        names=names,
        slot=slot,
        verb=verb,
        period=period,
        modal=_scheduled(tokens)
        or _progressive(question)
        or any(_modal(t) or _hope(t) for t in parse(question).tokens),
        entities=tuple(e.text for e in parsed.entities if e.label in NAMED and e.label != "NORP"),
        agent=_name_at(tokens, tokens.index(agents[0])) if agents else "",
        owner=_name_at(tokens, tokens.index(owners[0])) if owners and not agents and kind == "number" else "",
        words=len(question.split()),
        events=tuple(tokens[i].lemma for i in main),
        counted=_counted_noun(tokens),
        counted_role=_counted_role(tokens),
        beaten=_beaten(tokens),
        totals=bool(totalling),
        measure=measure,
        passive=any(t.dep == "auxpass" and t.head in main for t in tokens),
        roles=_roles(tokens),
        whole=_whole(tokens),
        focus=focus,
        nouns=frozenset(t.lemma for t in tokens if t.pos in ("NOUN", "ADJ") and t.lemma != focus),
        patient=_patient(tokens, verb if slot == "subject" else tokens[main[0]].lemma if main and not slot else ""),
        named_patient=any(t.dep == "dobj" and t.pos == "PROPN" and tokens[t.head].lemma == verb for t in tokens),
        office=office,
        qualifiers=qualifiers,
        light=tuple(t.lemma for t in tokens if t.dep == "ROOT" and t.pos == "VERB" and t.lemma in _LIGHT - {"be"}),
        also=next(
            (
                tokens[t.head].lemma
                for t in tokens
                if slot == "subject"
                and t.lemma == verb
                and t.dep == "xcomp"
                and tokens[t.head].lemma not in _LIGHT | _HOPES
            ),
            "",
        ),  # fmt: skip
    )


_TEMPORAL = _words("after before since until upon while during")


def _when(tokens: tuple[Token, ...], i: int) -> bool:
    """Is the verb a condition of time, the object of "after"/"before" ("how many points did Everton get back
    *after appealing* …"), not what is asked?"""
    return tokens[i].dep == "pcomp" and tokens[tokens[i].head].lemma in _TEMPORAL


# Verbs that say only how many or how much there were in all ("how many phases did the attack *run to*", "how
# much did sales *add up to*"): a count or an amount of the thing asked answers them, whatever verb states it.
# A verb alone, or (verb, the particle or preposition right after it).
_TOTALLING = {"total", "number", "tally", "amount", ("run", "to"), ("string", "together"), ("add", "up"),
              ("come", "to"), ("rack", "up"), ("notch", "up"), ("clock", "up")}  # fmt: skip


def _totalling(tokens: tuple[Token, ...], i: int) -> bool:
    after = tokens[i + 1].lemma if i + 1 < len(tokens) else ""
    return tokens[i].lemma in _TOTALLING or (tokens[i].lemma, after) in _TOTALLING


def _phrasal_particle(tokens: tuple[Token, ...], i: int) -> bool:
    """Does a particle right after the verb make it a verb of its own ("get *back*", "give *up*"; "made *of*",
    "made *from*": what a thing is made of)?"""
    return any(
        u.head == i
        and (
            u.dep in ("prt", "advmod")
            and u.lemma in _PARTICLES
            or u.dep == "prep"
            and (tokens[i].lemma, u.lemma) in _MADE_OF
        )
        for u in tokens[i + 1 : i + 2]
    )


_MADE_OF = {("make", "of"), ("make", "from")}


# the words that name one office: "chief executive (officer)" is read as "ceo" (`_office_word`)
_OFFICES = (_words("ceo head boss leader"), _words("coach manager"), _words("president chairman chair"))
_OTHER_OFFICE = _words("former ex assistant deputy vice associate co interim")  # words that make it another office
# (an interim holder's is not the one a club hires for)
_SAME_OFFICE_WORD = {"act": "interim", "acting": "interim"}  # an acting one is an interim one
_STAND_IN = "interim"  # an office held for the time being, as a question's constraint
_STANDING_IN = re.compile(r"\b(?:interim|acting|caretaker)\b", re.I)
_NEW_TO_IT = _words("new now interim acting incoming")  # words that say the office is newly held
_WILL = {"will", "'ll", "’ll"}  # an appointment is announced in the future tense ("will be the new CEO")
_REPLACING = _family("replace")  # whom these verbs take as their object leaves the office


def _office_word(tokens: tuple[Token, ...], i: int) -> frozenset[str]:
    """The words that name the office token `i` names ("chief executive (officer)", "CEO": the head of a company;
    not a "chief compliance officer")."""
    lemma = tokens[i].lemma.lower()
    modifiers = {t.lemma.lower() for t in tokens if t.head == i and t.dep in ("amod", "compound")}
    if lemma == "executive" and "chief" in modifiers or lemma == "officer" and {"chief", "executive"} <= modifiers:
        lemma = "ceo"
    return next((group for group in _OFFICES if lemma in group), frozenset())


def _qualifiers(tokens: tuple[Token, ...], i: int) -> frozenset[str]:
    """The words of token `i` that make its office another one ("*assistant* coach", "*former* head")."""
    words = {t.lemma.lower().rstrip("-") for t in tokens if t.head == i}
    return frozenset(_SAME_OFFICE_WORD.get(w, w) for w in words) & _OTHER_OFFICE


def _office(tokens: tuple[Token, ...], main: list[int]) -> tuple[frozenset[str], frozenset[str]]:
    """The office the question's main verb (or its root, a light one: "name") puts the answer in — its "as" ("took
    over *as head coach*", "name as interim CEO") or what it becomes ("became Binance's *CEO*") — and the words
    that qualify it ("assistant")."""
    for i, t in enumerate(tokens):
        as_ = t.dep == "pobj" and tokens[t.head].lemma == "as"
        verb = tokens[t.head].head if as_ else t.head
        if (verb in main or tokens[verb].dep == "ROOT") and (as_ or t.dep == "attr" and tokens[verb].lemma == "become"):
            office = _office_word(tokens, i)
            if office:
                return office, _qualifiers(tokens, i)
    return frozenset(), frozenset()


def _takes_office(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence say the answer comes into the office the question asks about: newly titled with it
    ("*interim* CEO Mira Murati", "Mira Murati, OpenAI's CTO and *now* interim CEO"), becoming or named to it, or
    staying on in it ("Richard Teng … *will be* the exchange's new CEO", "will stay on *as* CEO": an appointment
    is announced in the future tense; "could be named" is no appointment)? A title alone is the holder's the
    article may be replacing ("founder CEO Whitney Wolfe Herd"); a former, assistant or deputy's office is another
    one."""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    for r in range(len(tokens)):
        if r in inside or _office_word(tokens, r) != asked.office or _qualifiers(tokens, r) != asked.qualifiers:
            continue
        at = r
        while tokens[at].dep == "conj" and tokens[at].head != at:  # "CTO and now interim *CEO*"
            at = tokens[at].head
        new = any(u.head in (r, at) and u.lemma.lower() in _NEW_TO_IT for u in tokens)
        if new and (tokens[at].head in inside or any(tokens[i].head == at for i in inside)):
            return True  # a title or an apposition
        as_ = tokens[at].dep == "pobj" and tokens[tokens[at].head].lemma == "as"
        verb = tokens[tokens[at].head].head if as_ else tokens[at].head if tokens[at].dep in ("attr", "oprd") else -1
        will = verb >= 0 and any(u.head == verb and u.lemma in _WILL for u in tokens)
        if verb < 0 or tokens[verb].lemma == "be" and not (new or will) or _hedged(tokens, verb) and not will:
            continue  # ("X is the CEO" says who holds it, not who came into it; "could be named" is no news)
        slots = ("nsubj", "nsubjpass") if tokens[verb].lemma in _REPLACING else ("nsubj", "nsubjpass", "dobj")
        filled = {j for j, u in enumerate(tokens) if u.head == verb and u.dep in slots}
        if inside & filled or any(tokens[i].dep == "appos" and tokens[i].head in filled for i in inside):
            return True  # (whom one replaces as CEO leaves the office: "to replace *Altman* as CEO"; "chief
            # technology officer *Mira Murati* stepping in as interim CEO": the subject named in apposition)
    return False


def _patient(tokens: tuple[Token, ...], verb: str) -> frozenset[str]:
    """The words (lower case) of the direct object of the question's verb `verb`, with what it is joined to and a
    name after it the small model attaches to the verb ("acquired the app *Zenly*": Zenly an adverb)."""
    at = [i for i, t in enumerate(tokens) if t.lemma == verb and t.pos in ("VERB", "AUX")]
    objects = {i for i, t in enumerate(tokens) if at and t.head == at[0] and t.dep == "dobj"}
    objects |= {i for i, t in enumerate(tokens) if objects and t.head == at[0] and t.pos == "PROPN"
                and t.dep in ("advmod", "npadvmod") and i > min(objects)}  # fmt: skip
    return frozenset(
        t.text.lower() for j, t in enumerate(tokens) if _under(tokens, j, objects) and t.pos in ("NOUN", "PROPN")
    )


def _misread_head(tokens: tuple[Token, ...], at: int) -> str:
    """The lemma of the noun at `at`, or of the word after it where that is the noun misread: the small model
    reads "preseason *friendly*", "a club *friendly*" as the noun before with an adjective after it; English puts
    an adjective before its noun, so the word after is the head."""
    after = tokens[at + 1] if 0 <= at < len(tokens) - 1 else None
    if after is not None and after.dep == "amod" and after.head == at and after.pos == "ADJ":
        return after.lemma
    return tokens[at].lemma


def _modal(token: Token) -> bool:
    return token.lemma in _MODALS and token.pos != "NOUN"  # ("put cranberries in a *can*")


def _scheduled(tokens: tuple[Token, ...]) -> bool:
    """Does the question ask for a date as it stands ("What *is* the release *date* of …"): a planned one answers
    it ("will be released on Dec. 20")?"""
    return any(
        t.lemma == "date" and t.dep in ("nsubj", "attr") and tokens[t.head].text.lower() in ("is", "are", "'s")
        for t in tokens
    )


def _whole(tokens: tuple[Token, ...]) -> str:
    """The noun a "how much of" / "how many of" question asks a part of ("How much of his Dodgers *contract* is
    Ohtani deferring?"): the amount that noun is said to be is not the answer."""
    for i in range(len(tokens) - 3):
        if tokens[i].lemma == "how" and tokens[i + 1].lemma in ("many", "much") and tokens[i + 2].lemma == "of":
            nouns = [t for t in tokens[i + 3 : i + 8] if t.dep == "pobj" and t.head == i + 2 and t.pos == "NOUN"]
            return nouns[0].lemma if nouns else ""
    return ""


def _name_at(tokens: tuple[Token, ...], at: int) -> str:
    """The name whose head word is at `at`, with the words compounded to it ("Oregon State")."""
    return " ".join(t.text for j, t in enumerate(tokens) if j == at or t.head == at and t.dep == "compound")


def _hope(token: Token) -> bool:
    """Does the word speak of a plan or a hope ("aims", "set to", "the target")? A noun that names a relation
    does not: a field *goal* is scored, not hoped for."""
    return token.lemma in _HOPES and not (token.pos == "NOUN" and any(token.lemma in f for f in RELATIONS))


def _roles(tokens: tuple[Token, ...]) -> tuple[tuple[str, str], ...]:
    """The parts the question's names play in its verbs: "Who did *Oregon State* hire to replace *Jonathan
    Smith*?" — Oregon State the subject of hire, Smith the object of replace. The answer cannot fill them."""
    roles = []
    for t in tokens:
        verb = tokens[t.head]
        if (
            t.pos != "PROPN"
            or t.dep not in ("nsubj", "nsubjpass", "dobj")
            or verb.pos != "VERB"
            or verb.lemma in _LIGHT
        ):
            continue
        passive = any(u.dep == "auxpass" and u.head == t.head for u in tokens)
        roles.append((verb.lemma, "subject" if t.dep == "nsubj" and not passive else "object"))
    return tuple(roles)


_DO_SUPPORT = re.compile(r"^(\s*(?:who|whom|what|which|when|where|how)\b[^?]*?\b)(?:did|does|do)\b", re.I)
# an arrangement asked in the present progressive ("How much of his contract *is* Ohtani *deferring*?"): a plan
# answers it ("Ohtani will defer $680 million")
_PROGRESSIVE = re.compile(
    r"^(\s*(?:who|whom|what|which|when|where|how)\b[^?]*?\b)(?:is|are)(\s+[^?,]*?\s)(?!being\b)(\w+ing)\b", re.I
)


def _progressive(question: str) -> bool:
    """Is the question in the present progressive with its subject between "is" and the verb ("is *Shohei Ohtani*
    deferring"; not "Who is accused *of* taking …", whose "-ing" word is no verb of "is")?"""
    match = _PROGRESSIVE.search(question)
    if not match:
        return False
    start, end = match.span(2)
    return not any(t.pos in ("ADP", "VERB", "AUX") for t in parse(question).tokens if start <= t.start < end)


_MODAL_Q = re.compile(r"\s*(?:who|whom|what|which|when|where|how)\b[^?]*?\bwill\b", re.I)


def _question_parse(question: str) -> Parsed:
    """The question's parse, its verb read as one. The small model reads a question's "did" as the main verb and
    the verb after its subject as a noun ("How much revenue *did* Lyft *report*": "report" a noun); asked with
    "will" in its place, the parser makes that word the root under the auxiliary, and it is tagged a verb here.
    (The tense is not read from this parse: `Asked.modal` comes from the question as written.)"""
    parsed = parse(question)
    if _DO_SUPPORT.search(question):
        probe = parse(_DO_SUPPORT.sub(r"\1will", question, count=1))
    elif _progressive(question):  # "is Ohtani *deferring*", read as a noun: asked as "will Ohtani be deferring"
        probe = parse(_PROGRESSIVE.sub(r"\1will\2be \3", question, count=1))
    elif _MODAL_Q.match(question):  # "When will the new iPhone *launch*": asked with "will" already
        probe = parsed
    else:
        return parsed
    tokens = probe.tokens
    root = next((i for i, t in enumerate(tokens) if t.dep == "ROOT"), -1)
    helped = any(t.head == root and t.dep == "aux" and t.lemma == "will" for t in tokens)
    if root < 0 or not helped or tokens[root].pos not in ("NOUN", "VERB") or not tokens[root].text.islower():
        return parsed
    if tokens[root].lemma in _LIGHT:
        return parsed
    # the verb read as a noun took its subject as a compound ("Flexport pay"): the subject again
    fixed = tuple(
        replace(t, pos="VERB") if i == root
        else replace(t, dep="nsubj") if t.head == root and t.dep == "compound" and t.pos in ("PROPN", "NOUN")
        else t
        for i, t in enumerate(tokens)
    )  # fmt: skip
    return Parsed(probe.text, fixed, probe.entities)


def _counted_noun(tokens: tuple[Token, ...]) -> str:
    """What a "how many" question counts: the nouns of the phrase after it, up to its head ("how many monthly
    active *users*", "how many *deepfake takedown requests*")."""
    for i in range(len(tokens) - 1):
        if tokens[i].lemma == "how" and tokens[i + 1].lemma in ("many", "much"):
            nouns = []
            for t in tokens[i + 2 : i + 8]:  # the noun phrase: nouns, adjectives, "battery-swapping"
                if t.pos == "NOUN":
                    nouns.append(t.lemma)
                elif not (
                    t.pos == "ADJ" or t.text == "-" or t.pos == "VERB" and (t.dep == "amod" or t.text.endswith("ing"))
                ):
                    break
            return " ".join(nouns)
    return ""


def _beaten(tokens: tuple[Token, ...]) -> tuple[str, ...]:
    """The names a question makes the losing side: the object of a win ("their 2-1 win *over Chelsea*", "a victory
    *against* Italy") or of a verb of winning ("after they *beat* Chelsea")."""
    names = []
    for i, t in enumerate(tokens):
        if t.pos != "PROPN" or t.dep == "compound":
            continue
        head = tokens[t.head]
        over = t.dep == "pobj" and head.lemma in ("over", "against") and tokens[head.head].lemma in _WINNING
        if over or t.dep == "dobj" and head.pos == "VERB" and head.lemma in _WINNING:
            names.append(_name_at(tokens, i))
    return tuple(names)


_WINNING = _words("win beat defeat victory triumph edge outlast thrash rout")


def _wins_instead(beaten: tuple[str, ...], parsed: Parsed) -> bool:
    """Does the sentence make a name the question gives as the losing side win ("Chelsea, who *beat* Blackburn"
    for "their win over *Chelsea*")? It is about another match."""
    tokens = parsed.tokens
    for v, t in enumerate(tokens):
        if t.pos == "VERB" and t.lemma in _WINNING:
            words = {tokens[j].text.lower() for j in _filler(tokens, v, "subject")}
            if any(set(name.lower().split()) <= words for name in beaten):
                return True
    return False


def _counted_role(tokens: tuple[Token, ...]) -> tuple[str, str]:
    """What "how many" counts, as the subject or object of a verb: ("subject", "provide") for "How many pregnant
    people *provided* urine samples", ("", "") where it is neither."""
    for i in range(len(tokens) - 1):
        if tokens[i].lemma == "how" and tokens[i + 1].lemma == "many" and tokens[i + 1].dep == "amod":
            noun = tokens[tokens[i + 1].head]
            head = tokens[noun.head]
            if head.pos == "VERB" and head.lemma not in _LIGHT:
                if noun.dep == "nsubj":
                    return "subject", head.lemma
                if noun.dep == "dobj":
                    return "object", head.lemma
    return "", ""


_PART_PERIOD = re.compile(
    r"\b(?:in |during |over )?the first (?:\w+ )?(?:months?|weeks?|days?|half|quarter|nine|six)\b"
    r"(?: of (?:19|20)\d\d)?|"
    r"\b(?:first|second|third|fourth) quarter\b(?: of (?:19|20)\d\d)?|\bQ[1-4]\b|\b(?:first|second) half\b|"
    r"\byear[- ]to[- ]date\b|\bso far this year\b|\bbetween \w+ and \w+\b|\b(?:from|through) \w+ to \w+\b",
    re.I,
)
_WHOLE_PERIOD = re.compile(r"\b(?:full|whole|entire)[- ]year\b|\bannual\b|\ball (?:of )?(?:19|20)\d\d\b", re.I)


def period_of(asked: Asked, sentence: str) -> str:
    """The part of a year an amount is stated for ("in the first 11 months of 2025") when the question does not
    ask about a part: the answer must say it ("How large was trade in 2025?" → "$66.8 billion (in the first 11
    months of 2025)", never a bare figure, nor "11 months")."""
    match = _PART_PERIOD.search(sentence)
    if not match or asked.period == "part" or asked.type not in _AMOUNTS:
        return ""
    return match.group(0)[0].lower() + match.group(0)[1:]


def _slot(parsed: Parsed) -> tuple[str, str]:
    """Is the wh-word (or the noun it asks for) the subject or the object of a verb? "Who *won*…", "Which company
    *bought* X" ask a subject; "Who did Djokovic *beat*", "What did Microsoft *buy*" an object. Neither when a
    preposition is left stranded ("Which minerals does Vietnam hold deposits *of*?"): the wh-word is its object,
    and the parser's reading of the rest is not to be trusted."""
    tokens = parsed.tokens
    if _wh_slot(parsed)[1].startswith("prep:"):
        return "", ""
    for i, t in enumerate(tokens):
        if t.lemma not in ("who", "whom", "what", "which"):
            continue
        if i > 0 and tokens[i - 1].pos == "ADP":  # "*With* which country …": a preposition's object, whatever the parse
            return "", ""
        asked = i if t.dep != "det" else t.head
        if asked == i and i == 0 and not any(u.lemma == "do" and u.pos == "AUX" for u in tokens):
            # "*Which* Oregon State coach left …" read as the verb's object: the noun after it is what is asked
            after = [k for k in range(1, min(len(tokens), 6)) if tokens[k].pos in ("NOUN", "PROPN", "ADJ")]
            if after and after[0] == 1:
                heads = [k for k in after if tokens[k].dep not in ("compound", "amod")]  # ("*American* fund")
                asked = heads[0] if heads else asked
        if tokens[asked].pos == "PROPN":  # "Which star Time chose": the wh-word is no name's; the parse is off
            return "", ""
        head = tokens[tokens[asked].head]
        then = [u for u in tokens if u.head == tokens.index(head) and u.dep == "xcomp" and u.pos == "VERB"]
        hoped = tokens[asked].dep == "nsubjpass" and head.lemma in _HOPES  # "is *set* to take over", "is expected to"
        if then and (tokens[asked].dep == "nsubj" or hoped):  # "Who agreed to *buy* …": the subject of both
            head = then[0]
            if hoped:
                return "subject", head.lemma
        clause = [u for u in tokens if u.head == asked and u.dep in ("acl", "relcl") and u.pos == "VERB"]
        if clause and clause[0].lemma not in _LIGHT:  # "which company *building* X", "the company that bought X"
            relative = any(u.head == tokens.index(clause[0]) and u.dep == "dobj" and u.lemma in ("that", "which")
                           for u in tokens)  # fmt: skip
            return ("object" if relative else "subject"), clause[0].lemma
        if head.pos != "VERB" or head.lemma in _LIGHT:
            return "", ""
        passive = any(u.dep == "auxpass" and u.head == tokens[asked].head for u in tokens)
        dep = tokens[asked].dep
        if dep == "nsubj" or dep == "nsubjpass" and not passive:
            return "subject", head.lemma
        if dep in ("dobj", "nsubjpass"):
            return "object", head.lemma
        return "", ""
    return "", ""


def _counted_in(tokens: tuple[Token, ...], at: int, verbs: list[int]) -> bool:
    """Is the token what a question's amount is counted in, hung on its verb ("bring in *in sales*", "raised
    *in funding*"), a bare noun: not an event ("in *its* round", "in *the* win"), a time or a vague word?"""
    token = tokens[at]
    prep = tokens[token.head]
    return (
        token.dep == "pobj"
        and _bare(tokens, at)
        and token.pos == "NOUN"
        and not token.ent
        and prep.lemma == "in"
        and prep.head in verbs
        and token.lemma not in _NOT_FIELDS | _VAGUE | _UNIT_NOUNS
    )


def _bare(tokens: tuple[Token, ...], at: int) -> bool:
    """Is the noun without a determiner or possessor ("in sales", not "in its round")?"""
    return not any(t.head == at and t.dep in ("det", "poss") for t in tokens)


def _focus(parsed: Parsed) -> str:
    """The noun a wh-word asks for ("which *company*", "what *year*", "name the *player*")."""
    tokens = parsed.tokens
    for i, t in enumerate(tokens):
        if t.lemma in ("which", "what", "whose") or (i == 0 and t.lemma in _IMPERATIVE):
            for k, u in enumerate(tokens[i + 1 : i + 6], start=i + 1):
                # (not a noun that describes the next: "the Wild's …", "which *Bayern* player", read as amod)
                if u.pos in ("NOUN", "PROPN") and u.dep not in ("compound", "poss", "amod"):
                    if u.lemma == "name" and k + 1 < len(tokens) and tokens[k + 1].lemma == "of":
                        return _named_thing(tokens, k + 2)  # "what is the name of the status": the status
                    if u.lemma == "name" and i + 3 < len(tokens):
                        continue
                    return u.lemma
                modifier = k + 1 < len(tokens) and tokens[k + 1].pos == "NOUN"  # "which *planned* infrastructure"
                if u.pos in ("VERB", "AUX") and u.lemma != "be" and u.dep != "amod" and not modifier:
                    break
    return ""


def _named_thing(tokens: tuple[Token, ...], start: int) -> str:
    """The head noun of the phrase after "the name of": its last common noun before what describes it ("the
    Riyadh pay-per-view *card* headlined by …", "the second HBO Max *spinoff* of The Batman")."""
    last = ""
    for t in tokens[start:]:
        if t.text in (",", "?", ";") or t.pos == "VERB" and t.dep in ("acl", "relcl") or t.lemma in _NAME_STOPS:
            break
        if t.pos == "NOUN":
            last = t.lemma
    return last


_NAME_STOPS = {"of", "by", "in", "for", "at", "with", "from", "about", "that", "which", "who"}


def _type(kind: str, focus: str, question: str, verbs: list[str]) -> str:
    if kind == "number":
        if _PERCENT_Q.search(question) or _STAKE_SIZE_Q.search(question):
            return "percent"
        if _MONEY_Q.search(question) and not re.search(r"\bnumber of\b", question, re.I):  # of phases, not a loss
            return "money"
        if _PRICE_Q.match(question):  # "how much are children's tickets": what they cost
            return "money"
        if _DURATION_Q.search(question):
            return "amount"
        if re.search(r"\bscore\b|\bscoreline\b|\bresult\b", question, re.I) and not re.search(
            r"\bhow many\b", question, re.I
        ):
            return "score"
        return "count" if re.search(r"\bhow many\b|\battendance\b|\bcrowd\b", question, re.I) else "size"
    if kind == "date":
        return "date"
    if focus in _PERSON_NOUNS or focus and re.search(rf"\b{re.escape(focus)}s?,? who\b", question, re.I):
        return "person"  # (a noun described by "who …" is a person's: "the Cleveland safety *who* ended …")
    if focus in _ORG_NOUNS:
        return "organisation"
    if focus in _TEAM_NOUNS:
        return "team"
    if focus in _TITLE_NOUNS:
        return "title"
    if focus in _PLACE_NOUNS or re.match(r"\s*where\b", question, re.I):
        return "place"
    if kind == "who" and not focus:  # a person, unless the verb is something organisations and teams do
        return "agent" if any(v in _AGENT_VERBS for v in verbs) else "person"
    return ""


_AMOUNTS = {"money", "percent", "count", "size", "amount"}  # (a score is not a part-year amount)
_PERCENT_Q = re.compile(r"\bper ?cent(?:age)?\b|%|\bshare\b|\brate\b|\bmargins?\b", re.I)
_STAKE_SIZE_Q = re.compile(r"\b(?:what size|how big|how large)\b[^?]*\bstake\b", re.I)  # a share, not a price
_MONEY_Q = re.compile(
    r"\b(?:money|value|valued|price|priced|cost|costs|worth|revenue|revenues|budget|salary|fee|fees|paid|pay|pays|"
    r"spend|spent|raise|raised|funding|fund|sales|profit|profits|loss|losses|income|valuation|earn|earned|"
    r"earnings|dollars?|euros?|pounds?|fine|fined|purse|contract|deal|gross|grossed|box office|sell|sold|"
    r"invest|invested|investment|bid|offer)\b",
    re.I,
)
# the lowest price asked ("the cheapest Steam Deck", "the base price") and said ("starts at $549", "as low as")
_FLOOR_Q = re.compile(
    r"\b(?:cheapest|lowest[- ]priced|least expensive|entry[- ]level|base (?:price|model|version)|starting price)\b",
    re.I,
)
_FLOOR = re.compile(
    r"\b(?:cheapest|lowest|least expensive|entry[- ]level|base (?:price|model|version)|start(?:s|ing|ed)? (?:at|from)|"
    r"as low as)\b",
    re.I,
)
_FLOOR_CONSTRAINT = "the lowest price"
_PRICE_Q = re.compile(r"\s*how much (?:is|are|was|were)\b", re.I)
_DURATION_Q = re.compile(r"\bhow long\b|\bhow many (?:years|months|weeks|days|hours|minutes|seasons)\b", re.I)
_CURRENCY = re.compile(
    r"[$€£¥₹]|\b(?:dollars?|euros?|pounds?|yuan|yen|rupees?|Rs|NIS|shekels?|USD|EUR|GBP|INR|CHF|francs?|won)\b", re.I
)
_DURATION = re.compile(r"^\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b", re.I)


def _constraints(question: str, parsed: Parsed) -> list[str]:
    found: list[str] = []
    for match in _QUARTER.finditer(question):
        found.append(f"q{match.group(1)}" if match.group(1) else "q" + _ordinal_digit(match.group(2)))
    found += [f"series {m.group(1).lower()}" for m in _SERIES.finditer(question)]  # a funding round: "Series A"
    tokens = parsed.tokens
    for i, t in enumerate(tokens):
        word = t.text.lower()
        if t.pos == "NUM" and any(c.isdigit() for c in word):
            if _in_score(question, t) or _day_of_month(tokens, i):
                continue  # checked as a score, and by the month ("2-1 win", "31 October 2023")
            if not _QUARTER.search(question[max(0, t.start - 1) : t.start + len(t.text) + 9]):
                found.append(word)
        elif _own_start(tokens, t):
            continue
        elif word == "inaugural":  # the first edition
            found.append("first")
        elif _SAME_OFFICE_WORD.get(word, word) == _STAND_IN and tokens[t.head].pos == "NOUN":
            found.append(_STAND_IN)  # "the *interim* coach who led …": not the other side's coach
        elif superlative := _superlative(tokens, i):  # "the *most downloaded* free app", "the *highest* designation"
            found.append(superlative)
        elif (
            word in _ORDINALS
            and t.ent == "ORDINAL"
            or re.fullmatch(r"\d+(?:st|nd|rd|th)", word)
            or (word in _CATEGORIES)
            or (word in _STAGES and t.dep != "amod")  # "the World Cup *final*", not "the final score"
        ):
            found.append(word)
    return list(dict.fromkeys(found))


def _superlative(tokens: tuple[Token, ...], i: int) -> str:
    """The superlative a question ranks its answer by ("*most downloaded*", "*highest*"), to be stated as its
    question states it; "" for another word, for the cheapest (the lowest price is checked as said: "starts at
    $549") and for a time ("latest", "most recent": the recency note's)."""
    token = tokens[i]
    word = token.text.lower()
    if token.pos in ("ADJ", "ADV") and word.endswith("est") and token.lemma != word and word not in _UNRANKED:
        return word
    head = tokens[token.head]
    if word in ("most", "least") and token.dep == "advmod" and head.pos in ("ADJ", "VERB", "ADV"):
        phrase = f"{word} {head.text.lower()}"
        return "" if phrase in _UNRANKED or _FLOOR_Q.search(phrase) else phrase
    return ""


_UNRANKED = _words("cheapest lowest latest newest earliest oldest") | {"most recent"}


_SCORE = re.compile(r"(?<![\d.])(\d{1,2})\s*[-–]\s*(\d{1,2})(?![\d.])")


def _in_score(question: str, token: Token) -> bool:
    return any(m.start() <= token.start < m.end() for m in _SCORE.finditer(question))


def _day_of_month(tokens: tuple[Token, ...], i: int) -> bool:
    near = [tokens[j].text for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
    return len(tokens[i].text) <= 2 and any(_MONTH_WORD.fullmatch(word) for word in near)


def _other_score(question: str, sentence: str) -> str:
    """The score the question names that the sentence does not write where it writes scores of its own ("" when
    it writes that one, or none): "32-12" is not the "12-11" final."""
    asked = {tuple(sorted(m.groups())): m.group(0) for m in _SCORE.finditer(question)}
    said = {tuple(sorted(m.groups())) for m in _SCORE.finditer(sentence)}
    return "" if not asked or not said or asked.keys() & said else next(iter(asked.values()))


def _own_start(tokens: tuple[Token, ...], token: Token) -> bool:
    """Is the token the "first" of a start that happens once: a start verb with no object ("When did Binance
    *first* launch?" is when it launched; "first entered Vietnam's *market*" is one entry of several)?"""
    head = tokens[token.head]
    # (the small model reads "did Binance first launch" as a noun phrase; a noun has its determiner)
    bare = not any(t.head == token.head and t.dep in ("det", "poss") for t in tokens)
    verb = token.dep == "advmod" or token.dep == "amod" and bare
    return (
        token.text.lower() == "first"
        and verb
        and head.lemma in _START
        and not any(t.head == token.head and t.dep in ("dobj", "prep") for t in tokens)
    )


def _ordinal_digit(word: str) -> str:
    return {v: k for k, v in _QUARTER_WORDS.items()}[word.lower()]


def _subject(question: str) -> str:
    text = re.sub(r"[?.!\s]+$", "", question.strip())
    return text[0].lower() + text[1:] if text else text


def misfit(
    asked: Asked,
    answer: str,
    sentence: str,
    context: str = "",
    date: str | None = None,
    before: str = "",
    lead: str = "",
) -> Misfit | None:
    """None when `answer` (a span of `sentence`) answers the question; else what does not hold. `context` is
    the article's stated context for the sentence: the sentence before it (`before`) and the title. Its `lead`
    (the opening paragraphs) counts only for what the sentence refers back to by a bare definite noun: a name or a
    quarter the lead says of that noun holds ("In *the study*, …" under "the study, published … in the journal
    *JAMA*"; "During *the quarter*" under "its fiscal *first* quarter"). A question that
    describes its answer by several facts (over LONG words: MultiHop-RAG's) has only the type checked: each
    fact is stated in its own article, and the multi-part logic (qa/short.py) finds them one by one."""
    if asked.words > LONG:  # its facts are spread over several articles; the parts are checked one by one
        if asked.type in TYPES and _undisclosed(asked.focus, parse(sentence)):
            return Misfit("relation", _UNDISCLOSED, asked.subject)
        return None if typed(asked.type, answer, sentence) else Misfit("type", _a(asked.type), asked.subject)
    found = local_misfit(asked, answer, sentence)
    if found is not None:
        return found
    referred = _said_of_referents(sentence, lead)  # what the lead says of "the study", "the quarter"
    window = sentence if asked.type == "score" else f"{referred} {context} {sentence}"  # a score: of the sides named
    missing = [name for name in asked.entities if not _named(name, window)]
    described = _in_a_description(asked.subject) if missing else set()
    if any(name not in described and name not in missing for name in asked.entities):  # "Zenly" is named: not
        missing = [name for name in missing if name not in described]  # the app "co-founded by Antoine Martin"
    topic = (
        _topic(before, sentence) if before and _refers_back(sentence) and not _named_in_clause(answer, sentence) else ""
    )
    if topic and _in_title(sentence, context.removesuffix(before)):
        topic = ""  # "*The electric pickup* is made of steel" under "… Tesla's Cybertruck? … much-hyped *electric
        # pickup*": the article's own subject, not the sentence before's ("Because Musk wants it to")
    if topic and not _named(topic, asked.subject):  # "“Napoleon” earned $7.1 million. … *the film* has now made"
        missing += [name for name in asked.entities if not _named(name, f"{before} {sentence}")]
    if missing:
        return Misfit("constraint", missing[0], asked.subject)
    if asked.period == "whole" and period_of(asked, sentence):
        return Misfit("constraint", "the whole year", asked.subject)
    other = (
        _other_month(asked.subject, sentence)
        or _other_score(asked.subject, sentence)
        or _unstated_field(asked.subject, sentence, context)
        or _other_rank(asked.subject, sentence)
    )
    if other:
        return Misfit("constraint", other, asked.subject)
    text = f"{referred} {context} {sentence}".lower()
    own = f"{context.replace(before, '') if before else context} {sentence}".lower()  # (without the sentence before)
    for constraint in asked.constraints:
        if _YEAR.fullmatch(constraint) and not _in_year(
            constraint, sentence, _dated_by(context, before), date, _fiscal(constraint, asked.subject)
        ):
            return Misfit("constraint", constraint, asked.subject)
        # an ordinal is of the sentence's own event: "India *first* entered semifinals" before it is another's
        if not _YEAR.fullmatch(constraint) and not _holds(constraint, own if constraint in _ORDINALS else text, date):
            return Misfit("constraint", constraint, asked.subject)
    return None


_MONTH_WORD = re.compile(rf"\b({MONTHS})\b\.?", re.I)


def _months(text: str, written: bool = False) -> dict[str, str]:
    """The months `text` names, by their first three letters ("Dec." and "December": "dec"), with the word as
    written; `written`: only the capitalised ones ("may" and "march" are verbs too)."""
    found: dict[str, str] = {}
    for match in _MONTH_WORD.finditer(text):
        word = match.group(1)
        if word[0].isupper() or not written and word.lower() not in ("may", "march"):
            found.setdefault(word[:3].lower(), word)
    return found


def _other_month(question: str, sentence: str) -> str:
    """The month the question names that the sentence is not about ("" when it is, or may be): a sentence
    dated only in other months is not ("Dec. 19" for "in November 2023"); one that names no month may be."""
    asked, said = _months(question), _months(sentence, written=True)
    return "" if not asked or not said or asked.keys() & said.keys() else next(iter(asked.values()))


def _in_a_description(question: str) -> set[str]:
    """The names the question gives only inside a clause that describes something it names ("who bought Zenly,
    the social map app *co-founded by Antoine Martin*"): they say which one it is, and a sentence that names it
    need not repeat them."""
    parsed = parse(question)
    tokens = parsed.tokens
    clauses = {i for i, t in enumerate(tokens) if t.dep in ("acl", "relcl")}
    return {
        e.text
        for e in parsed.entities
        if all(_under(tokens, i, clauses) for i, t in enumerate(tokens) if e.start <= t.start < e.end)
    }


def _main_subject(tokens: tuple[Token, ...]) -> int:
    """The index of the subject of the sentence's main verb (-1 where it has none)."""
    return next(
        (i for i, t in enumerate(tokens) if t.dep in ("nsubj", "nsubjpass") and tokens[t.head].dep == "ROOT"), -1
    )


def _topic(sentence: str, referring: str = "") -> str:
    """The name the sentence is about: its main verb's subject, where that is a name, or the name that classifies
    a common noun that is ("*The Converse* brand fell short"; "" otherwise) — one the next sentence's subject can
    refer to: "the film" is no person ("Game creator *Scott Cawthon* wrote the script. … *the film* is hitting
    theaters")."""
    parsed = parse(sentence)
    tokens = parsed.tokens
    at = _main_subject(tokens)
    named = [i for i, t in enumerate(tokens) if t.head == at and t.dep == "compound" and t.pos == "PROPN"]
    if at >= 0 and tokens[at].pos == "NOUN" and named:  # "*The Converse brand* fell short": Converse, a brand
        return _name_at(tokens, named[-1])
    if at < 0 or tokens[at].pos != "PROPN":
        return ""
    person = any(e.label in PERSON and e.start <= tokens[at].start < e.end for e in parsed.entities)
    thing = _referring_noun(referring)
    return "" if person and thing and thing not in _PERSON_NOUNS else _name_at(tokens, at)


def _in_title(sentence: str, title: str) -> bool:
    """Does the title write the sentence's subject as the sentence does, with the words that describe it ("the
    *electric pickup*" under "… much-hyped electric pickup")? A bare noun ("the film") may be any the article
    names, so it is no title's."""
    tokens = parse(sentence).tokens
    at = _main_subject(tokens)
    if at < 0 or tokens[at].pos != "NOUN":
        return False
    words = [t.text for t in tokens if t.head == at and t.dep in ("amod", "compound")]
    phrase = r"\s+".join(re.escape(w) for w in [*words, tokens[at].text])
    return bool(words) and bool(re.search(rf"\b{phrase}s?\b", title, re.I))


def _referring_noun(sentence: str) -> str:
    """The common noun the sentence's subject refers back with ("*the film* has now made"), "" for a pronoun."""
    if not sentence:
        return ""
    tokens = parse(sentence).tokens
    at = _main_subject(tokens)
    return tokens[at].lemma if at >= 0 and tokens[at].pos == "NOUN" else ""


def _named_in_clause(answer: str, sentence: str) -> bool:
    """Is the answer in a clause with a subject of its own that is a name ("*With Hayes* expected to earn close to
    *$2 million* a year, this will …": Hayes's, whatever "this" refers back to)?"""
    parsed = parse(sentence)
    tokens = parsed.tokens
    inside = _covering(answer, sentence, parsed)
    if not inside:
        return False
    at, seen = _clause(tokens, inside[0]), set[int]()
    while at not in seen:
        seen.add(at)
        subjects = [t for t in tokens if t.head == at and t.dep in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].pos == "PROPN" and tokens[at].dep != "ROOT"
        if tokens[at].dep not in ("xcomp", "ccomp", "conj"):
            return False
        at = tokens[at].head
    return False


def _refers_back(sentence: str) -> bool:
    """Is the sentence's subject one said before: a pronoun ("it", "he") or "the/this/that" and a common noun
    ("the film starring Joaquin Phoenix")?"""
    tokens = parse(sentence).tokens
    at = _main_subject(tokens)
    if at < 0:
        return False
    if tokens[at].pos == "PRON":
        return tokens[at].lemma not in _RELATIVE
    said = [t for t in tokens if t.head == at]
    if tokens[at].pos == "NOUN" and tokens[at].lemma in _EARNINGS and not said:
        return True  # "Sales came in at $588 million": the sales of what the sentence before was about
    return (
        tokens[at].pos == "NOUN"
        and any(t.dep == "det" and t.lemma in ("the", "this", "that") for t in said)
        and not any(t.pos == "PROPN" and t.dep in ("compound", "poss") for t in said)
    )


_EARNINGS = _words("sale revenue income profit earning earnings shipment")


_NOT_FIELDS = _words("year season month week day time quarter half period term history world way place end start")


_TOP_Q = re.compile(r"\b(?:most|top|biggest|largest|highest|best-selling|No\.?\s*1|number one)\b", re.I)
_LOWER_RANK = re.compile(
    r"\b(?:No\.\s*(?:[2-9]|\d\d)|number (?:two|three|four|five)|(?:second|third|fourth|fifth)[- ](?:most|biggest|"
    r"largest|highest|best)|ranked (?:second|third|fourth|fifth))\b",
    re.I,
)


def _other_rank(question: str, sentence: str) -> str:
    """ "the top" where the question asks for the first of a ranking (the most downloaded app) and the sentence
    gives a lower place ("Instagram Threads was the *No. 3* app")."""
    return "the top" if _TOP_Q.search(question) and _LOWER_RANK.search(sentence) else ""


def _unstated_field(question: str, sentence: str, context: str = "") -> str:
    """The field the question names for a thing ("the Nobel prize *in literature*") where neither the sentence
    nor its stated context names it ("The second winner is chemist Louis Brus", under "… wins 2023 chemistry
    Nobel"): "" when one of them does."""
    asked = parse(question).tokens
    around = {w.removesuffix("s") for w in re.findall(r"[a-z]+", f"{context} {sentence}".lower())}
    for i, t in enumerate(asked):
        if t.pos != "NOUN" or t.dep != "pobj" or t.lemma in _NOT_FIELDS | _VAGUE or t.lemma.removesuffix("s") in around:
            continue
        if not _bare(asked, i):
            continue  # a field is a bare noun: "in literature", not an event ("in *their* 2-1 win")
        prep, at = asked[t.head], asked[t.head].head
        if asked[at].pos == "VERB":  # "won the Nobel Prize in literature", the field hung on the verb
            at = next((k for k, u in enumerate(asked) if u.head == at and u.dep == "dobj"), at)
        if prep.lemma == "in" and asked[at].pos in ("NOUN", "PROPN"):
            return t.text
    return ""


def _dated_by(context: str, before: str) -> str:
    """The context that dates a sentence: the title, and of the sentence before only what its own clause says —
    not a clause about another event ("It was the second straight tournament the Springboks won in France,
    *having beaten England at the same venue in 2007*")."""
    if not before or before not in context:
        return context
    tokens = parse(before).tokens
    aside = {i for i, t in enumerate(tokens) if t.dep in ("advcl", "relcl", "acl")}
    own = " ".join(t.text for i, t in enumerate(tokens) if not _under(tokens, i, aside))
    return context.replace(before, own)


def _said_of_referents(sentence: str, lead: str) -> str:
    """What an article's lead says of the things the sentence refers back to by a bare definite noun: "In *the
    study*, the researchers …" → "the study, published Tuesday in the journal JAMA"; "During *the quarter*" → "its
    fiscal first quarter"; "" where it refers back to none the lead names. "*The company* has raised $345 million"
    takes no more than the lead says of the company, not of the round it raised."""
    if not lead:
        return ""
    tokens = parse(sentence).tokens
    referents = {
        t.lemma
        for i, t in enumerate(tokens)
        if t.pos == "NOUN"
        and any(u.head == i and u.lemma == "the" for u in tokens)
        and not any(u.head == i and u.dep in _NARROWING for u in tokens)
    }
    written = lead.lower()  # the lead is parsed only where it may name one ("stud" of "the study" in "studies")
    if not any((referent[:-1] if len(referent) > 4 else referent) in written for referent in referents):
        return ""
    said = parse(lead).tokens
    return " ".join(_subtree_text(said, {j}) for j, t in enumerate(said) if t.lemma in referents and t.pos == "NOUN")


_NARROWING = {"compound", "amod", "poss", "nummod", "prep", "acl", "relcl", "appos"}  # "the *first* quarter": its own


def _in_year(year: str, sentence: str, context: str, date: str | None, fiscal: bool = False) -> bool:
    """Is the sentence about `year`? Its own years decide ("the spirit of 2019, when they beat the All Blacks
    19-7" is not the 2023 final, whatever the headline says); without one the sentence before and the title; without
    one either, the article's date — for a `fiscal` year (named for the year it ends in) the year before's too:
    Nike's fiscal 2024 first quarter is reported in September 2023."""
    for text in (sentence, context):
        years = _years(text)
        if years:
            return year in years
    named: tuple[str, ...] = (year, str(int(year) - 1)) if fiscal else (year,)
    return date is not None and date.startswith(named)


def _fiscal(year: str, question: str) -> bool:
    """Does the question name `year` as a fiscal year ("fiscal 2024", "its fiscal first quarter of 2024")?"""
    return bool(re.search(rf"\bfiscal\b(?:\s+\w+){{0,3}}\s+(?:of\s+)?{year}\b|\bfiscal\s+{year}\b", question, re.I))


def _years(text: str) -> set[str]:
    """The years a text writes, a season's both ("2022-23": 2022 and 2023)."""
    years = set(_YEAR.findall(text))
    for first, last in re.findall(r"\b((?:19|20)\d\d)[-–/](\d\d)\b", text):
        years.add(first[:2] + last)
    return years


def states_relation(asked: Asked, sentence: str) -> bool:
    """Does the sentence speak of the question's relation at all (as a fact or a plan: "set to sign" answers
    "Has it been signed?" No)? "Was the partnership cancelled?" is not answered Yes by a sentence that says it
    was elevated."""
    return not asked.relations or any(_stated(lemma, parse(sentence), modal=True) for lemma in asked.relations)


def local_misfit(asked: Asked, answer: str, sentence: str) -> Misfit | None:
    """What `misfit` finds in the sentence alone (type, relation, slot, plan, party): candidates are chosen with
    it, so that a name or amount that fits wins over a closer one that does not."""
    parsed = parse(sentence)
    described = asked.type in TYPES and _described_as(asked.focus, answer, sentence, parsed)  # a name's kind
    described = described or _untagged_doer(asked, answer, sentence, parsed)  # "*Snap* spent … to acquire Zenly"
    if not typed(asked.type, answer, sentence, parsed) and not described:
        return Misfit("type", _a(asked.type), asked.subject)
    if asked.type in TYPES and not described and _another_described(asked, answer, sentence, parsed):
        return Misfit("type", _a(asked.type), asked.subject)  # "Temu … is the most downloaded *app*": not Amazon
    if asked.type == "place" and _describes_a_person(answer, sentence, parsed):
        return Misfit("type", _a(asked.type), asked.subject)  # "*Reddit* co-founder Alexis Ohanian"
    if asked.focus and asked.type in TYPES and _owner_of(asked.focus, answer, sentence, parsed):
        return Misfit("type", _a(asked.type), asked.subject)  # "*Apple's* most downloaded free app" is Temu
    if asked.type in ("person", "person-strict") and _extends_a_given_name(asked, answer, sentence, parsed):
        return Misfit("type", _a(asked.type), asked.subject)  # "Bayern Munich" for "the Bayern player"
    converse = _by_converse(asked, answer, sentence, parsed) if asked.words <= LONG else ""  # "sold it *to* X"
    if converse == "against":
        return Misfit("relation", asked.verb, asked.subject)  # the seller did not buy it
    office = bool(asked.office) and _takes_office(asked, answer, sentence, parsed)  # "will be the new CEO"
    if asked.office and held_only(asked) and not office:  # "Who was *put* in charge as interim CEO": the office is
        return Misfit("relation", asked.relations[0], asked.subject)  # all it says (Bret Taylor chairs the board)
    if not (converse or office or _relation_stated(asked, parsed) or _held_at(asked, answer, sentence, parsed)):
        return Misfit("relation", asked.relations[0], asked.subject)
    if asked.type == "place" and held_only(asked) and not _placed(answer, sentence, parsed):
        return Misfit("relation", asked.relations[0], asked.subject)  # "talked about *AI*", "a *New York* team"
    if asked.type in TYPES and not (converse or office) and not _bound_to_relation(asked, answer, sentence, parsed):
        return Misfit("relation", asked.relations[0], asked.subject)  # "*the joint statement* outlines EU interest"
    role = _role_noun(asked)
    if role and not office and not _holds_the_role(role, answer, sentence, parsed):  # Lugosi starred: Ulmer directed
        return Misfit("relation", role, asked.subject)
    if asked.measure and not _stated(asked.measure, parsed, modal=True):  # "$21 million" of a film: no budget
        return Misfit("relation", asked.measure, asked.subject)
    if _partner(answer, sentence, parsed, asked.names) and not _JOINTLY.search(asked.subject):
        return Misfit("relation", "and", asked.subject)
    if asked.slot and asked.words <= LONG and not converse and not office:
        for verb in filter(None, (asked.verb, asked.also)):
            if not _in_slot(answer, sentence, parsed, asked.slot, verb):
                return Misfit("relation", verb, asked.subject)
    if asked.words <= LONG and _holder_of_another(asked, answer, sentence, parsed):
        return Misfit("relation", "of whom", asked.subject)  # "CEO of Mayo Clinic *Arizona*"
    named = asked.type not in (*_AMOUNTS, "date", "score")  # (an amount is no party: "a *51%* stake")
    taken = _taken(answer, sentence, parsed, asked.roles) if asked.words <= LONG and named else ""
    if taken:  # "Michigan State has hired Jonathan Smith" is not whom Oregon State hired
        return Misfit("relation", taken, asked.subject)
    if named and _only_the_source(asked, answer, sentence, parsed):  # "According to *The Information*, …"
        return Misfit("relation", asked.relations[0] if asked.relations else "as a fact", asked.subject)
    if asked.beaten and asked.words <= LONG and _wins_instead(asked.beaten, parsed):
        return Misfit("relation", "of whom", asked.subject)  # "Chelsea, who beat Blackburn": not their win over it
    if named and asked.words <= LONG and _done_by_another(asked, answer, sentence, parsed):
        return Misfit("relation", "of whom", asked.subject)  # "Ohio State won …" is not whom Florida State beat
    if asked.slot == "subject" and asked.verb in _REPLACING:
        replaced = _successor_possessors(parsed)  # "John Hynes as *Evason's* successor"
        if set(_covering(answer, sentence, parsed)) & replaced:
            return Misfit("relation", asked.verb, asked.subject)  # Evason replaced no one
        others = [parsed.tokens[i] for i in replaced if parsed.tokens[i].pos == "PROPN"]
        if asked.patient and any(
            t.text.lower().removesuffix("’s").removesuffix("'s") not in asked.patient for t in others
        ):
            return Misfit("relation", "of whom", asked.subject)  # who replaced Bob Woods: not Evason's successor
    if named and asked.words <= LONG and _done_to_another(asked, answer, sentence, parsed):
        return Misfit("relation", "of whom", asked.subject)  # "donanemab, produced by Eli Lilly": not lecanemab
    if named and _superseded(asked, answer, sentence, parsed):
        return Misfit("relation", "new", asked.subject)  # "bought … by Frasers Group *a year and a half ago*"
    hedged = not asked.modal and not office and _answer_hedged(answer, sentence, parsed, asked.totals)
    if hedged and not _appointment_announced(answer, sentence, parsed):
        return Misfit("relation", "as a fact", asked.subject)
    if _denied(answer, sentence):
        return Misfit("relation", "as a fact", asked.subject)
    if asked.type in TYPES and _undisclosed(asked.focus, parsed):
        return Misfit("relation", _UNDISCLOSED, asked.subject)
    # "$680 million of his *$700 million* contract": the whole is not the part asked
    if asked.whole and _amount_of(asked.whole, answer, sentence, parsed):
        return Misfit("relation", f"part of the {asked.whole}", asked.subject)
    if asked.measure and asked.type in _AMOUNTS and _measured_otherwise(asked.measure, answer, sentence, parsed):
        return Misfit("relation", asked.measure, asked.subject)  # "made $45.7 million against a $200 million budget"
    if asked.measure and asked.type in _AMOUNTS and _of_a_part(asked, answer, sentence, parsed):
        return Misfit("relation", "the total", asked.subject)  # "footwear sales rose 4% to $8.4 billion"
    if _names_relation(answer, asked.relations):  # "Goalscorers Man United": a heading, not who scored
        return Misfit("type", _a(asked.type), asked.subject)
    if asked.type in _AMOUNTS and _a_difference(answer, sentence) and not _compares(asked):
        return Misfit("type", "the amount itself, not a difference,", asked.subject)  # "spent *22%* more on music"
    if asked.type == "count" and _counts_another(asked.counted, answer, sentence, parsed):
        return Misfit("type", f"a number of {asked.counted.split()[-1]}s", asked.subject)
    if asked.type in (*_AMOUNTS, "date", "score") and _someone_else(answer, sentence, parsed, asked):
        return Misfit("relation", "of whom", asked.subject)
    if asked.type == "date" and not date_fits(asked, answer, sentence):
        return Misfit("relation", asked.relations[0] if asked.relations else "when", asked.subject)
    # "kicked off in Stockholm and *ended* in Kansas City": Kansas City is not where it kicked off
    if asked.type == "place" and not _in_clause(answer, sentence, parsed, asked.events):
        return Misfit("relation", asked.events[0], asked.subject)
    if (
        asked.type in ("date", "money", "count")
        and not _priced(asked)
        and not converse  # (the converse's party holds it: "collected *from 9,200 pregnant people*")
        and not _attached(answer, sentence, parsed, asked.relations + asked.light)
    ):
        return Misfit("relation", asked.relations[0], asked.subject)
    return None


_HELD = _words("play hold stage host happen occur")  # verbs that say where an event was


def _another_described(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence call another of its names — not one the question gives — what the question asks for
    ("*Temu*, the company whose app is attracting longer engagement times than Amazon, is Apple's most downloaded
    free *app*"), and not this one?"""
    return any(
        e.text != answer
        and answer not in e.text
        and e.text not in answer
        and not {w.lower() for w in e.text.split()} & asked.names
        and _described_as(asked.focus, e.text, sentence, parsed)
        for e in parsed.entities
        if e.label in _NAME_LABELS | {"WORK_OF_ART", "PRODUCT", "EVENT"}
    )


def _owner_of(focus: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the name the possessor of the noun the question asks for ("Temu … is *Apple's* most downloaded free
    app": the app is Temu, Apple's is the list)?"""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    return any(tokens[i].dep == "poss" and tokens[tokens[i].head].lemma == focus for i in inside)


def _extends_a_given_name(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the name, not tagged a person's, the longer name of one the question gives ("Bayern Munich" for "the
    *Bayern* player")? It is the team, club or company asked about, not the person asked for."""
    inside = _covering(answer, sentence, parsed)
    if not inside or any(parsed.tokens[i].ent == "PERSON" for i in inside):
        return False
    words = {w.lower() for w in answer.split()}
    return bool(words & asked.names) and not words <= asked.names


def _placed(answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the place written as where something is — the object of "in", "at" or "near", or the sentence's opening
    words (a dateline: "LAS VEGAS — …") — not a word that describes a thing ("a *New York* team") or a topic
    ("talked about *AI*")?"""
    at = sentence.find(answer)
    return at <= 0 or _located(answer, at, parsed, _WHERE_PREPOSITIONS)


_AT_OR_IN = _words("at in")
_WHERE_PREPOSITIONS = _AT_OR_IN | {"near"}


def _held_at(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the place written as where the event the question names was held: "the Davis Cup *final in Malaga*"
    says where "the final was played"?"""
    if asked.type != "place" or not set(asked.events) & _HELD:
        return False
    tokens = parsed.tokens
    return any(
        tokens[i].dep == "pobj"
        and tokens[tokens[i].head].lemma in ("in", "at")
        and tokens[tokens[tokens[i].head].head].lemma in asked.nouns
        for i in _covering(answer, sentence, parsed)
    )


_DISCLOSE = _words("reveal announce disclose confirm unveil name release make")


def _undisclosed(focus: str, parsed: Parsed) -> bool:
    """Does the sentence say that the name asked for is not known yet ("The actual title for the second of the
    spinoffs *hasn't been revealed* yet")? Then no name in it is that name."""
    tokens = parsed.tokens
    asked = {focus, "title", "name", "identity"} - {""}
    return any(
        t.lemma in _DISCLOSE
        and any(u.head == i and u.dep == "neg" for u in tokens)
        and any(u.head == i and u.dep in ("nsubjpass", "dobj") and u.lemma in asked for u in tokens)
        for i, t in enumerate(tokens)
    )


_LEAD = _family("lead")


def _holder_of_another(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence give the answer the role the question asks of another organisation ("Richard Gray, CEO of
    Mayo Clinic *Arizona*" for the CEO of the Mayo Clinic system; "*Slack* CEO Lidiane Jones" for Bumble's; "Junichi
    Miyakawa, president & CEO of *SoftBank Corp.*" for who runs Cubic Telecom)? The role word attached to the
    answer names, by its "of" or its modifiers, a name the question does not."""
    if not asked.relations or asked.events and not set(asked.events) & _LEAD:
        return False  # a role question: "Who is the CEO of X?", "Who runs X?"
    tokens = parsed.tokens
    family = _family(asked.relations[0])
    inside = set(_covering(answer, sentence, parsed))
    roles = {j for j, t in enumerate(tokens) if t.lemma in family and j not in inside
             and (t.head in inside or any(tokens[i].head == j for i in inside))}  # fmt: skip
    roles |= {
        j for j, t in enumerate(tokens) if t.head in roles and t.dep == "conj" and t.lemma in _LEAD | _PERSON_NOUNS
    }  # fmt: skip ("president & *CEO* of …")
    holders = {  # (not the answer's own words: "a superb *Scott McTominay* brace")
        j
        for j, t in enumerate(tokens)
        if t.head in roles and t.dep in ("compound", "poss") and t.pos == "PROPN" and j not in inside
    }
    holders |= {j for j, t in enumerate(tokens) if t.dep == "pobj" and tokens[t.head].lemma == "of"
                and tokens[t.head].head in roles}  # fmt: skip
    words = {t.text.lower() for j, t in enumerate(tokens) if t.pos == "PROPN" and _under(tokens, j, holders)}
    return bool(words - asked.names)


def _successor_possessors(parsed: Parsed) -> set[int]:
    """The names whose successor the sentence names ("naming John Hynes as *Evason's* successor"): the possessor of a
    successor is the one replaced, not the one who replaced."""
    tokens = parsed.tokens
    return {i for i, t in enumerate(tokens) if t.dep == "poss" and tokens[t.head].lemma in ("successor", "replacement")}


def _untagged_doer(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the answer a proper name the tagger left unlabelled ("*Snap* spent more than $200 million to acquire
    Zenly": no entity) that the sentence makes the subject of the question's own verb, where an organisation or
    a party is asked ("Which company acquired Zenly?")? Doing what the question asks makes it a party."""
    if asked.slot != "subject" or asked.type not in ("organisation", "agent") or not asked.verb:
        return False
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    if not inside or any(tokens[i].pos != "PROPN" or tokens[i].ent for i in inside):
        return False
    verbs = [v for v, t in enumerate(tokens) if t.pos == "VERB" and t.lemma == asked.verb]
    if any(inside & _filler(tokens, v, "subject") for v in verbs):
        return True
    family = _family(asked.verb)  # or the possessor of its noun: "Under *Snap's* ownership, Zenly …"
    return any(tokens[i].dep == "poss" and tokens[tokens[i].head].lemma in family for i in inside)


def _described_as(focus: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence itself call the name what the question asks for ("the action *game* Hi-Fi Rush", "Hi-Fi
    Rush, a *game* …")? Then it is of that kind whatever its entity label."""
    if not focus or focus in _VAGUE:
        return False
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    before = tokens[min(inside) - 1] if inside and min(inside) > 0 else None
    if before is not None and before.lemma == focus and before.pos == "NOUN":  # "the game Hi-Fi Rush"
        return True
    if inside and _instance_of(tokens, max(inside), focus):  # "his undisputed super middleweight *title*"
        return True
    return any(  # (by a common noun: "Kansas *City*, Missouri" does not call Missouri a city)
        t.lemma == focus and t.pos == "NOUN" and j not in inside
        and (t.head in inside and t.dep in ("compound", "appos", "nmod", "attr")
             or any(tokens[i].head == j and tokens[i].dep in ("appos", "compound") for i in inside)
             # "Temu … *is* Apple's most downloaded free *app*"
             or t.dep == "attr" and tokens[t.head].lemma == "be"
             and any(tokens[i].head == t.head and tokens[i].dep == "nsubj" for i in inside))
        for j, t in enumerate(tokens)
    )  # fmt: skip


def _amount_of(noun: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence give the amount as the size of `noun` itself ("his *$700 million* contract")?"""
    inside = _covering(answer, sentence, parsed)
    tokens = parsed.tokens
    return bool(inside) and any(
        tokens[i].dep in ("nummod", "compound", "amod") and tokens[tokens[i].head].lemma == noun
        and tokens[i].head not in inside
        for i in inside
    )  # fmt: skip


_QUANTITIES = {"MONEY", "CARDINAL", "PERCENT", "QUANTITY"}


def _measured_otherwise(measure: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the sentence give the measure asked for an amount of its own, another than the answer ("has made
    *$45.7 million* domestically against a $200 million *budget*" is no budget)?"""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    if not inside:
        return False
    other = False
    for m in (i for i, t in enumerate(tokens) if t.lemma == measure and t.pos == "NOUN"):
        own = {j for j, t in enumerate(tokens)
               if j != m and _under(tokens, j, {m}) and (t.pos == "NUM" or t.ent in _QUANTITIES)}  # fmt: skip
        if own & inside:
            return False
        other = other or bool(own)
    return other


_WHOLE = _words("total overall all entire whole combined")


def _of_a_part(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the amount that of a part of what the question measures: the measure's noun narrowed by a word the
    question does not use, where the sentence also writes the whole ("*footwear* sales rose 4% to $8.4 billion,
    making up 68% of Nike's *total* sales" — for its sales, or its revenue) or the part is a place's ("*China* sales
    jumped to …") or a channel's ("*Wholesale* revenue … was flat at $7 billion")?"""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    if not inside:
        return False
    own = set(re.findall(r"[\w-]+", asked.subject.lower()))
    family = _family(asked.measure)
    measures = [i for i, t in enumerate(tokens) if t.lemma in family and t.pos == "NOUN"]
    whole = any(t.head in measures and t.lemma in _WHOLE for t in tokens)
    verb = _clause(tokens, min(inside))
    for m in measures:
        parts = [t for t in tokens if t.head == m and t.dep == "compound" and t.pos in ("NOUN", "PROPN")
                 and t.text.lower() not in own]  # fmt: skip
        channel = any(t.head == m and t.lemma in _CHANNELS and t.text.lower() not in own for t in tokens)
        if not channel and (not parts or not (whole or any(t.ent in ("GPE", "NORP", "LOC") for t in parts))):
            continue
        if tokens[m].head == verb and tokens[m].dep in ("nsubj", "nsubjpass") or _under(tokens, min(inside), {m}):
            return True
        if channel and m == _main_subject(tokens):  # (the amount hung on a later phrase: "flat compared to … *at*")
            return True
        if any(tokens[m].head == i or _measured_in(tokens, m, i) for i in inside):
            return True
    return False


# the words that name a channel or a market a company sells in: "*Wholesale* revenue … was flat at $7 billion" is a
# part of the revenue
_CHANNELS = _words("wholesale retail digital online mobile direct international domestic overseas e-commerce ecommerce")


def _names_relation(answer: str, relations: tuple[str, ...]) -> bool:
    """Is a word of the name the relation's agent noun ("*Goalscorers* Man United" for who scored, "Winner")?
    A heading or a label is no name."""
    family = _family(*relations)
    stems = {w for w in family if len(w) >= 4}
    for word in re.findall(r"[A-Za-z]+", answer.lower()):
        word = word.removesuffix("s")
        if word.endswith(("er", "or")) and word in family or any(word.endswith((s + "r", s + "er")) for s in stems):
            return True
    return False


_PEOPLE = _words("people person fan spectator attendee visitor supporter crowd")


def _counts_another(counted: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the number count another thing than the one asked ("115 financial *breaches*", "a three-*person*
    panel" for "how many points")? The noun spaCy attaches it to decides; a bare number counts what is asked."""
    at = sentence.find(answer)
    if not counted or at < 0:
        return False
    inside = [i for i, t in enumerate(parsed.tokens) if at <= t.start < at + len(answer)]
    if not inside or parsed.tokens[inside[-1]].dep != "nummod":
        return False
    noun = parsed.tokens[parsed.tokens[inside[-1]].head]
    if noun.dep == "poss":  # "the 5 *supporters’* groups" are groups
        noun = parsed.tokens[noun.head]
    words = counted.split()
    if noun.pos != "NOUN" or any(noun.lemma[:4] == word[:4] for word in words):
        return False
    alike = set().union(*(f for f in (*RELATIONS, _PEOPLE) if words[-1] in f))
    return noun.lemma not in alike


_PRICE = {"cost"}  # (not "pay": who pays and for what are the question's own)


def _priced(asked: Asked) -> bool:
    """Does the question ask what something costs ("How much does it cost")? An amount of money is that
    ("starts at $549"): its verb asks nothing the type does not."""
    return asked.type == "money" and bool(asked.events) and set(asked.events) <= _PRICE


_SUPPORT = _words("hold take keep put give have get make do")  # verbs whose object says what happened


def _relation_stated(asked: Asked, parsed: Parsed) -> bool:
    """Does the sentence state the question's relation: its verb (or one of the verb's family), or else its
    object's noun where no other verb governs it ("Wullaert's brace", "Wullaert scored a brace" for "who hit a
    brace"; not "Kenwright *sold* a stake" for "who agreed to buy the stake", nor "*divorced* his first wife" for
    "when did he marry his first wife")."""
    if not asked.relations or held_only(asked):
        return True
    if any(_stated(lemma, parsed, asked.modal, event=True) for lemma in asked.events):
        return True
    if _priced(asked):
        return True
    nouns = [lemma for lemma in asked.relations if lemma not in asked.events]
    support = set(asked.events) <= _SUPPORT  # "hold the same tier": the noun carries the relation
    return any(_stated(lemma, parsed, asked.modal, own_verb=not support) for lemma in nouns)


def held_only(asked: Asked) -> bool:
    """Is the question's verb a support verb in the passive with nothing after it ("where was it *held*", "who
    was *put* in charge")? It says nothing the answer's type and the question's names do not."""
    nouns = [lemma for lemma in asked.relations if lemma not in asked.events]
    return bool(asked.events) and set(asked.events) <= _SUPPORT and not nouns and asked.passive


def _bound_to_relation(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Where only the question's object noun states its relation (no verb of it: "Wullaert's *brace*" for who hit
    a brace), is the name bound to that noun — its possessor or modifier, or the subject of the verb that governs
    it ("Wullaert *scored* a brace")? "The joint *statement* outlines EU interest" does not say the EU signed it."""
    if not (asked.events or asked.light) or asked.events and set(asked.events) <= _SUPPORT:
        return True  # (a role question, "Who is the CEO of X?", has no verb; in "hold the same tier" the noun is it)
    if any(_stated(lemma, parsed, asked.modal, by_verb=True) for lemma in asked.events):
        return True
    if any(_stated(lemma, parsed, asked.modal) for lemma in asked.events):  # by a noun only: its doer ("goals
        # *from* X"), not a party the sentence gives another role; a place or a thing is said of the event otherwise
        return asked.type not in _PARTIES or _bound_to_nouns(_family(*asked.events), answer, sentence, parsed)
    return _bound_to_nouns({lemma for lemma in asked.relations if lemma not in asked.events}, answer, sentence, parsed)


def _role_noun(asked: Asked) -> str:
    """The role a question asks who holds, where it has no verb of its own: "Which *director* …", "Who is the
    *CEO* of X?" ("" for another question)."""
    if asked.type not in ("person", "person-strict") or asked.events or asked.light:
        return ""
    return asked.focus if asked.focus in _PERSON_NOUNS else asked.relations[0] if asked.relations else ""


def _holds_the_role(role: str, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Where a question asks who holds a role ("name the *director* of the Eras Tour movie"), is the answer the
    one the sentence gives it to — by its noun ("director Sam Wrench", "Wrench, the director") or as the doer of
    its verb ("directed by Sam Wrench")? "Ulmer was a prolific director … the first movie to star … *Bela
    Lugosi*" does not make Lugosi a director."""
    family = _family(role)
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    verbs = [v for v, t in enumerate(tokens) if t.pos == "VERB" and t.lemma in family]
    if any(inside & _filler(tokens, v, "subject") for v in verbs):
        return True
    return _bound_to_nouns(family, answer, sentence, parsed, appositive=True) if not verbs else False


def _bound_to_nouns(nouns: set[str], answer: str, sentence: str, parsed: Parsed, appositive: bool = False) -> bool:
    """Is the name bound to one of the relation's nouns in the sentence (True where it has none)? `appositive`:
    the noun may describe the name ("director Sam Wrench", "Sam Wrench, the director")."""
    tokens = parsed.tokens
    found = [j for j, t in enumerate(tokens) if t.lemma in nouns and t.pos in ("NOUN", "PROPN")]
    inside = set(_covering(answer, sentence, parsed))
    if not found or not inside:
        return True
    for j in found:
        if appositive and tokens[j].head in inside:
            return True
        as_ = tokens[j].dep == "pobj" and tokens[tokens[j].head].lemma == "as"  # "hired Wrench *as director*"
        if appositive and as_ and inside & (_filler(tokens, tokens[tokens[j].head].head, "subject")
                                            | _filler(tokens, tokens[tokens[j].head].head, "object")):  # fmt: skip
            return True
        if any(tokens[i].head == j for i in inside) or j in inside:
            return True  # "Wullaert's brace", "the Ryland field goal"
        if any(_in_phrase_of(tokens, i, j) for i in inside):
            return True  # "goals *from* Badiashile", "operations *for* firms such as Intel"
        at = tokens[j].head if tokens[j].dep in ("dobj", "attr", "oprd") else -1
        holder = "object" if tokens[j].dep == "oprd" else "subject"  # "X has been named chief AI *officer*": X
        for _ in range(4):  # the verb that governs it, or one its clause hangs on ("Ubisoft has *signed* a deal
            if at < 0:  # giving it cloud gaming *rights*")
                break
            if tokens[at].pos in ("VERB", "AUX") and inside & _filler(tokens, at, holder):
                return True
            at = tokens[at].head if tokens[at].head != at and tokens[at].dep != "ccomp" else -1  # (not who says it)
    return False


def _in_phrase_of(tokens: tuple[Token, ...], at: int, noun: int) -> bool:
    """Is the token inside the noun's phrase — the noun above it with no verb between ("goals from *Badiashile*";
    not "*Blackburn*" of "beat Blackburn thanks to goals")?"""
    for _ in range(5):
        head = tokens[at].head
        if head == at or tokens[head].pos in ("VERB", "AUX"):
            return False
        if head == noun:
            return True
        at = head
    return False


_PARTIES = {"person", "person-strict", "agent", "organisation", "team"}


def _attached(answer: str, sentence: str, parsed: Parsed, relations: tuple[str, ...]) -> bool:
    """Is the date or amount part of the clause that states the relation? In "the reappointment of To Lam builds
    on trade links since the trade agreement entered into force in *2020*", 2020 dates the agreement, not the
    reappointment. True when the question has no relation or the sentence no word for it (checked before)."""
    tokens = parsed.tokens
    family = _family(*relations)
    at = sentence.find(answer)
    inside = [i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)] if at >= 0 else []
    if not relations or not inside:
        return True
    i, seen = inside[0], set[int]()
    while i not in seen:
        seen.add(i)
        if tokens[i].lemma in family or tokens[i].text.lower() in family:
            return True
        near = {j for j, t in enumerate(tokens) if t.head == i and j != i}
        near |= {j for j, t in enumerate(tokens) if t.head in near and j not in near and j != i}
        if any(
            _misread_head(tokens, j) in family
            for j in near
            if tokens[j].dep in _CORE or _phrasal(tokens, j, i) or i in inside and _measured_in(tokens, j, i)
        ):
            return True
        if tokens[i].pos == "VERB" and tokens[i].dep in _CLAUSES and not _infinitive(tokens, i):
            return False  # the answer's clause is another's ("… since the agreement *entered* into force in 2020")
        i = tokens[i].head
    return False


_CLAUSES = {"advcl", "conj", "relcl", "ccomp", "parataxis"}  # a verb's own clause, within a longer sentence


def _infinitive(tokens: tuple[Token, ...], verb: int) -> bool:
    """Is the verb an infinitive ("a way *to put* cranberries in a can in 1912"), which has no time of its own?"""
    return any(t.head == verb and t.dep == "aux" and t.lemma == "to" for t in tokens)


def _measured_in(tokens: tuple[Token, ...], j: int, amount: int) -> bool:
    """Is the token what the amount is counted in ("$21 million in ticket *sales*", "$5 billion in *revenue*")?"""
    prep = tokens[j].head
    return tokens[j].dep == "pobj" and tokens[prep].lemma == "in" and tokens[prep].head == amount


def _in_clause(answer: str, sentence: str, parsed: Parsed, events: tuple[str, ...]) -> bool:
    """Is a place the place of the question's event: where the sentence states it with a verb, does the place
    belong to a clause of the event ("kicked off in *Stockholm*", "faces *overlapping* claims with *China*"; not
    "ended in *Kansas City*")? True when no verb of the event is there."""
    tokens = parsed.tokens
    family = _family(*events)
    stated = [j for j, t in enumerate(tokens) if t.lemma in family]
    if not stated:
        return True
    if not any(tokens[j].pos == "VERB" for j in stated):  # by a noun, in its verb's clause ("now calls San
        stated = [j for j in stated if tokens[j].dep in ("dobj", "attr", "oprd")]  # Francisco its *headquarters*")
        if not stated:
            return True
    inside = _covering(answer, sentence, parsed)
    if not inside or any(_under(tokens, j, set(inside)) for j in stated):
        return True  # the place described by the event: "the South China Sea, where Vietnam faces *overlapping* claims"
    return _clause(tokens, inside[0]) in {_clause(tokens, j) for j in stated}


def _clause(tokens: tuple[Token, ...], at: int) -> int:
    """The verb whose clause the token is in (a verb used as an adjective, "*overlapping* claims", is in its noun's)."""
    seen = set()
    while at not in seen and not (tokens[at].pos in ("VERB", "AUX") and tokens[at].dep != "amod"):
        seen.add(at)
        at = tokens[at].head
    return at


def _phrasal(tokens: tuple[Token, ...], j: int, verb: int) -> bool:
    """Is the token the noun of a verb's prepositional idiom ("entered into *force*", "came into *effect*")?"""
    return tokens[j].dep == "pobj" and tokens[tokens[j].head].head == verb and tokens[verb].pos == "VERB"


def _a(kind: str) -> str:
    return {
        "person": "a person",
        "agent": "a person or organisation",
        "organisation": "an organisation",
        "place": "a place",
        "named": "a name",
        "date": "a date",
        "amount": "an amount",
        "money": "an amount of money",
        "percent": "a percentage",
        "count": "a number",
        "size": "an amount",
        "team": "a team",
        "title": "a title",
    }.get(kind, "anything")


def typed(kind: str, answer: str, sentence: str, parsed: Parsed | None = None) -> bool:
    """Is `answer`, where `sentence` writes it, of the asked type: a name of the asked kind (spaCy's entity
    label), an amount of money, a percentage, a count (not a duration: "11 months" is no trade figure)?"""
    if kind == "score":  # "12-11", "32 to 17"
        return bool(re.fullmatch(r"\d{1,3}\s*(?:-|–|to)\s*\d{1,3}", answer.strip()))
    if kind in ("money", "percent", "count", "size"):
        score = re.fullmatch(r"\d{1,3}\s*[-–]\s*\d{1,3}", answer.strip())
        counter = _picture_number(answer, sentence, parsed or parse(sentence))
        return not score and not counter and not _part_of_score(answer, sentence) and _amount(kind, answer, sentence)
    parsed = parsed or parse(sentence)
    if kind in TYPES:
        at = sentence.find(answer)
        surname = at < 0 and " and " not in answer and answer.split()[-1] in sentence  # "Dylan Cease" as "Cease"
        if surname:
            answer = answer.split()[-1]
            at = sentence.find(answer)
        if at < 0:
            return True  # a name assembled from several sentences ("A and B"): checked where it was chosen
        if kind in _NO_COUNTRY and is_country(answer) or kind == "place" and re.search(r"\d", answer):
            return False  # (a place's name has no digits: "League A1" is a division)
        covering = [e for e in parsed.entities if e.start < at + len(answer) and at < e.end]
        labels = {e.label for e in covering}
        if surname and not labels:  # "founded by Lopez": untagged, so no evidence against the full name
            return kind in _SURNAMED  # (but a surname names no place or title: "Reeves’" is no spinoff)
        around = " ".join(e.text for e in covering)
        if kind == "person" and "PERSON" not in labels and not _may_be_person(answer, sentence, around):
            return False
        if kind == "person" and "PERSON" not in labels and _as_adjective(answer, at, parsed):
            return False  # ("the *IoT* business")
        if kind in ("person", "person-strict") and "PERSON" not in labels and _located(answer, at, parsed):
            return False  # ("another of those weeks *at Old Trafford*")
        if kind in ("person", "agent") and _first_name_misread(answer, at, covering, parsed):
            return True
        if kind == "title" and re.search(rf"[“\"‘']{re.escape(answer)}", sentence):
            return True  # a title written in quotes
        if kind in ("agent", "organisation") and not labels & PERSON and answer.split()[-1].lower() in _ORG_HEADS:
            return True  # an organisation's word ends it: "777 *Partners*", tagged a number
        if kind in ("agent", "organisation", "team") and any(_SCORE_AFTER.fullmatch(e.text[len(answer) :]) for e in
                                                             covering if e.text.startswith(answer)):  # fmt: skip
            return True  # a side with its score, tagged as one name: "beat *Louisville 16-6*" (a facility)
        return bool(labels & TYPES[kind])
    return True


_SCORE_AFTER = re.compile(r"\s+\d{1,3}\s*[-–]\s*\d{1,3}")


def _a_difference(answer: str, sentence: str) -> bool:
    """Is the amount a difference from another ("22% *more*", "$5 *cheaper* than", "fell *0.1 percentage points*
    to 44.2%"), not a level?"""
    at = sentence.find(answer)
    return at >= 0 and bool(_COMPARATIVE.match(sentence[at + len(answer) :]) or _POINTS.search(answer))


_POINTS = re.compile(r"\bpercentage points?\b", re.I)  # a difference of two percentages, never a level


def _compares(asked: Asked) -> bool:
    """Does the question ask a change or a comparison ("By what percentage did revenue fall", "how much more")?"""
    return bool(_COMPARED_Q.search(asked.subject)) or bool(set(asked.relations) & _CHANGE)


_COMPARATIVE = re.compile(r"\s*(?:more|less|higher|lower|fewer|greater|cheaper|bigger|smaller|larger)\b", re.I)
_COMPARED_Q = re.compile(r"\b(?:more|less|higher|lower|fewer|greater|than|compared|by (?:what|how))\b", re.I)
_CHANGE = _family("rise", "fall")


def _located(answer: str, at: int, parsed: Parsed, prepositions: frozenset[str] = _AT_OR_IN) -> bool:
    """Is the name where something is ("at *Old Trafford*", "in *Hanoi*"): the object of one of `prepositions`?"""
    tokens = parsed.tokens
    inside = {i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)}
    heads = _heads(tokens, inside)
    return bool(heads) and tokens[heads[0]].dep == "pobj" and tokens[tokens[heads[0]].head].lemma in prepositions


def _picture_number(answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the answer a bare number before a name that opens the sentence — a gallery's picture number, not an amount
    ("*5* Sir Jim Ratcliffe has an offer on the table for 25 per cent", "*6* Ratcliffe could still have a big say")?"""
    tokens = parsed.tokens
    if not answer.isdigit() or len(tokens) < 2 or tokens[0].text != answer or tokens[1].pos != "PROPN":
        return False
    return tokens[0].dep == "meta" or tokens[0].dep == "nummod" and tokens[tokens[0].head].pos == "PROPN"


_SURNAMED = {"person", "person-strict", "agent", "organisation", "team"}  # kinds a name given by its last word may be
_ORG_HEADS = _ORG_NOUNS | _words(
    "department ministry institute association council committee commission authority board league club fc "
    "foundation fund capital ventures holdings partners labs inc corp corporation ltd llc plc co games media news "
    "times post journal press service services police office center centre hospital clinic systems technologies"
)


def _may_be_person(answer: str, sentence: str, entity: str) -> bool:
    """A name spaCy does not call a person may still be one ("Bankman-Fried" ORG), unless it is written as an
    acronym ("CAIO"), as a quoted title (“Renaissance”) or is (part of) an entity with an organisation's word
    ("Justice Department", "Justice" of "the Department of Justice")."""
    at = sentence.find(answer)
    quoted = at > 0 and sentence[at - 1] in "“\"‘'"
    words = {re.sub(r"\W", "", w).lower() for w in f"{answer} {entity}".split()}
    return not (answer.replace(" ", "").isupper() or quoted or words & _ORG_HEADS)


def _as_adjective(answer: str, at: int, parsed: Parsed) -> bool:
    """Does the sentence use the name as an adjective ("the *IoT* business", ORG)? Then it is no one's name."""
    inside = [t for t in parsed.tokens if at <= t.start < at + len(answer)]
    return bool(inside) and all(t.pos == "ADJ" for t in inside)


def _first_name_misread(answer: str, at: int, covering: list[Entity], parsed: Parsed) -> bool:
    """Is a full name of proper nouns tagged only in its first word, as a nationality or a place ("*Florian*
    Prucker" NORP)? The label is of another span; the name is a person's."""
    inside = [t for t in parsed.tokens if at <= t.start < at + len(answer)]
    return (
        len(covering) == 1
        and covering[0].start == at
        and covering[0].end < at + len(answer)
        and covering[0].label in ("NORP", "GPE")
        and len(inside) >= 2
        and all(t.pos == "PROPN" and t.text[:1].isupper() for t in inside)
    )


def _part_of_score(answer: str, sentence: str) -> bool:
    """Is the number one side of a score or a time ("Chicago Fire *0*-0", "*7*:30 p.m.")?"""
    at = sentence.find(answer)
    if at < 0 or not answer[:1].isdigit():
        return False
    return bool(re.match(r"[-–:]\d", sentence[at + len(answer) :]) or re.search(r"\d[-–:]$", sentence[:at]))


_JOINTLY = re.compile(r"\b(?:together|along) with\b|\balongside\b|\bjointly\b|\bco-?\w+ed with\b", re.I)


def _partner(answer: str, sentence: str, parsed: Parsed, names: frozenset[str]) -> bool:
    """Is the answer written as a partner of a name the question gives ("the EU *and* Vietnam signed …" does not
    say who signed for Vietnam)? Coordination in spaCy's parse: one is the other's `conj`."""
    at = sentence.find(answer)
    if at < 0 or not names:
        return False
    tokens = parsed.tokens
    inside = {i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)}
    named = {i for i, t in enumerate(tokens) if t.text.lower() in names and i not in inside}
    return any(
        tokens[i].dep == "conj" and (i in inside and tokens[i].head in named or i in named and tokens[i].head in inside)
        for i in range(len(tokens))
    )


def _amount(kind: str, answer: str, sentence: str) -> bool:
    at = sentence.find(answer)
    after = sentence[at + len(answer) :] if at >= 0 else ""
    money = bool(_CURRENCY.search(answer) or _CURRENCY.match(after.lstrip()))
    percent = bool(re.search(r"%|\bper ?cent(?:age points?)?\b", f"{answer} {after[:9]}", re.I))
    if kind == "money":
        return money
    if kind == "percent":
        return percent
    duration = bool(_DURATION.search(answer.split(maxsplit=1)[-1] if " " in answer else after))
    return not money and not percent and not duration if kind == "count" else not duration


def _in_slot(answer: str, sentence: str, parsed: Parsed, slot: str, verb: str) -> bool:
    """Where the sentence uses the question's verb (or one of its relation), is the answer in the slot asked —
    its subject ("*Djokovic* defeated Medvedev", "Medvedev was beaten by *Djokovic*", "*Microsoft*, which bought
    …") or its object? True when the sentence has no such verb or the answer is not found in it."""
    at = sentence.find(answer)
    tokens = parsed.tokens
    family = _family(verb)
    verbs = [i for i, t in enumerate(tokens) if t.pos in ("VERB", "AUX") and t.lemma in family]
    if at < 0 or not verbs:
        return True
    inside = {i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)}
    if slot == "object":  # an object, a recipient, what a preposition adds: anything but the subject, or the
        # object of another verb ("earned a promotion … when the Wild *fired* Bruce Boudreau" is not whom it hired)
        elsewhere = any(tokens[i].dep == "dobj" and tokens[i].head not in verbs for i in inside) and not any(
            _under(tokens, i, set(verbs)) for i in inside
        )
        return not elsewhere and any(not inside & _filler(tokens, v, "subject") for v in verbs)
    return any(inside & (_filler(tokens, v, slot) | _partner_of(tokens, v)) for v in verbs)


def _partner_of(tokens: tuple[Token, ...], verb: int) -> set[int]:
    """The partner of a joint act, who did it as much as its subject ("X, who *co-founded* the company *with*
    Florian Prucker": Prucker co-founded it with X)."""
    if not tokens[verb].text.lower().startswith("co-"):
        return set()
    preps = {i for i, t in enumerate(tokens) if t.head == verb and t.dep == "prep" and t.lemma == "with"}
    partners = {i for i, t in enumerate(tokens) if t.head in preps and t.dep == "pobj"}
    return partners | {i for i, t in enumerate(tokens) if t.head in partners and t.dep in ("compound", "conj")}


def _taken(answer: str, sentence: str, parsed: Parsed, roles: tuple[tuple[str, str], ...]) -> str:
    """The verb whose part the answer fills in the sentence where the question gives that part to one of its
    own names ("" when none)."""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    for lemma, role in roles:
        family = _family(lemma)
        for v, t in enumerate(tokens):
            if t.pos in ("VERB", "AUX") and t.lemma in family and inside & _filler(tokens, v, role):
                return lemma
    return ""


_SAY = _family("say") | {"report", "tweet"}
_SAID = re.compile(
    r"\b(?:say|says|said|tell|tells|told|stated|according|wr[io]te|writes|claim(?:s|ed)?|note[sd]?|add(?:s|ed)?|"
    r"comment(?:s|ed)?|explain(?:s|ed)?|warn(?:s|ed)?|argue[sd]?|quote[sd]?|report(?:s|ed)?|source)\b",
    re.I,
)


def _heads(tokens: tuple[Token, ...], span: set[int]) -> list[int]:
    """The tokens of a span whose head is outside it (one for a name the parser reads as one phrase)."""
    return [i for i in sorted(span) if tokens[i].head not in span]


def _only_the_source(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the name only who tells what the sentence says — "*according to* The Information, …", "…," said
    athletic director *Alan Haller* — where the question does not ask who said it? A source fills no part of
    what it reports."""
    if _SAY & _family(*asked.relations) or _SAID.search(asked.subject):  # (who said it; "revenue" a company reports)
        return False
    tokens = parsed.tokens
    top = _heads(tokens, set(_covering(answer, sentence, parsed)))
    if len(top) != 1:
        return False
    at = top[0]
    while tokens[at].dep == "conj" and tokens[at].head != at:  # "Ron and *Sarah* write that …"
        at = tokens[at].head
    token = tokens[at]
    head = tokens[token.head]
    family = _family(*asked.relations)
    if any(_under(tokens, j, {top[0]}) and t.lemma in family for j, t in enumerate(tokens)):
        return False  # "*José Antonio Ramos Calamonte, ASOS's chief executive*, said …": the name is described
    if token.dep == "pobj" and head.lemma == "to" and tokens[head.head].lemma == "accord":
        return True
    return token.dep == "nsubj" and head.lemma in _SAY and head.pos == "VERB"


# a relation stated from the other side, by the verb and the preposition that marks the asked party: whoever is
# sold a thing buys it; whoever another loses to wins; whoever a thing is collected from provides it
_SOLD_TO = (_words("sell"), "to")
_LOST_TO = (_words("lose"), "to")
_TAKEN_FROM = (_words("collect gather obtain receive"), "from")
_BOUGHT_FROM = (_words("buy acquire purchase"), "from")
_CONVERSES = {"buy": _SOLD_TO, "acquire": _SOLD_TO, "purchase": _SOLD_TO, "win": _LOST_TO, "beat": _LOST_TO,
              "defeat": _LOST_TO, "provide": _TAKEN_FROM, "give": _TAKEN_FROM, "supply": _TAKEN_FROM,
              "donate": _TAKEN_FROM, "sell": _BOUGHT_FROM}  # fmt: skip


def _by_converse(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> str:
    """Does the sentence state the asked relation by its converse: "fits" with the answer in the asked part
    ("Moshiri agreed to *sell* his stake *to* 777 Partners" for who agreed to buy it; "Medvedev *lost to*
    Djokovic" for who won, and for whom Djokovic beat: Medvedev), "against" with the answer in the other
    (Moshiri, the seller, did not buy), "" where it does not? What "how many" counts has its part too: "samples
    collected *from 9,200 pregnant people*" for how many people provided them."""
    slot, verb = (asked.slot, asked.verb) if asked.slot else asked.counted_role
    converse, marker = _CONVERSES.get(verb, (frozenset(), ""))
    if not converse or slot not in ("subject", "object"):
        return ""
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    for v, t in enumerate(tokens):
        if (
            t.pos != "VERB"
            or t.lemma not in converse
            and not (converse == _SOLD_TO[0] and _moved_for_a_price(tokens, v))
        ):
            continue
        near = {v} | {j for j, u in enumerate(tokens) if u.head == v and u.dep == "dobj"}  # (or "his stake *to* …")
        to = {j for j, u in enumerate(tokens) if u.head in near and u.dep in ("prep", "dative") and u.lemma == marker}
        objects = {j for j, u in enumerate(tokens) if u.head in to and u.dep == "pobj"}
        party = {j for j in range(len(tokens)) if _under(tokens, j, objects)}
        subject = _filler(tokens, v, "subject")
        asked_part, other_part = (party, subject) if slot == "subject" else (subject, party)
        named = " ".join(tokens[j].text for j in sorted(other_part))
        if party and inside & asked_part and (slot == "subject" or not asked.agent or _named(asked.agent, named)):
            return "fits"
        if party and inside & other_part:
            return "against"
    return ""


def _moved_for_a_price(tokens: tuple[Token, ...], verb: int) -> bool:
    """Is the verb a move to a new owner for a price — sold by its converse ("Cummins *went* to Sunrisers
    Hyderabad *for Rs 20.50 Cr*", "moved to Chelsea for £50m")?"""
    if tokens[verb].lemma not in _MOVE:
        return False
    fors = {j for j, u in enumerate(tokens) if u.head == verb and u.dep == "prep" and u.lemma == "for"}
    return any(
        u.head in fors and u.dep == "pobj" and _CURRENCY.search(_subtree_text(tokens, {j}))
        for j, u in enumerate(tokens)
    )


_MOVE = _words("go move")


def _subtree_text(tokens: tuple[Token, ...], heads: set[int]) -> str:
    """The words of the tokens at `heads` and of all they govern, in sentence order."""
    return " ".join(t.text for j, t in enumerate(tokens) if _under(tokens, j, heads))


def _done_by_another(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Where the question asks whom its named subject did something to ("Who did *Florida State* beat?"), does
    every verb of the relation in the sentence have another named subject ("*Ohio State* won the Big Ten title
    game"; for "Which title did *Canelo* retain by beating Charlo?", "*Barrios* claims interim WBC welterweight
    title": the question's other verb is the relation too)?"""
    if asked.slot != "object" or not asked.agent:
        return False
    tokens = parsed.tokens
    family = _family(asked.verb, *asked.events)
    other = False
    for v, t in enumerate(tokens):
        if t.pos != "VERB" or t.lemma not in family:
            continue
        subject = _filler(tokens, v, "subject")
        words = {tokens[j].text.lower() for j in subject}
        if (
            not any(tokens[j].pos == "PROPN" and tokens[j].ent != "NORP" for j in subject)
            or set(asked.agent.lower().split()) <= words
        ):
            return False  # (by all its words: "Ohio State" is not "Florida State"; a nickname, "the *Seminoles*
            # team", may be the asked one's)
        other = True
    return other


def _describes_a_person(answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the name a word that describes a person ("*Reddit* co-founder Alexis Ohanian", "*Texas* governor")?"""
    tokens = parsed.tokens
    top = _heads(tokens, set(_covering(answer, sentence, parsed)))
    heads = [tokens[tokens[i].head].lemma for i in top if tokens[i].dep == "compound"]
    return any(head in _PERSON_NOUNS or head[:2] == "co" and head[2:].lstrip("-") in _PERSON_NOUNS for head in heads)


def _done_to_another(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Does the answer, where the sentence makes it the subject of the question's verb, do it only to names
    the question does not give ("Which drugmaker produces lecanemab?": "donanemab, produced by *Eli Lilly*")?
    An object that is no name ("acquired *the startup*") or is one of the question's own leaves it answered."""
    if not asked.patient:
        return False
    tokens = parsed.tokens
    inside = set(_covering(answer, sentence, parsed))
    family = _family(asked.verb)
    other = False
    for v, t in enumerate(tokens):
        if t.pos not in ("VERB", "AUX") or t.lemma not in family or not inside & _filler(tokens, v, "subject"):
            continue
        objects = _filler(tokens, v, "object") - inside
        names = {tokens[j].text.lower() for j in objects if tokens[j].pos == "PROPN" or tokens[j].ent in _NAME_LABELS}
        if not names and asked.named_patient and _indefinite(tokens, objects):
            other = True  # "caught *a short pass*" is not the Hail Mary the question names
            continue
        if not names or names & asked.patient:
            return False
        other = True
    return other


def _indefinite(tokens: tuple[Token, ...], phrase: set[int]) -> bool:
    """Is the phrase's head introduced by "a", "an" or "another" — something new, not one already named?"""
    heads = _heads(tokens, phrase)
    return bool(heads) and any(t.dep == "det" and t.head == heads[0] and t.lemma in _INDEFINITE for t in tokens)


_INDEFINITE = _words("a an another")


def _filler(tokens: tuple[Token, ...], verb: int, slot: str) -> set[int]:
    """The tokens that fill `slot` of the verb at `verb`, with the names joined to them (conj, appos, compound)."""
    passive = any(t.dep in ("auxpass", "agent") and t.head == verb for t in tokens)
    want = ("nsubjpass",) if slot == "object" and passive else ("dobj",) if slot == "object" else ("nsubj",)
    found = {i for i, t in enumerate(tokens) if t.head == verb and i != verb and t.dep in want}
    if slot == "subject" and passive:  # "… seen by Reuters", "Medvedev was beaten by Djokovic"
        found = {i for i, t in enumerate(tokens) if t.dep == "pobj" and tokens[t.head].dep == "agent"
                 and tokens[t.head].head == verb}  # fmt: skip
    elif tokens[verb].dep in ("relcl", "acl") and (not found or all(tokens[i].lemma in _RELATIVE for i in found)):
        found = {tokens[verb].head}  # "Microsoft, which bought …", "the company building …": the noun described
    at = verb
    while (
        not found
        and slot == "subject"
        and tokens[at].dep in ("xcomp", "conj", "advcl", "relcl", "pcomp", "prep", "pobj", "dobj")
        and at != tokens[at].head
    ):  # up to the clause's verb: "Nokia and Ericsson are playing a role in *developing* …"
        if tokens[at].dep == "relcl":  # "Microsoft, which bought …": the noun the clause describes
            found = {tokens[at].head}
            break
        shared = tokens[at].dep == "conj"  # "X was nominated … and took home the prize": X took it
        at = tokens[at].head
        subjects = ("nsubj", "nsubjpass") if shared else ("nsubj",)
        found = {i for i, t in enumerate(tokens) if t.head == at and i != at and t.dep in subjects}
    joined = set(found)
    changed = True
    while changed:
        more = {i for i, t in enumerate(tokens) if t.head in joined and t.dep in ("conj", "appos", "compound")}
        more |= {
            i for i, t in enumerate(tokens) if t.head in joined and t.text.lower() in _EXAMPLES
        }  # "firms such as X"
        more |= {
            i
            for i, t in enumerate(tokens)
            if t.head in joined and t.dep == "pobj" and tokens[t.head].text.lower() in _EXAMPLES
        }
        more |= {tokens[i].head for i in joined if tokens[i].dep in ("compound",)}
        changed = not more <= joined
        joined |= more
    return joined


_PARTICLES = _words("out up off down over back through away")


def _stated(
    lemma: str, parsed: Parsed, modal: bool = False, own_verb: bool = False, by_verb: bool = False, event: bool = False
) -> bool:
    """Does the sentence state the relation — as a fact, unless the question asks about a plan: "will face
    in the final", "hopes to win", "could sign" do not say who won or signed. `own_verb`: a noun counts only where
    no verb outside its family governs it (a light one aside: "made the catch"), and by its own word: the object
    of another verb is not its family's ("scored the *winner*" is a goal, not a "victory"). `by_verb`: a verb of
    the family, or a word written as one of its own ("as Evason's *successor*"), not a noun found by its lemma
    ("*goals* from X"). `event`: the lemma is the question's verb, which an adjective spelt as it does not state
    ("sought out a *direct* deal" directed nothing; a noun's may: "a club *friendly*").
    """
    family = {lemma} if own_verb else _family(lemma)
    tokens = parsed.tokens
    for i, t in enumerate(tokens):
        if by_verb and t.pos not in ("VERB", "AUX") and t.text.lower() not in family:
            continue
        word = t.text.lower()
        if not (
            t.lemma in family or word in family or len(lemma) >= 5 and len(t.lemma) >= 5 and t.lemma[:5] == lemma[:5]
        ) or (t.lemma not in family and (t.lemma.removeprefix(lemma) in _PARTICLES or t.pos == "ADV")):
            continue  # (a verb and its particle as one noun names another thing: "*knockout* rounds"; an adverb
            # states no event: "deals made *directly* with AMC" directed nothing)
        if event and t.pos == "ADJ" and t.lemma == lemma:
            continue
        if own_verb and (
            t.pos == "PROPN" or t.ent in _NAME_LABELS or t.pos != "VERB" and _verb_elsewhere(tokens, i, family, modal)
        ):
            continue  # (a name is not a relation: "49ers" of "who won 49ers vs ravens" in "San Francisco 49ers")
        if t.pos == "VERB" and t.lemma in _HOPES and not modal:
            continue  # trying is not scoring (a rugby "try" is the noun)
        if modal or t.pos not in ("VERB", "AUX") or not _hedged(tokens, i):
            return True
    return False


def _verb_elsewhere(tokens: tuple[Token, ...], at: int, family: set[str], modal: bool) -> bool:
    """Does a verb outside the relation govern the noun, or one of hoping, as a fact ("try for a go-ahead field
    goal" scores none)?"""
    governor = _governor(tokens, at)
    return governor not in family | _LIGHT | {""} or not modal and governor in _HOPES


def _governor(tokens: tuple[Token, ...], at: int) -> str:
    """The lemma of the verb a noun is the object of ("" when it is no verb's: "Ryland's field goal"; as a verb's
    subject it is still said to have happened: "Wullaert's brace fired Belgium to a win")."""
    if tokens[at].dep not in ("dobj", "pobj"):
        return ""
    head = tokens[at].head
    if tokens[at].dep == "pobj":  # "opted for a Hail Mary": the preposition's verb
        head = tokens[head].head
    return tokens[head].lemma if tokens[head].pos == "VERB" else ""


_START = {"start", "begin", "launch", "found", "open", "introduce", "debut", "enter", "first", "establish"}
_END = {"end", "stop", "finish", "close", "quit", "leave", "last", "expire"}


def date_fits(asked: Asked, answer: str, sentence: str) -> bool:
    """Is this date, where the sentence writes it, the one asked: stated as a fact, of the party asked about,
    and the right end of a period ("charged a fee *until 2016*" is not when the charging started)?"""
    parsed = parse(sentence)
    if not asked.modal and _answer_hedged(answer, sentence, parsed):
        return False
    if _someone_else(answer, sentence, parsed, asked):
        return False
    before = sentence[: max(sentence.find(answer), 0)].lower().split()[-2:]
    wanted = set(asked.relations) | set(asked.constraints)
    if wanted & _START and set(before) & {"until", "till", "through", "to"}:
        return False
    return not (wanted & _END and set(before) & {"since", "from"})


def _someone_else(answer: str, sentence: str, parsed: Parsed, asked: Asked) -> bool:
    """Is the amount or date stated of another party than the one asked about? "Shopify had acquired Deliverr for
    *$2.1 billion*" does not say what Flexport paid; "Victoza was FDA-approved in *January 2010*" is not
    Wegovy's date: the verb the answer belongs to has a named subject the question does not name."""
    at = sentence.find(answer)
    tokens = parsed.tokens
    inside = [i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)] if at >= 0 else []
    if not inside:
        return False
    i, seen = inside[0], set[int]()
    while i not in seen and (tokens[i].pos not in ("VERB", "AUX") or _subjectless_participle(tokens, i)):
        seen.add(i)  # (up from a participle that describes a noun: "*has* $115 million deferred in his contract")
        i = tokens[i].head
    i = _out_of_dashes(tokens, inside[0], i)
    if _to_another(tokens, i, asked):
        return True
    party = asked.agent or asked.owner
    if not party:
        return False
    # the verb's subject, also where the parser hangs it on the verb's auxiliary ("Ozempic *was* FDA-approved") or,
    # for "was FDA-approved" read as an adjective, on "was"
    holders = {i} | {j for j, t in enumerate(tokens) if t.head == i and t.dep in ("aux", "auxpass")}
    if tokens[i].dep == "acomp" and tokens[tokens[i].head].lemma == "be":
        holders.add(tokens[i].head)
    subjects = {j for j, t in enumerate(tokens) if t.head in holders and t.dep in ("nsubj", "nsubjpass")
                and j not in holders and j not in inside}  # fmt: skip
    passive = tokens[i].dep == "acomp" or any(tokens[j].dep == "auxpass" for j in holders)
    if passive != asked.passive:  # a passive sentence's subject is the question's object
        return False
    subjects = {j for j in subjects if not any(_under(tokens, k, {j}) for k in inside)}  # "the *$69 billion* deal"
    subject = _subtree_text(tokens, subjects)
    proper = any(tokens[j].pos == "PROPN" and _under(tokens, j, subjects) for j in range(len(tokens)))
    if _named(party, subject):
        return False
    if proper:  # "*Shopify* had acquired Deliverr for $2.1 billion" (what Flexport paid is asked)
        return True
    if not asked.agent:  # whose deal it is: "signing *Craig Kimbrel* to a $13 million deal" is his
        return False
    # the party asked about is another party of the verb: "he bought Psagot for NIS 405 million from *Altshuler
    # Shaham*" is not what Altshuler Shaham paid
    parties = {j for j, t in enumerate(tokens) if t.head == i and t.dep in ("dobj", "dative")
               or t.dep == "pobj" and tokens[t.head].head == i and tokens[t.head].dep == "prep"}  # fmt: skip
    parties = {j for j in parties if not any(_under(tokens, k, {j}) for k in inside)}  # (not the answer's own)
    return _named(asked.agent, _subtree_text(tokens, parties))


def _subjectless_participle(tokens: tuple[Token, ...], at: int) -> bool:
    """Is the verb a participle that describes a noun, with no subject of its own ("$115 million *deferred*")?"""
    return tokens[at].dep == "acl" and not any(t.head == at and t.dep in ("nsubj", "nsubjpass") for t in tokens)


def _to_another(tokens: tuple[Token, ...], verb: int, asked: Asked) -> bool:
    """Does the verb the answer belongs to have an object named otherwise than the one the question names ("Spears
    married *Sam Asghari*" in *June 2022*: not when she married Kevin Federline)?"""
    if (
        not asked.patient & asked.names
        or tokens[verb].pos != "VERB"
        or tokens[verb].lemma not in _family(*asked.events)
    ):
        return False  # (its object is no name: "when did she marry *her boyfriend*")
    objects = {tokens[j].text.lower() for j in _filler(tokens, verb, "object") if tokens[j].pos == "PROPN"}
    return bool(objects) and not objects & asked.names  # (by any of its names: "paid Altshuler Shaham *for Psagot*")


def _out_of_dashes(tokens: tuple[Token, ...], at: int, verb: int) -> int:
    """The verb a word between two dashes belongs to: the parser hangs an aside ("launched in the U.K. first *— at
    a cost of £99 a pop —* with the US slated to get it") on a verb after it; it is said of the sentence's main
    clause. Otherwise `verb`."""
    dashes = [j for j, t in enumerate(tokens) if t.text in ("—", "–", "--")]
    opened = [j for j in dashes if j < at]
    closed = [j for j in dashes if j > at]
    if not opened or not closed or opened[-1] < verb < closed[0]:
        return verb
    return next((j for j, t in enumerate(tokens) if t.dep == "ROOT" and t.pos in ("VERB", "AUX")), verb)


def _under(tokens: tuple[Token, ...], j: int, roots: set[int]) -> bool:
    seen = set()
    while j not in seen:
        if j in roots:
            return True
        seen.add(j)
        j = tokens[j].head
    return False


_ALIASES = (  # the names a country goes by
    {"us", "usa", "america", "united states", "united states of america"},
    {"uk", "britain", "great britain", "united kingdom"},
)
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")


def _undotted(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


_TITLE_WORDS = {title.lower() for title in TITLES} | {"the", "a", "an"}  # (and an article: "*The* Orioles")


def _another_name_ends(words: list[str], text: str, at: int) -> bool:
    """Is the last word of a name of several words, found at `at`, the end of another name ("Apple *Music*" for
    "YouTube Music")? The capitalised word before it is neither the name's own nor a title ("President Costa") nor
    an article."""
    before = re.search(r"([\w’'-]+)\s+$", text[:at])  # the word right before it, in the same phrase
    if len(words) < 2 or not before or not before.group(1)[:1].isupper():
        return False
    return before.group(1).lower() not in {w.lower() for w in words} | _TITLE_WORDS


def _the_place_instead(words: list[str], text: str, found: re.Match[str]) -> bool:
    """Is the first word of a name called after a place, found alone, the place's own name or another of its
    namesakes ("*Michigan*'s coach" for Michigan State, "Kansas" for Kansas City)?"""
    return (
        len(words) >= 2
        and words[-1].lower() in _AFTER_A_PLACE
        and not re.match(rf"[\s-]+{re.escape(words[1])}\b", text[found.end() :], re.I)
    )


_AFTER_A_PLACE = _words("state city united county")  # the last word of a name called after a place


def _named(name: str, text: str) -> bool:
    """Is the name in the text: whole, by its last word (a surname, "Costa"), by its initials ("EU"), or, a pair
    written with a hyphen ("eu-vietnam"), each of its two names? Initials may be written with full stops ("U.S.")."""
    name, text = _DOTTED.sub(_undotted, name), _DOTTED.sub(_undotted, text)
    aliases = next((group for group in _ALIASES if name.lower().removeprefix("the ") in group), ())
    if any(re.search(rf"\b{re.escape(alias)}\b", text, re.I) for alias in aliases if alias != "us"):
        return True  # "America" for "the U.S." (not "us" in any case: a pronoun)
    if "us" in aliases and re.search(r"\bUS\b", text):
        return True
    words = [re.sub(r"[’']s?$", "", w) for w in re.findall(r"[\w’'-]+", name)]
    words = [w for w in words if w and w.lower() not in ("the", "of", "and")]
    if not words:
        return True
    if len(words[0]) >= 2 and any(not _the_place_instead(words, text, m) for m in _as_written(words[0], text)):
        return True
    if len(words[-1]) >= 2 and any(not _another_name_ends(words, text, m.start()) for m in
                                   _as_written(words[-1], text)):  # fmt: skip
        return True
    initials = "".join(w[0] for w in words if w[0].isupper())
    if len(initials) >= 2 and re.search(rf"\b{initials}\b", text):
        return True
    pair = words[0].split("-") if len(words) == 1 else []
    if len(pair) == 2 and all(len(p) >= 2 for p in pair):  # "eu-vietnam" trade: the EU's and Vietnam's
        return all(_named(p, text) for p in pair)
    acronym = words[0] if len(words) == 1 and words[0].isupper() and len(words[0]) >= 2 else ""
    runs = re.findall(r"[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w’'-]*)+", text)
    return bool(acronym) and any(acronym in "".join(w[0] for w in run.split() if w[0].isupper()) for run in runs)


def _as_written(word: str, text: str) -> Iterator[re.Match[str]]:
    """A name's word in the text in any case ("canelo" for Canelo), but a capitalised one not as a common word in
    lower case ("*Time's* Person of the Year" is not "a lot of *time*") unless the text is all lower case."""
    for match in re.finditer(rf"\b{re.escape(word)}\b", text, re.I):
        if not (word[:1].isupper() and match.group(0).islower() and not text.islower()):
            yield match


def _answer_hedged(answer: str, sentence: str, parsed: Parsed, totals: bool = False) -> bool:
    """Is the answer part of a plan, a hope or a possibility ("aims to reach *50,000* users", "will launch in
    *April*")? The verbs above it are looked at, up to the clause's own verb. `totals`: the question asks only how
    many there were, which a definite noun phrase states whatever the verb over it plans (`_presupposed`)."""
    at = sentence.find(answer)
    if at < 0 or _AGAINST_EXPECTED.match(sentence, at + len(answer)):
        return False  # "Revenue: *$12.94 billion* vs. $12.98 billion expected": the result, set against a forecast
    tokens = parsed.tokens
    inside = [i for i, t in enumerate(tokens) if at <= t.start < at + len(answer)]
    if not inside:
        return False
    if totals and _BARE_COUNT.fullmatch(answer) and _presupposed(tokens, inside):
        return False
    i, seen = inside[0], set[int]()
    while i not in seen and tokens[i].pos not in ("VERB", "AUX") and len(seen) < 3:  # the verb it is an argument of
        seen.add(i)
        i = tokens[i].head
    if tokens[i].lemma in _FORECASTS and tokens[i].pos == "VERB":  # "is predicting *$37.2 billion* in spend"
        return True
    return tokens[i].pos in ("VERB", "AUX") and _hedged(tokens, i)


def _presupposed(tokens: tuple[Token, ...], inside: list[int]) -> bool:
    """Is the answer the count of a definite noun phrase, which speaks of things that were, whatever the verb
    over it plans or fears ("Ireland will rue *the 37 phases* that ended in heartbreak")? Not of a target ("to
    pass *the 50,000* mark"). That they were is all it says: "hopes to open the 50 stores" opened none."""
    counted = [tokens[i].head for i in inside if tokens[i].dep == "nummod" and tokens[tokens[i].head].pos == "NOUN"]
    return any(
        tokens[n].lemma not in _TARGETS and any(t.head == n and t.dep == "det" and t.lemma in _DEFINITE for t in tokens)
        for n in counted
    )


_BARE_COUNT = re.compile(r"[\d,]+|[a-z]+(?:-[a-z]+)?", re.I)  # "37", "thirty-seven": a count, no amount of money
_DEFINITE = _words("the those these")
_TARGETS = _words("mark milestone target goal level threshold barrier limit cap figure")
_AGAINST_EXPECTED = re.compile(
    r"\s*(?:vs\.?|versus)\s+[^,;:]{1,40}?\b(?:expected|estimated|forecast|projected|anticipated)\b", re.I
)
_FORECASTS = {"predict", "forecast", "project", "expect", "anticipate"}  # what they take is not yet a fact
_EARLIER = _words("ago previously formerly earlier once originally")  # an act said to be before the news
_NEW = re.compile(r"\bnew\b", re.I)


def _superseded(asked: Asked, answer: str, sentence: str, parsed: Parsed) -> bool:
    """Where the question asks for the new one ("who's the *new* owner"), is the answer's act said to be an earlier
    one ("the retailer that was only bought … by Frasers Group *a year and a half ago*")?"""
    if not _NEW.search(asked.subject):
        return False
    tokens = parsed.tokens
    at = _verb_taking(tokens, _covering(answer, sentence, parsed))
    return at >= 0 and any(t.head == at and t.lemma in _EARLIER for t in tokens)


_APPOINTING = _STAFFING - {"fire", "sack"}


def _appointment_announced(answer: str, sentence: str, parsed: Parsed) -> bool:
    """Is the answer whom a verb of appointing takes in the future tense, as an appointment is announced ("the Wild
    *will be naming* John Hynes as Evason's successor"), not as a possibility ("could name") or a hope ("hope to
    hire")?"""
    tokens = parsed.tokens
    at = _verb_taking(tokens, _covering(answer, sentence, parsed))
    if at < 0 or tokens[at].lemma not in _APPOINTING or tokens[at].dep == "xcomp":
        return False
    modals = {t.lemma for t in tokens if t.head == at and t.dep == "aux" and t.lemma in _MODALS}
    return bool(modals) and modals <= _WILL


def _verb_taking(tokens: tuple[Token, ...], inside: list[int]) -> int:
    """The verb a phrase (its tokens) is an argument of, up to three steps above its head (-1 where none is)."""
    heads = [i for i in inside if tokens[i].head not in inside]
    if not heads:
        return -1
    at, seen = heads[0], set[int]()
    while at not in seen and tokens[at].pos not in ("VERB", "AUX") and len(seen) < 3:
        seen.add(at)
        at = tokens[at].head
    return at if tokens[at].pos in ("VERB", "AUX") else -1


def _covering(answer: str, sentence: str, parsed: Parsed) -> list[int]:
    """The tokens of the answer where the sentence writes it as a name of its own ("China" of "claims with China",
    not of "the South China Sea"); of its last word for a name written in full elsewhere ("Jon Heyman" as
    "Heyman")."""
    spans = _written(answer, sentence) or (_written(answer.split()[-1], sentence) if answer.split() else [])
    if not spans:
        return []
    alone = [(at, end) for at, end in spans if not _capitalised_beside(sentence, at, end)]
    at, end = (alone or spans)[0]
    return [i for i, t in enumerate(parsed.tokens) if at <= t.start < end]


def _written(text: str, sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", sentence)] if text else []


def _capitalised_beside(sentence: str, at: int, end: int) -> bool:
    """Is the span part of a longer name: a capitalised word right before or after it?"""
    before = re.search(r"([A-Z][\w’'-]*)\s+$", sentence[:at])
    after = re.match(r"\s+[A-Z]", sentence[end:])
    return bool(before and at > len(before.group(0)) or after)


def _denied(answer: str, sentence: str) -> bool:
    """Is the answer written as what it is not ("it wasn't *FromSoftware*", "not *Nokia*")? A negation among the two
    words before it (qa.grounding's negation words)."""
    at = sentence.find(answer)
    return at > 0 and is_negative(" ".join(sentence[:at].split()[-2:]))


def _hedged(tokens: tuple[Token, ...], at: int) -> bool:
    """A verb under a modal ("will win"), or the complement of a hope or a plan ("hopes to win", "set to sign")."""
    seen = set()
    while at not in seen:
        seen.add(at)
        if any(t.head == at and t.lemma in _MODALS and t.dep == "aux" for t in tokens):
            return True
        if tokens[at].dep not in ("xcomp", "acl"):
            return False
        at = tokens[at].head
        if tokens[at].lemma in _HOPES or any(_hope_of(tokens, j, at) for j in range(len(tokens))):
            return True
    return False


def _hope_of(tokens: tuple[Token, ...], j: int, verb: int) -> bool:
    """Is token j a plan word said of `verb` ("is *likely* to", "is on *track* to")?"""
    t = tokens[j]
    if t.lemma not in _HOPES:
        return False
    return t.head == verb and t.dep in ("acomp", "attr") or t.dep == "pobj" and tokens[t.head].head == verb


def _holds(constraint: str, text: str, date: str | None) -> bool:
    if re.fullmatch(r"q[1-4]", constraint):
        digit = constraint[1]
        quarter = (
            rf"(?<!\ba ){_QUARTER_WORDS[digit]}[- ]quarter\b(?! in a row)"  # not "for *a* second quarter in a row"
        )
        return bool(re.search(rf"\bq{digit}\b|\b{quarter}", text))
    if constraint in _ORDINALS:
        return bool(re.search(rf"(?<![\w-])(?:{constraint}|{_ORDINALS[constraint]})\b", text))
    if constraint in _NUMBER_WORDS or constraint.isdigit():
        return bool(re.search(rf"(?<![\d.]){re.escape(constraint)}(?![\d])", text))
    if constraint == _FLOOR_CONSTRAINT:
        return bool(_FLOOR.search(text))
    if constraint == _STAND_IN:
        return bool(_STANDING_IN.search(text))
    if constraint.startswith("series "):
        return bool(re.search(rf"\b{constraint}\b", text))
    if constraint.startswith(("most ", "least ")):  # "most downloaded", "most-downloaded"
        first, rest = constraint.split(" ", 1)
        return bool(re.search(rf"\b{first}[\s-]+{re.escape(rest)}\b", text))
    stem = {"woman": "wom[ae]n", "man": "m[ae]n"}.get(constraint, re.escape(constraint.rstrip("s")) + "s?")
    return bool(re.search(rf"(?<![\w-]){stem}(?:['’]s)?\b", text))  # a "semi-final" is no final


_KIND_OF = re.compile(r"\b(?:what|which)\s+(?:kind|type|sort|form)s?\s+of\b", re.I)
_PREP_ALIKE = [{"of", "from"}, {"with"}, {"to", "into"}, {"for"}, {"in", "at", "on"}, {"by"}, {"about", "on"}]


def aligned(question: str, sentence: str) -> str:
    """The phrase of `sentence` in the place the question's wh-word holds, found by aligning the two parses:
    "Which metal is Vietnam a major supplier *of*?" + "…a major supplier of tungsten" → "tungsten"; "What compound
    did Ekimov *add*…?" + "Ekimov added copper chloride to glass" → "copper chloride". "" when the sentence does
    not use the question's word for the relation, or fills that place with a word the question already has."""
    asked = parse(question)
    anchor, slot = _wh_slot(asked)
    if not anchor or _KIND_OF.search(question):  # "what kind of mining": a quality, not a thing to point at
        return ""
    tokens = parse(sentence).tokens
    family = _family(anchor)
    asked_words = {t.lemma for t in asked.tokens}
    focus = _focus(asked) or "\0"
    for i, t in enumerate(tokens):
        fillers = _fillers(tokens, i, slot) if t.lemma in family else []
        if slot == "dobj" and t.pos == "NOUN" and (t.lemma in family or _agent_noun(t.lemma, anchor)):
            fillers += _fillers(tokens, i, "prep:of")  # what is supplied: "a supplier *of* tungsten"
        for j in fillers:
            phrase = _phrase(tokens, j, sentence)
            words = {u.lemma for u in tokens if phrase and u.start >= sentence.find(phrase)
                     and u.start < sentence.find(phrase) + len(phrase)}  # fmt: skip
            # a phrase with the asked noun itself ("major infrastructure projects") names an instance only as
            # "*his* undisputed … title"
            named = focus not in words or _instance_of(tokens, j, focus)
            if phrase and not words <= asked_words and tokens[j].pos in ("NOUN", "PROPN", "NUM") and named:
                return phrase
    return ""


def _instance_of(tokens: tuple[Token, ...], at: int, focus: str) -> bool:
    """Is the phrase headed by `at` one instance of the asked noun, told apart by what it adds: the noun itself,
    definite or possessed, with a word before it that classifies it ("retained *his undisputed super middleweight
    title*" for "which title"; not "investment in *major infrastructure projects*", a kind)?"""
    head = tokens[at]
    own = [t for t in tokens if t.head == at]
    return (
        head.lemma == focus
        and any(t.dep == "poss" or t.lemma == "the" for t in own)
        and any(t.dep in ("compound", "amod") and t.lemma not in _VAGUE_ADJECTIVES for t in own)
    )


_VAGUE_ADJECTIVES = _words("major big small large new old key main other many several various")


def _agent_noun(noun: str, verb: str) -> bool:
    """Is the noun the verb's doer ("supplier" of supply, "producer" of produce, "exporter" of export)?"""
    return noun in (f"{verb}er", f"{verb}r", f"{verb}or", f"{verb[:-1]}ier")


def _wh_slot(parsed: Parsed) -> tuple[str, str]:
    """(the lemma the wh-word's place hangs on, that place: "prep:of", "dobj" or "nsubj")."""
    tokens = parsed.tokens
    for i, t in enumerate(tokens):  # a stranded preposition: "a supplier of?", "made from?", "dealing with?"
        if t.dep == "prep" and not any(u.head == i and u.dep == "pobj" and u.pos != "ADV" for u in tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following is None or following.pos in ("PUNCT", "ADV") or following.dep == "prep":
                head = tokens[t.head]
                if head.pos in ("NOUN", "VERB") and head.lemma not in ("be", "have", "do"):
                    return head.lemma, f"prep:{t.text.lower()}"
    for t in tokens:
        if t.lemma in ("what", "which"):
            asked = tokens.index(t) if t.dep != "det" else t.head
            head = tokens[tokens[asked].head]
            if tokens[asked].dep == "dobj" and head.pos == "VERB" and head.lemma not in _LIGHT:
                return head.lemma, "dobj"
    return "", ""


def _fillers(tokens: tuple[Token, ...], at: int, slot: str) -> list[int]:
    if slot == "dobj":
        return [j for j, u in enumerate(tokens) if u.head == at and u.dep == "dobj" and j != at]
    prep = slot.split(":", 1)[1]
    alike = next((group for group in _PREP_ALIKE if prep in group), {prep})
    preps = [j for j, u in enumerate(tokens) if u.head == at and u.dep == "prep" and u.text.lower() in alike]
    return [j for j, u in enumerate(tokens) if u.head in preps and u.dep == "pobj"]


def _phrase(tokens: tuple[Token, ...], at: int, sentence: str) -> str:
    """The noun phrase headed by `at`, without determiners and possessives: "stainless steel", "Comprehensive
    Strategic Partnership"."""
    left = at
    while (
        left > 0
        and tokens[left - 1].head in range(left, at + 1)
        and tokens[left - 1].dep in ("compound", "amod", "nummod", "nmod", "punct")
        and tokens[left - 1].text not in ("“", '"', "‘", ",", "(")
    ):
        left -= 1
    end = at
    listed = [j for j, u in enumerate(tokens) if u.head == at and u.dep == "conj" and u.pos in ("NOUN", "PROPN")]
    while listed:  # "rare earths and gallium": the whole list
        end = listed[-1]
        listed = [j for j, u in enumerate(tokens) if u.head == end and u.dep == "conj" and u.pos in ("NOUN", "PROPN")]
    start, last = tokens[left].start, tokens[end]
    return sentence[start : last.start + len(last.text)].strip(' “”"‘’,')


def disagrees(asked: Asked, answer: str, claim: str, cited: str) -> str:
    """Why a drafted sentence may not be shown beside the direct answer `answer` ("" when it may): it names
    another entity or amount of the kind asked instead of the answer ("The news agency that saw the draft was
    the European Union"), it names the answer but its cited sentence does not, it only restates the question,
    or it repeats itself. The same types and relations as the direct answer (`typed`, `asked`)."""
    words = re.findall(r"[\w’'-]+", claim.lower())
    grams = [" ".join(words[i : i + 4]) for i in range(len(words) - 3)]
    if len(grams) != len(set(grams)):
        return "repeats itself"
    named = answer.lower() in claim.lower()
    if named and answer.lower() not in cited.lower():
        return "its cited sentence does not state the answer"
    if answer and not named and asked.type and _names_another(asked.type, answer, claim):
        return f"it names another {asked.type} than the answer ({answer})"
    added = _added_words(claim, cited, asked.subject)
    if added:
        return f"it adds what its sentence does not say ({', '.join(added[:3])})"
    question = {w for w in re.findall(r"[\w’'-]+", asked.subject.lower()) if len(w) > 3}
    own = {w for w in words if len(w) > 3} - question - set(re.findall(r"[\w’'-]+", answer.lower()))
    if not named and not own - _FILLER:
        return "it restates the question"
    return ""


_FILLER = _words("which that this these those there their about with from into have been were will would also")


_CONTENT = {"NOUN", "VERB", "ADJ", "PROPN", "NUM", "ADV"}


def _added_words(claim: str, cited: str, question: str) -> list[str]:
    """Content words (by lemma) of a drafted sentence that neither its cited sentence nor the question has: the
    135M model may reorder and lightly rephrase a verified sentence, not add to it ("the *expansion* of its
    high-speed railway" where the article says a planned network)."""
    have = {t.lemma for t in parse(cited).tokens} | {t.lemma for t in parse(question).tokens}
    have |= {t.text.lower() for t in parse(cited).tokens}
    return [
        t.text
        for t in parse(claim).tokens
        if t.pos in _CONTENT
        and t.lemma not in have
        and t.text.lower() not in have
        and len(t.text) > 2
        and t.lemma not in _LIGHT
        and t.lemma not in _FILLER
        and not t.text.isdigit()
    ]


def _names_another(kind: str, answer: str, claim: str) -> bool:
    if kind in _AMOUNTS or kind in ("date", "score"):
        found = re.findall(r"[$€£]?\d[\d.,]*(?:\s?(?:%|percent|million|billion|bn|m))?", claim)
        return any(f.strip() and f.strip() not in answer for f in found)
    return any(typed(kind, e.text, claim) and e.text not in answer and answer not in e.text for e in entities(claim))
