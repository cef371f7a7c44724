"""JupyterLab smoke test: the server `make lab` starts comes up headless, lists the notebooks, has our kernel."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from opedlens.paths import PROJECT_ROOT

TOKEN = "opedlens-smoke-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.fixture
def lab_server():
    port = _free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN} --ServerApp.port_retries=0"
    process = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=PROJECT_ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"make lab exited early: {process.stderr.read()[-2000:]}")
            try:
                _get(port, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 90 s")
        yield port
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop make, JupyterLab and any kernel: the whole process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def test_lab_lists_the_notebooks_and_has_the_project_kernel(lab_server):
    listing = _get(lab_server, "/api/contents/notebooks")
    names = {item["name"] for item in listing["content"]}
    expected = {p.name for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert expected and expected <= names
    kernels = _get(lab_server, "/api/kernelspecs")["kernelspecs"]
    assert "opedlens" in kernels
    assert _get(lab_server, "/lab/api/settings/@jupyterlab/apputils-extension:themes")  # the Lab app itself answers
