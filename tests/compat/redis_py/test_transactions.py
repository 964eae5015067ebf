# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# redis-py transactions: MULTI/EXEC pipelines and optimistic locking with WATCH.
import pytest
import redis


def test_transaction_pipeline_is_atomic(r):
    p = r.pipeline(transaction=True)
    p.set("a", 1).incr("a").get("a")
    assert p.execute() == [True, 2, "2"]


def test_watch_detects_a_write_by_another_client(r, other):
    r.set("balance", 100)
    with r.pipeline() as p:
        p.watch("balance")
        current = int(p.get("balance"))
        other.set("balance", 50)  # someone else gets there first
        p.multi()
        p.set("balance", current - 10)
        with pytest.raises(redis.exceptions.WatchError):
            p.execute()
    assert r.get("balance") == "50"


def test_transaction_helper_retries_until_it_commits(r, other):
    r.set("counter", 0)
    attempts = []

    def increment(pipe):
        value = int(pipe.get("counter"))
        if not attempts:
            other.incr("counter")  # force one conflict
        attempts.append(value)
        pipe.multi()
        pipe.set("counter", value + 1)

    r.transaction(increment, "counter")
    assert len(attempts) == 2
    assert r.get("counter") == "2"


def test_queue_time_error_aborts(r):
    with pytest.raises(redis.exceptions.ResponseError):
        r.execute_command("MULTI")
        r.execute_command("SET", "a")  # wrong arity: refused while queueing
    # redis-py maps the EXECABORT error code to its own exception class.
    with pytest.raises(redis.exceptions.ExecAbortError) as e:
        r.execute_command("EXEC")
    assert "discarded because of previous errors" in str(e.value)
    assert r.get("a") is None
