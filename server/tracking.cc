// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/tracking.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace ringkv::server {

namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

void AppendKeys(const TrackingMessage& m, protocol::RespVersion resp, std::string* out) {
  if (m.all) {
    *out += resp == protocol::RespVersion::kResp3 ? "_\r\n" : "$-1\r\n";
    return;
  }
  absl::StrAppend(out, "*", m.keys.size(), "\r\n");
  for (const std::string& k : m.keys) absl::StrAppend(out, "$", k.size(), "\r\n", k, "\r\n");
}

}  // namespace

std::string EncodeTrackingMessage(const TrackingMessage& m, protocol::RespVersion resp,
                                  bool subscribed) {
  std::string out;
  const bool resp3 = resp == protocol::RespVersion::kResp3;
  if (m.broken_redirect != 0) {
    if (resp3) {
      absl::StrAppend(&out, ">2\r\n$21\r\ntracking-redir-broken\r\n:", m.broken_redirect, "\r\n");
    }
    return out;
  }
  if (resp3) {
    out = ">2\r\n$10\r\ninvalidate\r\n";
  } else if (m.via_redirect && subscribed) {
    out = "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n";
  } else {
    return out;  // RESP2 has no push messages on the same connection
  }
  AppendKeys(m, resp, &out);
  return out;
}

TrackingRegistry::Shard& TrackingRegistry::ShardOf(std::string_view key) {
  return shards_[absl::HashOf(Sv(key)) % kShards];
}

void TrackingRegistry::Enable(uint64_t id, int worker, uint32_t flags, uint64_t redirect,
                              std::span<const std::string_view> prefixes) {
  absl::MutexLock lock(&clients_mu_);
  auto [it, inserted] = tracking_.try_emplace(id);
  Client& c = it->second;
  if (inserted) clients_.fetch_add(1, std::memory_order_relaxed);
  {
    absl::MutexLock broken_lock(&broken_mu_);
    broken_.erase(id);
  }
  const bool was_bcast = (c.flags & kTrackingBcast) != 0;
  c.worker = worker;
  c.flags = flags | kTrackingOn;
  c.redirect = redirect;
  if ((flags & kTrackingBcast) == 0) return;
  if (!was_bcast) bcast_clients_.fetch_add(1, std::memory_order_relaxed);
  std::vector<std::string_view> wanted(prefixes.begin(), prefixes.end());
  if (wanted.empty()) wanted.push_back("");
  for (std::string_view p : wanted) {
    if (std::find(c.prefixes.begin(), c.prefixes.end(), p) != c.prefixes.end()) continue;
    c.prefixes.emplace_back(p);
    auto entry = std::find_if(prefixes_.begin(), prefixes_.end(),
                              [&](const Prefix& e) { return e.prefix == p; });
    if (entry == prefixes_.end()) {
      prefixes_.push_back(Prefix{std::string(p), {}});
      entry = prefixes_.end() - 1;
    }
    entry->ids.push_back(id);
  }
}

void TrackingRegistry::Disable(uint64_t id) {
  absl::MutexLock lock(&clients_mu_);
  auto it = tracking_.find(id);
  if (it == tracking_.end()) return;
  if (it->second.flags & kTrackingBcast) {
    bcast_clients_.fetch_sub(1, std::memory_order_relaxed);
    for (const std::string& p : it->second.prefixes) {
      for (auto e = prefixes_.begin(); e != prefixes_.end(); ++e) {
        if (e->prefix != p) continue;
        e->ids.erase(std::remove(e->ids.begin(), e->ids.end(), id), e->ids.end());
        if (e->ids.empty()) prefixes_.erase(e);
        break;
      }
    }
  }
  tracking_.erase(it);
  clients_.fetch_sub(1, std::memory_order_relaxed);
  absl::MutexLock broken_lock(&broken_mu_);
  broken_.erase(id);
  // Its entries in the key table stay until their keys change: ids are never reused, so they
  // are skipped then (as Redis does).
}

TrackingRegistry::ClientView TrackingRegistry::View(uint64_t id) const {
  ClientView v;
  absl::ReaderMutexLock lock(&clients_mu_);
  auto it = tracking_.find(id);
  if (it == tracking_.end()) return v;
  v.flags = it->second.flags;
  v.redirect = it->second.redirect;
  {
    absl::MutexLock broken_lock(&broken_mu_);
    if (broken_.contains(id)) v.flags |= kTrackingBrokenRedirect;
  }
  v.prefixes = it->second.prefixes;
  std::sort(v.prefixes.begin(), v.prefixes.end());
  return v;
}

int64_t TrackingRegistry::total_prefixes() const {
  absl::ReaderMutexLock lock(&clients_mu_);
  return static_cast<int64_t>(prefixes_.size());
}

void TrackingRegistry::RememberKeys(uint64_t id, std::span<const std::string_view> keys) {
  for (std::string_view key : keys) {
    Shard& s = ShardOf(key);
    absl::MutexLock lock(&s.mu);
    auto [it, inserted] = s.keys.try_emplace(std::string(key));
    if (inserted) total_keys_.fetch_add(1, std::memory_order_relaxed);
    auto& ids = it->second;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(id);
      total_items_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  const int64_t max = max_keys_.load(std::memory_order_relaxed);
  if (max > 0 && total_keys_.load(std::memory_order_relaxed) > max) EnforceMaxKeys();
}

void TrackingRegistry::TakeKey(std::string_view key, uint64_t modifier,
                               std::vector<std::pair<uint64_t, std::string>>* out) {
  absl::InlinedVector<uint64_t, 2> ids;
  {
    Shard& s = ShardOf(key);
    absl::MutexLock lock(&s.mu);
    auto it = s.keys.find(std::string(key));
    if (it == s.keys.end()) return;
    ids = std::move(it->second);
    s.keys.erase(it);
    total_keys_.fetch_sub(1, std::memory_order_relaxed);
    total_items_.fetch_sub(static_cast<int64_t>(ids.size()), std::memory_order_relaxed);
  }
  absl::ReaderMutexLock lock(&clients_mu_);
  for (uint64_t id : ids) {
    auto c = tracking_.find(id);
    // Gone, no longer tracking, or now in BCAST mode: nothing to say to it.
    if (c == tracking_.end() || (c->second.flags & kTrackingBcast) != 0) continue;
    if ((c->second.flags & kTrackingNoloop) != 0 && id == modifier) continue;
    out->emplace_back(id, std::string(key));
  }
}

void TrackingRegistry::Invalidate(uint64_t modifier, std::span<const std::string_view> keys) {
  if (!active()) return;
  // (client id, key) pairs, grouped per client below into one message per key, as Redis sends
  // one message per modified key in default mode.
  std::vector<std::pair<uint64_t, std::string>> targets;
  for (std::string_view key : keys) TakeKey(key, modifier, &targets);
  if (bcast_clients_.load(std::memory_order_relaxed) > 0) {
    absl::ReaderMutexLock lock(&clients_mu_);
    for (const Prefix& p : prefixes_) {
      for (std::string_view key : keys) {
        if (key.substr(0, p.prefix.size()) != p.prefix) continue;
        for (uint64_t id : p.ids) {
          auto c = tracking_.find(id);
          if (c == tracking_.end()) continue;
          if ((c->second.flags & kTrackingNoloop) != 0 && id == modifier) continue;
          targets.emplace_back(id, std::string(key));
        }
      }
    }
  }
  for (auto& [id, key] : targets) {
    TrackingMessage m;
    m.keys.push_back(std::move(key));
    Send(id, std::move(m));
  }
}

void TrackingRegistry::InvalidateAll() {
  if (!active()) return;
  for (Shard& s : shards_) {
    absl::MutexLock lock(&s.mu);
    total_keys_.fetch_sub(static_cast<int64_t>(s.keys.size()), std::memory_order_relaxed);
    for (const auto& [key, ids] : s.keys) {
      total_items_.fetch_sub(static_cast<int64_t>(ids.size()), std::memory_order_relaxed);
    }
    s.keys.clear();
  }
  absl::ReaderMutexLock lock(&clients_mu_);
  for (const auto& [id, c] : tracking_) {
    TrackingMessage m;
    m.all = true;
    SendLocked(id, c, std::move(m));
  }
}

void TrackingRegistry::EnforceMaxKeys() {
  const int64_t max = max_keys_.load(std::memory_order_relaxed);
  std::vector<std::pair<uint64_t, std::string>> targets;
  // Invalidate keys, a shard at a time from an arbitrary position, until under the limit (as
  // Redis evicts random keys from its table).
  size_t shard = static_cast<size_t>(total_items_.load(std::memory_order_relaxed)) % kShards;
  for (size_t tries = 0; tries < kShards && total_keys_.load(std::memory_order_relaxed) > max;
       ++tries, shard = (shard + 1) % kShards) {
    std::vector<std::string> victims;
    {
      Shard& s = shards_[shard];
      absl::MutexLock lock(&s.mu);
      const int64_t excess = total_keys_.load(std::memory_order_relaxed) - max;
      for (auto it = s.keys.begin();
           it != s.keys.end() && static_cast<int64_t>(victims.size()) < excess; ++it) {
        victims.push_back(it->first);
      }
    }
    for (const std::string& key : victims) TakeKey(key, 0, &targets);
  }
  for (auto& [id, key] : targets) {
    TrackingMessage m;
    m.keys.push_back(std::move(key));
    Send(id, std::move(m));
  }
}

void TrackingRegistry::Send(uint64_t id, TrackingMessage m) {
  absl::ReaderMutexLock lock(&clients_mu_);
  auto it = tracking_.find(id);
  if (it == tracking_.end()) return;
  SendLocked(id, it->second, std::move(m));
}

void TrackingRegistry::SendLocked(uint64_t id, const Client& c, TrackingMessage m) {
  if (!deliver_) return;
  if (c.redirect == 0) {
    deliver_(c.worker, id, std::move(m));
    return;
  }
  int worker = 0;
  if (find_ && find_(c.redirect, &worker)) {
    m.via_redirect = true;
    deliver_(worker, c.redirect, std::move(m));
    return;
  }
  // The redirect target is gone: tell the tracking client (RESP3 only, as Redis), and flag it.
  {
    absl::MutexLock broken_lock(&broken_mu_);
    broken_.insert(id);
  }
  TrackingMessage broken;
  broken.broken_redirect = c.redirect;
  deliver_(c.worker, id, std::move(broken));
}

}  // namespace ringkv::server
