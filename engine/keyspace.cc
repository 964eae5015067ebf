// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Keyspace operations: DEL/UNLINK/EXISTS/TOUCH/TYPE, RENAME, COPY, MOVE, SWAPDB, the EXPIRE
// family and TTL queries, OBJECT and MEMORY USAGE, and access to non-string objects. Semantics
// follow Redis 7's db.c and expire.c.
#include <cstring>

#include "engine/background_freer.h"
#include "engine/engine.h"
#include "engine/key_lock.h"

namespace ringkv::engine {

size_t Engine::DelMany(int db, std::span<const std::string_view> keys, bool async) {
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  size_t n = 0;
  for (std::string_view key : keys) {
    uint64_t hash = Hash(key);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    if (s.Lookup(hash, key, now, false) == nullptr) continue;
    Entry* e = s.Detach(hash, key);
    ++n;
    if (async && e->MemoryUsage() > kLazyFreeBytes) {
      BackgroundFreer::Global().Submit([e] { Entry::Free(e); });
    } else {
      Entry::Free(e);
    }
  }
  return n;
}

size_t Engine::Del(int db, std::span<const std::string_view> keys) {
  // Large values are freed off the request path for DEL too (Redis's lazyfree-lazy-user-del):
  // deleting a million-member collection must not stall the worker. The reply is the same.
  return DelMany(db, keys, true);
}

size_t Engine::Unlink(int db, std::span<const std::string_view> keys) {
  return DelMany(db, keys, true);
}

size_t Engine::Exists(int db, std::span<const std::string_view> keys) {
  KeyLock guard(*this, db, keys);
  size_t n = 0;
  for (std::string_view key : keys) n += Exists(db, key) ? 1 : 0;
  return n;
}

size_t Engine::Touch(int db, std::span<const std::string_view> keys) {
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  size_t n = 0;
  for (std::string_view key : keys) {
    uint64_t hash = Hash(key);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    if (s.Lookup(hash, key, now, /*touch=*/true) != nullptr) ++n;
  }
  return n;
}

ValueType Engine::Type(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.Lookup(hash, key, Now(), false);
  return slot == nullptr ? ValueType::kNone : slot->entry()->type();
}

OpStatus Engine::Rename(int db, std::string_view src, std::string_view dst, bool nx) {
  std::string_view keys[] = {src, dst};
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  uint64_t sh = Hash(src);
  uint64_t dh = Hash(dst);
  size_t si = ShardIndex(db, sh);
  size_t di = ShardIndex(db, dh);
  Shard& ss = *shards_[si];
  Shard& ds = *shards_[di];
  ShardLock slock(ss, si);
  ShardLock dlock(ds, di);
  if (ss.Lookup(sh, src, now, false) == nullptr) return OpStatus::kNotFound;
  // Redis checks the source first, then answers a rename onto itself without touching it.
  if (src == dst) return nx ? OpStatus::kSkipped : OpStatus::kOk;
  if (ds.Lookup(dh, dst, now, false) != nullptr) {
    if (nx) return OpStatus::kSkipped;
    ds.Erase(dh, dst);
  }
  int32_t lru = ss.Lookup(sh, src, now, false)->lru();
  Entry* e = ss.Detach(sh, src);
  ds.Insert(dh, Entry::Rekey(e, dst), now, lru);
  return OpStatus::kOk;
}

OpStatus Engine::Copy(int src_db, std::string_view src, int dst_db, std::string_view dst,
                      bool replace) {
  if (src_db == dst_db && src == dst) return OpStatus::kSameObject;
  std::pair<int, std::string_view> keys[] = {{src_db, src}, {dst_db, dst}};
  KeyLock guard(*this, keys);
  int64_t now = Now();
  uint64_t sh = Hash(src);
  uint64_t dh = Hash(dst);
  size_t si = ShardIndex(src_db, sh);
  size_t di = ShardIndex(dst_db, dh);
  Shard& ss = *shards_[si];
  Shard& ds = *shards_[di];
  ShardLock slock(ss, si);
  ShardLock dlock(ds, di);
  Slot* slot = ss.Lookup(sh, src, now, false);
  if (slot == nullptr) return OpStatus::kNotFound;
  if (ds.Lookup(dh, dst, now, false) != nullptr) {
    if (!replace) return OpStatus::kSkipped;
    ds.Erase(dh, dst);
  }
  ds.Insert(dh, Entry::Clone(slot->entry(), dst), now);
  return OpStatus::kOk;
}

OpStatus Engine::Move(int db, std::string_view key, int dst_db) {
  if (db == dst_db) return OpStatus::kSameObject;
  std::pair<int, std::string_view> keys[] = {{db, key}, {dst_db, key}};
  KeyLock guard(*this, keys);
  int64_t now = Now();
  uint64_t h = Hash(key);
  size_t si = ShardIndex(db, h);
  size_t di = ShardIndex(dst_db, h);
  Shard& ss = *shards_[si];
  Shard& ds = *shards_[di];
  ShardLock slock(ss, si);
  ShardLock dlock(ds, di);
  Slot* slot = ss.Lookup(h, key, now, false);
  if (slot == nullptr) return OpStatus::kNotFound;
  if (ds.Lookup(h, key, now, false) != nullptr) return OpStatus::kSkipped;
  int32_t lru = slot->lru();
  ds.Insert(h, ss.Detach(h, key), now, lru);
  return OpStatus::kOk;
}

OpStatus Engine::SwapDb(int a, int b) {
  if (a < 0 || b < 0 || a >= databases_ || b >= databases_) return OpStatus::kInvalidDb;
  if (a == b) return OpStatus::kOk;
  KeyLock all(*this, KeyLock::AllTag{});
  for (int i = 0; i < shards_per_db_; ++i) {
    Shard& x = ShardAt(a, static_cast<size_t>(i));
    Shard& y = ShardAt(b, static_cast<size_t>(i));
    x.mu.AssertHeld();
    y.mu.AssertHeld();
    x.SwapContents(y);
  }
  return OpStatus::kOk;
}

OpStatus Engine::Expire(int db, std::string_view key, int64_t at_ms, ExpireCondition cond) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  if (slot == nullptr) return OpStatus::kNotFound;
  bool has = slot->entry()->has_expire();
  int64_t cur = has ? slot->entry()->expire_ms() : 0;
  switch (cond) {
    case ExpireCondition::kAlways:
      break;
    case ExpireCondition::kNx:
      if (has) return OpStatus::kSkipped;
      break;
    case ExpireCondition::kXx:
      if (!has) return OpStatus::kSkipped;
      break;
    case ExpireCondition::kGt:
      // No TTL counts as infinite: nothing is greater.
      if (!has || at_ms <= cur) return OpStatus::kSkipped;
      break;
    case ExpireCondition::kLt:
      if (has && at_ms >= cur) return OpStatus::kSkipped;
      break;
  }
  // A time that is not in the future deletes the key (Redis's checkAlreadyExpired).
  if (at_ms <= now) {
    s.Erase(hash, key);
    return OpStatus::kOk;
  }
  s.SetExpire(slot, at_ms);
  return OpStatus::kOk;
}

OpStatus Engine::Persist(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.Lookup(hash, key, Now());
  if (slot == nullptr) return OpStatus::kNotFound;
  if (!slot->entry()->has_expire()) return OpStatus::kSkipped;
  s.SetExpire(slot, 0);
  return OpStatus::kOk;
}

int64_t Engine::PTtl(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now, false);
  if (slot == nullptr) return -2;
  if (!slot->entry()->has_expire()) return -1;
  int64_t ttl = slot->entry()->expire_ms() - now;
  return ttl < 0 ? 0 : ttl;
}

int64_t Engine::ExpireTimeMs(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.Lookup(hash, key, Now(), false);
  if (slot == nullptr) return -2;
  return slot->entry()->has_expire() ? slot->entry()->expire_ms() : -1;
}

OpResult<ObjectInfo> Engine::GetObjectInfo(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now, false);
  if (slot == nullptr) return OpStatus::kNotFound;
  const Entry* e = slot->entry();
  ObjectInfo info{e->type(), e->encoding()};
  if (s.tracking().lfu) {
    info.lfu = true;
    info.freq = LfuDecayed(slot->lru(), now, s.tracking().lfu_decay_time);
  } else {
    // Modular difference of the 16-bit clocks (see LruClock).
    info.idle_seconds = static_cast<uint16_t>(LruClock(now) - slot->lru());
  }
  return info;
}

OpResult<size_t> Engine::MemoryUsage(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.Lookup(hash, key, Now(), false);
  if (slot == nullptr) return OpStatus::kNotFound;
  size_t n = slot->entry()->MemoryUsage();
  // The key's share of the table: its slot and control byte divided by the load factor.
  size_t keys = s.size();
  n += keys == 0 ? 0 : (s.table().bytes() + keys - 1) / keys;
  if (slot->entry()->has_expire()) n += sizeof(Entry*);  // its expiry-index cell
  return n;
}

void Engine::SetObject(int db, std::string_view key, ValueType type,
                       std::unique_ptr<Object> object) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  if (s.Lookup(hash, key, now, false) != nullptr) s.Erase(hash, key);
  Encoding encoding = object->encoding();
  s.Insert(hash, Entry::NewObject(key, type, encoding, std::move(object), 0), now);
}

OpStatus Engine::ReadObject(int db, std::string_view key, ValueType type,
                            absl::FunctionRef<void(const Object&)> fn) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.LookupRead(hash, key, Now());
  if (slot == nullptr) return OpStatus::kNotFound;
  if (slot->entry()->type() != type) return OpStatus::kWrongType;
  fn(*slot->entry()->object());
  return OpStatus::kOk;
}

OpStatus Engine::UpdateObject(int db, std::string_view key, ValueType type,
                              absl::FunctionRef<void(std::unique_ptr<Object>&)> fn) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  if (slot == nullptr) {
    std::unique_ptr<Object> obj;
    fn(obj);
    if (obj != nullptr && !obj->Empty()) {
      Encoding encoding = obj->encoding();
      s.Insert(hash, Entry::NewObject(key, type, encoding, std::move(obj), 0), now);
    }
    return OpStatus::kOk;
  }
  Entry* e = slot->entry();
  if (e->type() != type) return OpStatus::kWrongType;
  s.BeforeChange(hash, key);
  size_t before = e->MemoryUsage();
  // The entry lends its object to fn and holds null meanwhile (Entry::Free accepts that).
  std::unique_ptr<Object> obj(e->object());
  e->ResetObject(nullptr, e->encoding());
  fn(obj);
  bool empty = obj == nullptr || obj->Empty();
  Encoding encoding = obj != nullptr ? obj->encoding() : e->encoding();
  e->ResetObject(obj.release(), encoding);
  s.Reaccount(before, e);
  // Field TTLs may have been set, cleared or expired: keep the field-expiry index exact. A
  // type without them costs one virtual call returning 0 while the index is empty.
  if (!empty) s.SyncFieldExpiry(e);
  if (empty) {
    Entry* detached = s.Detach(hash, key);
    if (detached->MemoryUsage() > kLazyFreeBytes) {
      BackgroundFreer::Global().Submit([detached] { Entry::Free(detached); });
    } else {
      Entry::Free(detached);
    }
  }
  return OpStatus::kOk;
}

}  // namespace ringkv::engine
