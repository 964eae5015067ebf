#!/usr/bin/python3
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Captures the exact bytes Debian's redis-server sends for a set of replies, in RESP2 and RESP3,
# and writes them as C++ initializers to testdata/redis_replies.inc. reply_encoder_test encodes the
# same replies with ReplyEncoder and compares byte for byte. Run by hand when the case list
# changes (it is not part of the test suite, which must not need redis-server):
#
#   /usr/bin/python3 tests/protocol/capture_redis_replies.py
#
# It starts its own redis-server on a free loopback port (with DEBUG enabled, for DEBUG PROTOCOL)
# and stops it when done.
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "testdata", "redis_replies.inc")

# (name, setup commands, command, number of top-level frames in its reply). Each case runs in
# RESP2 and in RESP3 on a fresh connection after FLUSHALL.
CASES = [
    ("simple_ok", [], "SET k v", 1),
    ("bulk", ["SET k hello"], "GET k", 1),
    ("bulk_empty", ["SET k ''"], "GET k", 1),
    ("null_bulk", [], "GET missing", 1),
    ("null_array", [], "BLPOP missing 0.01", 1),
    ("integer_neg", [], "TTL missing", 1),
    ("integer_max", ["SET n 9223372036854775806"], "INCRBY n 1", 1),
    ("integer_min", ["SET n -9223372036854775807"], "DECRBY n 1", 1),
    ("error_wrongtype", ["LPUSH l a"], "GET l", 1),
    ("error_unknown", [], "NOSUCHCMD a", 1),
    ("array_empty", [], "KEYS nomatch*", 1),
    ("map_hgetall", ["HSET h f v"], "HGETALL h", 1),
    ("set_smembers", ["SADD s m"], "SMEMBERS s", 1),
    ("push_subscribe", [], "SUBSCRIBE ch", 1),
    ("double_1_5", ["ZADD z 1.5 m"], "ZSCORE z m", 1),
    ("double_0_1", ["ZADD z 0.1 m"], "ZSCORE z m", 1),
    ("double_1e300", ["ZADD z 1e300 m"], "ZSCORE z m", 1),
    ("double_1e_300", ["ZADD z 1e-300 m"], "ZSCORE z m", 1),
    ("double_neg_third", ["ZADD z -0.3333333333333333 m"], "ZSCORE z m", 1),
    ("double_big_int", ["ZADD z 123456789012345678 m"], "ZSCORE z m", 1),
    ("double_inf", ["ZADD z inf m"], "ZSCORE z m", 1),
    ("double_neg_inf", ["ZADD z -inf m"], "ZSCORE z m", 1),
    ("debug_string", [], "DEBUG PROTOCOL string", 1),
    ("debug_integer", [], "DEBUG PROTOCOL integer", 1),
    ("debug_double", [], "DEBUG PROTOCOL double", 1),
    ("debug_bignum", [], "DEBUG PROTOCOL bignum", 1),
    ("debug_null", [], "DEBUG PROTOCOL null", 1),
    ("debug_array", [], "DEBUG PROTOCOL array", 1),
    ("debug_set", [], "DEBUG PROTOCOL set", 1),
    ("debug_map", [], "DEBUG PROTOCOL map", 1),
    ("debug_attrib", [], "DEBUG PROTOCOL attrib", 2),  # RESP2 sends only the real reply
    ("debug_true", [], "DEBUG PROTOCOL true", 1),
    ("debug_false", [], "DEBUG PROTOCOL false", 1),
    ("debug_verbatim", [], "DEBUG PROTOCOL verbatim", 1),
    ("debug_push", [], "DEBUG PROTOCOL push", 2),  # RESP3 only; RESP2 answers an error
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def encode(cmd):
    args = [a if a != "''" else "" for a in cmd.split(" ")]
    out = b"*%d\r\n" % len(args)
    for a in args:
        b = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(b), b)
    return out


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def need(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data

    def line_end(self, pos):
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return i
            self.need(len(self.buf) + 1)

    def frame_end(self, pos):
        """Returns the offset just past the complete frame starting at pos."""
        self.need(pos + 1)
        t = self.buf[pos:pos + 1]
        eol = self.line_end(pos)
        head = self.buf[pos + 1:eol]
        nxt = eol + 2
        if t in b"$=" and head != b"-1":
            self.need(nxt + int(head) + 2)
            return nxt + int(head) + 2
        if t in b"*~>%|" and head != b"-1":
            n = int(head) * (2 if t in b"%|" else 1)
            for _ in range(n):
                nxt = self.frame_end(nxt)
        return nxt

    def reply(self, frames=1):
        end = 0
        for _ in range(frames):
            end = self.frame_end(end)
        out, self.buf = self.buf[:end], self.buf[end:]
        return out


def c_literal(data):
    out = []
    for b in data:
        c = chr(b)
        if c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append("\\n")
        elif c in "\\\"":
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def capture(port):
    rows = []
    for name, setup, cmd, frames in CASES:
        for resp in (2, 3):
            conn = Conn(port)
            if resp == 3:
                conn.sock.sendall(encode("HELLO 3"))
                conn.reply()
            conn.sock.sendall(encode("FLUSHALL"))
            conn.reply()
            for s in setup:
                conn.sock.sendall(encode(s))
                conn.reply()
            conn.sock.sendall(encode(cmd))
            first = conn.reply()
            data = first
            if frames == 2 and resp == 3:
                data += conn.reply()
            conn.sock.close()
            rows.append((name, resp, data))
    return rows


def main():
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--enable-debug-command", "yes", "--daemonize", "no"],
        stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.05)
        version = subprocess.run(["redis-server", "--version"], capture_output=True,
                                 text=True).stdout.split()[2].removeprefix("v=")
        rows = capture(port)
    finally:
        server.terminate()
        server.wait()
    with open(OUT, "w") as f:
        f.write("// Generated by tests/protocol/capture_redis_replies.py from redis-server %s.\n"
                "// Do not edit by hand. Fields: case name, RESP version, bytes, length.\n" % version)
        for name, resp, data in rows:
            f.write("{\"%s\", %d, %s, %d},\n" % (name, resp, c_literal(data), len(data)))
    print("wrote %d cases to %s" % (len(rows), OUT))


if __name__ == "__main__":
    sys.exit(main())
