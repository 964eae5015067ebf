// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Shard primitives: lazy expiry, insertion and removal kept consistent across the table, the
// expiry index, the field-expiry index and the memory counter, and the steps of active expiry.
#include "engine/shard.h"

#include <algorithm>
#include <string>
#include <utility>

namespace ringkv::engine {

Shard::Shard(int shift, Table::HashFn hash_fn, Table::FreeFn free_fn)
    : shift_(shift), hash_fn_(hash_fn), table_(shift, hash_fn, free_fn) {}

Shard::~Shard() {
  absl::MutexLock lock(&mu);
  set_snapshot(nullptr);
  Clear();
}

void Shard::Publish() {
  published_memory_.store(memory(), std::memory_order_relaxed);
  published_size_.store(table_.size(), std::memory_order_relaxed);
  published_expires_.store(expires_.size(), std::memory_order_relaxed);
  published_window_full_.store(
      admit_ != nullptr && admit_->window.size() > AdmissionFilter::WindowTarget(table_.size()),
      std::memory_order_relaxed);
}

void Shard::set_snapshot(std::unique_ptr<ShardSnapshotState> s) {
  if (snap_ != nullptr) {
    for (auto& [k, e] : snap_->saved) {
      if (e != nullptr) Entry::Free(e);
    }
    snap_->memory->Sub(snap_->saved_bytes);
  }
  snap_ = std::move(s);
}

void Shard::SaveForSnapshot(uint64_t hash, std::string_view key) {
  ShardSnapshotState& st = *snap_;
  if (st.done || st.frozen) return;
  const uint64_t pos = Position(hash);
  if (pos < st.cursor) return;  // written already
  auto [it, added] = st.saved.try_emplace(std::make_pair(pos, std::string(key)), nullptr);
  if (!added) return;  // the first change saved the starting version
  Slot* slot = table_.Find(hash, key);
  if (slot != nullptr) it->second = Entry::Clone(slot->entry(), key);
  st.Account(ShardSnapshotState::SavedCost(key, it->second));
}

void Shard::FreezeForSnapshot() {
  if (snap_ == nullptr) return;
  ShardSnapshotState& st = *snap_;
  if (st.done || st.frozen) return;
  table_.ForEach([&](Entry* e) {
    const uint64_t pos = Position(hash_fn_(e->key()));
    if (pos < st.cursor) return;
    auto [it, added] = st.saved.try_emplace(std::make_pair(pos, std::string(e->key())), nullptr);
    if (!added) return;
    it->second = Entry::Clone(e, e->key());
    st.Account(ShardSnapshotState::SavedCost(e->key(), it->second));
  });
  st.frozen = true;
}

Slot* Shard::Lookup(uint64_t hash, std::string_view key, int64_t now_ms, bool touch) {
  Slot* slot = table_.Find(hash, key);
  if (slot == nullptr) return nullptr;
  Entry* e = slot->entry();
  if (e->has_expire() && now_ms > e->expire_ms()) {
    Erase(hash, key);
    CountExpired(key);
    return nullptr;
  }
  if (touch) {
    if (!track_extra_) [[likely]] {
      slot->set_lru(LruClock(now_ms));
    } else {
      Touch(slot, hash, now_ms);
    }
  }
  return slot;
}

void Shard::Touch(Slot* slot, uint64_t hash, int64_t now_ms) {
  if (admit_ != nullptr) admit_->sketch.Add(hash);
  if (tracking_.lfu) {
    uint64_t& x = track_rng_;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    slot->set_lru(LfuTouch(slot->lru(), now_ms, tracking_, x * 0x2545F4914F6CDD1DULL));
  } else {
    slot->set_lru(LruClock(now_ms));
  }
}

void Shard::InsertedTracked(uint64_t hash, std::string_view key) {
  if (admit_ == nullptr) return;
  const size_t keys = table_.size();
  // The sketch follows the shard's size (clearing it; growth is rare once the cache is full).
  if (keys > admit_->sketch.sized_for()) admit_->sketch.Resize(keys + keys / 4);
  // Creating a key counts as one use, as touching a present one does (a read-through cache's
  // miss then SET counts once, like its hit).
  admit_->sketch.Add(hash);
  admit_->Inserted(key, keys);
}

void Shard::set_tracking(const AccessTracking& t) {
  tracking_ = t;
  track_extra_ = t.lfu || t.admission;
  if (!t.admission) {
    admit_.reset();
  } else if (admit_ == nullptr) {
    admit_ = std::make_unique<AdmissionFilter>();
    admit_->sketch.Resize(table_.size());
  }
}

Slot* Shard::LookupRead(uint64_t hash, std::string_view key, int64_t now_ms) {
  Slot* slot = Lookup(hash, key, now_ms);
  if (slot == nullptr) {
    ++stats_.keyspace_misses;
  } else {
    ++stats_.keyspace_hits;
  }
  return slot;
}

void Shard::Insert(uint64_t hash, Entry* e, int64_t now_ms, int32_t lru) {
  BeforeChange(hash, e->key());
  uint16_t bits;
  if (lru >= 0) {
    bits = static_cast<uint16_t>(lru);
  } else {
    bits = tracking_.lfu ? LfuInitial(now_ms) : LruClock(now_ms);
  }
  table_.Insert(hash, e, bits);
  if (track_extra_) [[unlikely]]
    InsertedTracked(hash, e->key());
  if (e->has_expire()) expires_.Add(e);
  if (e->type() != ValueType::kString && e->object() != nullptr) {
    const int64_t at = e->object()->NextFieldExpiryMs();
    if (at != 0) field_expires_.Set(e->key(), at);
  }
  memory_ += e->MemoryUsage();
}

Entry* Shard::Detach(uint64_t hash, std::string_view key) {
  if (snap_ != nullptr) [[unlikely]]
    SaveForSnapshot(hash, key);
  Entry* e = table_.Erase(hash, key);
  if (e == nullptr) return nullptr;
  ++changes_;
  if (e->has_expire()) expires_.RemoveAt(e->expiry_index());
  if (!field_expires_.empty() && e->type() != ValueType::kString) field_expires_.Remove(key);
  memory_ -= e->MemoryUsage();
  return e;
}

bool Shard::Erase(uint64_t hash, std::string_view key) {
  Entry* e = Detach(hash, key);
  if (e == nullptr) return false;
  Entry::Free(e);
  return true;
}

void Shard::AfterMutate(bool had, uint32_t idx, Entry* n) {
  if (had && n->has_expire()) {
    n->set_expiry_index(idx);
    expires_.Update(n);
  } else if (had) {
    expires_.RemoveAt(idx);
  } else if (n->has_expire()) {
    expires_.Add(n);
  }
}

void Shard::SyncFieldExpiry(const Entry* e) {
  const Object* o = e->type() != ValueType::kString ? e->object() : nullptr;
  const int64_t at = o != nullptr ? o->NextFieldExpiryMs() : 0;
  if (at != 0) {
    field_expires_.Set(e->key(), at);
  } else if (!field_expires_.empty()) {
    field_expires_.Remove(e->key());
  }
}

Entry* Shard::SetExpire(Slot* slot, int64_t expire_ms) {
  return Mutate(slot, [&](Entry* e) { return Entry::WithExpire(e, expire_ms); });
}

size_t Shard::ExpireRound(int64_t now_ms, size_t samples, uint64_t* rng, size_t* sampled) {
  size_t expired = 0;
  int64_t ttl_sum = 0;
  int64_t ttl_count = 0;
  size_t n = std::min(samples, expires_.size());
  *sampled = n;
  for (size_t i = 0; i < n && expires_.size() != 0; ++i) {
    // xorshift64*: cheap, and the sample only needs to be unbiased, not unpredictable.
    uint64_t x = *rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *rng = x;
    Entry* e = expires_.At((x * 0x2545F4914F6CDD1DULL) % expires_.size());
    if (now_ms > e->expire_ms()) {
      std::string_view key = e->key();
      CountExpired(key);  // before Erase frees the entry `key` points into
      Erase(hash_fn_(key), key);
      ++expired;
    } else {
      ttl_sum += e->expire_ms() - now_ms;
      ++ttl_count;
    }
  }
  if (ttl_count > 0) {
    int64_t avg = ttl_sum / ttl_count;
    avg_ttl_ms_ = avg_ttl_ms_ == 0 ? avg : (avg_ttl_ms_ / 50) * 49 + avg / 50;
  }
  if (expires_.size() == 0) avg_ttl_ms_ = 0;
  return expired;
}

bool Shard::ExpireFieldsStep(int64_t now_ms, size_t max_fields, size_t* fields) {
  *fields = 0;
  // Filed times are lower bounds and a field is expired once now > its expiry: nothing at or
  // after now_ms can be due.
  if (field_expires_.empty() || field_expires_.front_ms() >= now_ms) return false;
  const std::string key(field_expires_.front_key());  // the index changes below
  const uint64_t hash = hash_fn_(key);
  // A key past its own TTL is expired whole, as any access would (that removes it from the
  // index too).
  Slot* slot = Lookup(hash, key, now_ms, /*touch=*/false);
  Entry* e = slot != nullptr ? slot->entry() : nullptr;
  Object* o = e != nullptr && e->type() != ValueType::kString ? e->object() : nullptr;
  if (o == nullptr) {
    field_expires_.Remove(key);  // no-op unless the index had gone stale
    return true;
  }
  BeforeChange(hash, key);
  const size_t before = e->MemoryUsage();
  const size_t n = o->ExpireFields(now_ms, max_fields);
  Reaccount(before, e);
  stats_.expired_fields += n;
  *fields = n;
  // Redis deletes a hash whose last field expired, like any emptied collection. Otherwise the
  // object's bound is exact again (ExpireFields recomputed it): re-file the key under it, which
  // is at or after now_ms unless `max_fields` stopped it early.
  const bool deleted = o->Empty();
  if (deleted) {
    Erase(hash, key);
  } else {
    SyncFieldExpiry(e);
  }
  if (n > 0 && fields_expired_hook_ != nullptr && fields_expired_hook_->fn != nullptr) {
    fields_expired_hook_->fn(fields_expired_hook_->arg, db_, key, deleted);
  }
  return true;
}

std::unique_ptr<ShardContents> Shard::Take() {
  FreezeForSnapshot();
  changes_ += table_.size();
  auto c = std::make_unique<ShardContents>(std::move(table_));
  std::swap(c->expires, expires_);
  table_.Clear();
  field_expires_.Clear();
  memory_ = 0;
  return c;
}

void ShardContents::FreeAll() {
  table.ForEach([](Entry* e) { Entry::Free(e); });
  table.Clear();
  expires.Clear();
}

void Shard::SwapContents(Shard& other) {
  FreezeForSnapshot();
  other.FreezeForSnapshot();
  changes_ += table_.size();
  other.changes_ += other.table_.size();
  std::swap(table_, other.table_);
  std::swap(expires_, other.expires_);
  std::swap(field_expires_, other.field_expires_);
  std::swap(memory_, other.memory_);
}

void Shard::Clear() {
  FreezeForSnapshot();
  changes_ += table_.size();
  table_.ForEach([](Entry* e) { Entry::Free(e); });
  table_.Clear();
  expires_.Clear();
  field_expires_.Clear();
  memory_ = 0;
}

}  // namespace ringkv::engine
