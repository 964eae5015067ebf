# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Scripting through redis-py (Debian's python3-redis 4.3.4): its Script helper (EVALSHA with a
# NOSCRIPT fallback to EVAL), SCRIPT LOAD/EXISTS/FLUSH, FUNCTION LOAD and FCALL, and, over real
# sockets on a two-worker server, a long script that other clients see as -BUSY and that
# SCRIPT KILL sent from another worker's connection stops.
import threading
import time

import pytest
import redis

RATE_LIMIT = """
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if current > tonumber(ARGV[2]) then return 0 end
return 1
"""


def test_register_script_falls_back_to_eval_after_flush(r):
    limiter = r.register_script(RATE_LIMIT)
    assert [limiter(keys=["rl"], args=[1000, 3]) for _ in range(5)] == [1, 1, 1, 0, 0]
    assert r.script_exists(limiter.sha) == [True]
    r.script_flush()
    assert r.script_exists(limiter.sha) == [False]
    # EVALSHA gets NOSCRIPT; the helper loads the script again and retries.
    assert limiter(keys=["rl2"], args=[1000, 3]) == 1
    assert 0 < r.pttl("rl2") <= 1000


def test_script_load_and_cjson_round_trip(r):
    sha = r.script_load("return cjson.encode(cjson.decode(ARGV[1]))")
    assert r.evalsha(sha, 0, '[1,"two",{"three":3}]') == '[1,"two",{"three":3}]'
    with pytest.raises(redis.exceptions.ResponseError, match="Error compiling script"):
        r.script_load("return (")


def test_functions(r):
    r.function_flush()
    name = r.function_load(
        "#!lua name=counters\n"
        "redis.register_function('bump', function(keys, args)\n"
        "  return redis.call('INCRBY', keys[1], args[1])\n"
        "end)\n"
        "redis.register_function{function_name='peek', callback=function(keys)\n"
        "  return redis.call('GET', keys[1])\n"
        "end, flags={'no-writes'}}\n")
    assert name == "counters"
    assert r.fcall("bump", 1, "c", 5) == 5
    assert r.fcall_ro("peek", 1, "c") == "5"
    with pytest.raises(redis.exceptions.ResponseError, match="write flag using \\*_ro"):
        r.fcall_ro("bump", 1, "c", 1)
    listed = r.function_list()
    assert listed[0][1] == "counters"
    r.function_delete("counters")
    with pytest.raises(redis.exceptions.ResponseError, match="Function not found"):
        r.fcall("bump", 1, "c", 1)


def test_busy_script_and_script_kill_from_another_worker(server, r):
    r.config_set("busy-reply-threshold", 100)
    try:
        result = {}

        def run_script():
            runner = redis.Redis(port=server, socket_timeout=30, decode_responses=True)
            try:
                runner.eval("local i = 0 while true do i = i + 1 end", 0)
            except redis.exceptions.ResponseError as e:
                result["error"] = str(e)
            finally:
                runner.close()

        thread = threading.Thread(target=run_script)
        thread.start()
        time.sleep(0.3)  # past the threshold
        # Connections spread over the two workers; one on the script's own worker is not read
        # until the script ends, so look for one another worker serves: it answers -BUSY.
        killer = None
        clients = []
        for _ in range(32):
            c = redis.Redis(port=server, socket_timeout=0.5, decode_responses=True)
            clients.append(c)
            try:
                c.ping()
            except redis.exceptions.BusyLoadingError:
                killer = c
                break
            except redis.exceptions.ResponseError as e:
                assert "Redis is busy running a script" in str(e), str(e)
                killer = c
                break
            except redis.exceptions.TimeoutError:
                continue
        assert killer is not None, "no connection landed on the other worker"
        assert killer.script_kill() is True
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert result["error"].startswith("Script killed by user with SCRIPT KILL...")
        for c in clients:
            c.close()
        with pytest.raises(redis.exceptions.ResponseError, match="NOTBUSY"):
            r.script_kill()
    finally:
        r.config_set("busy-reply-threshold", 5000)
