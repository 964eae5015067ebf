// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SCAN, KEYS and RANDOMKEY. The SCAN cursor is the key-hash position: its top shard_bits select
// the shard (which the hash's top bits do anyway) and the rest is the position inside that
// shard's table (table.h explains why that keeps Redis's guarantee across resizes). Keys are
// copied out under the shard lock and handed to the callback after it is released.
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/glob.h"

namespace ringkv::engine {

namespace {

// Whether a scanned entry is reported: live, of the wanted type, matching the pattern.
bool Wanted(const Entry* e, int64_t now, const ScanOptions& o) {
  if (e->has_expire() && now > e->expire_ms()) return false;
  if (o.type.has_value() && e->type() != *o.type) return false;
  return o.pattern.empty() || o.pattern == "*" || GlobMatch(o.pattern, e->key());
}

}  // namespace

uint64_t Engine::Scan(int db, uint64_t cursor, const ScanOptions& options,
                      absl::FunctionRef<void(std::string_view)> fn) {
  size_t shard = shard_bits_ == 0 ? 0 : static_cast<size_t>(cursor >> (64 - shard_bits_));
  uint64_t pos = shard_bits_ == 0 ? cursor : cursor << shard_bits_;
  size_t count = options.count == 0 ? 1 : options.count;
  size_t examined = 0;
  size_t steps = 0;
  std::vector<std::string> out;
  int64_t now = Now();
  // Like Redis, COUNT bounds the work, not the reply: stop after `count` keys were examined or
  // after 10*count steps over empty groups.
  while (examined < count && steps < 10 * count) {
    size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + shard;
    Shard& s = *shards_[idx];
    {
      ShardLock lock(s, idx);
      std::vector<std::pair<uint64_t, std::string>> expired;
      pos = s.table().Scan(pos, [&](Entry* e) {
        ++examined;
        if (e->has_expire() && now > e->expire_ms()) {
          expired.emplace_back(Hash(e->key()), std::string(e->key()));
        } else if (Wanted(e, now, options)) {
          out.emplace_back(e->key());
        }
      });
      // Expired keys met by SCAN are deleted, as Redis's scan callback does.
      for (const auto& [h, k] : expired) {
        if (s.Erase(h, k)) s.CountExpired(k);
      }
    }
    ++steps;
    if (pos == 0) {
      if (++shard == static_cast<size_t>(shards_per_db_)) {
        for (const std::string& k : out) fn(k);
        return 0;
      }
    }
  }
  for (const std::string& k : out) fn(k);
  if (shard_bits_ == 0) return pos;
  return (static_cast<uint64_t>(shard) << (64 - shard_bits_)) | (pos >> shard_bits_);
}

void Engine::Keys(int db, std::string_view pattern, absl::FunctionRef<void(std::string_view)> fn) {
  ScanOptions o;
  o.pattern = pattern;
  int64_t now = Now();
  for (size_t i = 0; i < static_cast<size_t>(shards_per_db_); ++i) {
    size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i;
    Shard& s = *shards_[idx];
    std::vector<std::string> out;
    {
      ShardLock lock(s, idx);
      s.table().ForEach([&](Entry* e) {
        if (Wanted(e, now, o)) out.emplace_back(e->key());
      });
    }
    for (const std::string& k : out) fn(k);
  }
}

std::optional<std::string> Engine::RandomKey(int db) {
  int64_t now = Now();
  // Bounded like Redis's dbRandomKey: a keyspace made only of expired keys ends the search.
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint64_t r = random_key_seed_.fetch_add(0x9E3779B97F4A7C15ULL, std::memory_order_relaxed);
    r ^= r >> 31;
    r *= 0xBF58476D1CE4E5B9ULL;
    r ^= r >> 29;
    size_t start = static_cast<size_t>(r % static_cast<uint64_t>(shards_per_db_));
    for (size_t k = 0; k < static_cast<size_t>(shards_per_db_); ++k) {
      size_t i = (start + k) % static_cast<size_t>(shards_per_db_);
      size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i;
      Shard& s = *shards_[idx];
      ShardLock lock(s, idx);
      Entry* e = s.table().Random(r * 0x94D049BB133111EBULL);
      if (e == nullptr) continue;
      if (e->has_expire() && now > e->expire_ms()) {
        std::string key(e->key());
        s.Erase(Hash(key), key);
        s.CountExpired(key);
        break;  // try again with a fresh random number
      }
      return std::string(e->key());
    }
    if (DbSize(db) == 0) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace ringkv::engine
