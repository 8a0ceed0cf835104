"""Word lists the extractors share: titles, reporting verbs, meeting words, places. Data only."""
from __future__ import annotations

# ---------------------------------------------------------------- roles
# Head nouns of titles and positions (lower case). Multi-word titles are built from
# these heads plus the modifiers below: "press secretary", "special envoy", "foreign minister".
TITLE_HEADS = frozenset("""
president vice-president premier chancellor minister secretary spokesman spokeswoman spokesperson
aide adviser advisor envoy ambassador king queen prince emir sultan senator governor mayor
chairman chairwoman chair ceo director journalist correspondent reporter editor commander general
chief head leader representative congressman congresswoman lawmaker nominee candidate
speaker prosecutor judge attorney official diplomat negotiator counsellor counselor
coordinator manager founder owner analyst economist professor admiral colonel marshal
""".split())

TITLE_MODIFIERS = frozenset("""
prime foreign defence defense interior finance trade deputy vice special press presidential
national security chief senior former acting first state general white house top executive
managing assistant foreign-policy economic energy health justice culture
""".split())

# Multi-word titles whose inner words are not in the lists above.
TITLE_PHRASES = frozenset({
    "secretary of state", "secretary general", "secretary-general", "chief of staff",
    "prime minister", "foreign minister", "defence minister", "defense minister",
    "national security adviser", "national security advisor", "minister of foreign affairs",
    "attorney general", "chief executive", "head of state",
})

# Titles that describe a relation, not a position: "his Russian counterpart Vladimir Putin".
NOT_ROLES = frozenset({"counterpart", "colleague", "friend", "rival", "opponent", "ally", "wife", "husband"})

# Generic role nouns that may refer back to a named holder: "the official added".
GENERIC_ROLE_NOUNS = frozenset({"official", "diplomat", "leader", "minister"})

# ---------------------------------------------------------------- statements
# Reporting verbs by lemma with their inflected forms (the blank pipeline has no lemmatizer).
REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "quote": ("quoted", "quotes"),  # "Interfax quoted him as saying"
    "tell": ("tell", "tells", "told", "telling"),
    "state": ("state", "states", "stated"),
    "add": ("add", "adds", "added", "adding"),
    "stress": ("stress", "stresses", "stressed"),
    "emphasize": ("emphasize", "emphasizes", "emphasized", "emphasise", "emphasises", "emphasised"),
    "note": ("note", "notes", "noted", "noting"),
    "warn": ("warn", "warns", "warned"),
    "confirm": ("confirm", "confirms", "confirmed"),
    "claim": ("claim", "claims", "claimed"),
    "announce": ("announce", "announces", "announced"),
    "declare": ("declare", "declares", "declared"),
    "insist": ("insist", "insists", "insisted"),
    "argue": ("argue", "argues", "argued"),
    "explain": ("explain", "explains", "explained"),
    "write": ("write", "writes", "wrote"),
    "tweet": ("tweet", "tweets", "tweeted"),
    "post": ("post", "posts", "posted"),
    "reply": ("reply", "replies", "replied"),
    "respond": ("respond", "responds", "responded"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged"),
    "admit": ("admit", "admits", "admitted"),
    "suggest": ("suggest", "suggests", "suggested"),
    "highlight": ("highlight", "highlights", "highlighted"),
    "indicate": ("indicate", "indicates", "indicated"),
    "signal": ("signal", "signals", "signaled", "signalled"),
    "assert": ("assert", "asserts", "asserted"),
    "report": ("report", "reports", "reported"),
    "describe": ("describe", "describes", "described"),
    "predict": ("predict", "predicts", "predicted"),
    "promise": ("promise", "promises", "promised"),
    "vow": ("vow", "vows", "vowed"),
    "deny": ("deny", "denies", "denied"),
    "reiterate": ("reiterate", "reiterates", "reiterated"),
    "clarify": ("clarify", "clarifies", "clarified", "clarifying"),
    "comment": ("comment", "comments", "commented"),
    "caution": ("caution", "cautions", "cautioned"),
    "complain": ("complain", "complains", "complained"),
    "remark": ("remark", "remarks", "remarked"),
    "observe": ("observe", "observes", "observed"),
    "recall": ("recall", "recalls", "recalled"),
    "maintain": ("maintain", "maintains", "maintained"),
    "contend": ("contend", "contends", "contended"),
    "assure": ("assure", "assures", "assured"),
    "ask": ("ask", "asks", "asked"),
    "joke": ("joke", "jokes", "joked"),
    "quip": ("quip", "quips", "quipped"),
    "concede": ("concede", "concedes", "conceded"),
    "point": ("point", "points", "pointed"),  # "pointed out that"
    "believe": ("believe", "believes", "believed"),
    "think": ("think", "thinks", "thought"),
}
VERB_LEMMA: dict[str, str] = {form: lemma for lemma, forms in REPORTING_VERBS.items() for form in forms}

# Verbs that report only with a following "that"/colon (they have other senses).
NEEDS_THAT = frozenset({"add", "post", "report", "point", "believe", "think", "indicate", "signal",
                        "highlight", "suggest", "recall", "maintain", "observe", "promise", "ask",
                        "predict", "comment", "deny"})

# Auxiliaries and adverbs that may stand between a speaker and its verb.
SPEAKER_VERB_GAP = frozenset("""has have had was were is are will would also repeatedly further again
then later earlier previously reportedly publicly recently separately once already has been
""".split())

# Words after the verb that introduce the channel or audience, skipped before the content.
CHANNEL_WORDS = frozenset({"on", "in", "to", "at", "via", "during", "through", "with", "after", "before",
                           "late", "early", "last", "this", "that", "monday", "tuesday", "wednesday",
                           "thursday", "friday", "saturday", "sunday"})

PRONOUNS_SINGULAR = frozenset({"he", "she"})

# Words before a name that are not part of it.
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "gen", "gen.", "sen",
                        "sen.", "rep", "rep.", "gov", "gov.", "lt.", "col.", "prof.", "president", "sheikh",
                        "representative", "senator", "governor", "mayor", "judge", "justice", "adm.",
                        "sgt.", "capt.", "maj.", "rev.", "father", "pope", "lord", "lady"})

# Unnamed sources: "aides said", "the Clinton campaign said", "people familiar with the talks said".
SOURCE_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "aide", "aides", "official", "officials",
                          "source", "sources", "campaign", "newspaper", "editorial", "critics", "analysts",
                          "experts", "members", "lawmakers", "diplomats", "advisers", "advisors", "adviser",
                          "researchers", "police", "authorities", "ministry", "commenter", "agency", "agencies",
                          "report", "survey", "poll", "study", "statement", "democrats", "republicans",
                          "spokespeople", "government", "administration", "military", "army", "prosecutors",
                          "investigators", "residents", "witnesses", "observers", "organizers", "organisers",
                          "leaders", "negotiators", "office", "embassy", "committee", "party", "team"})
SOURCE_MODIFIERS = frozenset({"senior", "top", "former", "campaign", "white", "house", "state", "news", "party",
                              "government", "administration", "military", "press", "foreign", "defense",
                              "defence", "ministry", "u.s.", "us", "american", "other", "some", "many", "several",
                              "two", "three", "both", "public", "health", "local", "federal", "senate", "congressional", "democratic", "republican", "israeli", "russian", "ukrainian",
                              "prime", "minister", "minister's", "president's", "presidential", "his", "her",
                              "their", "its", "anonymous", "unnamed", "one", "another"})

# ---------------------------------------------------------------- meetings
MEETING_NOUNS = frozenset({"meeting", "meetings", "summit", "summits", "talks", "meet", "visit",
                           "negotiations", "consultations", "conversation", "conversations",
                           "call", "calls", "phone", "conference", "encounter", "tete-a-tete"})
MEETING_VERBS = frozenset({"meet", "meets", "met", "meeting", "spoke", "speak", "speaks", "talked",
                           "talk", "visited", "visit", "visits", "hosted", "host", "hosts", "phoned",
                           "called", "held", "hold", "holds", "conducted"})
PHONE_WORDS = frozenset({"phone", "telephone", "phoned", "call", "calls"})
VIDEO_WORDS = frozenset({"video", "videoconference", "video-link", "virtual"})

# Cue words for a meeting's status, looked for in the clause around the trigger.
STATUS_CUES: dict[str, frozenset[str]] = {
    "Cancelled": frozenset({"cancelled", "canceled", "cancel", "cancels", "scrapped", "called off",
                            "calls off", "shelved", "abandoned", "cancellation"}),
    "Postponed": frozenset({"postponed", "postpone", "delayed", "put off", "rescheduled", "pushed back",
                            "postponement"}),
    "Planned": frozenset({"expected", "set to", "will", "scheduled", "planned", "plans", "plan",
                          "agreed", "agreement", "upcoming", "preparing", "preparations", "is to",
                          "are to", "coming days", "next week", "next month", "to be held", "arranged",
                          "decided", "shall"}),
    "Proposed": frozenset({"proposed", "propose", "proposal", "floated", "invited", "invitation",
                           "invitations", "possible", "possibility", "potential", "could", "might",
                           "may", "would", "ruled out", "not exclude", "open to", "willingness",
                           "willing", "want", "wants", "eager", "hopes", "hope", "need", "offer",
                           "offered", "suggested", "calling for", "called for", "ready to", "seeks",
                           "sought", "push for", "pushing for", "future"}),
}
HELD_CUES = frozenset({"met", "held", "spoke", "talked", "had", "conducted", "visited", "hosted",
                       "phoned", "last", "recent", "previously", "earlier", "took place", "following",
                       "after"})

# ---------------------------------------------------------------- places and organisations
# Canonical names for common variants (matched on the lower-cased name).
NAME_ALIASES: dict[str, str] = {
    "u.s.": "United States", "us": "United States", "usa": "United States", "u.s.a.": "United States",
    "america": "United States", "united states of america": "United States",
    "the united states": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "uae": "United Arab Emirates", "u.a.e.": "United Arab Emirates",
    "turkey": "Türkiye", "turkiye": "Türkiye",
    "kiev": "Kyiv",
    "eu": "European Union", "e.u.": "European Union",
    "un": "United Nations", "u.n.": "United Nations",
    "russian federation": "Russia",
    "prc": "China", "people's republic of china": "China",
    "dprk": "North Korea",
    "st petersburg": "St. Petersburg", "saint petersburg": "St. Petersburg",
}

# Demonyms and adjectives for the place they name.
DEMONYMS: dict[str, str] = {
    "russian": "Russia", "american": "United States", "us": "United States", "u.s.": "United States",
    "ukrainian": "Ukraine", "chinese": "China", "british": "United Kingdom", "french": "France",
    "german": "Germany", "japanese": "Japan", "indian": "India", "iranian": "Iran", "israeli": "Israel",
    "turkish": "Türkiye", "saudi": "Saudi Arabia", "syrian": "Syria", "iraqi": "Iraq",
    "afghan": "Afghanistan", "pakistani": "Pakistan", "korean": "Korea", "north korean": "North Korea",
    "south korean": "South Korea", "italian": "Italy", "spanish": "Spain", "polish": "Poland",
    "hungarian": "Hungary", "canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil",
    "egyptian": "Egypt", "palestinian": "Palestine", "qatari": "Qatar", "emirati": "United Arab Emirates",
    "belarusian": "Belarus", "georgian": "Georgia", "azerbaijani": "Azerbaijan", "armenian": "Armenia",
    "kazakh": "Kazakhstan", "venezuelan": "Venezuela", "cuban": "Cuba", "australian": "Australia",
    "european": "European Union", "nato": "NATO", "dutch": "Netherlands", "swedish": "Sweden",
    "finnish": "Finland", "norwegian": "Norway", "danish": "Denmark", "greek": "Greece",
    "serbian": "Serbia", "lebanese": "Lebanon", "jordanian": "Jordan", "libyan": "Libya",
    "nigerian": "Nigeria", "kenyan": "Kenya", "south african": "South Africa", "irish": "Ireland",
    "scottish": "Scotland", "welsh": "Wales", "taiwanese": "Taiwan", "vietnamese": "Vietnam",
    "indonesian": "Indonesia", "filipino": "Philippines", "thai": "Thailand", "malaysian": "Malaysia",
}

# Countries and a few regions: a mention with one of these names is a place, whatever the model says.
COUNTRIES = frozenset("""
Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh
Belarus Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia Croatia
Cuba Cyprus Denmark Ecuador Egypt Estonia Ethiopia Finland France Georgia Germany Ghana Greece
Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Kosovo
Kuwait Kyrgyzstan Latvia Lebanon Libya Lithuania Luxembourg Malaysia Mali Mexico Moldova Mongolia
Montenegro Morocco Myanmar Nepal Netherlands Nigeria Norway Oman Pakistan Palestine Panama Peru
Philippines Poland Portugal Qatar Romania Russia Rwanda Scotland Serbia Singapore Slovakia Slovenia
Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Tunisia Türkiye
Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe
Europe Asia Africa Crimea Donbas Gaza Alaska
""".split()) | frozenset({"United States", "United Kingdom", "United Arab Emirates", "Saudi Arabia",
                         "North Korea", "South Korea", "South Africa", "New Zealand", "Czech Republic",
                         "Sri Lanka", "West Bank", "Middle East", "Latin America", "England",
                         "Northern Ireland", "Soviet Union", "European Union"})

# Names of organisations the model often tags as places or people.
ORGANISATIONS = frozenset({"Kremlin", "White House", "NATO", "European Union", "United Nations",
                           "Pentagon", "State Department", "Congress", "Senate", "Downing Street",
                           "Elysee", "Élysée", "Reuters", "Interfax", "TASS", "Facebook", "Twitter",
                           "Bundestag", "Duma", "State Duma", "Politburo", "Hamas", "Hezbollah",
                           "Taliban", "IMF", "World Bank", "OPEC", "BBC", "CNN", "Fox News"})

# Words that make a name an organisation ("Ministry of ...", "... Council").
ORG_WORDS = frozenset({"ministry", "council", "committee", "party", "agency", "department", "commission",
                       "bank", "union", "office", "parliament", "assembly", "court", "army", "forces",
                       "corporation", "inc", "ltd", "group", "company", "university", "institute",
                       "association", "federation", "news", "times", "post", "press", "administration",
                       "government", "service", "organization", "organisation", "fund", "board"})

# Texts the model tags as entities that are not: page chrome, time zones, generic words.
NOT_ENTITIES = frozenset({"gmt", "utc", "legal disclaimer", "tags", "label", "comments", "category",
                          "search", "more story", "read more", "source", "summary", "photo", "reuters photo",
                          "est", "edt", "pst", "bst", "cet", "msk", "ap photo", "getty images"})
