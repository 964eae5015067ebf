// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/pubsub.h"

#include <cassert>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "engine/glob.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The calling thread's home, and the registry it belongs to (tests run several registries one
// after another on one thread).
struct ThreadHomeSlot {
  const PubSubRegistry* registry = nullptr;
  PubSubHome* home = nullptr;
};
thread_local ThreadHomeSlot tls_home;

// A set of home indexes, cleared and filled once per PUBLISH without allocating.
class HomeSet {
 public:
  void Add(int i) { words_[static_cast<size_t>(i) / 64] |= uint64_t{1} << (i % 64); }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        fn(static_cast<int>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
      }
    }
  }

 private:
  std::array<uint64_t, (PubSubRegistry::kMaxHomes + 63) / 64> words_{};
};

void AppendBulk(std::string* out, std::string_view s) {
  absl::StrAppend(out, "$", s.size(), "\r\n");
  out->append(s);
  out->append("\r\n");
}

// A message as Redis sends it, without the leading '*' / '>': the sink writes that byte.
// `pattern` is null for "message" and "smessage".
std::string EncodeMessage(std::string_view kind_word, const std::string* pattern,
                          std::string_view channel, std::string_view message) {
  std::string out;
  out.reserve(kind_word.size() + channel.size() + message.size() + 64 +
              (pattern != nullptr ? pattern->size() : 0));
  out.append(pattern != nullptr ? "4\r\n" : "3\r\n");
  AppendBulk(&out, kind_word);
  if (pattern != nullptr) AppendBulk(&out, *pattern);
  AppendBulk(&out, channel);
  AppendBulk(&out, message);
  return out;
}

}  // namespace

// ---- CountTable: name -> subscriptions per home, shared by every thread. ----------------------

class PubSubRegistry::CountTable {
 public:
  struct Counts {
    int64_t total = 0;
    std::vector<std::pair<uint16_t, uint32_t>> homes;  // (home index, subscriptions there)
  };

  explicit CountTable(size_t shards) : shards_(new Shard[shards]), mask_(shards - 1) {}

  void Add(std::string_view name, int home) {
    Shard& s = For(name);
    absl::MutexLock lock(&s.mu);
    auto it = s.map.find(Av(name));
    if (it == s.map.end()) {
      it = s.map.emplace(std::string(name), Counts()).first;
      size_.fetch_add(1, std::memory_order_relaxed);
    }
    Counts& c = it->second;
    ++c.total;
    for (auto& [h, n] : c.homes) {
      if (h == home) {
        ++n;
        return;
      }
    }
    c.homes.emplace_back(static_cast<uint16_t>(home), 1);
  }

  void Remove(std::string_view name, int home) {
    Shard& s = For(name);
    absl::MutexLock lock(&s.mu);
    auto it = s.map.find(Av(name));
    if (it == s.map.end()) return;
    Counts& c = it->second;
    for (size_t i = 0; i < c.homes.size(); ++i) {
      if (c.homes[i].first != home) continue;
      if (--c.homes[i].second == 0) {
        c.homes[i] = c.homes.back();
        c.homes.pop_back();
      }
      --c.total;
      break;
    }
    if (c.total <= 0) {
      s.map.erase(it);
      size_.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  // Adds the subscribers of `name` to *total and their homes to *homes; false if none.
  bool Collect(std::string_view name, int64_t* total, HomeSet* homes) const {
    Shard& s = For(name);
    absl::ReaderMutexLock lock(&s.mu);
    auto it = s.map.find(Av(name));
    if (it == s.map.end()) return false;
    *total += it->second.total;
    for (const auto& [h, n] : it->second.homes) homes->Add(h);
    return true;
  }

  int64_t Count(std::string_view name) const {
    Shard& s = For(name);
    absl::ReaderMutexLock lock(&s.mu);
    auto it = s.map.find(Av(name));
    return it == s.map.end() ? 0 : it->second.total;
  }

  // fn(name, counts) for every entry, under each shard's reader lock in turn.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (size_t i = 0; i <= mask_; ++i) {
      Shard& s = shards_[i];
      absl::ReaderMutexLock lock(&s.mu);
      for (const auto& [name, counts] : s.map) fn(name, counts);
    }
  }

  size_t size() const { return size_.load(std::memory_order_relaxed); }

 private:
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Counts> map ABSL_GUARDED_BY(mu);
  };

  Shard& For(std::string_view name) const {
    if (mask_ == 0) return shards_[0];
    return shards_[absl::Hash<absl::string_view>{}(Av(name)) & mask_];
  }

  std::unique_ptr<Shard[]> shards_;
  size_t mask_;
  std::atomic<size_t> size_{0};
};

// ---- What one PUBLISH hands to each target home. ----------------------------------------------

struct PubSubRegistry::Delivery {
  SubKind kind = SubKind::kChannel;
  std::string channel;
  std::string body;  // empty: no exact-name subscriber was counted
  std::vector<std::pair<std::string, std::string>> patterns;  // (pattern, body)
};

// For clients that subscribe on a thread without a home (in-process tests): work runs at once.
class PubSubRegistry::InlineHome final : public PubSubHome {
 public:
  void Post(std::function<void()> fn) override { fn(); }
};

PubSubRegistry::PubSubRegistry() : inline_home_(std::make_unique<InlineHome>()) {
  // Channels are many and published to from every worker: spread them over shards. Patterns are
  // few and every PUBLISH reads them all: one shard, one lock.
  tables_[static_cast<int>(SubKind::kChannel)] = std::make_unique<CountTable>(16);
  tables_[static_cast<int>(SubKind::kPattern)] = std::make_unique<CountTable>(1);
  tables_[static_cast<int>(SubKind::kShard)] = std::make_unique<CountTable>(16);
  inline_home_->index_ = kMaxHomes - 1;
  homes_[kMaxHomes - 1].store(inline_home_.get(), std::memory_order_release);
}

PubSubRegistry::~PubSubRegistry() {
  if (tls_home.registry == this) tls_home = {};
}

void PubSubRegistry::Attach(PubSubHome* home, int index) {
  assert(index >= 0 && index < kMaxHomes - 1);
  home->index_ = index;
  homes_[index].store(home, std::memory_order_release);
  tls_home = {this, home};
}

void PubSubRegistry::Detach() {
  if (tls_home.registry == this) tls_home = {};
}

PubSubHome* PubSubRegistry::CurrentHome() const {
  return tls_home.registry == this ? tls_home.home : nullptr;
}

// ---- Per client. -------------------------------------------------------------------------------

PubSubClient& PubSubRegistry::ClientFor(ClientState& client) {
  if (client.pubsub == nullptr) {
    auto pc = std::make_unique<PubSubClient>();
    PubSubHome* home = CurrentHome();
    pc->home = home != nullptr ? home : inline_home_.get();
    pc->sink = client.pubsub_sink;
    client.pubsub = std::move(pc);
  }
  return *client.pubsub;
}

bool PubSubRegistry::Subscribe(ClientState& client, SubKind kind, std::string_view name) {
  PubSubClient& pc = ClientFor(client);
  const int k = static_cast<int>(kind);
  if (pc.names[k].contains(Av(name))) return false;
  pc.names[k].emplace(name);
  // Local table first, shared counts second: a PUBLISH that counts this subscription posts a
  // task that finds it (see the header).
  auto& local = pc.home->tables_[k];
  auto it = local.find(Av(name));
  if (it == local.end()) it = local.emplace(std::string(name), PubSubHome::Subscribers()).first;
  it->second.insert(&pc);
  table(kind).Add(name, pc.home->index_);
  ++client.subscriptions;
  if (client.info != nullptr) client.info->subscriptions[k].fetch_add(1, std::memory_order_relaxed);
  return true;
}

void PubSubRegistry::Drop(PubSubClient& pc, SubKind kind, const std::string& name) {
  table(kind).Remove(name, pc.home->index_);
  auto& local = pc.home->tables_[static_cast<int>(kind)];
  auto it = local.find(name);
  if (it == local.end()) return;
  it->second.erase(&pc);
  if (it->second.empty()) local.erase(it);
}

bool PubSubRegistry::Unsubscribe(ClientState& client, SubKind kind, std::string_view name) {
  PubSubClient* pc = client.pubsub.get();
  if (pc == nullptr) return false;
  auto& names = pc->names[static_cast<int>(kind)];
  auto it = names.find(Av(name));
  if (it == names.end()) return false;
  Drop(*pc, kind, *it);
  names.erase(it);
  if (client.info != nullptr) {
    client.info->subscriptions[static_cast<int>(kind)].fetch_sub(1, std::memory_order_relaxed);
  }
  if (--client.subscriptions == 0) client.pubsub.reset();
  return true;
}

std::vector<std::string> PubSubRegistry::Names(const ClientState& client, SubKind kind) const {
  if (client.pubsub == nullptr) return {};
  const auto& names = client.pubsub->names[static_cast<int>(kind)];
  return std::vector<std::string>(names.begin(), names.end());
}

int64_t PubSubRegistry::ReplyCount(const ClientState& client, SubKind kind) {
  const PubSubClient* pc = client.pubsub.get();
  if (pc == nullptr) return 0;
  auto n = [pc](SubKind k) { return static_cast<int64_t>(pc->names[static_cast<int>(k)].size()); };
  if (kind == SubKind::kShard) return n(SubKind::kShard);
  return n(SubKind::kChannel) + n(SubKind::kPattern);
}

void PubSubRegistry::RemoveClient(ClientState& client) {
  PubSubClient* pc = client.pubsub.get();
  if (pc == nullptr) return;
  for (int k = 0; k < kNumSubKinds; ++k) {
    for (const std::string& name : pc->names[k]) Drop(*pc, static_cast<SubKind>(k), name);
  }
  client.pubsub.reset();
  client.subscriptions = 0;
  if (client.info != nullptr) {
    for (std::atomic<int>& n : client.info->subscriptions) n.store(0, std::memory_order_relaxed);
  }
}

// ---- Publishing. -------------------------------------------------------------------------------

int64_t PubSubRegistry::Publish(SubKind kind, std::string_view channel, std::string_view message) {
  int64_t total = 0;
  HomeSet targets;
  const bool exact = table(kind).Collect(channel, &total, &targets);
  std::vector<std::string> patterns;
  const CountTable& pattern_table = table(SubKind::kPattern);
  if (kind == SubKind::kChannel && pattern_table.size() > 0) {
    // Redis tries every pattern against every published channel; so do we, under one reader lock.
    pattern_table.ForEach([&](const std::string& pattern, const CountTable::Counts& counts) {
      if (!engine::GlobMatch(pattern, channel)) return;
      patterns.push_back(pattern);
      total += counts.total;
      for (const auto& [h, n] : counts.homes) targets.Add(h);
    });
  }
  if (total == 0) return 0;

  auto d = std::make_shared<Delivery>();
  d->kind = kind;
  d->channel = std::string(channel);
  if (exact) {
    d->body =
        EncodeMessage(kind == SubKind::kShard ? "smessage" : "message", nullptr, channel, message);
  }
  d->patterns.reserve(patterns.size());
  for (std::string& p : patterns) {
    std::string body = EncodeMessage("pmessage", &p, channel, message);
    d->patterns.emplace_back(std::move(p), std::move(body));
  }

  PubSubHome* here = CurrentHome();
  bool deliver_here = false;
  targets.ForEach([&](int i) {
    PubSubHome* home = homes_[i].load(std::memory_order_acquire);
    if (home == nullptr) return;
    if (home == here) {
      deliver_here = true;
      return;
    }
    home->Post([d, home] { DeliverHere(*home, *d); });
  });
  if (deliver_here) DeliverHere(*here, *d);
  return total;
}

void PubSubRegistry::DeliverHere(PubSubHome& home, const Delivery& d) {
  auto write_all = [](const auto& table, const std::string& name, const std::string& body) {
    auto it = table.find(name);
    if (it == table.end()) return;
    for (PubSubClient* c : it->second) {
      if (c->sink != nullptr) c->sink->WritePubSubMessage(body);
    }
  };
  if (!d.body.empty()) write_all(home.tables_[static_cast<int>(d.kind)], d.channel, d.body);
  const auto& pattern_table = home.tables_[static_cast<int>(SubKind::kPattern)];
  for (const auto& [pattern, body] : d.patterns) write_all(pattern_table, pattern, body);
}

// ---- Introspection. ----------------------------------------------------------------------------

std::vector<std::string> PubSubRegistry::ActiveNames(
    SubKind kind, std::optional<std::string_view> pattern) const {
  std::vector<std::string> out;
  table(kind).ForEach([&](const std::string& name, const CountTable::Counts&) {
    if (!pattern.has_value() || engine::GlobMatch(*pattern, name)) out.push_back(name);
  });
  return out;
}

int64_t PubSubRegistry::CountSubscribers(SubKind kind, std::string_view name) const {
  return table(kind).Count(name);
}

size_t PubSubRegistry::ActiveCount(SubKind kind) const { return table(kind).size(); }

// ---- Keyspace notifications. -------------------------------------------------------------------

void PubSubRegistry::PublishKeyspaceEvent(int flags, std::string_view event, int db,
                                          std::string_view key) {
  // Nobody listens at all: skip building the channel names.
  if (ActiveCount(SubKind::kChannel) == 0 && ActiveCount(SubKind::kPattern) == 0) return;
  if (flags & config::kNotifyKeyspace) {
    std::string channel = absl::StrCat("__keyspace@", db, "__:", Av(key));
    Publish(SubKind::kChannel, channel, event);
  }
  if (flags & config::kNotifyKeyevent) {
    std::string channel = absl::StrCat("__keyevent@", db, "__:", Av(event));
    Publish(SubKind::kChannel, channel, key);
  }
}

void NotifyKeyspaceEvent(ServerContext& server, int type_flag, std::string_view event, int db,
                         std::string_view key) {
  NotifyKeyspaceEvent(server.pubsub, type_flag, event, db, key);
}

void OnKeyExpired(void* server, int db, std::string_view key) {
  ServerContext& s = *static_cast<ServerContext*>(server);
  NotifyKeyspaceEvent(s.pubsub, kNotifyExpired, "expired", db, key);
  // Client-side caches drop it too (Redis's signalModifiedKey on expiry).
  if (s.tracking.active()) {
    const std::string_view keys[] = {key};
    s.tracking.Invalidate(0, keys);
  }
}

void OnHashFieldsExpired(void* server, int db, std::string_view key, bool key_deleted) {
  PubSubRegistry& registry = static_cast<ServerContext*>(server)->pubsub;
  NotifyKeyspaceEvent(registry, kNotifyHash, "hexpired", db, key);
  if (key_deleted) NotifyKeyspaceEvent(registry, kNotifyGeneric, "del", db, key);
}

}  // namespace ringkv::server
