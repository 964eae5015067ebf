// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Point-in-time snapshots (engine/snapshot.h): every type round-trips through the record format
// with its TTLs, the records hold exactly the state at the start while the keyspace changes
// under the walk, and malformed records are refused without storing anything.
#include "engine/snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/types/hash.h"
#include "engine/types/list.h"
#include "engine/types/set.h"
#include "engine/types/zset.h"
#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using SnapshotTest = EngineTest;

// A value in a form that does not depend on encoding or iteration order.
std::string Canon(Engine& e, int db, const std::string& key) {
  std::string out(TypeName(e.Type(db, key)));
  out += " ttl=" + std::to_string(e.ExpireTimeMs(db, key)) + " ";
  std::vector<std::string> items;
  switch (e.Type(db, key)) {
    case ValueType::kString:
      e.Get(db, key, [&](std::string_view v) { items.emplace_back(v); });
      break;
    case ValueType::kHash:
      e.ReadObject(db, key, ValueType::kHash, [&](const Object& o) {
        static_cast<const HashObject&>(o).ForEachWithExpiry(
            [&](std::string_view f, std::string_view v, int64_t at) {
              items.push_back(std::string(f) + "=" + std::string(v) + "@" + std::to_string(at));
            });
      });
      std::sort(items.begin(), items.end());
      break;
    case ValueType::kList:
      e.ReadObject(db, key, ValueType::kList, [&](const Object& o) {
        const auto& l = static_cast<const ListObject&>(o);
        l.Walk(0, l.Size(), false, [&](std::string_view v) { items.emplace_back(v); });
      });
      break;
    case ValueType::kSet:
      e.ReadObject(db, key, ValueType::kSet, [&](const Object& o) {
        static_cast<const SetObject&>(o).ForEach(
            [&](std::string_view m) { items.emplace_back(m); });
      });
      std::sort(items.begin(), items.end());
      break;
    case ValueType::kZSet:
      e.ReadObject(db, key, ValueType::kZSet, [&](const Object& o) {
        static_cast<const ZSetObject&>(o).ForEach([&](const ZEntry& z) {
          items.push_back(std::string(z.member) + ":" + std::to_string(z.score));
        });
      });
      break;
    default:
      break;
  }
  for (const auto& i : items) out += i + "|";
  return out;
}

using State = std::map<std::pair<int, std::string>, std::string>;

State Capture(Engine& e) {
  State s;
  for (int db = 0; db < e.databases(); ++db) {
    e.Keys(db, "*", [&](std::string_view k) { s[{db, std::string(k)}] = ""; });
  }
  for (auto& [k, v] : s) v = Canon(e, k.first, k.second);
  return s;
}

// Writes every record of `reader`, checking the order keys ascend within each shard.
std::vector<SnapshotRecord> Drain(SnapshotReader& reader, size_t chunk = 7) {
  std::vector<SnapshotRecord> all;
  for (size_t sh = 0; sh < reader.shard_count(); ++sh) {
    std::vector<SnapshotRecord> part;
    while (reader.Next(sh, chunk, &part)) {
    }
    for (size_t i = 1; i < part.size(); ++i) {
      EXPECT_LT(part[i - 1].order_key, part[i].order_key) << "shard " << sh;
    }
    for (auto& r : part) all.push_back(std::move(r));
  }
  return all;
}

// A complete snapshot of `engine` as it is now.
std::vector<SnapshotRecord> SnapshotNow(Engine& engine) {
  SnapshotReader reader(engine);
  return Drain(reader);
}

State LoadInto(const std::vector<SnapshotRecord>& records, int64_t now_ms) {
  ManualClock clock(now_ms);
  EngineOptions o;
  o.databases = 4;
  o.shards_per_db = 2;  // a different shard count than the source: loading re-hashes
  Engine target(o, &clock);
  for (const auto& r : records) {
    std::string_view key;
    EXPECT_TRUE(KeyOfOrderKey(r.order_key, &key));
    int db = -1;
    std::string error;
    EXPECT_TRUE(LoadRecord(target, key, r.value, now_ms, &db, &error)) << error;
  }
  return Capture(target);
}

void FillEveryType(Engine& e, int64_t now) {
  SetParams ttl;
  ttl.expire_at_ms = now + 100000;
  e.Set(0, "int", "12345", {});
  e.Set(0, "neg", "-9223372036854775808", {});
  e.Set(0, "emb", "short value", ttl);
  e.Set(0, "raw", std::string(5000, 'r'), {});
  e.Set(0, "empty", "", {});
  e.Set(1, "bin", std::string("a\0b\xff\r\n", 6), {});
  // Hashes: small with a field TTL, small without (a packed record), large (hashtable), and with
  // the key's own TTL.
  e.UpdateObject(0, "h:small", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "f1", "v1");
    HashObject::Set(o, "f2", "v2", FieldTtl::kSet, now + 50000);
  });
  e.UpdateObject(1, "h:packed", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "user_id", "1001");
    HashObject::Set(o, "-7", "");
    HashObject::Set(o, "ua", "Mozilla/5.0 (X11; Linux x86_64)");
    HashObject::Set(o, "seen", "1732880000");
  });
  e.UpdateObject(2, "h:large", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    for (int i = 0; i < 700; ++i) {
      HashObject::Set(o, "field" + std::to_string(i), std::string(static_cast<size_t>(i % 90), 'x'),
                      i % 7 == 0 ? FieldTtl::kSet : FieldTtl::kClear, now + 1000 + i);
    }
  });
  e.Expire(2, "h:large", now + 777777, ExpireCondition::kAlways);
  // Lists: short and long (several nodes).
  e.UpdateObject(0, "l:short", ValueType::kList, [&](std::unique_ptr<Object>& o) {
    auto l = std::make_unique<ListObject>();
    l->Push(ListEnd::kTail, "a");
    l->Push(ListEnd::kTail, "");
    l->Push(ListEnd::kHead, "z");
    o = std::move(l);
  });
  e.UpdateObject(3, "l:long", ValueType::kList, [&](std::unique_ptr<Object>& o) {
    auto l = std::make_unique<ListObject>();
    for (int i = 0; i < 5000; ++i) l->Push(ListEnd::kTail, "element-" + std::to_string(i));
    o = std::move(l);
  });
  // Sets: intset, listpack, hashtable.
  auto make_set = [&](int db, const std::string& key, int n, bool ints) {
    e.UpdateObject(db, key, ValueType::kSet, [&](std::unique_ptr<Object>& o) {
      auto s = std::make_unique<SetObject>();
      for (int i = 0; i < n; ++i)
        s->Add(ints ? std::to_string(i * 3 - 50) : "m" + std::to_string(i));
      o = std::move(s);
    });
  };
  make_set(0, "s:int", 40, true);
  make_set(0, "s:small", 10, false);
  make_set(1, "s:large", 1000, false);
  // Sorted sets: packed and large, with awkward scores.
  auto make_zset = [&](int db, const std::string& key, int n) {
    e.UpdateObject(db, key, ValueType::kZSet, [&](std::unique_ptr<Object>& o) {
      std::vector<std::pair<std::string, double>> v;
      for (int i = 0; i < n; ++i) v.emplace_back("z" + std::to_string(i), i * 0.5 - 3);
      v.emplace_back("inf", std::numeric_limits<double>::infinity());
      v.emplace_back("-inf", -std::numeric_limits<double>::infinity());
      o = ZSetObject::FromEntries(std::move(v));
    });
  };
  make_zset(0, "z:small", 5);
  make_zset(1, "z:large", 400);
}

TEST_F(SnapshotTest, EveryTypeAndTtlRoundTrips) {
  const int64_t now = clock_.NowMs();
  FillEveryType(*engine_, now);
  const State before = Capture(*engine_);
  ASSERT_EQ(before.size(), 16u);
  const std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  EXPECT_EQ(records.size(), before.size());
  EXPECT_EQ(LoadInto(records, now), before);
}

TEST_F(SnapshotTest, EncodingsComeBackAsRedisWouldBuildThem) {
  const int64_t now = clock_.NowMs();
  FillEveryType(*engine_, now);
  const std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  ManualClock clock(now);
  Engine target(SmallOptions(), &clock);
  for (const auto& r : records) {
    std::string_view key;
    ASSERT_TRUE(KeyOfOrderKey(r.order_key, &key));
    int db = -1;
    std::string error;
    ASSERT_TRUE(LoadRecord(target, key, r.value, now, &db, &error)) << error;
  }
  for (int db = 0; db < engine_->databases(); ++db) {
    engine_->Keys(db, "*", [&](std::string_view k) {
      auto a = engine_->GetObjectInfo(db, k);
      auto b = target.GetObjectInfo(db, k);
      ASSERT_TRUE(a.ok() && b.ok()) << k;
      EXPECT_EQ(EncodingName(a->encoding), EncodingName(b->encoding)) << k;
    });
  }
}

TEST_F(SnapshotTest, ExpiredKeysAndFieldsAreLeftOut) {
  const int64_t now = clock_.NowMs();
  SetParams soon;
  soon.expire_at_ms = now + 10;
  engine_->Set(0, "gone", "v", soon);
  engine_->Set(0, "stays", "v", {});
  engine_->UpdateObject(0, "h", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "old", "v", FieldTtl::kSet, now + 10);
    HashObject::Set(o, "new", "v", FieldTtl::kSet, now + 100000);
  });
  engine_->UpdateObject(0, "h2", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "only", "v", FieldTtl::kSet, now + 10);
  });
  clock_.Advance(20);  // "gone" has expired but nothing has touched it
  const std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  // "gone" is not written; the hashes are, and loading drops the expired fields (and h2 whole).
  ASSERT_EQ(records.size(), 3u);
  const State loaded = LoadInto(records, clock_.NowMs());
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded.count({0, "stays"}), 1u);
  EXPECT_EQ(loaded.at({0, "h"}).find("old="), std::string::npos);
  EXPECT_NE(loaded.at({0, "h"}).find("new="), std::string::npos);
}

// The heart of it: the walk runs in small chunks while every kind of change hits keys before
// and after its cursor; the records are exactly the state at the start, and the copies made
// along the way are all released.
TEST_F(SnapshotTest, RecordsHoldThePointInTimeWhileTheKeyspaceChanges) {
  const int64_t now = clock_.NowMs();
  FillEveryType(*engine_, now);
  for (int db = 0; db < 3; ++db) {
    for (int i = 0; i < 1500; ++i)
      engine_->Set(db, "k" + std::to_string(i), "v" + std::to_string(i), {});
  }
  // Raw strings with spare capacity, which APPEND and SETRANGE change in place.
  engine_->Set(2, "raw:append", "abc", {});
  engine_->Append(2, "raw:append", "defghijklmnop");
  engine_->Set(2, "raw:setrange", "abcdefghijklmnop", {});
  engine_->SetRange(2, "raw:setrange", 1, "B");
  const State at_start = Capture(*engine_);
  std::vector<SnapshotRecord> records;
  {
    SnapshotReader reader(*engine_);
    std::vector<std::vector<SnapshotRecord>> parts(reader.shard_count());
    std::vector<bool> done(reader.shard_count(), false);
    size_t round = 0;
    bool any = true;
    while (any) {
      any = false;
      for (size_t sh = 0; sh < reader.shard_count(); ++sh) {
        if (done[sh]) continue;
        if (!reader.Next(sh, 5, &parts[sh])) {
          done[sh] = true;
          continue;
        }
        any = true;
      }
      // Changes of every kind between chunks.
      const int r = static_cast<int>(round++);
      const std::string k = "k" + std::to_string((r * 37) % 1500);
      engine_->Set(0, k, "changed", {});
      engine_->Del(1, "k" + std::to_string((r * 53) % 1500));
      engine_->Set(2, "new" + std::to_string(r), "fresh", {});
      engine_->Expire(0, "k" + std::to_string((r * 11) % 1500), now + 5, ExpireCondition::kAlways);
      engine_->Append(2, "k" + std::to_string((r * 7) % 1500), "+");
      if (r < 8) engine_->Append(2, "raw:append", "+");
      engine_->SetRange(2, "raw:setrange", static_cast<int64_t>(r % 16), "#");
      bool changed = false;
      engine_->SetBit(2, "raw:setrange", static_cast<uint64_t>(r % 128), r % 3 == 0, &changed);
      engine_->IncrBy(0, "int", 1);
      engine_->UpdateObject(2, "h:large", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
        HashObject::Set(o, "field" + std::to_string(r % 700), "rewritten");
      });
      engine_->UpdateObject(3, "l:long", ValueType::kList, [&](std::unique_ptr<Object>& o) {
        std::string out;
        if (o != nullptr) static_cast<ListObject&>(*o).Pop(ListEnd::kHead, &out);
      });
      engine_->Rename(0, "s:small", "s:renamed" + std::to_string(r), false);
      engine_->Rename(0, "s:renamed" + std::to_string(r), "s:small", false);
      if (r == 20) engine_->FlushDb(1, /*async=*/r % 2 == 0);
      if (r == 30) engine_->SwapDb(0, 3);
      if (r == 40) engine_->SwapDb(0, 3);
    }
    for (auto& p : parts) {
      for (size_t i = 1; i < p.size(); ++i) EXPECT_LT(p[i - 1].order_key, p[i].order_key);
      for (auto& rec : p) records.push_back(std::move(rec));
    }
    EXPECT_EQ(reader.SavedBytes(), 0u);
  }
  EXPECT_EQ(LoadInto(records, now), at_start);
  // The live data did change.
  EXPECT_NE(Capture(*engine_), at_start);
}

// rdb_changes_since_last_save: every write counts once, and a snapshot itself counts none.
TEST_F(SnapshotTest, ChangesCountWritesButNotSnapshots) {
  engine_->Set(0, "a", "1", {});
  const uint64_t c0 = engine_->Changes();
  SnapshotNow(*engine_);
  EXPECT_EQ(engine_->Changes(), c0);
  engine_->Set(0, "a", "2", {});
  engine_->Del(0, "a");
  EXPECT_EQ(engine_->Changes(), c0 + 2);
  // Changes in place in a raw string's spare capacity count too.
  engine_->Set(0, "r", "abc", {});
  engine_->Append(0, "r", "def");  // now raw, with room to spare
  const uint64_t c1 = engine_->Changes();
  engine_->Append(0, "r", "g");
  engine_->SetRange(0, "r", 0, "A");
  EXPECT_EQ(engine_->Changes(), c1 + 2);
  bool changed = false;
  engine_->SetBit(0, "r", 0, false, &changed);  // 'A' = 0x41: bit 0 already clear
  EXPECT_FALSE(changed);
  EXPECT_EQ(engine_->Changes(), c1 + 2);
  engine_->SetBit(0, "r", 1, false, &changed);  // in place
  EXPECT_TRUE(changed);
  EXPECT_EQ(engine_->Changes(), c1 + 3);
}

TEST_F(SnapshotTest, MalformedRecordsAreRefusedAndStoreNothing) {
  const int64_t now = clock_.NowMs();
  FillEveryType(*engine_, now);
  const std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  ManualClock clock(now);
  Engine target(SmallOptions(), &clock);
  for (const auto& r : records) {
    std::string_view key;
    ASSERT_TRUE(KeyOfOrderKey(r.order_key, &key));
    // Every truncation fails (a prefix is never a valid record).
    for (size_t cut = 0; cut < r.value.size(); cut += std::max<size_t>(1, r.value.size() / 97)) {
      int db = -1;
      std::string error;
      EXPECT_FALSE(
          LoadRecord(target, key, std::string_view(r.value).substr(0, cut), now, &db, &error))
          << key << " cut at " << cut;
      EXPECT_FALSE(error.empty());
    }
    // Trailing garbage fails too.
    int db = -1;
    std::string error;
    EXPECT_FALSE(LoadRecord(target, key, r.value + "x", now, &db, &error)) << key;
  }
  for (int db = 0; db < target.databases(); ++db) EXPECT_EQ(target.DbSize(db), 0u);
  std::string bad = records.front().value;
  int db = -1;
  std::string error;
  bad[0] = 9;
  EXPECT_FALSE(LoadRecord(target, "k", bad, now, &db, &error));
  EXPECT_NE(error.find("version"), std::string::npos);
  bad = records.front().value;
  bad[1] = 100;  // database 100 of 4
  EXPECT_FALSE(LoadRecord(target, "k", bad, now, &db, &error));
  EXPECT_NE(error.find("out of range"), std::string::npos);
  bad = records.front().value;
  bad[2] = 12;  // no such type
  EXPECT_FALSE(LoadRecord(target, "k", bad, now, &db, &error));
  EXPECT_NE(error.find("type"), std::string::npos);
  std::string_view short_key;
  EXPECT_FALSE(KeyOfOrderKey("short", &short_key));
}

// Loading in batches (RecordLoader, what start-up uses) stores what LoadRecord one by one does:
// records of every type across databases and shards, a batch size that splits runs of one shard,
// a key loaded twice (the later record wins, the earlier entry is freed), and entries still
// pending when the loader is destroyed.
TEST_F(SnapshotTest, RecordLoaderStoresWhatLoadRecordStores) {
  const int64_t now = clock_.NowMs();
  FillEveryType(*engine_, now);
  for (int i = 0; i < 500; ++i) {
    engine_->Set(i % 4, "k" + std::to_string(i), "v" + std::to_string(i), {});
  }
  const State before = Capture(*engine_);
  std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  const size_t distinct = records.size();
  // Load "k7" twice: first with another value, then its real record.
  std::string_view k7;
  for (const auto& r : records) {
    std::string_view key;
    ASSERT_TRUE(KeyOfOrderKey(r.order_key, &key));
    if (key == "k7") {
      SnapshotRecord other = r;
      Engine scratch(SmallOptions(), &clock_);
      scratch.Set(3, "k7", "earlier", {});
      other.value.clear();
      ASSERT_TRUE(scratch.DumpRecord(3, "k7", &other.value));
      other.value[1] = 3;  // DumpRecord zeroes the database field
      records.insert(records.begin(), other);
      break;
    }
  }
  ASSERT_EQ(records.size(), distinct + 1);
  for (size_t batch : {1u, 7u, 256u}) {
    SCOPED_TRACE(testing::Message() << "batch " << batch);
    ManualClock clock(now);
    EngineOptions o;
    o.databases = 4;
    o.shards_per_db = 4;
    Engine target(o, &clock);
    {
      RecordLoader loader(target, now, batch);
      for (const auto& r : records) {
        std::string_view key;
        ASSERT_TRUE(KeyOfOrderKey(r.order_key, &key));
        int db = -1;
        std::string error;
        ASSERT_TRUE(loader.Add(key, r.value, &db, &error)) << error;
        EXPECT_GE(db, 0);
      }
      // A malformed record is refused and keeps nothing; what came before it stays.
      int db = -1;
      std::string error;
      EXPECT_FALSE(loader.Add("bad", records.back().value + "x", &db, &error));
      EXPECT_FALSE(error.empty());
    }  // the destructor stores what is still pending
    EXPECT_EQ(Capture(target), before);
    EXPECT_EQ(target.DbSize(3), engine_->DbSize(3));
  }
}

TEST_F(SnapshotTest, AHashRecordWithARepeatedFieldIsMalformed) {
  const int64_t now = clock_.NowMs();
  engine_->UpdateObject(0, "h", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "aa", "1");
    HashObject::Set(o, "ab", "2");
  });
  std::vector<SnapshotRecord> records = SnapshotNow(*engine_);
  ASSERT_EQ(records.size(), 1u);
  std::string bad = records[0].value;
  const size_t at = bad.find("ab");
  ASSERT_NE(at, std::string::npos);
  bad[at + 1] = 'a';  // the second field now repeats the first
  ManualClock clock(now);
  Engine target(SmallOptions(), &clock);
  int db = -1;
  std::string error;
  EXPECT_FALSE(LoadRecord(target, "h", bad, now, &db, &error));
  EXPECT_NE(error.find("malformed hash"), std::string::npos) << error;
  EXPECT_EQ(target.DbSize(0), 0u);
  EXPECT_TRUE(LoadRecord(target, "h", records[0].value, now, &db, &error)) << error;
  EXPECT_EQ(target.DbSize(0), 1u);
}

// A small hash without field expiries is written packed (form 1), one with an expiry as fields
// (form 0); records of format version 1 (no form byte) still load, as RESTORE of an older
// DUMP and snapshots written before version 2 need.
TEST_F(SnapshotTest, HashRecordFormsAndVersionOneRecordsLoad) {
  const int64_t now = clock_.NowMs();
  engine_->UpdateObject(0, "packed", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "a", "1");
    HashObject::Set(o, "b", "xy");
  });
  engine_->UpdateObject(0, "fields", ValueType::kHash, [&](std::unique_ptr<Object>& o) {
    o = HashObject::New();
    HashObject::Set(o, "a", "1", FieldTtl::kSet, now + 5000);
  });
  std::string packed, fields;
  ASSERT_TRUE(engine_->DumpRecord(0, "packed", &packed));
  ASSERT_TRUE(engine_->DumpRecord(0, "fields", &fields));
  // version, db, type, encoding, expiry, then the form byte.
  EXPECT_EQ(packed.substr(0, 6), std::string("\x02\x00\x04\x03\x00\x01", 6));
  EXPECT_EQ(packed.substr(6), std::string("\x02\x08\x01"
                                          "a\x81\x01"
                                          "b\x02xy",
                                          10));
  EXPECT_EQ(fields.substr(0, 6), std::string("\x02\x00\x04\x03\x00\x00", 6));
  const std::string v1(
      "\x01\x00\x04\x03\x00\x02\x01"
      "a\x01"
      "1\x00\x01"
      "b\x02xy\x00",
      17);
  ManualClock clock(now);
  Engine target(SmallOptions(), &clock);
  int db = -1;
  std::string error;
  for (const auto& [key, record] :
       {std::pair<std::string, std::string>{"v1", v1}, {"packed", packed}, {"fields", fields}}) {
    EXPECT_TRUE(LoadRecord(target, key, record, now, &db, &error)) << key << ": " << error;
  }
  State want = Capture(*engine_);
  ASSERT_EQ(want.size(), 2u);
  want[{0, "v1"}] = want.at({0, "packed"});  // the version-1 record holds the same hash
  EXPECT_EQ(Capture(target), want);
  // An unknown form, and a version this build does not know.
  std::string bad = packed;
  bad[5] = 2;
  EXPECT_FALSE(LoadRecord(target, "bad", bad, now, &db, &error));
  EXPECT_NE(error.find("malformed hash"), std::string::npos) << error;
  bad = packed;
  bad[0] = kRecordFormatVersion + 1;
  EXPECT_FALSE(LoadRecord(target, "bad", bad, now, &db, &error));
  EXPECT_NE(error.find("version"), std::string::npos) << error;
  bad[0] = 0;
  EXPECT_FALSE(LoadRecord(target, "bad", bad, now, &db, &error));
  EXPECT_NE(error.find("version"), std::string::npos) << error;
}

TEST_F(SnapshotTest, EmptyEngineHasNoRecords) {
  SnapshotReader reader(*engine_);
  EXPECT_TRUE(Drain(reader).empty());
}

}  // namespace
}  // namespace ringkv::engine
