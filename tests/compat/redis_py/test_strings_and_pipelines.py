# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# redis-py (Debian's python3-redis 4.3, RESP2) against ringkv: strings, keys, pipelines.
import redis


def test_strings(r):
    assert r.set("a", "1")
    assert r.get("a") == "1"
    assert r.incr("a") == 2
    assert r.incrbyfloat("a", 0.5) == 2.5
    assert r.append("s", "ab") == 2
    assert r.getrange("s", 0, 0) == "a"
    assert r.mset({"x": "1", "y": "2"})
    assert r.mget("x", "y", "nope") == ["1", "2", None]
    assert r.set("n", "v", nx=True) is True
    assert r.set("n", "v", nx=True) is None
    assert r.set("e", "v", ex=100)
    assert 0 < r.ttl("e") <= 100
    assert r.persist("e")
    assert r.ttl("e") == -1
    assert r.delete("a", "x", "missing") == 2
    assert r.exists("y") == 1
    assert r.type("y") == "string"


def test_errors_are_exceptions(r):
    r.set("s", "text")
    try:
        r.incr("s")
    except redis.exceptions.ResponseError as e:
        assert "not an integer" in str(e)
    else:
        raise AssertionError("INCR on text must fail")


def test_pipeline_without_transaction(r):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"k{i}", i)
    for i in range(1000):
        p.get(f"k{i}")
    out = p.execute()
    assert out[:1000] == [True] * 1000
    assert out[1000:] == [str(i) for i in range(1000)]


def test_scan_iter_sees_every_key(r):
    for i in range(500):
        r.set(f"scan:{i}", i)
    assert len(set(r.scan_iter(match="scan:*", count=50))) == 500
