"""Model download: manifest, resume, SHA-256, safe unpacking; served by a local HTTP server."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hub.voice.model_store import MANIFEST_PATH, ModelEntry, ModelStore, ModelStoreError, load_manifest


def tar_archive(folder: str, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as packed:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{folder}/{name}" if folder else name)
            info.size = len(data)
            packed.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Server:
    """Serves byte strings by path, honouring Range unless told not to; counts requests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.ranges: list[str | None] = []
        self.is_range_supported = True
        self.cut_after: int | None = None  # bytes sent before dropping the connection
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                data = owner.files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                requested = self.headers.get("Range")
                owner.ranges.append(requested)
                start = 0
                if requested and owner.is_range_supported:
                    start = int(requested.split("=")[1].split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if owner.cut_after is not None:
                    self.wfile.write(body[: owner.cut_after])
                    self.wfile.flush()
                    owner.cut_after = None
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.httpd.shutdown()


def entry_for(server: Server, data: bytes, *, name: str = "tiny", sha256: str | None = None,
              archive: str = "tar.gz", folder: str = "tiny-model-1.0") -> ModelEntry:
    server.files[f"/{name}.{archive}"] = data
    return ModelEntry(name=name, engine="vosk", url=f"{server.url}/{name}.{archive}", archive=archive,
                      unpacked_folder=folder, size_bytes=len(data),
                      sha256=sha256 or hashlib.sha256(data).hexdigest(), licence="Apache-2.0")


FILES = {"am/final.mdl": b"acoustic" * 5000, "conf/model.conf": b"--sample-frequency=16000\n"}


def test_install_downloads_verifies_and_unpacks(tmp_path, server: Server) -> None:
    entry = entry_for(server, tar_archive("tiny-model-1.0", FILES))
    store = ModelStore(tmp_path, manifest={"tiny": entry})
    path = store.install("tiny", is_progress_shown=False)
    assert path == tmp_path / "tiny" and store.is_installed("tiny")
    assert (path / "am" / "final.mdl").read_bytes() == FILES["am/final.mdl"]
    assert not list(tmp_path.glob("*.part"))
    store.install("tiny", is_progress_shown=False)  # already there: no second download
    assert len(server.ranges) == 1


def test_zip_archives_unpack_too(tmp_path, server: Server) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for name, data in FILES.items():
            packed.writestr(f"tiny-model-1.0/{name}", data)
    entry = entry_for(server, buffer.getvalue(), archive="zip")
    path = ModelStore(tmp_path, manifest={"tiny": entry}).install("tiny", is_progress_shown=False)
    assert (path / "conf" / "model.conf").is_file()


def test_wrong_hash_is_refused_and_the_download_deleted(tmp_path, server: Server) -> None:
    entry = entry_for(server, tar_archive("tiny-model-1.0", FILES), sha256="0" * 64)
    store = ModelStore(tmp_path, manifest={"tiny": entry})
    with pytest.raises(ModelStoreError, match="does not match the manifest"):
        store.install("tiny", is_progress_shown=False)
    assert not store.is_installed("tiny") and not list(tmp_path.glob("*.part"))


def test_interrupted_download_resumes_with_a_range_request(tmp_path, server: Server) -> None:
    data = tar_archive("tiny-model-1.0", {"am/final.mdl": bytes(range(256)) * 4000})
    entry = entry_for(server, data)
    store = ModelStore(tmp_path, manifest={"tiny": entry})
    server.cut_after = len(data) // 3
    with pytest.raises(ModelStoreError, match="resume"):
        store.install("tiny", is_progress_shown=False)
    part = tmp_path / "tiny.tar.gz.part"
    assert part.stat().st_size == len(data) // 3
    store.install("tiny", is_progress_shown=False)
    assert server.ranges == [None, f"bytes={len(data) // 3}-"]
    assert store.is_installed("tiny")


def test_server_without_range_support_restarts_cleanly(tmp_path, server: Server) -> None:
    data = tar_archive("tiny-model-1.0", FILES)
    entry = entry_for(server, data)
    (tmp_path / "tiny.tar.gz.part").write_bytes(data[:100])
    server.is_range_supported = False
    assert ModelStore(tmp_path, manifest={"tiny": entry}).install("tiny", is_progress_shown=False).is_dir()


def test_archive_escaping_its_folder_is_refused(tmp_path, server: Server) -> None:
    entry = entry_for(server, tar_archive("", {"../evil.txt": b"x", "tiny-model-1.0/a": b"y"}))
    with pytest.raises(ModelStoreError, match="unsafe path"):
        ModelStore(tmp_path, manifest={"tiny": entry}).install("tiny", is_progress_shown=False)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_archive_without_the_expected_folder_is_refused(tmp_path, server: Server) -> None:
    entry = entry_for(server, tar_archive("other-name", FILES))
    with pytest.raises(ModelStoreError, match="no folder tiny-model-1.0"):
        ModelStore(tmp_path, manifest={"tiny": entry}).install("tiny", is_progress_shown=False)


def test_unknown_model_and_unreachable_server_are_typed_errors(tmp_path) -> None:
    entry = ModelEntry(name="tiny", engine="vosk", url="http://127.0.0.1:9/none.tar.gz", archive="tar.gz",
                       unpacked_folder="x", size_bytes=10, sha256="0" * 64, licence="MIT")
    store = ModelStore(tmp_path, manifest={"tiny": entry}, timeout_s=2)
    with pytest.raises(ModelStoreError, match="no model named 'big'"):
        store.install("big")
    with pytest.raises(ModelStoreError, match="download failed"):
        store.install("tiny", is_progress_shown=False)


def test_project_manifest_lists_the_official_small_english_vosk_model() -> None:
    entry = load_manifest(MANIFEST_PATH)["vosk-small-en-us"]
    assert entry.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert entry.archive == "zip" and entry.unpacked_folder == "vosk-model-small-en-us-0.15"
    assert len(entry.sha256) == 64 and entry.size_bytes > 30_000_000 and entry.licence == "Apache-2.0"


def test_a_manifest_with_a_bad_hash_is_refused(tmp_path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"models": [{"name": "x", "engine": "vosk", "url": "u", "archive": "zip",
                                            "unpacked_folder": "x", "size_bytes": 1, "sha256": "abc",
                                            "licence": "MIT"}]}))
    with pytest.raises(ModelStoreError, match="64 hex digits"):
        load_manifest(path)
