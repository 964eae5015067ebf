// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// String operations beyond GET/SET: GETDEL, GETEX, MGET/MSET/MSETNX, the INCR family,
// INCRBYFLOAT, APPEND, STRLEN, GETRANGE, SETRANGE. Semantics follow Redis 7's t_string.c.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "engine/engine.h"
#include "engine/key_lock.h"

namespace ringkv::engine {

namespace {

std::string CopyValue(const Entry* e) {
  char buf[kIntBufSize];
  return std::string(e->StringValue(buf));
}

// The string value of `slot` (none: empty) zero-padded to `len` bytes (len >= its length).
std::string PaddedCopy(const Slot* slot, size_t len) {
  std::string v(len, '\0');
  if (slot != nullptr) {
    char buf[kIntBufSize];
    std::string_view cur = slot->entry()->StringValue(buf);
    std::memcpy(v.data(), cur.data(), cur.size());
  }
  return v;
}

// Stores `v` as the raw string of `key`: a new key when slot is null, else in place of it.
void StoreRaw(Shard& s, Slot* slot, uint64_t hash, std::string_view key, const std::string& v,
              int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
  if (slot == nullptr) {
    s.Insert(hash, Entry::NewString(key, v, 0, /*force_raw=*/true), now);
  } else {
    s.Mutate(slot, [&](Entry* e) { return Entry::ReplaceString(e, v, /*force_raw=*/true); });
  }
}

}  // namespace

bool ParseLongDouble(std::string_view s, long double* out) {
  // Redis caps the text at MAX_LONG_DOUBLE_CHARS (5 KiB).
  if (s.empty() || s.size() >= 5 * 1024) return false;
  char buf[5 * 1024];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (std::isspace(static_cast<unsigned char>(buf[0]))) return false;
  errno = 0;
  char* end = nullptr;
  long double v = std::strtold(buf, &end);
  // The whole text must be the number: a NUL inside the value (SETRANGE padding) ends strtold
  // early and would otherwise pass as "*end == 0".
  if (static_cast<size_t>(end - buf) != s.size()) return false;
  if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || std::fpclassify(v) == FP_ZERO)) {
    return false;
  }
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

std::string FormatLongDouble(long double v) {
  // Fixed notation with 17 digits, then trailing zeros trimmed: "human friendly" output that
  // shows 0.1 + 0.2 as 0.3 with 80-bit long doubles, exactly what Redis replies.
  char buf[5 * 1024 + 32];
  int n = std::snprintf(buf, sizeof(buf), "%.17Lf", v);
  if (n < 0 || static_cast<size_t>(n) >= sizeof(buf)) return std::string();
  size_t len = static_cast<size_t>(n);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (len > 0 && buf[len - 1] == '0') --len;
    if (len > 0 && buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') return "0";
  return std::string(buf, len);
}

OpResult<std::string> Engine::GetDel(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.LookupRead(hash, key, Now());
  if (slot == nullptr) return OpStatus::kNotFound;
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  std::string v = CopyValue(slot->entry());
  s.Erase(hash, key);
  return v;
}

OpResult<std::string> Engine::GetEx(int db, std::string_view key, const GetExParams& params) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.LookupRead(hash, key, now);
  if (slot == nullptr) return OpStatus::kNotFound;
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  std::string v = CopyValue(slot->entry());
  if (params.mode == GetExParams::Mode::kPersist) {
    s.SetExpire(slot, 0);
  } else if (params.mode == GetExParams::Mode::kSetExpire) {
    if (params.expire_at_ms <= now) {
      s.Erase(hash, key);
    } else {
      s.SetExpire(slot, params.expire_at_ms);
    }
  }
  return v;
}

void Engine::MGet(int db, std::span<const std::string_view> keys,
                  absl::FunctionRef<void(size_t, std::optional<std::string_view>)> fn) {
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  for (size_t i = 0; i < keys.size(); ++i) {
    uint64_t hash = Hash(keys[i]);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    Slot* slot = s.LookupRead(hash, keys[i], now);
    if (slot == nullptr || slot->entry()->type() != ValueType::kString) {
      fn(i, std::nullopt);
      continue;
    }
    char buf[kIntBufSize];
    fn(i, slot->entry()->StringValue(buf));
  }
}

void Engine::MSet(int db, std::span<const std::pair<std::string_view, std::string_view>> kvs) {
  std::vector<std::string_view> keys;
  keys.reserve(kvs.size());
  for (const auto& kv : kvs) keys.push_back(kv.first);
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  for (const auto& [key, value] : kvs) {
    uint64_t hash = Hash(key);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    SetLocked(s, hash, key, value, SetParams{}, nullptr, now);
  }
}

bool Engine::MSetNx(int db, std::span<const std::pair<std::string_view, std::string_view>> kvs) {
  std::vector<std::string_view> keys;
  keys.reserve(kvs.size());
  for (const auto& kv : kvs) keys.push_back(kv.first);
  KeyLock guard(*this, db, keys);
  int64_t now = Now();
  for (std::string_view key : keys) {
    uint64_t hash = Hash(key);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    if (s.Lookup(hash, key, now, false) != nullptr) return false;
  }
  for (const auto& [key, value] : kvs) {
    uint64_t hash = Hash(key);
    size_t idx = ShardIndex(db, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    SetLocked(s, hash, key, value, SetParams{}, nullptr, now);
  }
  return true;
}

OpResult<int64_t> Engine::IncrBy(int db, std::string_view key, int64_t delta) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  int64_t cur = 0;
  if (slot != nullptr) {
    Entry* e = slot->entry();
    if (e->type() != ValueType::kString) return OpStatus::kWrongType;
    if (e->encoding() == Encoding::kInt) {
      cur = e->IntValue();
    } else {
      char buf[kIntBufSize];
      if (!ParseCanonicalInt(e->StringValue(buf), &cur)) return OpStatus::kNotInteger;
    }
  }
  int64_t result;
  if (__builtin_add_overflow(cur, delta, &result)) return OpStatus::kOverflow;
  char buf[kIntBufSize];
  std::string_view text(buf, FormatInt(result, buf));
  if (slot == nullptr) {
    s.Insert(hash, Entry::NewString(key, text, 0), now);
  } else {
    s.Mutate(slot, [&](Entry* e) { return Entry::ReplaceString(e, text); });
  }
  return result;
}

OpResult<int64_t> Engine::DecrBy(int db, std::string_view key, int64_t delta) {
  if (delta == std::numeric_limits<int64_t>::min()) return OpStatus::kOverflow;
  return IncrBy(db, key, -delta);
}

OpResult<std::string> Engine::IncrByFloat(int db, std::string_view key, long double delta) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  long double cur = 0;
  if (slot != nullptr) {
    if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
    char buf[kIntBufSize];
    if (!ParseLongDouble(slot->entry()->StringValue(buf), &cur)) return OpStatus::kNotFloat;
  }
  long double result = cur + delta;
  if (std::isnan(result) || std::isinf(result)) return OpStatus::kNanOrInfinity;
  std::string text = FormatLongDouble(result);
  if (slot == nullptr) {
    s.Insert(hash, Entry::NewString(key, text, 0), now);
  } else {
    s.Mutate(slot, [&](Entry* e) { return Entry::ReplaceString(e, text); });
  }
  return text;
}

OpResult<size_t> Engine::Append(int db, std::string_view key, std::string_view value) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  if (slot == nullptr) {
    if (value.size() > max_string_length_) return OpStatus::kTooLarge;
    s.Insert(hash, Entry::NewString(key, value, 0), now);
    return value.size();
  }
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  size_t old_len = slot->entry()->StringLength();
  if (old_len + value.size() > max_string_length_) return OpStatus::kTooLarge;
  if (slot->entry()->encoding() == Encoding::kRaw &&
      old_len + value.size() <= slot->entry()->raw()->cap) {
    // The common repeated-APPEND case: the buffer's spare capacity absorbs it in place. A change
    // in place is still a change: counted, and the old value saved for a running snapshot.
    s.BeforeChange(hash, key);
    RawString* r = slot->entry()->raw();
    if (!value.empty()) std::memcpy(r->data() + r->len, value.data(), value.size());
    r->len += value.size();
    return r->len;
  }
  std::string joined;
  joined.reserve(old_len + value.size());
  char buf[kIntBufSize];
  joined.append(slot->entry()->StringValue(buf));
  joined.append(value);
  s.Mutate(slot, [&](Entry* e) { return Entry::ReplaceString(e, joined, /*force_raw=*/true); });
  return joined.size();
}

OpResult<size_t> Engine::StrLen(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.LookupRead(hash, key, Now());
  if (slot == nullptr) return size_t{0};
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  return slot->entry()->StringLength();
}

OpResult<std::string> Engine::GetRange(int db, std::string_view key, int64_t start, int64_t end) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.LookupRead(hash, key, Now());
  if (slot == nullptr) return std::string();
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  char buf[kIntBufSize];
  std::string_view v = slot->entry()->StringValue(buf);
  int64_t len = static_cast<int64_t>(v.size());
  // Redis 7.0's getrangeCommand index rules.
  if (start < 0 && end < 0 && start > end) return std::string();
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return std::string();
  return std::string(v.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

OpResult<size_t> Engine::SetRange(int db, std::string_view key, int64_t offset,
                                  std::string_view value) {
  if (offset < 0) return OpStatus::kOutOfRange;
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  size_t off = static_cast<size_t>(offset);
  size_t old_len = 0;
  if (slot != nullptr) {
    if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
    old_len = slot->entry()->StringLength();
  }
  if (value.empty()) return old_len;
  if (off > max_string_length_ || off + value.size() > max_string_length_) {
    return OpStatus::kTooLarge;
  }
  size_t new_len = std::max(old_len, off + value.size());
  if (slot != nullptr && slot->entry()->encoding() == Encoding::kRaw &&
      new_len <= slot->entry()->raw()->cap) {
    s.BeforeChange(hash, key);  // in place: counted and saved for a running snapshot
    RawString* r = slot->entry()->raw();
    if (off > r->len) std::memset(r->data() + r->len, 0, off - r->len);
    std::memcpy(r->data() + off, value.data(), value.size());
    r->len = new_len;
    return new_len;
  }
  std::string v = PaddedCopy(slot, new_len);
  std::memcpy(v.data() + off, value.data(), value.size());
  StoreRaw(s, slot, hash, key, v, now);
  return new_len;
}

OpResult<bool> Engine::SetBit(int db, std::string_view key, uint64_t offset, bool on,
                              bool* changed) {
  *changed = false;
  const uint64_t byte = offset >> 3;
  if (byte >= max_string_length_) return OpStatus::kTooLarge;
  const auto mask = static_cast<uint8_t>(1u << (7 - (offset & 7)));
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  int64_t now = Now();
  Slot* slot = s.Lookup(hash, key, now);
  size_t old_len = 0;
  if (slot != nullptr) {
    if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
    old_len = slot->entry()->StringLength();
  }
  const size_t new_len = std::max<size_t>(old_len, byte + 1);
  if (slot != nullptr && slot->entry()->encoding() == Encoding::kRaw &&
      new_len <= slot->entry()->raw()->cap) {
    RawString* r = slot->entry()->raw();
    auto* p = reinterpret_cast<uint8_t*>(r->data());
    const bool was = (byte < r->len) && (p[byte] & mask) != 0;
    if (new_len == old_len && was == on) return was;
    s.BeforeChange(hash, key);  // in place: counted and saved for a running snapshot
    if (byte >= r->len) std::memset(r->data() + r->len, 0, byte + 1 - r->len);
    p[byte] = static_cast<uint8_t>(on ? (p[byte] | mask) : (p[byte] & ~mask));
    r->len = new_len;
    *changed = true;
    return was;
  }
  std::string v = PaddedCopy(slot, new_len);
  auto* p = reinterpret_cast<uint8_t*>(v.data());
  const bool was = (p[byte] & mask) != 0;
  // Neither created, grown nor flipped is no change, but the value becomes a raw string all the
  // same, as Redis unshares it before looking (OBJECT ENCODING says raw after any SETBIT).
  *changed = slot == nullptr || new_len != old_len || was != on;
  p[byte] = static_cast<uint8_t>(on ? (p[byte] | mask) : (p[byte] & ~mask));
  StoreRaw(s, slot, hash, key, v, now);
  return was;
}

}  // namespace ringkv::engine
