// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The RocksDB snapshot store (server/persistence/snapshot_store.h) below the server: both table
// layouts (one record per entry, and groups of records) write and load the same keyspace, group
// sizes that split shards anywhere included, and a malformed group is refused.
#include "server/persistence/snapshot_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/snapshot.h"
#include "engine/types/hash.h"

namespace ringkv::server::persistence {
namespace {

engine::EngineOptions Options(int shards_per_db) {
  engine::EngineOptions o;
  o.databases = 3;
  o.shards_per_db = shards_per_db;
  return o;
}

// Every key of every database with its DUMP record (type, encoding-independent payload).
std::map<std::pair<int, std::string>, std::string> Contents(engine::Engine& e) {
  std::map<std::pair<int, std::string>, std::string> out;
  for (int db = 0; db < e.databases(); ++db) {
    std::vector<std::string> keys;
    e.Keys(db, "*", [&](std::string_view k) { keys.emplace_back(k); });
    for (const std::string& k : keys) {
      std::string record;
      EXPECT_TRUE(e.DumpRecord(db, k, &record)) << k;
      out[{db, k}] = record;
    }
  }
  return out;
}

class SnapshotStoreTest : public ::testing::Test {
 protected:
  SnapshotStoreTest() : source_(Options(4), &clock_) {
    char tmpl[] = "/tmp/ringkv-store-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    for (int i = 0; i < 3000; ++i) {
      source_.Set(i % 3, "key:" + std::to_string(i), std::string(static_cast<size_t>(i % 300), 'v'),
                  {});
    }
    for (int i = 0; i < 50; ++i) {
      source_.UpdateObject(1, "hash:" + std::to_string(i), engine::ValueType::kHash,
                           [&](std::unique_ptr<engine::Object>& o) {
                             o = engine::HashObject::New();
                             for (int f = 0; f < 10 + i; ++f) {
                               engine::HashObject::Set(o, "f" + std::to_string(f), "value");
                             }
                           });
    }
  }
  ~SnapshotStoreTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes source_ with `group_bytes` under its own root and loads it into a fresh engine with
  // another shard count.
  std::map<std::pair<int, std::string>, std::string> RoundTrip(size_t group_bytes) {
    StoreOptions o;
    o.dir = dir_;
    o.name = "g" + std::to_string(group_bytes);
    o.group_bytes = group_bytes;
    std::atomic<uint64_t> written{0};
    {
      engine::SnapshotReader reader(source_);
      absl::StatusOr<WriteResult> w = WriteSnapshot(reader, o, &written);
      EXPECT_TRUE(w.ok()) << w.status();
      if (!w.ok()) return {};
      EXPECT_EQ(w->keys, 3050u);
    }
    engine::Engine target(Options(2), &clock_);
    std::atomic<uint64_t> loaded{0};
    std::atomic<uint64_t> total{0};
    absl::StatusOr<LoadResult> r = LoadSnapshot(target, o, &loaded, &total);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    EXPECT_TRUE(r->found);
    EXPECT_EQ(r->records, 3050u);
    EXPECT_EQ(loaded.load(), 3050u);
    EXPECT_EQ(total.load(), 3050u);
    return Contents(target);
  }

  engine::ManualClock clock_;
  engine::Engine source_;
  std::string dir_;
};

TEST_F(SnapshotStoreTest, BothLayoutsAndAnyGroupSizeLoadTheSameKeyspace) {
  const auto want = Contents(source_);
  ASSERT_EQ(want.size(), 3050u);
  EXPECT_EQ(RoundTrip(0), want);         // layout 1: one record per table entry
  EXPECT_EQ(RoundTrip(1), want);         // a group per record
  EXPECT_EQ(RoundTrip(1000), want);      // groups of a few records, split anywhere in a shard
  EXPECT_EQ(RoundTrip(32 << 10), want);  // the default
  EXPECT_EQ(RoundTrip(64 << 20), want);  // one group per shard
}

TEST(SnapshotGroupTest, RecordsComeBackInOrderAndAMalformedGroupIsRefused) {
  std::string group;
  const std::vector<std::pair<std::string, std::string>> records = {
      {"a", "record one"}, {"", std::string(300, 'x')}, {std::string(200, 'k'), ""}};
  for (const auto& [k, r] : records) AppendToGroup(k, r, &group);
  std::vector<std::pair<std::string, std::string>> got;
  EXPECT_TRUE(ForEachInGroup(group, [&](std::string_view k, std::string_view r) {
    got.emplace_back(k, r);
    return true;
  }));
  EXPECT_EQ(got, records);
  // A truncation inside a record is refused (a length points past the end), as is an empty
  // group; one between records is a shorter group, which the store's count check (records
  // against the metadata) catches, after RocksDB's block checksums.
  std::vector<size_t> boundaries;
  {
    std::string prefix;
    for (const auto& [k, r] : records) {
      AppendToGroup(k, r, &prefix);
      boundaries.push_back(prefix.size());
    }
  }
  for (size_t cut = 0; cut < group.size(); ++cut) {
    size_t seen = 0;
    const bool ok = ForEachInGroup(std::string_view(group).substr(0, cut), [&](auto, auto) {
      ++seen;
      return true;
    });
    const bool boundary = std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
    EXPECT_EQ(ok, boundary) << cut;
    EXPECT_LT(seen, records.size()) << cut;
  }
  // A length varint that never ends.
  EXPECT_FALSE(ForEachInGroup(std::string(12, '\xff'), [](auto, auto) { return true; }));
  // The callback's refusal stops the walk.
  size_t calls = 0;
  EXPECT_FALSE(ForEachInGroup(group, [&](auto, auto) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2u);
}

}  // namespace
}  // namespace ringkv::server::persistence
