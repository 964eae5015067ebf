# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# twemproxy (Debian's nutcracker) in front of two plain ringkv servers (cluster-enabled no): the
# zero-code scale-out for cluster-unaware clients. redis-py talks to the proxy; keys are spread
# over both servers by the proxy's hash (murmur, ketama), {tags} keep keys together, multi-key
# commands are split per server and merged back. Fails (does not skip) when nutcracker is
# missing: scripts/install-deps.sh installs it.
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis

from conftest import reserve_port

NUTCRACKER = os.environ.get("RINGKV_NUTCRACKER_BIN") or shutil.which("nutcracker") or \
    "/usr/sbin/nutcracker"


@pytest.fixture(scope="module")
def proxy(start_ringkv):
    if not os.access(NUTCRACKER, os.X_OK):
        pytest.fail("nutcracker is not installed (apt-get install nutcracker; "
                    "scripts/install-deps.sh installs it)")
    backends = [start_ringkv(), start_ringkv()]
    port, port_lock = reserve_port()
    stats_port, stats_lock = reserve_port()
    d = tempfile.mkdtemp(prefix="ringkv-py-nutcracker-")
    conf = os.path.join(d, "nutcracker.yml")
    with open(conf, "w") as f:
        f.write(f"""ringkv:
  listen: 127.0.0.1:{port}
  hash: murmur
  hash_tag: "{{}}"
  distribution: ketama
  redis: true
  auto_eject_hosts: false
  timeout: 5000
  servers:
   - 127.0.0.1:{backends[0].port}:1 s1
   - 127.0.0.1:{backends[1].port}:1 s2
""")
    log = os.path.join(d, "nutcracker.log")
    proc = subprocess.Popen([NUTCRACKER, "-c", conf, "-a", "127.0.0.1", "-s", str(stats_port),
                             "-i", "100", "-o", log, "-v", "6"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10, decode_responses=True)
    deadline = time.time() + 20
    while True:
        try:
            if client.ping():
                break
        except redis.exceptions.ConnectionError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                with open(log, errors="replace") as f:
                    raise RuntimeError(f"nutcracker did not start: {f.read()[-3000:]}")
            time.sleep(0.05)
    yield client, backends, stats_port
    client.close()
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    port_lock.close()
    stats_lock.close()
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def p(proxy):
    client, backends, _ = proxy
    for b in backends:
        b.client().flushall()  # the proxy forwards no FLUSHALL
    return proxy


def test_set_get_spread_over_both_servers(p):
    client, backends, _ = p
    for i in range(1000):
        assert client.set(f"key:{i}", i)
    for i in range(1000):
        assert client.get(f"key:{i}") == str(i)
    sizes = [b.client().dbsize() for b in backends]
    assert sum(sizes) == 1000 and min(sizes) > 300, sizes  # murmur/ketama: about half each
    # Each key is on exactly one server.
    direct = [b.client() for b in backends]
    for i in range(0, 1000, 10):
        assert sorted([c.get(f"key:{i}") for c in direct], key=str) == [str(i), None]
    assert client.incr("key:1") == 2
    assert client.expire("key:2", 100) and 0 < client.ttl("key:2") <= 100
    assert client.delete("key:1", "key:2", "key:3", "nothere") == 3


def test_mget_mset_across_servers(p):
    client, backends, _ = p
    mapping = {f"m:{i}": f"v{i}" for i in range(200)}
    assert client.mset(mapping)  # split per server by the proxy
    names = list(mapping) + ["m:missing"]
    assert client.mget(names) == list(mapping.values()) + [None]
    sizes = [b.client().dbsize() for b in backends]
    assert sum(sizes) == 200 and min(sizes) > 50, sizes
    # The same MGET straight to one server only finds that server's keys.
    one = backends[0].client().mget(list(mapping))
    assert 0 < sum(v is not None for v in one) < 200
    assert client.exists("m:0") == 1
    assert client.delete(*mapping) == 200


def test_hash_tags_keep_keys_on_one_server(p):
    client, backends, _ = p
    for i in range(50):
        client.set(f"{{user1}}:{i}", i)
    sizes = sorted(b.client().dbsize() for b in backends)
    assert sizes == [0, 50], sizes
    assert client.mget([f"{{user1}}:{i}" for i in range(50)]) == [str(i) for i in range(50)]


def test_pipeline_through_the_proxy(p):
    client, backends, _ = p
    pipe = client.pipeline(transaction=False)
    for i in range(200):
        pipe.set(f"pipe:{i}", i)
        pipe.get(f"pipe:{i}")
    out = pipe.execute()
    assert out == [x for i in range(200) for x in (True, str(i))]
    assert all(b.client().dbsize() > 0 for b in backends)


def test_stats_port_reports_both_servers(p):
    client, backends, stats_port = p
    for i in range(100):
        client.set(f"s:{i}", "1")

    def read_stats():
        with socket.create_connection(("127.0.0.1", stats_port), timeout=10) as s:
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)["ringkv"]

    # Stats are aggregated every 100 ms (-i 100).
    deadline = time.time() + 10
    while True:
        pool = read_stats()
        assert {"s1", "s2"} <= set(pool)
        if pool["s1"]["requests"] > 0 and pool["s2"]["requests"] > 0:
            break
        assert time.time() < deadline, pool
        time.sleep(0.1)
    assert pool["server_ejects"] == 0
    assert pool["s1"]["server_err"] == 0 and pool["s2"]["server_err"] == 0
