// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/blocking.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

#include "protocol/output_buffer.h"
#include "server/command.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

// Keys noted ready by this thread's write commands; db-wide entries have an empty key and
// `all` set.
struct ReadyKey {
  int db;
  std::string key;
  bool all;
};
thread_local std::vector<ReadyKey> t_ready;

}  // namespace

bool BlockingRegistry::HasReady() { return !t_ready.empty(); }

void BlockingRegistry::Block(const std::shared_ptr<BlockedClient>& waiter) {
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& key : waiter->keys) {
      std::deque<std::shared_ptr<BlockedClient>>& q = waiting_[Key(waiter->db, key)];
      // A key named twice queues the client once.
      if (q.empty() || q.back() != waiter) q.push_back(waiter);
    }
    by_client_[waiter->client_id] = waiter;
    blocked_.fetch_add(1, std::memory_order_release);
  }
  for (const std::string& key : waiter->keys) NoteReady(waiter->db, key);
}

void BlockingRegistry::Remove(const BlockedClient& waiter) {
  by_client_.erase(waiter.client_id);
  for (const std::string& key : waiter.keys) {
    auto it = waiting_.find(Key(waiter.db, key));
    if (it == waiting_.end()) continue;
    std::deque<std::shared_ptr<BlockedClient>>& q = it->second;
    for (auto w = q.begin(); w != q.end(); ++w) {
      if (w->get() == &waiter) {
        q.erase(w);
        break;
      }
    }
    if (q.empty()) waiting_.erase(it);
  }
}

bool BlockingRegistry::Cancel(const std::shared_ptr<BlockedClient>& waiter) {
  absl::MutexLock lock(&mu_);
  if (waiter->done) return false;
  waiter->done = true;
  Remove(*waiter);
  blocked_.fetch_sub(1, std::memory_order_release);
  return true;
}

bool BlockingRegistry::Unblock(uint64_t client_id, bool error) {
  absl::MutexLock lock(&mu_);
  auto it = by_client_.find(client_id);
  if (it == by_client_.end() || it->second->done) return false;
  std::shared_ptr<BlockedClient> w = it->second;
  w->done = true;
  Remove(*w);
  blocked_.fetch_sub(1, std::memory_order_release);
  protocol::OutputBuffer out(64);
  protocol::ReplyEncoder reply(&out, w->resp);
  if (error) {
    reply.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    WriteTimeoutReply(reply);
  }
  if (deliver_) deliver_(w->worker, w->client_id, w, out.ToString());
  return true;
}

size_t BlockingRegistry::AnswerWithError(
    absl::FunctionRef<std::optional<std::string>(const BlockedClient&)> error_for) {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<std::shared_ptr<BlockedClient>, std::string>> answered;
  for (const auto& [id, w] : by_client_) {
    if (w->done) continue;
    std::optional<std::string> error = error_for(*w);
    if (error.has_value()) answered.emplace_back(w, std::move(*error));
  }
  for (auto& [w, error] : answered) {
    w->done = true;
    Remove(*w);
    blocked_.fetch_sub(1, std::memory_order_release);
    protocol::OutputBuffer out(64);
    protocol::ReplyEncoder reply(&out, w->resp);
    reply.Error(error);
    if (deliver_) deliver_(w->worker, w->client_id, w, out.ToString());
  }
  return answered.size();
}

void WriteTimeoutReply(protocol::ReplyEncoder& reply) { reply.NullArray(); }

void BlockingRegistry::NoteReady(int db, std::string_view key) {
  for (const ReadyKey& r : t_ready) {
    if (r.db == db && (r.all || r.key == key)) return;
  }
  t_ready.push_back({db, std::string(key), false});
}

void BlockingRegistry::NoteWrite(int db, const CommandSpec& spec,
                                 std::span<const std::string_view> args) {
  // These move data between databases, or into a key the table cannot point at.
  if (spec.name == "swapdb" || spec.name == "move" || spec.name == "copy") db = -1;
  std::vector<size_t> positions;
  if (db >= 0 && KeyPositions(spec, args, &positions)) {
    for (size_t i : positions) {
      if (i < args.size()) NoteReady(db, args[i]);
    }
    return;
  }
  t_ready.push_back({db, std::string(), true});
}

void BlockingRegistry::ServeReady(ServerContext& server) {
  std::vector<ReadyKey> ready;
  ready.swap(t_ready);
  if (empty()) return;
  absl::MutexLock lock(&mu_);
  std::vector<Key> keys;
  for (const ReadyKey& r : ready) {
    if (!r.all) {
      keys.emplace_back(r.db, r.key);
      continue;
    }
    for (const auto& [k, q] : waiting_) {
      if (r.db < 0 || k.first == r.db) keys.push_back(k);
    }
  }
  // Keys a served BLMOVE pushed to are appended and served in turn. Each round pops at least
  // one element from the data set or stops, so this ends.
  for (size_t i = 0; i < keys.size(); ++i) {
    const Key key = keys[i];
    ServeKey(server, key, &keys);
  }
}

void BlockingRegistry::ServeKey(ServerContext& server, const Key& key, std::vector<Key>* more) {
  auto it = waiting_.find(key);
  if (it == waiting_.end()) return;
  // Try waiters in arrival order. One that finds nothing (another of its keys is not the one
  // that changed, or this key is still empty or of another type) stays; once a waiter found
  // this key empty, later ones would too, except stream readers (own_position).
  size_t i = 0;
  while (true) {
    it = waiting_.find(key);
    if (it == waiting_.end() || i >= it->second.size()) return;
    std::shared_ptr<BlockedClient> w = it->second[i];
    protocol::OutputBuffer out(256);
    protocol::ReplyEncoder reply(&out, w->resp);
    std::vector<std::string_view> args(w->args.begin(), w->args.end());
    BlockingTry r = w->try_fn(server, w->db, w->resp, args, reply);
    if (r != BlockingTry::kServed && r != BlockingTry::kEnded) {
      if (r == BlockingTry::kEmpty && !w->own_position) return;
      ++i;  // nothing for this waiter (or another type): it keeps waiting
      continue;
    }
    w->done = true;
    Remove(*w);
    blocked_.fetch_sub(1, std::memory_order_release);
    // The pop (and BLMOVE's push) changed keys: their WATCHers must see it, as for any write.
    if (!server.watches.empty()) {
      for (const std::string& k : w->keys) server.watches.Touch(w->db, k);
      if (!w->push_key.empty()) server.watches.Touch(w->db, w->push_key);
    }
    if (!w->push_key.empty()) more->emplace_back(w->db, w->push_key);
    if (deliver_) deliver_(w->worker, w->client_id, w, out.ToString());
  }
}

bool CanBlock(const CommandContext& ctx) {
  return !ctx.client.in_exec && ctx.client.info != nullptr && ctx.server.blocking.can_block();
}

std::shared_ptr<BlockedClient> NewWaiter(const CommandContext& ctx, int64_t deadline_ms,
                                         BlockingTryFn try_fn) {
  auto w = std::make_shared<BlockedClient>();
  w->client_id = ctx.client.id;
  w->worker = ctx.client.info->worker;
  w->db = ctx.client.db;
  w->resp = ctx.client.resp;
  w->deadline_ms = deadline_ms;
  w->try_fn = try_fn;
  return w;
}

void BlockClient(CommandContext& ctx, const std::shared_ptr<BlockedClient>& waiter) {
  ctx.client.blocked = waiter;
  ctx.client.info->blocked.store(true, std::memory_order_relaxed);
  ctx.server.blocking.Block(waiter);
}

bool ParseBlockingTimeout(std::string_view arg, int64_t now_ms, int64_t* deadline_ms,
                          protocol::ReplyEncoder& reply) {
  // As Redis's getTimeoutFromObjectOrReply: a long double, no leading space, nothing after it.
  std::string s(arg);
  errno = 0;
  char* end = nullptr;
  long double seconds = s.empty() ? 0 : std::strtold(s.c_str(), &end);
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) || end != s.c_str() + s.size() ||
      (errno == ERANGE && (seconds == HUGE_VALL || seconds == -HUGE_VALL || seconds == 0)) ||
      std::isnan(seconds)) {
    reply.Error("ERR timeout is not a float or out of range");
    return false;
  }
  // Rounded up to whole milliseconds: -0.0001 s is 0 (no timeout). Redis 7.0 converts without
  // a range check, so a value past the 64-bit range (inf, 1e400) reads as negative there; it
  // is answered the same way here. A deadline past the end of time waits forever.
  const long double ms = seconds * 1000.0L;
  if (ms <= -1.0L || ms >= 0x1p63L) {
    reply.Error("ERR timeout is negative");
    return false;
  }
  const int64_t t = ms <= 0 ? 0 : static_cast<int64_t>(std::ceil(ms));
  *deadline_ms = t == 0 ? 0 : (t > LLONG_MAX - now_ms ? LLONG_MAX : now_ms + t);
  return true;
}

}  // namespace ringkv::server
