// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// LFU counter updates, the frequency sketch and the admission window; see access_tracking.h.
#include "engine/access_tracking.h"

#include <algorithm>

namespace ringkv::engine {

uint16_t LfuTouch(uint16_t bits, int64_t now_ms, const AccessTracking& t, uint64_t random) {
  uint8_t counter = LfuDecayed(bits, now_ms, t.lfu_decay_time);
  if (counter < 255) {
    const double base = counter > kLfuInitVal ? counter - kLfuInitVal : 0;
    const double p = 1.0 / (base * t.lfu_log_factor + 1);
    // The top 53 bits as a double in [0, 1).
    const double r = static_cast<double>(random >> 11) * 0x1.0p-53;
    if (r < p) ++counter;
  }
  return LfuPack(LfuMinutes(now_ms), counter);
}

void FrequencySketch::Resize(size_t keys) {
  keys = std::max<size_t>(keys, 64);
  // Eight counters per key: half a word of 16 (4 bytes per key).
  words_.assign(keys / 2, 0);
  counters_ = words_.size() * 16;
  sized_for_ = keys;
  additions_ = 0;
  period_ = 10 * keys;
}

size_t FrequencySketch::Index(uint64_t hash, int row) const {
  // A different odd multiplier per row over the (already well mixed) key hash.
  static constexpr uint64_t kSeeds[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
                                         0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL};
  const uint64_t x = (hash ^ (hash >> 32)) * kSeeds[row];
  // Fast range: the high bits of x scaled to the table, no power-of-two size needed.
  return static_cast<size_t>((static_cast<unsigned __int128>(x) * counters_) >> 64);
}

void FrequencySketch::Add(uint64_t hash) {
  if (words_.empty()) return;
  for (int row = 0; row < 4; ++row) {
    const size_t i = Index(hash, row);
    uint64_t& w = words_[i >> 4];
    const int shift = static_cast<int>(i & 15) * 4;
    if (((w >> shift) & 0xf) != 0xf) w += uint64_t{1} << shift;
  }
  if (++additions_ >= period_) Halve();
}

int FrequencySketch::Estimate(uint64_t hash) const {
  if (words_.empty()) return 0;
  int m = 15;
  for (int row = 0; row < 4; ++row) {
    const size_t i = Index(hash, row);
    m = std::min(m, static_cast<int>((words_[i >> 4] >> ((i & 15) * 4)) & 0xf));
  }
  return m;
}

void FrequencySketch::Halve() {
  for (uint64_t& w : words_) w = (w >> 1) & 0x7777777777777777ULL;
  additions_ /= 2;
}

namespace {

// Heap bytes of a string (none while it fits in the object).
size_t HeapBytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

}  // namespace

void AdmissionFilter::Inserted(std::string_view key, size_t shard_keys) {
  window.emplace_back(key);
  window_bytes += HeapBytes(window.back());
  if (window.size() > 2 * WindowTarget(shard_keys)) PopOldest();
}

std::string AdmissionFilter::PopOldest() {
  std::string k = std::move(window.front());
  window.pop_front();
  window_bytes -= HeapBytes(k);
  return k;
}

}  // namespace ringkv::engine
