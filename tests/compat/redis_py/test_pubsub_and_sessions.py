# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# redis-py pub/sub, and the session-store pattern an app server uses: a session hash with a
# sliding TTL, and the expired event a session tier listens for.
import time


def _next_message(pubsub, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = pubsub.get_message(timeout=0.1)
        if m is not None and m["type"] in ("message", "pmessage"):
            return m
    return None


def test_publish_reaches_channel_and_pattern_subscribers(r, server):
    import redis
    subs = [redis.Redis(port=server, decode_responses=True).pubsub() for _ in range(3)]
    subs[0].subscribe("news")
    subs[1].subscribe("news")
    subs[2].psubscribe("ne*")
    for s in subs:  # the subscribe confirmations
        assert s.get_message(timeout=5)["type"] in ("subscribe", "psubscribe")
    assert r.publish("news", "hello") == 3
    for s in subs:
        m = _next_message(s)
        assert m is not None and m["data"] == "hello" and m["channel"] == "news"
        s.close()


def test_session_store_pattern(r, server):
    import redis
    listener = redis.Redis(port=server, decode_responses=True).pubsub()
    listener.psubscribe("__keyevent@0__:expired")
    assert listener.get_message(timeout=5)["type"] == "psubscribe"

    sid = "session:4f2a"
    r.hset(sid, mapping={"user_id": "1001", "csrf": "x" * 32, "cart": "3"})
    r.expire(sid, 30)
    assert r.hgetall(sid) == {"user_id": "1001", "csrf": "x" * 32, "cart": "3"}
    assert r.hget(sid, "user_id") == "1001"
    # Each request slides the TTL.
    r.hset(sid, "last_seen", "now")
    r.pexpire(sid, 300)
    assert 0 < r.pttl(sid) <= 300
    m = _next_message(listener)
    assert m is not None and m["data"] == sid
    assert r.exists(sid) == 0
    listener.close()
