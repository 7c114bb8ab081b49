"""The PocketSphinx decoder as the recognizer uses it: its typed interface, loading, and the warp.

The binding ships no type information, so `SphinxDecoder` names the methods the recognizer
calls; a stand-in decoder in a test needs only these.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any, Protocol

from hub.voice.asr.base import RecognizerError

_LOGGER = logging.getLogger(__name__)


class SphinxHypothesis(Protocol):
    """A decoded sentence: its words, and its path score and posterior as probabilities."""

    @property
    def hypstr(self) -> str | None: ...
    @property
    def score(self) -> float: ...
    @property
    def best_score(self) -> float: ...
    @property
    def prob(self) -> float: ...


class SphinxSegment(Protocol):
    """One word (or phone, or silence) on the best path, with its first and last 10 ms frame."""

    @property
    def word(self) -> str: ...
    @property
    def start_frame(self) -> int: ...
    @property
    def end_frame(self) -> int: ...


class SphinxDecoder(Protocol):
    """The methods of `pocketsphinx.Decoder` the recognizer calls. A real decoder also has a
    `config` mapping (see `config_of`)."""

    def lookup_word(self, word: str, /) -> str | None: ...
    def add_word(self, word: str, phones: str, update: bool = ..., /) -> Any: ...
    def add_allphone_file(self, name: str, path: str | None, /) -> None: ...
    def add_jsgf_string(self, name: str, jsgf: str, /) -> None: ...
    def activate_search(self, name: str, /) -> None: ...
    def current_search(self) -> str: ...
    def get_cmn(self, update: bool = ..., /) -> str: ...
    def set_cmn(self, cmn: str, /) -> None: ...
    def reinit_feat(self) -> None: ...
    def start_utt(self) -> None: ...
    def process_raw(self, data: bytes, no_search: bool = ..., full_utt: bool = ..., /) -> Any: ...
    def end_utt(self) -> None: ...
    def hyp(self) -> SphinxHypothesis | None: ...
    def seg(self) -> Iterable[SphinxSegment]: ...
    def nbest(self) -> Iterable[SphinxHypothesis]: ...
    def n_frames(self) -> int: ...


def config_of(decoder: SphinxDecoder) -> MutableMapping[str, Any] | None:
    """Return the decoder's live configuration, or None for a stand-in decoder without one."""
    config: MutableMapping[str, Any] | None = getattr(decoder, "config", None)
    return config


def load_decoder(model_dir: str | Path | None, *, beam: float, wbeam: float, has_lm: bool,
                 silprob: float = 0.1, has_dict: bool = True, bestpath: bool = True) -> SphinxDecoder:
    """Load a decoder from `model_dir`, or from the model bundled with the wheel.

    Grammar decoding runs without the n-gram LM: loading it costs memory and, measured,
    makes forced matches of out-of-grammar speech more likely. `silprob` is raised from
    0.005 so pauses are heard as silence, not short words. The phone loop needs no
    dictionary (`has_dict=False`): 6 MB instead of 28."""
    try:
        from pocketsphinx import Decoder, get_model_path
    except ImportError as exc:
        raise RecognizerError(f"pocketsphinx is not installed ({exc}); pip install pocketsphinx") from None
    base = Path(model_dir) if model_dir else Path(get_model_path()) / "en-us"
    try:
        decoder: SphinxDecoder = Decoder(hmm=str(base / "en-us"),
                                         dict=str(base / "cmudict-en-us.dict") if has_dict else None,
                                         lm=str(base / "en-us.lm.bin") if has_lm else None,
                                         beam=beam, wbeam=wbeam, pbeam=beam, silprob=silprob,
                                         bestpath=bestpath, logfn="/dev/null")
    except (RuntimeError, ValueError) as exc:
        raise RecognizerError(f"{base}: cannot load the PocketSphinx model ({exc})") from None
    _LOGGER.info("Loaded PocketSphinx model from %s", base)
    return decoder


class WarpState:
    """The vocal tract length warp, which PocketSphinx keeps in C statics shared by every
    decoder in the process: hold one per process.

    PocketSphinx skips a warp parameter equal to the last one it parsed, even when a decoder
    made since (the wake spotter, a new recognizer) switched warping off, so the same warp
    set twice would silently not be set. Each change is therefore spelled differently from
    the last ("1.300", then "1.3000"). No warp is a warp of 1.0, which decodes exactly as
    the unwarped default (bench/RESULTS.md)."""

    def __init__(self) -> None:
        self._changes = 0

    def set(self, decoder: SphinxDecoder, warp: float | None) -> None:
        """Warp `decoder`'s frequency axis by `warp` (None: no warp); its models are untouched."""
        config = config_of(decoder)
        if config is None:
            raise RecognizerError("a decoder without a configuration cannot be warped")
        digits = 3 + self._changes % 2
        self._changes += 1
        config["warp_type"] = "inverse_linear"
        config["warp_params"] = f"{1.0 if warp is None else warp:.{digits}f}"
        decoder.reinit_feat()
