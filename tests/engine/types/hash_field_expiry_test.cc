// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Active expiry of hash fields (Redis 7.4's HEXPIRE family) through Engine::ActiveExpireCycle,
// on a ManualClock: fields go on time and never early, a hash whose last field expired goes with
// its key (DBSIZE and the memory counter return to their baseline), each expiry is reported to
// the fields-expired hook, the cycle respects its budget, and the shard's field-expiry index
// stays exact through HDEL, HPERSIST, HSET, DEL, RENAME, COPY, MOVE, SWAPDB, FLUSHDB, SET over
// the hash and the key's own expiry. Nothing here reads through the hash commands' lazy path:
// only the cycle removes fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/types/hash.h"

namespace ringkv::engine {
namespace {

struct Report {
  int db;
  std::string key;
  bool deleted;
  bool operator==(const Report&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Report& r) {
  return os << "{" << r.db << ", " << r.key << ", " << (r.deleted ? "deleted" : "kept") << "}";
}

class HashFieldExpiryTest : public ::testing::Test {
 protected:
  HashFieldExpiryTest() : engine_(Options(), &clock_) {
    engine_.SetFieldsExpiredHook(
        [](void* self, int db, std::string_view key, bool deleted) {
          static_cast<HashFieldExpiryTest*>(self)->fields_.push_back(
              {db, std::string(key), deleted});
        },
        this);
    engine_.SetExpiredHook(
        [](void* self, int db, std::string_view key) {
          static_cast<HashFieldExpiryTest*>(self)->keys_.push_back({db, std::string(key), true});
        },
        this);
  }

  static EngineOptions Options() {
    EngineOptions o;
    o.databases = 2;
    o.shards_per_db = 4;
    return o;
  }

  int64_t Now() const { return clock_.NowMs(); }

  void HSet(std::string_view key, std::string_view field, std::string_view value, int db = 0) {
    ASSERT_EQ(engine_.UpdateObject(db, key, ValueType::kHash,
                                   [&](std::unique_ptr<Object>& o) {
                                     if (o == nullptr) o = HashObject::New();
                                     HashObject::Set(o, field, value);
                                   }),
              OpStatus::kOk);
  }
  FieldExpireResult HExpireAt(std::string_view key, std::string_view field, int64_t at_ms,
                              int db = 0) {
    FieldExpireResult r = FieldExpireResult::kNoField;
    EXPECT_EQ(engine_.UpdateObject(db, key, ValueType::kHash,
                                   [&](std::unique_ptr<Object>& o) {
                                     if (o == nullptr) return;
                                     r = HashObject::SetFieldExpiry(
                                         o, field, at_ms, FieldExpireCondition::kAlways, Now());
                                   }),
              OpStatus::kOk);
    return r;
  }
  void DeleteField(std::string_view key, std::string_view field) {
    ASSERT_EQ(engine_.UpdateObject(0, key, ValueType::kHash,
                                   [&](std::unique_ptr<Object>& o) {
                                     ASSERT_NE(o, nullptr);
                                     EXPECT_TRUE(HashObject::Delete(o, field));
                                   }),
              OpStatus::kOk);
  }
  void Modify(std::string_view key, absl::FunctionRef<void(HashObject&)> fn, int db = 0) {
    ASSERT_EQ(engine_.UpdateObject(db, key, ValueType::kHash,
                                   [&](std::unique_ptr<Object>& o) {
                                     ASSERT_NE(o, nullptr);
                                     fn(static_cast<HashObject&>(*o));
                                   }),
              OpStatus::kOk);
  }
  // HLEN without the lazy path: expired fields not yet removed still count. -1: no key.
  int64_t Len(std::string_view key, int db = 0) {
    int64_t n = -1;
    engine_.ReadObject(db, key, ValueType::kHash,
                       [&](const Object& o) { n = static_cast<int64_t>(o.Size()); });
    return n;
  }
  bool HasField(std::string_view key, std::string_view field, int db = 0) {
    bool has = false;
    engine_.ReadObject(db, key, ValueType::kHash, [&](const Object& o) {
      has = static_cast<const HashObject&>(o).Exists(field);
    });
    return has;
  }
  size_t Indexed() { return engine_.Stats().field_expiry_keys; }
  ExpireCycleResult Cycle() {
    ExpireCycleOptions opt;
    opt.time_budget_us = 0;
    return engine_.ActiveExpireCycle(opt);
  }

  ManualClock clock_;
  Engine engine_;
  std::vector<Report> fields_;  // fields-expired hook calls
  std::vector<Report> keys_;    // expired hook calls (whole keys)
};

TEST_F(HashFieldExpiryTest, FieldExpiresThroughTheCycleNeverEarly) {
  HSet("h", "a", "1");
  HSet("h", "b", "2");
  const int64_t at = Now() + 100;
  ASSERT_EQ(HExpireAt("h", "a", at), FieldExpireResult::kSet);
  EXPECT_EQ(Indexed(), 1u);
  clock_.Set(at);  // Redis: expired only once now > its expiry
  EXPECT_EQ(Cycle().expired_fields, 0u);
  EXPECT_TRUE(HasField("h", "a"));
  EXPECT_TRUE(fields_.empty());
  clock_.Set(at + 1);
  EXPECT_EQ(Cycle().expired_fields, 1u);
  EXPECT_FALSE(HasField("h", "a"));
  EXPECT_TRUE(HasField("h", "b"));
  EXPECT_EQ(Len("h"), 1);
  EXPECT_EQ(engine_.DbSize(0), 1u);
  EXPECT_EQ(Indexed(), 0u);  // b has no expiry: nothing left to watch
  EXPECT_EQ(fields_, (std::vector<Report>{{0, "h", false}}));
  EXPECT_EQ(engine_.Stats().totals.expired_fields, 1u);
  EXPECT_EQ(Cycle().expired_fields, 0u);
  EXPECT_EQ(fields_.size(), 1u);
}

TEST_F(HashFieldExpiryTest, HashGoesWithItsLastFieldAndMemoryReturnsToBaseline) {
  const size_t base = engine_.UsedMemory();
  HSet("h", "a", "1");
  HSet("h", "b", "2");
  HExpireAt("h", "a", Now() + 50);
  HExpireAt("h", "b", Now() + 80);
  EXPECT_GT(engine_.UsedMemory(), base);
  clock_.Advance(60);
  EXPECT_EQ(Cycle().expired_fields, 1u);
  EXPECT_EQ(Len("h"), 1);
  EXPECT_EQ(Indexed(), 1u);  // re-filed under b's expiry
  clock_.Advance(30);
  EXPECT_EQ(Cycle().expired_fields, 1u);
  EXPECT_FALSE(engine_.Exists(0, "h"));
  EXPECT_EQ(engine_.DbSize(0), 0u);
  EXPECT_EQ(Indexed(), 0u);
  EXPECT_EQ(engine_.UsedMemory(), base);
  EXPECT_EQ(fields_, (std::vector<Report>{{0, "h", false}, {0, "h", true}}));
  EXPECT_TRUE(keys_.empty());  // the key had no TTL of its own: no "expired"
}

TEST_F(HashFieldExpiryTest, LargeHashIsWorkedThroughWithinTheBudget) {
  const size_t base = engine_.UsedMemory();
  const int64_t t0 = Now();
  for (int i = 0; i < 3000; ++i) HSet("big", "f" + std::to_string(i), "v");
  ASSERT_EQ(engine_.GetObjectInfo(0, "big")->encoding, Encoding::kHashtable);
  // Fields 0..1999 expire at t0+10+i/100; 2000..2999 never.
  for (int i = 0; i < 2000; ++i) HExpireAt("big", "f" + std::to_string(i), t0 + 10 + i / 100);
  clock_.Set(t0 + 10 + 10);  // fields 0..999 are due (expiry < now)
  ExpireCycleOptions opt;
  opt.time_budget_us = 0;
  opt.max_fields = 300;
  ExpireCycleResult r = engine_.ActiveExpireCycle(opt);
  EXPECT_EQ(r.expired_fields, 300u);
  EXPECT_TRUE(r.budget_exhausted);
  EXPECT_EQ(Len("big"), 2700);
  size_t total = 300;
  for (int i = 0; i < 20 && total < 1000; ++i) {
    total += engine_.ActiveExpireCycle(opt).expired_fields;
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(Len("big"), 2000);
  EXPECT_TRUE(HasField("big", "f1000"));  // due at now exactly: not yet
  EXPECT_FALSE(HasField("big", "f999"));
  clock_.Set(t0 + 100);
  EXPECT_EQ(Cycle().expired_fields, 1000u);
  EXPECT_EQ(Len("big"), 1000);
  EXPECT_EQ(Indexed(), 0u);
  EXPECT_EQ(engine_.DbSize(0), 1u);
  engine_.Del(0, "big");
  EXPECT_EQ(engine_.UsedMemory(), base);
}

TEST_F(HashFieldExpiryTest, ManyHashesExpireInTimeOrder) {
  const int64_t t0 = Now();
  for (int i = 0; i < 50; ++i) {
    const std::string key = "h" + std::to_string(i);
    HSet(key, "x", "1");
    HSet(key, "keep", "1");
    HExpireAt(key, "x", t0 + 10 * (i + 1));
  }
  EXPECT_EQ(Indexed(), 50u);
  for (int i = 0; i < 50; ++i) {
    clock_.Set(t0 + 10 * (i + 1) + 1);
    fields_.clear();
    EXPECT_EQ(Cycle().expired_fields, 1u) << i;
    EXPECT_EQ(fields_, (std::vector<Report>{{0, "h" + std::to_string(i), false}}));
    EXPECT_EQ(Indexed(), static_cast<size_t>(49 - i));
  }
  EXPECT_EQ(engine_.DbSize(0), 50u);
}

TEST_F(HashFieldExpiryTest, IndexStaysExactThroughFieldChanges) {
  const int64_t at = Now() + 100;
  // HDEL of the only field with a TTL, small and large encodings.
  HSet("s", "a", "1");
  HSet("s", "b", "2");
  HSet("s", "c", "3");
  HExpireAt("s", "a", at);
  EXPECT_EQ(Indexed(), 1u);
  DeleteField("s", "a");
  EXPECT_EQ(Indexed(), 0u);
  for (int i = 0; i < 600; ++i) HSet("l", "f" + std::to_string(i), "v");
  HExpireAt("l", "f7", at);
  EXPECT_EQ(Indexed(), 1u);
  DeleteField("l", "f7");
  EXPECT_EQ(Indexed(), 0u);
  // HPERSIST.
  HExpireAt("s", "b", at);
  EXPECT_EQ(Indexed(), 1u);
  Modify("s", [](HashObject& h) { EXPECT_EQ(h.PersistField("b"), 1); });
  EXPECT_EQ(Indexed(), 0u);
  // HSET over a field with a TTL clears it (small and large).
  HExpireAt("s", "b", at);
  HExpireAt("l", "f8", at);
  EXPECT_EQ(Indexed(), 2u);
  HSet("s", "b", "new");
  HSet("l", "f8", "new");
  EXPECT_EQ(Indexed(), 0u);
  // An expiry in the past deletes the field (HEXPIRE with 0).
  HExpireAt("s", "b", at);
  EXPECT_EQ(HExpireAt("s", "b", Now()), FieldExpireResult::kDeleted);
  EXPECT_EQ(Indexed(), 0u);
  clock_.Set(at + 1);
  EXPECT_EQ(Cycle().expired_fields, 0u);
  EXPECT_TRUE(fields_.empty());
  EXPECT_EQ(Len("s"), 1);  // c
  EXPECT_EQ(Len("l"), 599);
}

TEST_F(HashFieldExpiryTest, IndexFollowsTheKeyThroughKeyspaceCommands) {
  const size_t base = engine_.UsedMemory();
  const int64_t at = Now() + 100;
  auto make = [&](std::string_view key, int db = 0) {
    HSet(key, "a", "1", db);
    HSet(key, "b", "2", db);
    HExpireAt(key, "a", std::max(at, Now() + 100), db);
  };
  // DEL and UNLINK.
  make("h");
  EXPECT_EQ(Indexed(), 1u);
  EXPECT_TRUE(engine_.Del(0, "h"));
  EXPECT_EQ(Indexed(), 0u);
  make("h");
  std::string_view keys[] = {"h"};
  EXPECT_EQ(engine_.Unlink(0, keys), 1u);
  EXPECT_EQ(Indexed(), 0u);
  // SET over the hash.
  make("h");
  ASSERT_EQ(engine_.Set(0, "h", "str", SetParams{}), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 0u);
  ASSERT_TRUE(engine_.Del(0, "h"));
  // RENAME moves the entry; the cycle then reports the new name.
  make("h");
  ASSERT_EQ(engine_.Rename(0, "h", "renamed-to-a-key-longer-than-sso", false), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 1u);
  // COPY adds one, MOVE keeps the count (another database).
  ASSERT_EQ(engine_.Copy(0, "renamed-to-a-key-longer-than-sso", 0, "copy", false), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 2u);
  ASSERT_EQ(engine_.Move(0, "copy", 1), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 2u);
  // RENAME onto a hash with field TTLs replaces it.
  make("victim");
  EXPECT_EQ(Indexed(), 3u);
  ASSERT_EQ(engine_.Rename(0, "renamed-to-a-key-longer-than-sso", "victim", false), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 2u);
  // EXPIRE on the hash key keeps it indexed.
  ASSERT_EQ(engine_.Expire(0, "victim", at + 1000, ExpireCondition::kAlways), OpStatus::kOk);
  EXPECT_EQ(Indexed(), 2u);
  clock_.Set(at + 1);
  Cycle();
  std::vector<Report> got = fields_;
  std::sort(got.begin(), got.end(), [](const Report& x, const Report& y) { return x.db < y.db; });
  EXPECT_EQ(got, (std::vector<Report>{{0, "victim", false}, {1, "copy", false}}));
  EXPECT_EQ(Indexed(), 0u);
  // SWAPDB: the index travels with the data.
  HExpireAt("copy", "b", at + 50, 1);
  ASSERT_EQ(engine_.SwapDb(0, 1), OpStatus::kOk);
  fields_.clear();
  clock_.Set(at + 52);
  Cycle();
  EXPECT_EQ(fields_, (std::vector<Report>{{0, "copy", true}}));
  EXPECT_FALSE(engine_.Exists(0, "copy"));
  // FLUSHDB, both modes.
  make("f1");
  make("f2", 1);
  EXPECT_EQ(Indexed(), 2u);
  engine_.FlushDb(1, false);
  EXPECT_EQ(Indexed(), 1u);
  engine_.FlushAll(true);
  engine_.WaitForBackgroundWork();
  EXPECT_EQ(Indexed(), 0u);
  EXPECT_EQ(engine_.UsedMemory(), base);
}

TEST_F(HashFieldExpiryTest, KeyTtlBeforeFieldTtlExpiresTheWholeKey) {
  HSet("h", "a", "1");
  HExpireAt("h", "a", Now() + 100);
  ASSERT_EQ(engine_.Expire(0, "h", Now() + 50, ExpireCondition::kAlways), OpStatus::kOk);
  clock_.Advance(200);
  Cycle();
  EXPECT_FALSE(engine_.Exists(0, "h"));
  EXPECT_EQ(keys_, (std::vector<Report>{{0, "h", true}}));  // "expired", not "hexpired"
  EXPECT_TRUE(fields_.empty());
  EXPECT_EQ(Indexed(), 0u);
}

TEST_F(HashFieldExpiryTest, StaleBoundIsRefiledNotSpunOn) {
  // a's expiry is earlier than b's; HPERSIST a leaves the filed time as a lower bound. The cycle
  // visits once at that time, finds nothing, and re-files the key under b's expiry.
  const int64_t t0 = Now();
  for (int i = 0; i < 600; ++i) HSet("l", "f" + std::to_string(i), "v");
  HExpireAt("l", "f1", t0 + 10);
  HExpireAt("l", "f2", t0 + 1000);
  Modify("l", [](HashObject& h) { EXPECT_EQ(h.PersistField("f1"), 1); });
  EXPECT_EQ(Indexed(), 1u);
  clock_.Set(t0 + 20);
  ExpireCycleResult r = Cycle();
  EXPECT_EQ(r.expired_fields, 0u);
  EXPECT_FALSE(r.budget_exhausted);
  EXPECT_TRUE(fields_.empty());
  EXPECT_EQ(Len("l"), 600);
  clock_.Set(t0 + 1001);
  EXPECT_EQ(Cycle().expired_fields, 1u);
  EXPECT_EQ(Len("l"), 599);
  EXPECT_EQ(Indexed(), 0u);
}

TEST_F(HashFieldExpiryTest, NoHookNeeded) {
  Engine plain(Options(), &clock_);
  ASSERT_EQ(plain.UpdateObject(0, "h", ValueType::kHash,
                               [&](std::unique_ptr<Object>& o) {
                                 o = HashObject::New();
                                 HashObject::Set(o, "a", "1", FieldTtl::kSet, Now() + 5);
                               }),
            OpStatus::kOk);
  clock_.Advance(10);
  ExpireCycleOptions opt;
  opt.time_budget_us = 0;
  EXPECT_EQ(plain.ActiveExpireCycle(opt).expired_fields, 1u);
  EXPECT_EQ(plain.DbSize(0), 0u);
}

}  // namespace
}  // namespace ringkv::engine
