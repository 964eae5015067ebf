// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Client-side caching (CLIENT TRACKING), as Redis 7.0 does it. A tracking client is told when a
// key it may have cached changes, with an "invalidate" message: a RESP3 push on its own
// connection, or, with REDIRECT, a message to another client (a RESP3 push, or a pub/sub message
// on __redis__:invalidate to a RESP2 client that subscribed to it).
// - Default mode: the keys a client reads (read-only commands) are remembered per key; the first
//   change of the key invalidates it for every client that read it and forgets them. OPTIN
//   remembers only reads after CLIENT CACHING yes, OPTOUT all but those after CLIENT CACHING no.
//   The table holds at most tracking-table-max-keys keys; past that, keys are invalidated to make
//   room, as Redis does.
// - BCAST: no reads are remembered; a change to any key starting with one of the client's
//   prefixes (all keys without PREFIX) is sent to it.
// - NOLOOP: no message about changes the client made itself.
// - A flush (FLUSHDB, FLUSHALL, SWAPDB) invalidates everything: one message with a null.
// Keys are tracked by name across databases, as in Redis.
//
// Thread safety: every method may be called from any thread (commands run on many workers);
// messages reach their client through the Deliver hook, on the client's worker.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/synchronization/mutex.h"
#include "protocol/reply_encoder.h"

namespace ringkv::server {

// ClientState::tracking bits.
enum TrackingFlag : uint32_t {
  kTrackingOn = 1 << 0,
  kTrackingBcast = 1 << 1,
  kTrackingOptin = 1 << 2,
  kTrackingOptout = 1 << 3,
  kTrackingNoloop = 1 << 4,
  kTrackingBrokenRedirect = 1 << 5,  // only in the registry's copy (CLIENT TRACKINGINFO/LIST)
};

// One message for one connection; its bytes depend on that connection's protocol.
struct TrackingMessage {
  bool via_redirect = false;     // sent to a REDIRECT target
  bool all = false;              // a flush: every key (a null instead of key names)
  uint64_t broken_redirect = 0;  // non-zero: "tracking-redir-broken" for this redirect id
  std::vector<std::string> keys;
};

// The bytes of `m` for a connection speaking `resp`, `subscribed` when it has a pub/sub
// subscription; empty when such a connection cannot receive it (RESP2 without redirection).
std::string EncodeTrackingMessage(const TrackingMessage& m, protocol::RespVersion resp,
                                  bool subscribed);

class TrackingRegistry {
 public:
  // Hands a message to the worker of a connection: deliver(worker, client id, message). Set by
  // the server; without it (in-process tests) messages go nowhere.
  using Deliver = std::function<void(int worker, uint64_t client_id, TrackingMessage message)>;
  // Finds a connected client's worker (false when it is gone).
  using FindWorker = std::function<bool(uint64_t client_id, int* worker)>;

  TrackingRegistry() = default;
  TrackingRegistry(const TrackingRegistry&) = delete;
  TrackingRegistry& operator=(const TrackingRegistry&) = delete;

  void set_deliver(Deliver deliver, FindWorker find) {
    deliver_ = std::move(deliver);
    find_ = std::move(find);
  }

  // True when some client tracks: the command path skips everything else otherwise.
  bool active() const { return clients_.load(std::memory_order_relaxed) > 0; }

  // CLIENT TRACKING ON for client `id` on `worker` (replaces its previous options; BCAST
  // prefixes add to those it has). `flags`: kTracking* bits (kTrackingOn implied).
  void Enable(uint64_t id, int worker, uint32_t flags, uint64_t redirect,
              std::span<const std::string_view> prefixes);
  // CLIENT TRACKING OFF, RESET, or the connection closed.
  void Disable(uint64_t id);
  // The registry's view of a tracking client for CLIENT TRACKINGINFO / GETREDIR / LIST.
  struct ClientView {
    uint32_t flags = 0;  // 0: not tracking
    uint64_t redirect = 0;
    std::vector<std::string> prefixes;  // sorted
  };
  ClientView View(uint64_t id) const;

  // After a read-only command of a tracking client (default mode): remembers `keys` for it.
  void RememberKeys(uint64_t id, std::span<const std::string_view> keys);
  // After a command changed `keys` (`modifier`: the client that ran it, 0 for none: expiry,
  // eviction): sends the invalidations.
  void Invalidate(uint64_t modifier, std::span<const std::string_view> keys);
  // After a flush: every tracking client gets a null invalidation; the table is emptied.
  void InvalidateAll();

  // tracking-table-max-keys (0: no limit).
  void set_max_keys(int64_t max) { max_keys_.store(max, std::memory_order_relaxed); }

  // INFO: tracking_clients, tracking_total_keys, tracking_total_items, tracking_total_prefixes.
  int64_t clients() const { return clients_.load(std::memory_order_relaxed); }
  int64_t total_keys() const { return total_keys_.load(std::memory_order_relaxed); }
  int64_t total_items() const { return total_items_.load(std::memory_order_relaxed); }
  int64_t total_prefixes() const;

 private:
  struct Client {
    int worker = 0;
    uint32_t flags = 0;
    uint64_t redirect = 0;
    std::vector<std::string> prefixes;
  };
  struct Prefix {
    std::string prefix;
    std::vector<uint64_t> ids;
  };
  static constexpr size_t kShards = 16;
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, absl::InlinedVector<uint64_t, 2>> keys ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(std::string_view key);
  // Sends `m` for tracking client `id` (through its redirect, if any). Takes clients_mu_.
  void Send(uint64_t id, TrackingMessage m);
  void SendLocked(uint64_t id, const Client& c, TrackingMessage m)
      ABSL_SHARED_LOCKS_REQUIRED(clients_mu_);
  // Removes `key` from the table and invalidates it for its clients (not `modifier` when it is
  // NOLOOP). Adds (client id, key) pairs to *out.
  void TakeKey(std::string_view key, uint64_t modifier,
               std::vector<std::pair<uint64_t, std::string>>* out);
  void EnforceMaxKeys();

  Deliver deliver_;
  FindWorker find_;
  mutable absl::Mutex clients_mu_;
  absl::flat_hash_map<uint64_t, Client> tracking_ ABSL_GUARDED_BY(clients_mu_);
  std::vector<Prefix> prefixes_ ABSL_GUARDED_BY(clients_mu_);
  // Clients whose redirect target was found gone (CLIENT TRACKINGINFO's broken_redirect).
  mutable absl::Mutex broken_mu_ ABSL_ACQUIRED_AFTER(clients_mu_);
  absl::flat_hash_set<uint64_t> broken_ ABSL_GUARDED_BY(broken_mu_);
  std::atomic<int64_t> clients_{0};
  std::atomic<int64_t> bcast_clients_{0};
  std::array<Shard, kShards> shards_;
  std::atomic<int64_t> total_keys_{0};
  std::atomic<int64_t> total_items_{0};
  std::atomic<int64_t> max_keys_{1000000};
};

}  // namespace ringkv::server
