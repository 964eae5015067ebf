# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Fixtures for the redis-py suite: a ringkv-server started by the test on a free loopback port
# (two worker threads, so connections land on different workers), stopped at the end.
# RINGKV_SERVER_BIN names the binary (ctest sets it).
import os
import shutil
import tempfile
import socket
import subprocess
import time

import pytest
import redis


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("RINGKV_SERVER_BIN")
    if not binary:
        pytest.skip("RINGKV_SERVER_BIN is not set (run through ctest)")
    port = _free_port()
    # An empty directory of its own: no snapshot of the working directory is loaded.
    snapshot_dir = tempfile.mkdtemp(prefix="ringkv-py-")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--threads", "2",
                             "--notify-keyspace-events", "Ex", "--save", "",
                             "--dir", snapshot_dir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while True:
        try:
            if redis.Redis(port=port, socket_timeout=1).ping():
                break
        except redis.exceptions.ConnectionError:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("ringkv-server did not start")
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(snapshot_dir, ignore_errors=True)


@pytest.fixture
def r(server):
    client = redis.Redis(port=server, socket_timeout=5, decode_responses=True)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def other(server):
    client = redis.Redis(port=server, socket_timeout=5, decode_responses=True)
    yield client
    client.close()
