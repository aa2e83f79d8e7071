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
XCOMP_CUES = frozenset("promise pledge vow threaten urge ask call plan want vow refuse".split())
# Verbs whose object is the attributed content, with the preposition that introduces it, if any:
# "called for X", "pointed to X", "cited X", "wants X".
NOMINAL_CUES = {
    "call": "for", "point": "to", "cite": "", "want": "", "plan": "", "support": "",
    "criticize": "", "criticise": "", "discuss": "", "mention": "", "propose": "", "demand": "",
    "oppose": "", "praise": "", "reject": "", "endorse": "", "defend": "", "question": "",
    "warn": "of", "push": "for", "argue": "for", "advocate": "", "attack": "", "deny": "",
    "charge": "", "echo": "", "label": "", "portray": "", "dismiss": "",
    "embrace": "", "condemn": "", "applaud": "", "slam": "", "decry": "", "welcome": "",
    "dispute": "", "challenge": "", "mock": "", "recommend": "", "predict": "", "estimate": "",
    "acknowledge": "", "admit": "", "announce": "", "confirm": "", "accuse": "",
}  # fmt: skip
# Speech verbs whose "that"-clause is the content even when the parse hangs it elsewhere.
THAT_CUES = frozenset("say tell report warn argue claim announce note add explain insist".split())
QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
PRONOUNS = frozenset(
    "i you he she it we they me him her us them who whom this that these those one".split()
)


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
