# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
"""Helpers shared by the benchmark scripts in bench/ (imported from the script's directory)."""

import socket


def warm_io(port, total=6 << 20):
    """Sends `total` bytes of pipelined inline PINGs to the server on 127.0.0.1:`port` before a
    memory reading, so that a later RSS growth counts the data and not the network buffers that
    loading it happens to touch first (ringkv's io_uring receive buffers, 4 MiB a worker, arrive
    with their first use, and only a stream that keeps them full touches all of each). PINGs are
    parsed where they arrive and answered with 7 bytes, 64 KiB at a time, so the warm-up leaves
    next to no freed memory behind for the data to reuse."""
    chunk = b"PING\r\n" * 10922  # 64 KiB: four full receive buffers a round
    expected = 10922 * len(b"+PONG\r\n")
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for _ in range(max(1, total // len(chunk))):
            sock.sendall(chunk)
            got = 0
            while got < expected:
                data = sock.recv(1 << 20)
                if not data:
                    raise RuntimeError("warm-up: the server closed the connection")
                got += len(data)
