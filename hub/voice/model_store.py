"""Speech models on disk: the manifest of models the hub may install, and their download.

Only `hub models install` touches the network, and only for URLs in the manifest
(models/manifest.json). A download resumes where it stopped (HTTP Range), shows a
progress bar, and is refused unless its SHA-256 matches the manifest; only then is
it unpacked, into a temporary folder renamed into place, so a half-installed model
is never mistaken for a whole one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hub.errors import HubError

_LOGGER = logging.getLogger(__name__)

MANIFEST_PATH = Path(__file__).resolve().parents[2] / "models" / "manifest.json"
_CHUNK_BYTES = 1 << 16


class ModelStoreError(HubError, OSError):
    """A model that cannot be downloaded, verified or unpacked."""


@dataclass(frozen=True)
class ModelEntry:
    """One installable model, as the manifest describes it."""

    name: str
    engine: str
    url: str
    archive: str
    unpacked_folder: str
    size_bytes: int
    sha256: str
    licence: str
    description: str = ""


def default_models_dir() -> Path:
    """Return where models are installed: $HUB_MODELS_DIR, else ~/.local/share/hub/models."""
    env = os.environ.get("HUB_MODELS_DIR")
    return Path(env) if env else Path.home() / ".local" / "share" / "hub" / "models"


def load_manifest(path: str | Path = MANIFEST_PATH) -> dict[str, ModelEntry]:
    """Return the manifest's models by name; raise `ModelStoreError` naming a bad field."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = {}
        for item in raw["models"]:
            entry = ModelEntry(**{k: item[k] for k in ModelEntry.__dataclass_fields__ if k in item})
            if len(entry.sha256) != 64:
                raise ValueError(f"{entry.name}: sha256 must be 64 hex digits")
            entries[entry.name] = entry
        return entries
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelStoreError(f"{path}: not a usable model manifest ({exc})") from None


class ModelStore:
    """The installed models under `models_dir`, and installing more from the manifest."""

    def __init__(self, models_dir: str | Path | None = None, *,
                 manifest: dict[str, ModelEntry] | None = None, timeout_s: float = 30.0) -> None:
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        self.manifest = manifest if manifest is not None else load_manifest()
        self.timeout_s = timeout_s

    def entry(self, name: str) -> ModelEntry:
        try:
            return self.manifest[name]
        except KeyError:
            raise ModelStoreError(f"no model named {name!r}; known: {', '.join(sorted(self.manifest))}") from None

    def path(self, name: str) -> Path:
        """Return where model `name` is (or would be) installed."""
        return self.models_dir / name

    def is_installed(self, name: str) -> bool:
        return (self.path(name) / ".installed").is_file()

    def install(self, name: str, *, is_progress_shown: bool = True) -> Path:
        """Download, verify and unpack model `name`; return its folder. Installed models are kept."""
        entry = self.entry(name)
        target = self.path(name)
        if self.is_installed(name):
            _LOGGER.info("Model %s already installed in %s", name, target)
            return target
        self.models_dir.mkdir(parents=True, exist_ok=True)
        archive = self.models_dir / f"{name}.{entry.archive}.part"
        self.download(entry, archive, is_progress_shown=is_progress_shown)
        digest = sha256_of(archive)
        if digest != entry.sha256:
            archive.unlink()
            raise ModelStoreError(f"{entry.url}: SHA-256 {digest} does not match the manifest's "
                                  f"{entry.sha256}; the download was deleted")
        self._unpack(entry, archive, target)
        archive.unlink()
        _LOGGER.info("Installed model %s in %s", name, target)
        return target

    def download(self, entry: ModelEntry, dest: Path, *, is_progress_shown: bool = True) -> None:
        """Fetch `entry.url` into `dest`, resuming from what `dest` already holds."""
        from tqdm import tqdm

        have = dest.stat().st_size if dest.exists() else 0
        if have >= entry.size_bytes > 0:
            return
        request = urllib.request.Request(entry.url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout_s)
        except (urllib.error.URLError, OSError) as exc:
            raise ModelStoreError(f"{entry.url}: download failed ({exc}); run the install again to resume") from None
        with response:
            if have and response.status != 206:  # server ignored Range: start over
                _LOGGER.info("Server did not resume %s; downloading from the start", entry.url)
                have = 0
            mode = "ab" if have else "wb"
            with open(dest, mode) as out, tqdm(total=entry.size_bytes or None, initial=have, unit="B",
                                               unit_scale=True, desc=entry.name,
                                               disable=not is_progress_shown) as bar:
                try:
                    while chunk := response.read(_CHUNK_BYTES):
                        out.write(chunk)
                        bar.update(len(chunk))
                except OSError as exc:
                    raise ModelStoreError(f"{entry.url}: download interrupted ({exc}); "
                                          "run the install again to resume") from None
        got = dest.stat().st_size
        if entry.size_bytes and got < entry.size_bytes:
            # A dropped connection can end the body early without an error.
            raise ModelStoreError(f"{entry.url}: download stopped at {got} of {entry.size_bytes} bytes; "
                                  "run the install again to resume")

    def _unpack(self, entry: ModelEntry, archive: Path, target: Path) -> None:
        staging = Path(tempfile.mkdtemp(dir=self.models_dir, prefix=f".{entry.name}-"))
        try:
            if entry.archive == "zip":
                with zipfile.ZipFile(archive) as packed:
                    _check_members(entry, [m.filename for m in packed.infolist()])
                    packed.extractall(staging)
            else:
                with tarfile.open(archive) as packed:
                    _check_members(entry, [m.name for m in packed.getmembers()])
                    packed.extractall(staging, filter="data")
            inner = staging / entry.unpacked_folder
            if not inner.is_dir():
                raise ModelStoreError(f"{entry.url}: archive has no folder {entry.unpacked_folder}/")
            (inner / ".installed").write_text(f"{entry.url}\n{entry.sha256}\n", encoding="utf-8")
            if target.exists():
                shutil.rmtree(target)
            os.replace(inner, target)
        except (zipfile.BadZipFile, tarfile.TarError) as exc:
            raise ModelStoreError(f"{archive}: cannot unpack ({exc})") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _check_members(entry: ModelEntry, names: list[str]) -> None:
    """Refuse archives that would write outside their folder."""
    for name in names:
        parts = Path(name).parts
        if name.startswith("/") or ".." in parts:
            raise ModelStoreError(f"{entry.url}: unsafe path {name!r} in archive")


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks (models are tens of megabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
