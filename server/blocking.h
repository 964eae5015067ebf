// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Blocked clients: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP wait
// here when every key they name is empty.
//
// - A blocked client is queued on each key it waits for, in arrival order. Its connection stops
//   running commands (later pipelined input is kept) until it is served, times out, or goes.
// - Every write command that succeeds notes its keys as "ready" (a thread-local list, so a
//   write that runs under EXEC's lock only notes them). When the top-level command is done and
//   its locks are released, ServeReady() runs on the writer's thread: for each ready key, the
//   waiters are tried first-come first-served. Trying one means running its command's
//   non-blocking form (LPOP, LMOVE, ZPOPMIN, ...) with the waiter's database and protocol
//   against the engine, right there; the reply bytes are then handed to the waiter's worker,
//   which appends them to the connection and resumes it. So the first waiter always gets the
//   first element, whichever worker it lives on, and an element is never popped for a client
//   that is no longer waiting (served, timed out and disconnected are decided under one mutex).
// - A waiter that a BLMOVE serves pushes onto its destination; that key is then served too.
// - Lock order: the registry mutex, then engine shard locks (never the other way round).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"
#include "protocol/reply_encoder.h"

namespace ringkv::server {

struct ServerContext;
struct CommandSpec;
struct CommandContext;

// The outcome of one try of a blocking command's non-blocking form.
enum class BlockingTry : uint8_t {
  kServed,  // the reply is written
  kEmpty,   // every key was empty: block (or, in MULTI, reply null)
  kError,   // the reply is an error (wrong type, bad arguments); a waiter keeps waiting
  kEnded,   // the reply is an error that ends the wait (XREADGROUP: the group went)
};

// Runs the non-blocking form of a blocking command; writes the reply only when kServed or
// kError. `args` is the blocking command as typed.
using BlockingTryFn = BlockingTry (*)(ServerContext& server, int db, protocol::RespVersion resp,
                                      std::span<const std::string_view> args,
                                      protocol::ReplyEncoder& reply);

struct BlockedClient {
  uint64_t client_id = 0;
  int worker = 0;
  int db = 0;
  protocol::RespVersion resp = protocol::RespVersion::kResp2;
  std::vector<std::string> args;  // the command as typed
  std::vector<std::string> keys;  // the keys it waits on, in the order given
  std::string push_key;           // BLMOVE / BRPOPLPUSH: the destination it pushes to
  int64_t deadline_ms = 0;        // 0: no timeout
  BlockingTryFn try_fn = nullptr;
  // XREAD / XREADGROUP: each waiter reads after its own ID (or group position), so one that
  // finds nothing new says nothing of the waiters behind it, and none consumes what it reads.
  bool own_position = false;
  bool done = false;  // served, timed out or gone (guarded by the registry mutex)
};

class BlockingRegistry {
 public:
  // Hands a served waiter's reply to its worker: deliver(worker, client id, waiter, bytes).
  using Deliver = std::function<void(int worker, uint64_t client_id,
                                     std::shared_ptr<BlockedClient> waiter, std::string reply)>;

  // Set once by the server before any traffic. Without it (in-process tests) nothing blocks:
  // blocking commands answer as if their timeout had passed.
  void set_deliver(Deliver deliver) { deliver_ = std::move(deliver); }
  bool can_block() const { return static_cast<bool>(deliver_); }

  // True when no client is blocked: the write path skips everything else.
  bool empty() const { return blocked_.load(std::memory_order_acquire) == 0; }
  size_t blocked_clients() const { return blocked_.load(std::memory_order_relaxed); }

  // Queues `waiter` on its keys, then notes those keys ready so that data that arrived before
  // the waiter was queued is not missed.
  void Block(const std::shared_ptr<BlockedClient>& waiter);
  // Takes `waiter` off its keys unless it was served already. True if it was still waiting
  // (the caller answers it: timeout, CLIENT UNBLOCK, or nothing when the client is gone).
  bool Cancel(const std::shared_ptr<BlockedClient>& waiter);
  // CLIENT UNBLOCK: answers client `client_id`, if it is blocked, with its timeout reply or
  // (error) -UNBLOCKED, through its worker. True if it was blocked.
  bool Unblock(uint64_t client_id, bool error);
  // Answers every waiter for which error_for returns an error (without its "-") with that error,
  // ending its wait (cluster mode: a waiter whose slot moved away gets -MOVED). Returns how many.
  size_t AnswerWithError(
      absl::FunctionRef<std::optional<std::string>(const BlockedClient&)> error_for);

  // A write command succeeded: notes the keys it named (or, when they cannot be known, every
  // key of `db`; db < 0: of every database) as ready on this thread.
  void NoteWrite(int db, const CommandSpec& spec, std::span<const std::string_view> args);
  void NoteReady(int db, std::string_view key);
  // Serves waiters of the keys this thread noted. Call with no engine lock held.
  void ServeReady(ServerContext& server);
  // Whether this thread has noted keys that ServeReady has not served yet.
  static bool HasReady();

 private:
  using Key = std::pair<int, std::string>;
  // Tries the waiters of one key in order; returns keys that a served waiter wrote to.
  void ServeKey(ServerContext& server, const Key& key, std::vector<Key>* more)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Remove(const BlockedClient& waiter) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Deliver deliver_;
  absl::Mutex mu_;
  absl::flat_hash_map<Key, std::deque<std::shared_ptr<BlockedClient>>> waiting_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::shared_ptr<BlockedClient>> by_client_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> blocked_{0};
};

// Whether the calling client may block now: not inside EXEC, a real connection (not an
// in-process test's), and a server whose registry serves waiters.
bool CanBlock(const CommandContext& ctx);
// A waiter for the calling client (its id, worker, database and protocol) with this deadline
// (0: none) and try function; the caller adds the command and keys.
std::shared_ptr<BlockedClient> NewWaiter(const CommandContext& ctx, int64_t deadline_ms,
                                         BlockingTryFn try_fn);
// Marks the calling client blocked on `waiter` and queues it in the registry.
void BlockClient(CommandContext& ctx, const std::shared_ptr<BlockedClient>& waiter);

// The reply of a blocked client whose timeout passed (or CLIENT UNBLOCK ... TIMEOUT): a null
// array for every blocking command, as Redis 7.0 sends it (even BLMOVE, whose immediate "no
// data" reply inside MULTI is a null bulk).
void WriteTimeoutReply(protocol::ReplyEncoder& reply);

// Parses a blocking command's timeout (seconds, a float) into an absolute deadline in ms, 0 for
// "forever". On error writes Redis 7.0's reply and returns false.
bool ParseBlockingTimeout(std::string_view arg, int64_t now_ms, int64_t* deadline_ms,
                          protocol::ReplyEncoder& reply);

}  // namespace ringkv::server
