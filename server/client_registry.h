// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ClientRegistry: what CLIENT LIST, CLIENT INFO and CLIENT KILL see of every connection on every
// worker. Each connection publishes a ClientInfo when it is accepted and withdraws it when it is
// freed. The owning worker updates the few fields that change per command with relaxed atomic
// stores (no lock on the request path); readers on other workers load them. Names change rarely
// and sit behind a per-client mutex.
//
// Thread safety: all methods are thread-safe. A ClientInfo is kept alive by shared_ptr while a
// reader holds it, even if the connection closes meanwhile.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace ringkv::server {

struct ClientInfo {
  uint64_t id = 0;
  int worker = 0;
  int fd = -1;
  std::string addr;   // peer "ip:port" or "/path:0" for unix sockets
  std::string laddr;  // local "ip:port"
  int64_t created_ms = 0;

  std::atomic<int64_t> last_interaction_ms{0};
  std::atomic<int> db{0};
  std::atomic<int> resp{2};
  std::atomic<const char*> last_command{"NULL"};  // points into the command table
  std::atomic<int64_t> query_buffer_bytes{0};
  std::atomic<int64_t> output_bytes{0};
  std::atomic<bool> no_evict{false};
  // Subscriptions by kind, for CLIENT LIST's sub= psub= ssub= (written by server/pubsub.cc).
  std::atomic<int> subscriptions[3] = {0, 0, 0};
  std::atomic<bool> blocked{false};  // waiting in a blocking command
  std::atomic<bool> monitor{false};  // in MONITOR mode
  // CLIENT TRACKING: kTracking* bits (server/tracking.h; 0: off) and the REDIRECT id (0: none).
  std::atomic<uint32_t> tracking{0};
  std::atomic<uint64_t> tracking_redirect{0};

  mutable absl::Mutex mu;
  std::string name ABSL_GUARDED_BY(mu);
  std::string lib_name ABSL_GUARDED_BY(mu);
  std::string lib_ver ABSL_GUARDED_BY(mu);
  std::string user ABSL_GUARDED_BY(mu) = "default";  // the ACL user it is authenticated as
};

// Whether a client counts as a pub/sub client (CLIENT LIST / KILL TYPE pubsub): it has a
// subscription, as Redis's CLIENT_PUBSUB flag.
inline bool IsPubSubClient(const ClientInfo& info) {
  for (const std::atomic<int>& n : info.subscriptions) {
    if (n.load(std::memory_order_relaxed) > 0) return true;
  }
  return false;
}

class ClientRegistry {
 public:
  void Add(std::shared_ptr<ClientInfo> info);
  void Remove(uint64_t id);
  std::shared_ptr<ClientInfo> Find(uint64_t id) const;
  // Every client, ordered by id.
  std::vector<std::shared_ptr<ClientInfo>> All() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, std::shared_ptr<ClientInfo>> clients_ ABSL_GUARDED_BY(mu_);
};

// One CLIENT LIST line (without the trailing newline), in Redis 7.2's field order.
std::string FormatClientLine(const ClientInfo& info, int64_t now_ms);

}  // namespace ringkv::server
