# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# redis-py's stream API against ringkv: the helpers parse XRANGE, XREAD, XREADGROUP, XPENDING,
# XCLAIM, XAUTOCLAIM and XINFO replies into Python structures, so a reply shape that differs
# from Redis's breaks them here. A worker-style consumer loop (read, process, ack, claim what a
# dead consumer left) is the scenario job queues and event consumers run.
import threading
import time


def test_add_range_trim_and_delete(r):
    ids = [r.xadd("events", {"type": "click", "n": i}) for i in range(5)]
    assert all(isinstance(i, str) and "-" in i for i in ids)
    assert r.xlen("events") == 5
    entries = r.xrange("events")
    assert [e[0] for e in entries] == ids
    assert entries[2][1] == {"type": "click", "n": "2"}
    assert [e[0] for e in r.xrevrange("events", count=2)] == ids[:2:-1][:2]
    assert r.xdel("events", ids[0], "0-1") == 1
    # redis-py trims with "~" by default: whole nodes only, and one node holds all four.
    assert r.xtrim("events", maxlen=2) == 0
    assert r.xtrim("events", maxlen=2, approximate=False) == 2
    assert [e[0] for e in r.xrange("events")] == ids[3:]
    assert r.xadd("events", {"k": "v"}, id="99999999999999-0", maxlen=1,
                  approximate=False) == "99999999999999-0"
    assert r.xlen("events") == 1
    assert r.type("events") == "stream"
    assert r.object("encoding", "events") == "stream"


def test_xread_blocks_until_another_client_adds(r, other):
    r.xadd("feed", {"old": "1"})
    got = {}

    def reader():
        got["reply"] = other.xread({"feed": "$"}, block=5000)

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.2)
    new_id = r.xadd("feed", {"new": "2"})
    t.join(timeout=10)
    assert got["reply"] == [["feed", [(new_id, {"new": "2"})]]]
    assert r.xread({"feed": new_id}, block=50) == []


def test_consumer_group_worker_loop(r):
    r.xgroup_create("jobs", "workers", id="0", mkstream=True)
    ids = [r.xadd("jobs", {"job": str(i)}) for i in range(4)]
    # Worker A takes two jobs and dies without acknowledging one of them.
    batch = r.xreadgroup("workers", "a", {"jobs": ">"}, count=2)
    assert [e[0] for e in batch[0][1]] == ids[:2]
    assert r.xack("jobs", "workers", ids[0]) == 1
    # Worker B takes the rest and acknowledges everything it got.
    batch = r.xreadgroup("workers", "b", {"jobs": ">"})
    assert [e[0] for e in batch[0][1]] == ids[2:]
    assert r.xack("jobs", "workers", *ids[2:]) == 2
    summary = r.xpending("jobs", "workers")
    assert summary["pending"] == 1
    assert summary["min"] == ids[1] and summary["max"] == ids[1]
    assert summary["consumers"] == [{"name": "a", "pending": 1}]
    rows = r.xpending_range("jobs", "workers", min="-", max="+", count=10)
    assert rows[0]["message_id"] == ids[1]
    assert rows[0]["consumer"] == "a"
    assert rows[0]["times_delivered"] == 1
    # B claims what A left (min idle 0), by XCLAIM and by XAUTOCLAIM.
    claimed = r.xclaim("jobs", "workers", "b", min_idle_time=0, message_ids=[ids[1]])
    assert claimed == [(ids[1], {"job": "1"})]
    auto = r.xautoclaim("jobs", "workers", "c", min_idle_time=0, start_id="0-0")
    assert auto[0] == "0-0"
    assert auto[1] == [(ids[1], {"job": "1"})]
    assert r.xpending_range("jobs", "workers", "-", "+", 10)[0]["times_delivered"] == 3
    # History read: the consumer's own pending entries.
    history = r.xreadgroup("workers", "c", {"jobs": "0"})
    assert [e[0] for e in history[0][1]] == [ids[1]]
    assert r.xack("jobs", "workers", ids[1]) == 1
    groups = r.xinfo_groups("jobs")
    assert groups[0]["name"] == "workers"
    assert groups[0]["pending"] == 0
    assert groups[0]["last-delivered-id"] == ids[3]
    assert groups[0]["entries-read"] == 4 and groups[0]["lag"] == 0
    consumers = {c["name"]: c for c in r.xinfo_consumers("jobs", "workers")}
    assert set(consumers) == {"a", "b", "c"}
    assert all(c["pending"] == 0 and c["idle"] >= 0 for c in consumers.values())
    info = r.xinfo_stream("jobs")
    assert info["length"] == 4
    assert info["groups"] == 1
    assert info["first-entry"] == (ids[0], {"job": "0"})
    assert info["last-entry"] == (ids[3], {"job": "3"})
    full = r.xinfo_stream("jobs", full=True)
    assert len(full["entries"]) == 4
    assert full["groups"][0]["name"] == "workers"
    assert r.xgroup_delconsumer("jobs", "workers", "a") == 0
    assert r.xgroup_destroy("jobs", "workers") == 1
