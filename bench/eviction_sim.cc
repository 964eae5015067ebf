// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// eviction-sim: offline hit ratios of eviction algorithms on the read-through workloads of
// bench/hitratio, at a capacity counted in keys. It models Redis 7's approximated LRU and LFU
// (5 samples into a 16-entry eviction pool, a 1-second LRU clock, the 8-bit logarithmic LFU
// counter) and the candidates considered for ringkv (docs/eviction.md), so that the choice can
// be made on millions of requests in seconds. The servers themselves are compared by
// bench/hitratio; this tool only ranks algorithms.
//
// Usage: eviction-sim [capacity_keys] [requests] [keys] [capacity_keys_2] [name_filter]
// docs/eviction.md: eviction-sim 24784 2000000 500000 34155 (the keys bench/hitratio's 8 MB hold)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// ---- workloads ----

struct Workload {
  std::string name;
  std::vector<uint32_t> seq;
};

std::vector<double> ZipfCdf(size_t n, double s) {
  std::vector<double> cdf(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), s);
    cdf[i] = sum;
  }
  for (double& c : cdf) c /= sum;
  return cdf;
}

uint32_t Draw(const std::vector<double>& cdf, std::mt19937_64& rng) {
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  return static_cast<uint32_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
}

// Ranks are mapped to key ids through a fixed permutation so that popularity is unrelated to
// the key's name (and so to its hash).
std::vector<Workload> MakeWorkloads(size_t keys, size_t requests) {
  std::mt19937_64 rng(42);
  std::vector<uint32_t> perm(keys);
  for (size_t i = 0; i < keys; ++i) perm[i] = static_cast<uint32_t>(i);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<Workload> out;
  auto z99 = ZipfCdf(keys, 0.99);
  auto z70 = ZipfCdf(keys, 0.7);
  Workload a{"zipf-0.99", {}}, b{"zipf-0.7", {}}, c{"scan-polluted", {}}, d{"shifting", {}};
  uint32_t next_unique = static_cast<uint32_t>(keys);
  for (size_t i = 0; i < requests; ++i) {
    a.seq.push_back(perm[Draw(z99, rng)]);
    b.seq.push_back(perm[Draw(z70, rng)]);
    // One request in three is a key never seen before and never seen again.
    if (i % 3 == 2) {
      c.seq.push_back(next_unique++);
    } else {
      c.seq.push_back(perm[Draw(z99, rng)]);
    }
    // The hot set moves to other keys four times during the run.
    const size_t phase = i * 4 / requests;
    d.seq.push_back(perm[(Draw(z99, rng) + phase * (keys / 4)) % keys]);
  }
  out.push_back(std::move(a));
  out.push_back(std::move(b));
  out.push_back(std::move(c));
  out.push_back(std::move(d));
  return out;
}

// ---- caches ----

class Cache {
 public:
  virtual ~Cache() = default;
  // One read-through request at time t (seconds): true on a hit; on a miss the key is inserted.
  virtual bool Access(uint32_t key, double t) = 0;
};

// A set of resident keys with O(1) random sampling (Redis's dictGetSomeKeys / our RandomSlot).
template <typename Meta>
class SampledStore {
 public:
  bool Contains(uint32_t k) const { return pos_.count(k) != 0; }
  Meta& Get(uint32_t k) { return items_[pos_[k]].second; }
  void Add(uint32_t k, Meta m) {
    pos_[k] = items_.size();
    items_.push_back({k, m});
  }
  void Remove(uint32_t k) {
    auto it = pos_.find(k);
    size_t i = it->second;
    pos_.erase(it);
    if (i + 1 != items_.size()) {
      items_[i] = items_.back();
      pos_[items_[i].first] = i;
    }
    items_.pop_back();
  }
  size_t size() const { return items_.size(); }
  std::pair<uint32_t, Meta>& Random(std::mt19937_64& rng) { return items_[rng() % items_.size()]; }

 private:
  std::unordered_map<uint32_t, size_t> pos_;
  std::vector<std::pair<uint32_t, Meta>> items_;
};

// A count-min sketch of 4-bit counters (TinyLFU) as the server keeps it
// (engine/access_tracking.cc): one table of `per_key` counters per key of capacity, four positions
// per hash, all halved after `period` additions per key.
class Sketch {
 public:
  Sketch(size_t cap, double per_key, double period)
      : rows_(static_cast<size_t>(per_key * cap)), period_(static_cast<size_t>(period * cap)) {}
  void Add(uint64_t h) {
    for (int i = 0; i < 4; ++i) {
      uint8_t& c = rows_[Index(h, i)];
      if (c < 15) ++c;
    }
    if (++added_ == period_) {
      for (auto& c : rows_) c >>= 1;
      added_ /= 2;
    }
  }
  int Estimate(uint64_t h) const {
    int m = 15;
    for (int i = 0; i < 4; ++i) m = std::min<int>(m, rows_[Index(h, i)]);
    return m;
  }

 private:
  size_t Index(uint64_t h, int i) const {
    static constexpr uint64_t kSeeds[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
                                           0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL};
    const uint64_t x = (h ^ (h >> 32)) * kSeeds[i];
    return static_cast<size_t>((static_cast<unsigned __int128>(x) * rows_.size()) >> 64);
  }
  std::vector<uint8_t> rows_;
  size_t period_;
  size_t added_ = 0;
};

uint64_t Mix(uint32_t k) {
  uint64_t x = (k + 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Redis 7: evict.c's pool of 16 candidates fed with maxmemory-samples keys per round; idle for
// LRU in whole seconds (LRU_CLOCK_RESOLUTION 1000 ms), 255 - counter for LFU.
class RedisCache : public Cache {
 public:
  RedisCache(size_t cap, bool lfu, int samples, double factor = 10, bool pool = true,
             double epoch_mult = 0, bool admission = false, bool ties_to_victim = false,
             int sketch_score = 0, double sketch_per_key = 10, double sketch_period = 12.5)
      : cap_(cap),
        lfu_(lfu),
        samples_(samples),
        factor_(factor),
        use_pool_(pool),
        epoch_len_(static_cast<uint64_t>(epoch_mult * cap)),
        admission_(admission),
        ties_to_victim_(ties_to_victim),
        sketch_score_(sketch_score) {
    // One sketch per shard, as the server keeps them (16 shards per database).
    for (int i = 0; i < kShards; ++i) {
      sketches_.emplace_back(cap / kShards, sketch_per_key, sketch_period);
    }
  }
  static constexpr int kShards = 16;
  bool Access(uint32_t key, double t) override {
    const uint32_t clock = static_cast<uint32_t>(t);
    if (epoch_len_ != 0 && ++accesses_ % epoch_len_ == 0) ++epoch_;
    if (admission_) Sk(key).Add(Mix(key));
    if (store_.Contains(key)) {
      Meta& m = store_.Get(key);
      if (lfu_) {
        Decay(m);
        m.counter = LogIncr(m.counter);
      } else {
        m.lru = clock;
      }
      return true;
    }
    store_.Add(key, Meta{clock, 5, epoch_});
    if (admission_) window_.push_back(key);
    while (store_.size() > cap_) EvictOne(clock);
    return false;
  }

 private:
  struct Meta {
    uint32_t lru;
    uint8_t counter;
    uint32_t epoch;
  };
  Sketch& Sk(uint32_t k) { return sketches_[Mix(k * 3 + 1) >> 60]; }
  void Decay(Meta& m) {
    if (epoch_ != m.epoch) {
      uint32_t d = epoch_ - m.epoch;
      m.counter = d >= 8 ? 0 : static_cast<uint8_t>(m.counter >> d);
      m.epoch = epoch_;
    }
  }
  uint8_t LogIncr(uint8_t c) {
    if (c == 255) return 255;
    double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    double base = c > 5 ? c - 5 : 0;
    return r < 1.0 / (base * factor_ + 1) ? c + 1 : c;
  }
  void EvictOne(uint32_t clock) {
    if (admission_) {
      while (window_.size() > std::max<size_t>(1, cap_ / 100)) {
        uint32_t cand = window_.front();
        window_.pop_front();
        if (!store_.Contains(cand)) continue;
        uint32_t victim = PickVictim(clock);
        if (victim == cand || !store_.Contains(victim)) {
          store_.Remove(cand);
          return;
        }
        const int cf = Sk(cand).Estimate(Mix(cand));
        const int vf = Sk(victim).Estimate(Mix(victim));
        if (cf > vf || (cf == vf && ties_to_victim_)) {
          store_.Remove(victim);
        } else {
          store_.Remove(cand);
        }
        return;
      }
    }
    store_.Remove(PickVictim(clock));
  }
  uint32_t PickVictim(uint32_t clock) {
    for (int i = 0; i < samples_; ++i) {
      auto& [k, m] = store_.Random(rng_);
      if (lfu_) Decay(m);
      uint64_t idle = lfu_ ? 255 - m.counter : clock - m.lru;
      // sketch_score 1: the sketch's count first, the policy's score among equal counts;
      // 2: the policy's score first, the sketch's count among equal scores.
      if (sketch_score_ == 1) {
        idle = (static_cast<uint64_t>(15 - Sk(k).Estimate(Mix(k))) << 32) | idle;
      } else if (sketch_score_ == 2) {
        idle = (idle << 8) | static_cast<uint64_t>(15 - Sk(k).Estimate(Mix(k)));
      }
      bool dup = false;
      for (auto& p : pool_) dup |= p.second == k;
      if (dup) continue;
      if (pool_.size() < 16) {
        pool_.push_back({idle, k});
      } else if (idle > pool_.front().first) {
        pool_.front() = {idle, k};
      } else {
        continue;
      }
      std::sort(pool_.begin(), pool_.end());
    }
    if (!use_pool_) {
      uint32_t k = pool_.back().second;
      pool_.clear();
      return k;
    }
    // The best candidate still present.
    while (!pool_.empty()) {
      uint32_t k = pool_.back().second;
      pool_.pop_back();
      if (store_.Contains(k)) return k;
    }
    return store_.Random(rng_).first;
  }
  size_t cap_;
  bool lfu_;
  int samples_;
  double factor_;
  bool use_pool_;
  uint64_t epoch_len_;
  bool admission_;
  bool ties_to_victim_;
  int sketch_score_;
  std::vector<Sketch> sketches_;
  std::deque<uint32_t> window_;
  uint64_t accesses_ = 0;
  uint32_t epoch_ = 0;
  SampledStore<Meta> store_;
  std::vector<std::pair<uint64_t, uint32_t>> pool_;
  std::mt19937_64 rng_{7};
};

// Perfect LFU: exact access counts of every key since the start (resident or not); the resident
// key with the fewest is evicted, the newcomer included (an upper bound for frequency policies).
class PerfectLfu : public Cache {
 public:
  explicit PerfectLfu(size_t cap) : cap_(cap) {}
  bool Access(uint32_t key, double) override {
    if (key >= counts_.size()) counts_.resize(key + 1024);
    uint32_t& c = counts_[key];
    auto it = res_.find({c, key});
    const bool hit = it != res_.end();
    if (hit) res_.erase(it);
    ++c;
    res_.insert({c, key});
    if (res_.size() > cap_) res_.erase(res_.begin());
    return hit;
  }

 private:
  size_t cap_;
  std::vector<uint32_t> counts_;
  std::set<std::pair<uint32_t, uint32_t>> res_;
};

}  // namespace

int main(int argc, char** argv) {
  const size_t cap = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 25000;
  const size_t requests = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 3000000;
  const size_t keys = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 500000;
  const double rate = 150000;  // requests per second, for the 1-second LRU clocks
  auto workloads = MakeWorkloads(keys, requests);
  struct Algo {
    std::string name;
    std::function<std::unique_ptr<Cache>()> make;
  };
  const size_t cap2 = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : cap;
  // Redis's models at `cap` keys; the rest at `cap2` (what the same bytes hold of ringkv's keys).
  // cap2 keys with the 10-counter sketch (5 bytes per key) at the 245.6 bytes per key measured
  // for bench/hitratio's 13-byte keys and 200-byte values; a sketch of per_key counters per key
  // costs per_key / 2 bytes instead.
  auto Shrunk = [](size_t c, double per_key) {
    return static_cast<size_t>(static_cast<double>(c) * 245.6 / (240.6 + per_key / 2));
  };
  // ringkv's sketch: sized at 1.25 times a shard's keys, so counters and period per key of
  // capacity are 1.25 times the per-key constants of engine/access_tracking.h. A wider sketch
  // holds fewer keys in the same bytes: those runs use Shrunk(cap2, counters per key).
  std::vector<Algo> algos = {
      {"redis-lru", [&] { return std::make_unique<RedisCache>(cap, false, 5); }},
      {"redis-lfu", [&] { return std::make_unique<RedisCache>(cap, true, 5); }},
      {"redis-lru@cap2", [&] { return std::make_unique<RedisCache>(cap2, false, 5); }},
      {"redis-lfu@cap2", [&] { return std::make_unique<RedisCache>(cap2, true, 5); }},
      {"perfect-lfu@cap", [&] { return std::make_unique<PerfectLfu>(cap); }},
      {"perfect-lfu@cap2", [&] { return std::make_unique<PerfectLfu>(cap2); }},
      {"lfu-16-nopool@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 16, 10, false); }},
      {"lfu-16-halving@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 16, 10, true, 10); }},
      {"lfu-16-admission@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 16, 10, true, 0, true); }},
      // The server offers 4 shards x maxmemory-samples (5) keys per round: 20 samples.
      {"lfu-20-admission-C10-P12.5@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 20, 10, true, 0, true, true); }},
      {"lfu-40-admission-C10-P12.5@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 40, 10, true, 0, true, true); }},
      {"lfu-80-admission-C10-P12.5@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, true, 80, 10, true, 0, true, true); }},
      {"lfu-20-sketch-first-C25-P30@cap2",
       [&] {
         return std::make_unique<RedisCache>(Shrunk(cap2, 25), true, 20, 10, true, 0, true, true, 1,
                                             25, 30);
       }},
      {"lfu-20-sketch-ties-C10-P12.5@cap2",
       [&] {
         return std::make_unique<RedisCache>(cap2, true, 20, 10, true, 0, true, true, 2, 10, 12.5);
       }},
      {"lfu-20-sketch-ties-C25-P30@cap2",
       [&] {
         return std::make_unique<RedisCache>(Shrunk(cap2, 25), true, 20, 10, true, 0, true, true, 2,
                                             25, 30);
       }},
      {"lru-20-admission-C10-P12.5@cap2",
       [&] { return std::make_unique<RedisCache>(cap2, false, 20, 10, true, 0, true, true); }},
      {"lru-20-admission-C25-P30@cap2",
       [&] {
         return std::make_unique<RedisCache>(Shrunk(cap2, 25), false, 20, 10, true, 0, true, true,
                                             0, 25, 30);
       }},
  };

  std::printf("%-20s", "algorithm");
  for (auto& w : workloads) std::printf(" %14s", w.name.c_str());
  std::printf("\n");
  // The ceiling: an unbounded cache misses each key once.
  std::printf("%-20s", "ceiling");
  for (auto& w : workloads) {
    std::vector<bool> seen(keys + requests);
    size_t hits = 0;
    const size_t warm = w.seq.size() / 2;
    for (size_t i = 0; i < w.seq.size(); ++i) {
      if (i >= warm) hits += seen[w.seq[i]];
      seen[w.seq[i]] = true;
    }
    std::printf(" %14.4f", static_cast<double>(hits) / (w.seq.size() - warm));
  }
  std::printf("\n");
  const char* only = argc > 5 ? argv[5] : nullptr;
  for (auto& a : algos) {
    if (only != nullptr && a.name.find(only) == std::string::npos) continue;
    std::printf("%-20s", a.name.c_str());
    for (auto& w : workloads) {
      auto c = a.make();
      size_t hits = 0;
      const size_t warm = w.seq.size() / 2;
      for (size_t i = 0; i < w.seq.size(); ++i) {
        const bool hit = c->Access(w.seq[i], i / rate);
        if (i >= warm) hits += hit;
      }
      std::printf(" %14.4f", static_cast<double>(hits) / (w.seq.size() - warm));
    }
    std::printf("\n");
    std::fflush(stdout);
  }
}
