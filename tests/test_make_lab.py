"""`make lab` starts JupyterLab where readers run it (as root too), with the book's kernel and chapters."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def lab():
    port, token = _free_port(), secrets.token_hex(16)
    options = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_OPTIONS={options}"],
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            if server.poll() is not None:
                pytest.fail(f"make lab exited with {server.returncode}:\n{server.stdout.read()[-3000:]}")
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not answer within 180 s")
                time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_make_lab_passes_allow_root_exactly_when_run_as_root():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=REPO_ROOT, capture_output=True, text=True).stdout
    command = next(line for line in dry_run.splitlines() if "jupyter lab" in line)
    assert ("--allow-root" in command) == (os.getuid() == 0)


def test_lab_serves_the_books_kernel_and_chapter_1(lab):
    base, token = lab
    specs = _get(f"{base}/api/kernelspecs", token)["kernelspecs"]
    assert specs["python3"]["spec"]["display_name"] == "Python 3 (embeddings)"
    chapter = _get(f"{base}/api/contents/01_embedding_basics.ipynb", token)
    assert chapter["type"] == "notebook"
    assert chapter["content"]["cells"][0]["source"].startswith("# ")
