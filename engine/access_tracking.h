// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// What the engine records about key accesses for eviction (docs/eviction.md):
//
//  - The 16 access bits of each table slot (Slot::lru in table.h). Under the LRU policies they
//    are the LRU clock (LruClock, seconds). Under the LFU policies they are Redis's LFU data,
//    packed as: high 8 bits the decay stamp (minutes, modulo 256), low 8 bits the logarithmic
//    access counter (lfu-log-factor, lfu-decay-time). Switching policy at runtime reinterprets
//    the bits, as in Redis, and they settle after the keys are accessed again.
//  - Under allkeys-lru and allkeys-lfu, an admission filter (W-TinyLFU): a count-min sketch of
//    how often each key hash was used (created, or found by a command that touches it; the
//    counts outlive the key, so a key evicted and asked for again comes back with its history),
//    and a window of the keys inserted
//    most recently. When memory must be freed, the oldest key of the window competes with the
//    policy's victim and the one the sketch says is requested less often goes. Keys asked for
//    once (scans, one-hit wonders) thus leave before the hot set does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace ringkv::engine {

// The tracking a shard does, set by Engine::SetAccessTracking from maxmemory-policy and the
// lfu-* directives.
struct AccessTracking {
  bool lfu = false;        // slot bits hold LFU data instead of the LRU clock
  bool admission = false;  // keep the sketch and the window (allkeys-lru, allkeys-lfu)
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;  // minutes per decrement of the counter; 0: never
};

// ---- LFU data (Redis's evict.c semantics, in 16 bits). -----------------------------------------

inline constexpr uint8_t kLfuInitVal = 5;

inline uint8_t LfuMinutes(int64_t now_ms) { return static_cast<uint8_t>(now_ms / 60000); }
inline uint16_t LfuPack(uint8_t minutes, uint8_t counter) {
  return static_cast<uint16_t>((uint16_t{minutes} << 8) | counter);
}
// The counter after the decay due since its stamp: one per lfu_decay_time minutes elapsed.
// Elapsed time is modulo 256 minutes (Redis: 65536), so a key idle for longer looks more recent.
inline uint8_t LfuDecayed(uint16_t bits, int64_t now_ms, int decay_time) {
  const uint8_t counter = static_cast<uint8_t>(bits & 0xff);
  if (decay_time <= 0) return counter;
  const uint8_t elapsed =
      static_cast<uint8_t>(LfuMinutes(now_ms) - static_cast<uint8_t>(bits >> 8));
  const int periods = elapsed / decay_time;
  return periods >= counter ? 0 : static_cast<uint8_t>(counter - periods);
}
// A new key's bits.
inline uint16_t LfuInitial(int64_t now_ms) { return LfuPack(LfuMinutes(now_ms), kLfuInitVal); }
// One access: decay, then a logarithmic increment (probability 1 / ((counter - 5) * factor + 1)).
// `random` is a uniformly distributed 64-bit number.
uint16_t LfuTouch(uint16_t bits, int64_t now_ms, const AccessTracking& t, uint64_t random);

// ---- The admission filter. ---------------------------------------------------------------------

// A count-min sketch of 4-bit counters: four counters per hash in one table of 4 bytes (eight
// counters) per key it is sized for, all halved after 10 additions per key (so it forgets, and
// follows a hot set that moves). Sized with Resize; empty until then.
class FrequencySketch {
 public:
  // Sizes (and clears) the table for about `keys` keys (at least 64).
  void Resize(size_t keys);
  // The keys the table was sized for (0: not yet).
  size_t sized_for() const { return sized_for_; }
  void Add(uint64_t hash);
  // 0..15: an upper bound on the additions of `hash` since the last halvings, halved with them.
  int Estimate(uint64_t hash) const;
  size_t bytes() const { return words_.size() * sizeof(uint64_t); }

 private:
  size_t Index(uint64_t hash, int row) const;
  void Halve();

  std::vector<uint64_t> words_;  // 16 counters of 4 bits per word
  size_t counters_ = 0;          // 16 * words_.size()
  size_t sized_for_ = 0;
  size_t additions_ = 0;
  size_t period_ = 0;
};

// A shard's admission state: the sketch, and the window of recently inserted keys (oldest
// first). A window key may since have been deleted or replaced; the eviction that takes it from
// the window checks.
struct AdmissionFilter {
  FrequencySketch sketch;
  std::deque<std::string> window;
  size_t window_bytes = 0;  // capacity of the strings in the window

  // The window's size for a shard of `keys` keys: 1% of them, at least 4.
  static size_t WindowTarget(size_t keys) { return keys / 100 > 4 ? keys / 100 : 4; }
  // Adds a newly inserted key; past twice the target the oldest leaves without a contest.
  void Inserted(std::string_view key, size_t shard_keys);
  // Removes and returns the oldest key of the window.
  std::string PopOldest();
  size_t bytes() const {
    return sketch.bytes() + window_bytes + window.size() * sizeof(std::string);
  }
};

}  // namespace ringkv::engine
