// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Pub/sub: who is subscribed to which channels, patterns and shard channels, and how a published
// message reaches subscribers on every worker. Also keyspace notifications, which are published
// messages on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>.
//
// Layout, chosen so that PUBLISH costs one map lookup and one inbox task per worker:
// - Each worker is a PubSubHome. A home keeps its own tables name -> its local subscribers, one
//   table per kind (channel, pattern, shard channel). Only the home's thread reads or changes
//   them, so delivery takes no lock and follows raw pointers to the subscribers.
// - The registry keeps, per name, how many subscriptions each home holds: sharded maps under
//   reader/writer locks. PUBLISH reads them once to count the receivers (its reply) and to learn
//   which homes have any.
// - PUBLISH encodes the message once. A RESP2 message and a RESP3 push differ only in their first
//   byte ('*' or '>'), which the subscriber's sink writes, so one encoding serves both. Local
//   subscribers (on the publisher's own home) are written directly; every other target home gets
//   ONE task carrying the shared encoding. The task looks its subscribers up when it runs, so a
//   subscriber that closed or unsubscribed in the meantime is simply not found: no task ever
//   points at a connection.
// - A client changes its subscriptions on its own home's thread: the local table first, then the
//   shared counts. A PUBLISH that counted a subscription therefore posts a task that runs after the
//   subscription is in the local table.
//
// Thread safety: PubSubRegistry's methods are thread-safe, except those that take a ClientState,
// which must run on the client's home thread (its worker), as commands do. A PubSubHome's tables
// are touched only by its thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "server/config/server_config.h"

namespace ringkv::server {

struct ServerContext;
struct ClientState;
struct PubSubClient;

// What a subscription is to: an exact channel, a glob pattern, or a shard channel. Shard channels
// are a separate namespace: only SPUBLISH reaches them, and patterns never match them.
enum class SubKind : uint8_t { kChannel = 0, kPattern = 1, kShard = 2 };
inline constexpr int kNumSubKinds = 3;

// Where a subscriber's messages are written: its connection (tests use a string).
class PubSubSink {
 public:
  virtual ~PubSubSink() = default;
  // Appends one message: '>' for a RESP3 client or '*' for RESP2, then `body`, the rest of the
  // encoded array. Called on the subscriber's home thread only. Must not change any subscription
  // (a sink that must drop its client does so later, outside the delivery).
  virtual void WritePubSubMessage(std::string_view body) = 0;
};

// The subscribers of one worker. The worker implements Post(); the tables are the registry's.
class PubSubHome {
 public:
  PubSubHome() = default;
  virtual ~PubSubHome() = default;
  PubSubHome(const PubSubHome&) = delete;
  PubSubHome& operator=(const PubSubHome&) = delete;

  // Runs `fn` on this home's thread, soon. Thread-safe.
  virtual void Post(std::function<void()> fn) = 0;

 private:
  friend class PubSubRegistry;
  using Subscribers = absl::flat_hash_set<PubSubClient*>;
  int index_ = -1;  // set by PubSubRegistry::Attach
  std::array<absl::flat_hash_map<std::string, Subscribers>, kNumSubKinds> tables_;
};

// One client's subscriptions. Owned by its ClientState (created by its first subscription, freed
// when it has none left); lives on its home's thread.
struct PubSubClient {
  PubSubHome* home = nullptr;
  PubSubSink* sink = nullptr;  // null: messages are counted but go nowhere (in-process tests)
  std::array<absl::flat_hash_set<std::string>, kNumSubKinds> names;
};

class PubSubRegistry {
 public:
  // Homes are indexed 0..kMaxHomes-2 (the `threads` directive allows up to 1024 workers); the last
  // index is the registry's own inline home for callers on a thread that has none.
  static constexpr int kMaxHomes = 1025;

  PubSubRegistry();
  ~PubSubRegistry();
  PubSubRegistry(const PubSubRegistry&) = delete;
  PubSubRegistry& operator=(const PubSubRegistry&) = delete;

  // Makes `home` reachable as home `index` and the calling thread's home. Call on the home's own
  // thread before any of its clients subscribes. REQUIRES: 0 <= index < kMaxHomes - 1.
  void Attach(PubSubHome* home, int index);
  // Forgets the calling thread's home (the home stays reachable for tasks already counted, which
  // it may never run). Call on the home's thread when its loop ends, after RemoveClient for each
  // of its clients.
  void Detach();
  // The calling thread's home for this registry, or null.
  PubSubHome* CurrentHome() const;

  // ---- Per client. Run on the client's home thread. ----------------------------------------
  // Adds one subscription; false if the client already had it. Keeps client.subscriptions equal
  // to the client's channels + patterns + shard channels. The client's home is the calling
  // thread's (or the inline home), and messages go to client.pubsub_sink.
  bool Subscribe(ClientState& client, SubKind kind, std::string_view name);
  // Removes one subscription; false if the client did not have it.
  bool Unsubscribe(ClientState& client, SubKind kind, std::string_view name);
  // The client's subscriptions of one kind (any order).
  std::vector<std::string> Names(const ClientState& client, SubKind kind) const;
  // The number Redis puts in (un)subscribe replies: channels + patterns for kChannel and
  // kPattern, shard channels for kShard.
  static int64_t ReplyCount(const ClientState& client, SubKind kind);
  // Drops every subscription of the client without a reply (connection closed, RESET).
  void RemoveClient(ClientState& client);

  // ---- Publishing. Any thread. -------------------------------------------------------------
  // Delivers `message` to the subscribers of `channel` (kChannel: and of every matching
  // pattern; kShard: shard subscribers only) and returns how many receivers there were when it
  // was counted. REQUIRES: kind != kPattern.
  int64_t Publish(SubKind kind, std::string_view channel, std::string_view message);

  // ---- Introspection (PUBSUB, INFO). Any thread. -------------------------------------------
  // Names with at least one subscriber, optionally only those matching a glob pattern.
  std::vector<std::string> ActiveNames(SubKind kind, std::optional<std::string_view> pattern) const;
  // Subscribers of one name (PUBSUB NUMSUB / SHARDNUMSUB).
  int64_t CountSubscribers(SubKind kind, std::string_view name) const;
  // Distinct names with subscribers (PUBSUB NUMPAT for kPattern; INFO's pubsub_channels,
  // pubsub_patterns, pubsubshard_channels).
  size_t ActiveCount(SubKind kind) const;

  // ---- Keyspace notifications. ---------------------------------------------------------------
  // The notify-keyspace-events classes (config::kNotify* bits); 0 = off.
  int notify_flags() const { return notify_flags_.load(std::memory_order_relaxed); }
  void set_notify_flags(int flags) { notify_flags_.store(flags, std::memory_order_relaxed); }
  // Publishes one event as `flags` (notify_flags()) asks: to the keyspace and/or keyevent channel.
  void PublishKeyspaceEvent(int flags, std::string_view event, int db, std::string_view key);

 private:
  class CountTable;
  struct Delivery;

  PubSubClient& ClientFor(ClientState& client);
  void Drop(PubSubClient& pc, SubKind kind, const std::string& name);
  CountTable& table(SubKind kind) const { return *tables_[static_cast<int>(kind)]; }
  static void DeliverHere(PubSubHome& home, const Delivery& d);

  class InlineHome;
  std::unique_ptr<InlineHome> inline_home_;
  std::array<std::unique_ptr<CountTable>, kNumSubKinds> tables_;
  std::array<std::atomic<PubSubHome*>, kMaxHomes> homes_{};
  std::atomic<int> notify_flags_{0};
};

// Keyspace notification classes, as Redis numbers them (config::kNotify* in server_config.h).
inline constexpr int kNotifyGeneric = config::kNotifyGeneric;
inline constexpr int kNotifyString = config::kNotifyString;
inline constexpr int kNotifyList = config::kNotifyList;
inline constexpr int kNotifySet = config::kNotifySet;
inline constexpr int kNotifyHash = config::kNotifyHash;
inline constexpr int kNotifyZset = config::kNotifyZset;
inline constexpr int kNotifyExpired = config::kNotifyExpired;
inline constexpr int kNotifyEvicted = config::kNotifyEvicted;
inline constexpr int kNotifyStream = config::kNotifyStream;

// Publishes a keyspace event when its class is enabled: `event` to __keyspace@<db>__:<key> (with
// K) and `key` to __keyevent@<db>__:<event> (with E). When the class is off this is one relaxed
// atomic load (the registry overload is inline for the command files' hot paths). `type_flag` is
// one kNotify* class. Any thread; never calls into the engine, so it may run under an engine
// shard lock.
inline void NotifyKeyspaceEvent(PubSubRegistry& registry, int type_flag, std::string_view event,
                                int db, std::string_view key) {
  const int flags = registry.notify_flags();
  if ((flags & type_flag) != 0) registry.PublishKeyspaceEvent(flags, event, db, key);
}
void NotifyKeyspaceEvent(ServerContext& server, int type_flag, std::string_view event, int db,
                         std::string_view key);

// The engine's hook for a key removed because its TTL passed (lazily or by the active cycle):
// publishes the "expired" event (class x). `server` is the ServerContext*.
void OnKeyExpired(void* server, int db, std::string_view key);
// The engine's hook for a hash whose fields the active cycle expired: publishes "hexpired"
// (class h) and then, when the hash went with its last field, "del" (class g), the events and
// order of the hash commands' lazy path (server/commands/hashes.cc). `server` is the
// ServerContext*.
void OnHashFieldsExpired(void* server, int db, std::string_view key, bool key_deleted);

}  // namespace ringkv::server
