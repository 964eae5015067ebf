// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Table tests: growth, shrink, fingerprint collisions, random insert/erase mixes against a
// std::unordered_map model, and the SCAN guarantee while the table grows and shrinks.
#include "engine/table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace ringkv::engine {
namespace {

// Owns the entries a test puts in a table.
class TableFixture : public ::testing::Test {
 protected:
  ~TableFixture() override {
    table_->ForEach([](Entry* e) { Entry::Free(e); });
  }
  void Use(Table::HashFn fn, int shift = 0) { table_ = std::make_unique<Table>(shift, fn); }
  bool Insert(const std::string& k) {
    uint64_t h = hash_(k);
    if (table_->Find(h, k) != nullptr) return false;
    table_->Insert(h, Entry::NewString(k, "v:" + k, 0));
    return true;
  }
  bool Erase(const std::string& k) {
    Entry* e = table_->Erase(hash_(k), k);
    if (e == nullptr) return false;
    Entry::Free(e);
    return true;
  }
  bool Has(const std::string& k) { return table_->Find(hash_(k), k) != nullptr; }
  std::vector<std::string> FullScan() {
    std::vector<std::string> out;
    uint64_t c = 0;
    do {
      c = table_->Scan(c, [&](Entry* e) { out.emplace_back(e->key()); });
    } while (c != 0);
    return out;
  }

  Table::HashFn hash_ = &HashKey;
  std::unique_ptr<Table> table_ = std::make_unique<Table>();
};

uint64_t ConstantHash(std::string_view) { return 0x1234; }
// Only 4 distinct hashes: every key collides in fingerprint and home with a quarter of the rest.
uint64_t FourHashes(std::string_view k) { return HashKey(k) & 0xC000000000000003ULL; }

TEST_F(TableFixture, EmptyTableFindsNothingAndHoldsNoMemory) {
  EXPECT_EQ(table_->size(), 0u);
  EXPECT_EQ(table_->bytes(), 0u);
  EXPECT_FALSE(Has("x"));
  EXPECT_FALSE(Erase("x"));
  EXPECT_EQ(FullScan().size(), 0u);
}

TEST_F(TableFixture, GrowsIncrementallyAndFindsEverything) {
  constexpr int kN = 200000;
  bool saw_rehash = false;
  for (int i = 0; i < kN; ++i) {
    ASSERT_TRUE(Insert("key:" + std::to_string(i)));
    saw_rehash |= table_->rehashing();
    if (i % 9973 == 0) {
      for (int j = 0; j <= i; j += 97)
        ASSERT_TRUE(Has("key:" + std::to_string(j))) << i << " " << j;
    }
  }
  EXPECT_TRUE(saw_rehash);
  EXPECT_EQ(table_->size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) ASSERT_TRUE(Has("key:" + std::to_string(i)));
  EXPECT_FALSE(Has("key:-1"));
  while (table_->RehashStep()) {
  }
  // Load factor after growth stays between the target (0.6) and the maximum (7/8).
  double load = static_cast<double>(table_->size()) / static_cast<double>(table_->capacity());
  EXPECT_GT(load, 0.5);
  EXPECT_LE(load, 0.875);
}

// Snapshot loading inserts keys in position order. A reserved table takes them without growing
// and with short probes: the most keys one insertion moved stays 0 and every key is found.
TEST_F(TableFixture, ReserveTakesKeysInPositionOrderWithoutGrowing) {
  constexpr int kN = 50000;
  std::vector<std::pair<uint64_t, std::string>> keys;
  for (int i = 0; i < kN; ++i) {
    std::string k = "key:" + std::to_string(i);
    keys.emplace_back(HashKey(k), k);
  }
  std::sort(keys.begin(), keys.end());
  table_->Reserve(kN);
  const size_t capacity = table_->capacity();
  EXPECT_GE(capacity, static_cast<size_t>(kN) * Table::kTargetLoadDen / Table::kTargetLoadNum);
  for (const auto& [h, k] : keys) table_->Insert(h, Entry::NewString(k, "v", 0));
  EXPECT_FALSE(table_->rehashing());
  EXPECT_EQ(table_->capacity(), capacity);
  EXPECT_EQ(table_->max_keys_moved_per_op(), 0u);
  for (const auto& [h, k] : keys) ASSERT_TRUE(Has(k));
  // A table that holds keys is left alone.
  table_->Reserve(10 * kN);
  EXPECT_EQ(table_->capacity(), capacity);
}

TEST_F(TableFixture, ShrinksAfterMassDeletion) {
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(Insert(std::to_string(i)));
  while (table_->RehashStep()) {
  }
  size_t big = table_->capacity();
  for (int i = 0; i < 99000; ++i) ASSERT_TRUE(Erase(std::to_string(i)));
  while (table_->RehashStep()) {
  }
  EXPECT_LT(table_->capacity(), big / 10);
  for (int i = 99000; i < 100000; ++i) ASSERT_TRUE(Has(std::to_string(i)));
  for (int i = 99000; i < 100000; ++i) ASSERT_TRUE(Erase(std::to_string(i)));
  EXPECT_EQ(table_->size(), 0u);
  EXPECT_EQ(table_->bytes(), 0u);  // an empty table releases its arrays
}

TEST_F(TableFixture, FingerprintCollisionsAreResolvedByKey) {
  hash_ = &ConstantHash;
  Use(hash_);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(Insert("c" + std::to_string(i)));
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(Has("c" + std::to_string(i)));
  EXPECT_FALSE(Has("c500"));
  for (int i = 0; i < 500; i += 2) ASSERT_TRUE(Erase("c" + std::to_string(i)));
  for (int i = 0; i < 500; ++i) EXPECT_EQ(Has("c" + std::to_string(i)), i % 2 == 1);
  EXPECT_EQ(FullScan().size(), 250u);
}

// Random operations against a model, with a weak hash so probe chains are long and tombstones
// pile up, across many grow/shrink cycles.

class TableModelTest : public TableFixture, public ::testing::WithParamInterface<int> {
 public:
  void Run(Table::HashFn fn, uint32_t seed, int ops, int keyspace) {
    hash_ = fn;
    Use(fn);
    std::mt19937 rng(seed);
    std::unordered_map<std::string, bool> model;
    for (int i = 0; i < ops; ++i) {
      // Phases of insert-heavy and erase-heavy work force growth and shrink repeatedly.
      bool insert_phase = (i / (ops / 8)) % 2 == 0;
      std::string k = "k" + std::to_string(rng() % static_cast<uint32_t>(keyspace));
      uint32_t dice = rng() % 100;
      if (dice < (insert_phase ? 70u : 20u)) {
        ASSERT_EQ(Insert(k), model.emplace(k, true).second) << i;
      } else if (dice < 90) {
        ASSERT_EQ(Erase(k), model.erase(k) == 1) << i;
      } else {
        ASSERT_EQ(Has(k), model.count(k) == 1) << i;
      }
      ASSERT_EQ(table_->size(), model.size());
    }
    std::vector<std::string> all = FullScan();
    std::set<std::string> seen(all.begin(), all.end());
    ASSERT_EQ(seen.size(), all.size()) << "a scan without concurrent changes has no duplicates";
    ASSERT_EQ(seen.size(), model.size());
    for (const auto& [k, v] : model) ASSERT_TRUE(seen.count(k)) << k;
  }
};

TEST_P(TableModelTest, MatchesUnorderedMapWithXxh3) { Run(&HashKey, GetParam(), 60000, 5000); }
TEST_P(TableModelTest, MatchesUnorderedMapWithCollidingHash) {
  Run(&FourHashes, GetParam(), 6000, 400);
}
TEST_P(TableModelTest, MatchesUnorderedMapWithShardShift) {
  hash_ = &HashKey;
  Use(&HashKey, 4);
  std::mt19937 rng(GetParam());
  std::unordered_map<std::string, bool> model;
  for (int i = 0; i < 30000; ++i) {
    std::string k = std::to_string(rng() % 3000);
    if (rng() % 2) {
      ASSERT_EQ(Insert(k), model.emplace(k, true).second);
    } else {
      ASSERT_EQ(Erase(k), model.erase(k) == 1);
    }
  }
  ASSERT_EQ(FullScan().size(), model.size());
}
INSTANTIATE_TEST_SUITE_P(Seeds, TableModelTest, ::testing::Values(1, 2, 3));

// SCAN guarantee: a key present for the whole scan is returned, even when the table grows or
// shrinks (and rehashes incrementally) between scan calls; nothing is returned that never
// existed.
class TableScanTest : public TableFixture, public ::testing::WithParamInterface<int> {};

TEST_P(TableScanTest, KeysPresentThroughoutAreReturnedWhileResizing) {
  std::mt19937 rng(GetParam());
  std::set<std::string> ever;
  for (int i = 0; i < 3000; ++i) {
    std::string k = "stable" + std::to_string(i);
    Insert(k);
    ever.insert(k);
  }
  std::set<std::string> stable = ever;
  std::set<std::string> returned;
  uint64_t cursor = 0;
  int step = 0;
  bool grew = false;
  bool shrank = false;
  do {
    cursor = table_->Scan(cursor, [&](Entry* e) { returned.emplace(e->key()); });
    ++step;
    // Grow hard for a while, then delete most transient keys so the table shrinks.
    int phase = (step / 40) % 2;
    size_t before = table_->capacity();
    for (int j = 0; j < 200; ++j) {
      std::string k = "t" + std::to_string(rng() % 100000);
      if (phase == 0) {
        if (Insert(k)) ever.insert(k);
      } else {
        Erase(k);
      }
    }
    if (phase == 1) {
      for (int j = 0; j < 2000; ++j) Erase("t" + std::to_string(rng() % 100000));
    }
    grew |= table_->capacity() > before;
    shrank |= table_->capacity() < before;
  } while (cursor != 0 && step < 100000);
  ASSERT_EQ(cursor, 0u);
  EXPECT_TRUE(grew);
  EXPECT_TRUE(shrank);
  for (const std::string& k : stable) ASSERT_TRUE(returned.count(k)) << k;
  for (const std::string& k : returned) ASSERT_TRUE(ever.count(k)) << k;
}
INSTANTIATE_TEST_SUITE_P(Seeds, TableScanTest, ::testing::Values(7, 8, 9, 10));

TEST_F(TableFixture, SlotLruTagSurvivesRehashAndPointerUpdates) {
  for (int i = 0; i < 50000; ++i) {
    std::string k = std::to_string(i);
    table_->Insert(HashKey(k), Entry::NewString(k, "v", 0), static_cast<uint16_t>(i * 7));
  }
  while (table_->RehashStep()) {
  }
  for (int i = 0; i < 50000; i += 101) {
    std::string k = std::to_string(i);
    Slot* s = table_->Find(HashKey(k), k);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->lru(), static_cast<uint16_t>(i * 7));
    EXPECT_EQ(s->entry()->key(), k);
    Entry* n = Entry::ReplaceString(s->entry(), std::string(100, 'x'));
    s->set_entry(n);
    EXPECT_EQ(s->lru(), static_cast<uint16_t>(i * 7));
    s->set_lru(65535);
    EXPECT_EQ(s->entry(), n);
  }
}

TEST_F(TableFixture, RandomReturnsOnlyPresentEntries) {
  for (int i = 0; i < 100; ++i) Insert(std::to_string(i));
  std::set<std::string> seen;
  for (uint64_t r = 0; r < 2000; ++r) {
    Entry* e = table_->Random(r * 0x9E3779B97F4A7C15ULL);
    ASSERT_NE(e, nullptr);
    seen.emplace(e->key());
  }
  EXPECT_GT(seen.size(), 50u);
}

TEST_F(TableFixture, WorstInsertMovesABoundedNumberOfKeysWhileGrowing) {
  // Growing to 1M keys: no single insert moves more than 2 groups (32 keys), and the table is
  // rehashing during many inserts instead of stopping once for all.
  int rehashing_inserts = 0;
  for (int i = 0; i < 1000000; ++i) {
    Insert(std::to_string(i));
    rehashing_inserts += table_->rehashing() ? 1 : 0;
  }
  EXPECT_LE(table_->max_keys_moved_per_op(), 2 * Table::kGroupSize);
  EXPECT_GT(table_->max_keys_moved_per_op(), 0u);
  EXPECT_GT(rehashing_inserts, 10000);
}

TEST_F(TableFixture, MassDeletionShrinksWithBoundedWorkPerErase) {
  for (int i = 0; i < 200000; ++i) Insert(std::to_string(i));
  while (table_->RehashStep()) {
  }
  for (int i = 0; i < 200000; ++i) ASSERT_TRUE(Erase(std::to_string(i)));
  // A shrink migrates at most a few groups per erase; the bound scales with the ratio of old
  // to new size, which the 1/8 trigger keeps small.
  EXPECT_LE(table_->max_keys_moved_per_op(), 8 * Table::kGroupSize);
  EXPECT_EQ(table_->bytes(), 0u);
}

}  // namespace
}  // namespace ringkv::engine
