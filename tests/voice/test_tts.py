"""Piper synthesis with the bundled voice, loaded once and kept."""

from __future__ import annotations

import numpy as np
import pytest

from hub.settings import DeviceSettings, Voice
from hub.voice.tts import SynthesisError, Synthesizer, default_voice, split_sentences, voice_files


@pytest.fixture(scope="module")
def synthesizer() -> Synthesizer:
    return Synthesizer()


def test_default_voice_is_the_bundled_joe_medium() -> None:
    voice = voice_files(DeviceSettings())
    assert voice.model.name == "en_US-joe-medium.onnx" and voice.config.is_file()
    assert voice == default_voice()


def test_synthesis_makes_audible_speech_of_plausible_length(synthesizer: Synthesizer) -> None:
    audio = synthesizer.synthesize("Is the pump okay?")
    assert audio.rate_hz == 22050
    assert 0.6 < audio.duration_s < 3.0
    assert np.sqrt(np.mean(audio.samples**2)) > 0.02


def test_stream_yields_one_chunk_per_sentence(synthesizer: Synthesizer) -> None:
    chunks = list(synthesizer.stream("The pump is fine. The room is warm. Call if worried."))
    assert len(chunks) == 3


def test_phone_number_is_spoken_slowly_enough_to_write_down(synthesizer: Synthesizer) -> None:
    digits = synthesizer.synthesize("Call 212-639-2000.")
    assert digits.duration_s > 3.0  # ten digits with pauses, not "two hundred twelve..."


def test_voice_id_changes_with_the_voice_file(tmp_path) -> None:
    voice = default_voice()
    copy = tmp_path / "other.onnx"
    copy.write_bytes(b"not really a voice")
    assert voice.voice_id.startswith("en_US-joe-medium-")
    assert type(voice)(copy, voice.config).voice_id != voice.voice_id


def test_a_missing_settings_voice_names_the_field(tmp_path) -> None:
    settings = DeviceSettings(voice=Voice(piper_voice=str(tmp_path / "nope.onnx")), source="settings.toml")
    with pytest.raises(SynthesisError, match="voice.piper_voice"):
        voice_files(settings)


def test_a_settings_voice_by_path_is_used(tmp_path) -> None:
    bundled = default_voice()
    model = tmp_path / "custom.onnx"
    model.write_bytes(bundled.model.read_bytes())
    (tmp_path / "custom.onnx.json").write_bytes(bundled.config.read_bytes())
    settings = DeviceSettings(voice=Voice(piper_voice=str(model)), source=str(tmp_path / "settings.toml"))
    assert voice_files(settings).model == model
    # A relative path is taken from the settings file's folder, not the working directory.
    relative = DeviceSettings(voice=Voice(piper_voice="custom.onnx"), source=str(tmp_path / "settings.toml"))
    assert voice_files(relative).model == model


def test_split_sentences() -> None:
    assert split_sentences("One. Two? Three!  ") == ["One.", "Two?", "Three!"]
