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


# --- Servers started on demand (cluster, twemproxy and reference-Redis tests) --------------------
#
# Unlike `server` above, these fail rather than skip when a binary is missing: a suite that
# silently skips its cluster tests would pass without testing anything.
import fcntl
import random

REDIS_SERVER_BIN = os.environ.get("RINGKV_REDIS_SERVER_BIN", "/usr/bin/redis-server")


def reserve_port(need_bus_port=False):
    """A free loopback port, reserved for this process with the same lock file the C++ test
    harness uses (/tmp/ringkv-test-port-<port>.lock): ringkv binds with SO_REUSEPORT, so two test
    processes handed the same released port would otherwise share it. Returns (port, lock_file);
    keep the file open while the server lives. need_bus_port: also port + 10000 free (a real
    Redis cluster node binds its cluster bus there), and the port above 20000 so that it can
    never be mistaken for a slot number when replies are normalized."""
    for _ in range(200):
        if need_bus_port:
            port = random.randint(20000, 55000)
            try:
                for p in (port, port + 10000):
                    with socket.socket() as s:
                        s.bind(("127.0.0.1", p))
            except OSError:
                continue
        else:
            port = _free_port()
        lock = open(f"/tmp/ringkv-test-port-{port}.lock", "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        return port, lock
    raise RuntimeError("no free port")


class ServerProcess:
    """One server process on 127.0.0.1 with a directory of its own."""

    def __init__(self, kind, argv_fn, need_bus_port=False):
        self.kind = kind
        self.port, self._lock = reserve_port(need_bus_port)
        self.dir = tempfile.mkdtemp(prefix=f"ringkv-py-{kind}-")
        self.log_path = os.path.join(self.dir, "server.log")
        self._argv = argv_fn(self.port, self.dir)
        self._log = None
        self._start()

    def _start(self):
        kind = self.kind
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self._argv, stdout=self._log, stderr=subprocess.STDOUT,
                                     cwd=self.dir)
        deadline = time.time() + 20
        while True:
            try:
                if redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping():
                    break
            except redis.exceptions.ConnectionError:
                if self.proc.poll() is not None or time.time() > deadline:
                    log = self.log()
                    self.stop()
                    raise RuntimeError(f"{kind} did not start: {log}")
                time.sleep(0.05)

    def client(self, **kwargs):
        kwargs.setdefault("socket_timeout", 10)
        kwargs.setdefault("decode_responses", True)
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-4000:].decode(errors="replace")
        except OSError:
            return ""

    def _terminate(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()

    def restart(self):
        """Stops the server and starts it again on the same port with the same directory."""
        self._terminate()
        self._start()

    def stop(self):
        self._terminate()
        self._lock.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def ringkv_binary():
    binary = os.environ.get("RINGKV_SERVER_BIN")
    if not binary:
        pytest.fail("RINGKV_SERVER_BIN is not set (run through ctest, or set it to "
                    "build/server/ringkv-server)")
    return binary


@pytest.fixture(scope="module")
def start_ringkv():
    """start_ringkv(*args, cluster=False) -> ServerProcess: a ringkv-server with two worker
    threads and no snapshots, plus `args`; cluster=True adds cluster-enabled yes with
    cluster-announce-ip 127.0.0.1 (and a port below 55536, so that its bus port, port + 10000,
    is a port number). Every server started is stopped at the end of the module."""
    started = []

    def start(*args, cluster=False):
        binary = ringkv_binary()
        extra = list(args)
        if cluster:
            extra = ["--cluster-enabled", "yes", "--cluster-announce-ip", "127.0.0.1"] + extra
        node = ServerProcess(
            "ringkv", lambda port, d: [binary, "--port", str(port), "--bind", "127.0.0.1",
                                       "--threads", "2", "--save", "", "--dir", d] + extra,
            need_bus_port=cluster)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()


@pytest.fixture(scope="module")
def start_redis():
    """start_redis(*args) -> ServerProcess: Debian's redis-server (RINGKV_REDIS_SERVER_BIN
    overrides it; scripts/install-deps.sh installs it) on a port whose bus port (+10000) is
    free too. Fails when it is not installed."""
    if not os.access(REDIS_SERVER_BIN, os.X_OK):
        pytest.fail(f"{REDIS_SERVER_BIN} is not installed (scripts/install-deps.sh installs it)")
    started = []

    def start(*args):
        node = ServerProcess(
            "redis", lambda port, d: [REDIS_SERVER_BIN, "--port", str(port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", d] + list(args),
            need_bus_port=True)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()
