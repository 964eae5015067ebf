// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The differential harness: the same seeded random command sequences go to a real ringkv-server
// and to Debian's redis-server 7.0, and every reply must be the same bytes, after a per-suite
// normalization of what legitimately differs (orders Redis itself leaves unspecified, timings).
// Each command family has its own test file with its own generator; this file holds the servers,
// the connection and the comparison loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "protocol/reply_parser.h"

namespace ringkv::compat {

inline constexpr char kRedisServer[] = "/usr/bin/redis-server";

using Command = std::vector<std::string>;

// The random choices of the suites' generators (each derives from it): every choice comes from
// one std::mt19937, so a seed fixes the whole command sequence.
class SeededChoices {
 public:
  explicit SeededChoices(uint32_t seed) : rng_(seed) {}

 protected:
  bool Chance(int percent) { return Uniform(0, 99) < static_cast<size_t>(percent); }
  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, v.size() - 1)];
  }

  std::mt19937 rng_;
};

// A TCP connection to 127.0.0.1:port with TCP_NODELAY, or -1.
int ConnectLoopback(int port);

// A blocking connection that returns each reply's exact bytes (and its decoded form).
class Conn {
 public:
  static std::unique_ptr<Conn> Connect(int port);
  ~Conn();
  // Sends `cmd` and returns the raw bytes of its reply ("<timeout>" / "<closed>" on failure).
  std::string Call(const Command& cmd, protocol::Reply* decoded = nullptr);

 private:
  Conn() = default;
  int fd_ = -1;
  std::string buf_;
  protocol::ReplyParser parser_;
};

// Debian's redis-server on a free loopback port, without persistence; killed when destroyed.
class RedisProcess {
 public:
  static std::unique_ptr<RedisProcess> Start();
  ~RedisProcess();
  int port() const { return port_; }

 private:
  RedisProcess() = default;
  int pid_ = -1;
  int port_ = 0;
};

std::string Upper(std::string s);
// The reply bytes with CR and LF made visible, cut at 300 characters.
std::string Printable(const std::string& s);
// Normalizations every suite wants: TTL/PTTL/EXPIRETIME/PEXPIRETIME, OBJECT IDLETIME and MEMORY
// USAGE replies that are non-negative become one token, and KEYS is compared sorted.
std::string NormalizeCommon(const Command& cmd, const std::string& bytes, const protocol::Reply& r);
// A reply's elements, sorted, as one comparable string ("<n elements> [a] [b]"): for replies whose
// order Redis leaves unspecified (SMEMBERS of a hashtable set, HGETALL). With `pairs`, a flat
// [k1 v1 k2 v2] array (or RESP3 map) keeps each pair together.
std::string SortedElements(const protocol::Reply& r, bool pairs);

struct DifferentialSuite {
  std::string name;  // for messages
  int seeds = 40;
  int commands_per_seed = 1000;
  int deadline_seconds = 60;
  // Makes the command source for one seed; base_s is the wall time the test started, in seconds.
  std::function<std::function<Command()>(uint32_t seed, int64_t base_s)> make_generator;
  // The comparable form of a reply. Default: NormalizeCommon.
  std::function<std::string(const Command&, const std::string& bytes, const protocol::Reply&)>
      normalize;
  // Commands whose reply is computed by a custom exchange (e.g. a full SCAN iteration) instead
  // of one Call: return true and set *out to the comparable form.
  std::function<bool(Conn&, const Command&, std::string* out)> custom_call;
  // A difference kept on purpose (docs/compatibility.md): return true to count, not fail.
  std::function<bool(const Command&, const std::string& redis_reply,
                     const std::string& ringkv_reply, Conn& redis)>
      documented_difference;
  // After a difference, what the key holds on Redis, for the diagnosis (e.g. {"GET", key}).
  std::function<Command(const Command&)> inspect;
};

// Runs the suite (GTest assertions inside). Skips when redis-server is missing.
void RunDifferential(const DifferentialSuite& suite);

}  // namespace ringkv::compat
