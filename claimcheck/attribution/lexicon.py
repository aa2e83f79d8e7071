"""The words attribution is found by: reporting verbs and how their content attaches, quotation
marks, pronouns, titles and gendered words. Data only; the parse and the speakers use it."""

from __future__ import annotations

# Lemmas of verbs that report speech, writing, findings or beliefs (PolNeAR counts all four).
CUE_VERBS = frozenset(
    """
    say tell add claim argue report state announce warn insist note explain deny accuse allege
    believe think suggest predict write tweet post ask acknowledge admit agree answer assert
    caution charge cite comment complain concede conclude confirm contend declare describe
    emphasize emphasise estimate expect find hope indicate maintain mention observe pledge
    promise propose recall recommend remark reply respond reveal show signal speculate stress
    testify threaten urge vow worry fear doubt blame criticize criticise question know learn
    feel reiterate repeat demand forecast suspect wonder imply hint joke quip shout chant yell
    counter retort boast reckon assume notice read underline underscore proclaim hail
    welcome call rule order advise inform brief assure persuade convince remind vow affirm
    """.split()
)
# Of these, the ones whose "to"-infinitive is reported content: "she promised to resign".
XCOMP_CUES = frozenset(
    """promise pledge vow threaten urge ask call plan want refuse decline decide seek intend hope
    agree offer encourage press push""".split()
)
# Verbs whose object is the attributed content, with the prepositions that introduce it ("" for
# a direct object): "called for X", "pointed to X", "cited X", "wants X", "expressed doubts".
NOMINAL_CUES: dict[str, tuple[str, ...]] = {
    "call": ("for", ""), "point": ("to",), "warn": ("of", "against", "about"),
    "push": ("for",), "argue": ("for", "against"), "talk": ("about",),
    "refer": ("to",), "complain": ("about",), "worry": ("about",), "ask": ("for", "about"),
    "agree": ("on", "with"), "comment": ("on",), "focus": ("on",), "insist": ("on",),
    "respond": ("to",), "vote": ("for", "against"), "look": ("at",),
    "speak": ("about", "of", "out"), "brag": ("about",), "rail": ("against",),
    "weigh": ("in",), "sum": ("up",), "press": ("for",), "apologize": ("for",),
    **{
        lemma: ("",)
        for lemma in """cite want plan support criticize criticise discuss mention propose
        demand oppose praise reject endorse defend question advocate attack deny charge echo
        label portray dismiss embrace condemn applaud slam decry welcome dispute challenge mock
        recommend predict estimate acknowledge admit announce confirm accuse express offer back
        blast promote hail pledge promise vow note stress emphasize emphasise highlight
        underscore describe denounce disclose issue unveil outline compare liken invoke
        reference recognize detail blame favor favour prefer tout paint claim
        """.split()
    },
}  # fmt: skip
# Speech verbs whose "that"-clause is the content even when the parse hangs it elsewhere.
THAT_CUES = frozenset("say tell report warn argue claim announce note add explain insist".split())
QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
PRONOUNS = frozenset(
    "i you he she it we they me him her us them who whom this that these those one".split()
)


PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
TITLE_GENDER = {
    "mr": "m", "sir": "m", "lord": "m", "king": "m", "mrs": "f", "ms": "f", "miss": "f",
    "dame": "f", "lady": "f", "queen": "f",
}  # fmt: skip
TITLES = frozenset(
    """mr mrs ms miss dr mayor councillor councilor senator sen rep representative president
    minister judge gov governor chief secretary prime chairman chairwoman chair spokesman
    spokeswoman professor prof general gen lt col captain capt sir dame lord lady king queen
    prince princess pope rabbi imam father sister brother deputy""".split()
)
# Every lemma that can head an attribution: reporting verbs and verbs whose object is content.
CUE_LEMMAS = CUE_VERBS | frozenset(NOMINAL_CUES)
# Nouns that name an attribution; with a possessor or "by X" they have a source: "Trump's claim
# that ...", "the warning by officials that ...", "her plan to ...", "his criticism of ...".
CUE_NOUNS = frozenset(
    """claim assertion allegation accusation argument statement announcement warning promise
    pledge vow threat call demand plan proposal decision criticism comment remark suggestion
    insistence belief view position stance hope fear concern worry doubt prediction estimate
    assessment conclusion finding report message charge complaint denial admission
    acknowledgment acknowledgement assurance recommendation request appeal rhetoric
    determination support opposition endorsement praise attack condemnation""".split()
)
# Past tenses that do not end in -ed, for writing "noting X" as "noted X".
IRREGULAR_PAST = {
    "say": "said", "tell": "told", "write": "wrote", "think": "thought", "find": "found",
    "know": "knew", "feel": "felt", "hold": "held", "give": "gave", "speak": "spoke",
    "see": "saw", "make": "made", "take": "took", "read": "read", "put": "put",
    "seek": "sought", "hear": "heard", "teach": "taught", "forecast": "forecast",
    "foresee": "foresaw", "draw": "drew", "set": "set", "lay": "laid", "show": "showed",
}  # fmt: skip
# Adjectives of a stance: "X is worried about Y", "confident that Y", "determined to Y".
STANCE_ADJECTIVES = frozenset(
    """worried concerned anxious afraid fearful frustrated angry upset furious confident sure
    certain convinced hopeful optimistic pessimistic skeptical sceptical doubtful determined
    eager keen willing reluctant unwilling opposed critical supportive proud happy glad
    pleased disappointed alarmed aware adamant clear""".split()
)
