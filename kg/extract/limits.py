"""The windows and thresholds of the extraction rules, in one place: how far each rule looks, in
tokens (t), characters (c), words (w), paragraphs or days, and how much evidence it wants."""
from __future__ import annotations

from datetime import timedelta

# meetings
KIND_WINDOW = (3, 4)  # t before and after a trigger where phone/video words make it a call (no parse)
KIND_REACH = 6  # t from a trigger, in its subtree, where a phone/video word makes it a call (with a parse)
PARTNER_REACH = 9  # t after a trigger in which its "with"/"between" phrase may start
PLACE_WINDOW = (8, 14)  # t before and after a trigger searched for "in/at <place>"
STATUS_DENIAL_REACH = 5  # w before a cancel or postpone word where a denial ("denied", "not") undoes it
STATUS_LOOKBACK = 6  # t before the clause whose governing words ("expressed their willingness to") count
PRIOR_REACH = 400  # c back to an earlier meeting whose participants a bare "the talks" in a dated clause takes
TOUR = 3  # countries visited in one sentence that make the visit a tour

# statements
NEGATION_REACH = 3  # t before a reporting verb where "not", "never" cancel it
CHANNEL_REACH = 9  # t of audience and channel ("told reporters on Sunday") skipped before 'that' or ':'
THAT_REACH = 30  # most t between a reporting verb and the 'that' the parse gives its clause
MIN_WORDS = 3  # w a reported clause needs to be a statement
TITLE_WORDS = 6  # most w of a capitalised title between a quote and its speaker's name
ADJUNCT_WORDS = 10  # most w after '..., X said' for the clause before it to be what was said (unless quoted)
MIN_QUOTE_WORDS = 4  # w an uncued quote needs to continue a speaker's statement
QUOTED_SHARE = 0.75  # share of a clause's words inside quote marks that makes it a direct quote
CONTINUE_PARAGRAPHS = 3  # paragraphs back in which a paragraph opening with a quote finds its speaker

# entities, names and dates
STRONG = 5  # votes a title ("Kremlin spokesman") or an institution word gives a type over the model's tag
SHOUTING = 2  # other all-caps words in the sentence that make an all-caps word emphasis, not a name
FAMILY_REACH = 4  # t before a full name where "his wife", "her son" mark a relative of the surname
SUBJECT_REACH = 80  # t back in its sentence where a pronoun looks for its subject (a run-on text stays linear)
APPOSITION_REACH = 30  # t back from a reporting verb to the comma of "X, a ... of Y, said"
LONGEST_MENTION = 200  # c no mention is longer: a search for the mention at a position stops this far back
AHEAD = timedelta(days=90)  # past clause, month and day further ahead of the article than this: the year before
