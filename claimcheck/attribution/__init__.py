"""Attribution candidates from a dependency parse: who (source) says (cue) what (content).

A small model cannot find reported speech reliably on its own, and it cannot copy quotes
reliably at all. spaCy's parser can do the first well: a reporting verb, its subject and its
clausal complement, "according to X", and text in quotation marks. Every candidate is a set of
character spans into the article, so whatever is built on them is verbatim by construction.
The LLM (claims.py) then resolves speakers, writes the standalone claim and drops non-claims.

    lexicon.py     the words: reporting verbs, quotation marks, pronouns, titles
    parse.py       Candidate and spans of spaCy tokens (subjects, noun phrases, cues)
    quotes.py      quotations, the verb each belongs to, dash bylines, transcript labels
    speakers.py    naming speakers: names expanded, pronouns resolved
    candidates.py  find_candidates: all of it, paragraph by paragraph
"""

from .candidates import find_candidates
from .lexicon import PLURAL_PRONOUNS, PRONOUNS
from .parse import Candidate
from .speakers import Name, plural_name, resolve_speakers

__all__ = [
    "PLURAL_PRONOUNS",
    "PRONOUNS",
    "Candidate",
    "Name",
    "find_candidates",
    "plural_name",
    "resolve_speakers",
]
