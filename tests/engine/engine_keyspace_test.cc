// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Keyspace operations: DEL/UNLINK/EXISTS/TOUCH/TYPE, RENAME, COPY, MOVE, SWAPDB, FLUSH*,
// OBJECT, MEMORY USAGE, memory accounting, and the original Get/Set/Del/Exists/DbSize contract.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using KeyspaceTest = EngineTest;

TEST_F(KeyspaceTest, DelExistsCountLikeRedis) {
  Set("a", "1");
  Set("b", "2");
  std::string_view keys[] = {"a", "a", "b", "c"};
  EXPECT_EQ(engine_->Exists(0, keys), 3u);  // EXISTS counts each mention
  EXPECT_EQ(engine_->Touch(0, keys), 3u);
  EXPECT_EQ(engine_->Del(0, keys), 2u);  // DEL counts each removed key once
  EXPECT_EQ(engine_->DbSize(0), 0u);
  EXPECT_FALSE(engine_->Del(0, "a"));
  Set("big", std::string(1 << 20, 'x'));
  Set("small", "y");
  std::string_view u[] = {"big", "small", "none"};
  EXPECT_EQ(engine_->Unlink(0, u), 2u);
  engine_->WaitForBackgroundWork();
  EXPECT_EQ(engine_->DbSize(0), 0u);
}

TEST_F(KeyspaceTest, TypeAndObjectEncoding) {
  EXPECT_EQ(engine_->Type(0, "x"), ValueType::kNone);
  EXPECT_EQ(TypeName(engine_->Type(0, "x")), "none");
  Set("i", "42");
  Set("e", "hello");
  Set("r", std::string(kMaxInlineValue + 1, 'r'));
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(TypeName(engine_->Type(0, "i")), "string");
  EXPECT_EQ(TypeName(engine_->Type(0, "l")), "list");
  EXPECT_EQ(EncodingName(engine_->GetObjectInfo(0, "i")->encoding), "int");
  EXPECT_EQ(EncodingName(engine_->GetObjectInfo(0, "e")->encoding), "embstr");
  EXPECT_EQ(EncodingName(engine_->GetObjectInfo(0, "r")->encoding), "raw");
  EXPECT_EQ(EncodingName(engine_->GetObjectInfo(0, "l")->encoding), "quicklist");
  EXPECT_EQ(engine_->GetObjectInfo(0, "nope").status(), OpStatus::kNotFound);
  EXPECT_EQ(engine_->GetObjectInfo(0, "e")->refcount, 1);
}

TEST_F(KeyspaceTest, IdleTimeFollowsTheClockAndAccessResetsIt) {
  Set("k", "v");
  clock_.Advance(5000);
  EXPECT_EQ(engine_->GetObjectInfo(0, "k")->idle_seconds, 5);
  EXPECT_EQ(engine_->GetObjectInfo(0, "k")->idle_seconds, 5);  // OBJECT does not touch
  Get("k");
  EXPECT_EQ(engine_->GetObjectInfo(0, "k")->idle_seconds, 0);
  clock_.Advance(3000);
  std::string_view keys[] = {"k"};
  engine_->Touch(0, keys);
  EXPECT_EQ(engine_->GetObjectInfo(0, "k")->idle_seconds, 0);
  clock_.Advance(7000);
  ASSERT_EQ(engine_->Rename(0, "k", "k2", false), OpStatus::kOk);  // RENAME keeps the idle time
  EXPECT_EQ(engine_->GetObjectInfo(0, "k2")->idle_seconds, 7);
  ASSERT_EQ(engine_->Move(0, "k2", 1), OpStatus::kOk);
  EXPECT_EQ(engine_->GetObjectInfo(1, "k2")->idle_seconds, 7);
}

TEST_F(KeyspaceTest, RenameKeepsValueAndTtl) {
  EXPECT_EQ(engine_->Rename(0, "a", "b", false), OpStatus::kNotFound);
  Set("a", "1");
  ASSERT_EQ(engine_->Expire(0, "a", clock_.NowMs() + 10000, ExpireCondition::kAlways),
            OpStatus::kOk);
  EXPECT_EQ(engine_->Rename(0, "a", "a", false), OpStatus::kOk);
  EXPECT_EQ(engine_->Rename(0, "a", "a", true), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Rename(0, "a", "b", false), OpStatus::kOk);
  EXPECT_FALSE(engine_->Exists(0, "a"));
  EXPECT_EQ(Get("b"), "1");
  EXPECT_EQ(engine_->PTtl(0, "b"), 10000);
  Set("c", "3");
  EXPECT_EQ(engine_->Rename(0, "b", "c", true), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Rename(0, "b", "c", false), OpStatus::kOk);  // overwrites
  EXPECT_EQ(Get("c"), "1");
  EXPECT_EQ(engine_->PTtl(0, "c"), 10000);
  EXPECT_EQ(engine_->DbSize(0), 1u);
  // Many renames across shards leave the expiry index consistent.
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(engine_->Rename(0, i % 2 ? "d" : "c", i % 2 ? "c" : "d", false), OpStatus::kOk);
  }
  EXPECT_EQ(engine_->Keyspace(0).expires, 1u);
}

TEST_F(KeyspaceTest, CopyAcrossDatabases) {
  EXPECT_EQ(engine_->Copy(0, "a", 0, "a", false), OpStatus::kSameObject);
  EXPECT_EQ(engine_->Copy(0, "a", 0, "b", false), OpStatus::kNotFound);
  Set("a", std::string(10000, 'a'));
  ASSERT_EQ(engine_->Expire(0, "a", clock_.NowMs() + 500, ExpireCondition::kAlways), OpStatus::kOk);
  EXPECT_EQ(engine_->Copy(0, "a", 1, "a", false), OpStatus::kOk);
  EXPECT_EQ(Get("a", 1), std::string(10000, 'a'));
  EXPECT_EQ(engine_->PTtl(1, "a"), 500);
  EXPECT_EQ(engine_->Copy(0, "a", 1, "a", false), OpStatus::kSkipped);
  Set("b", "x");
  EXPECT_EQ(engine_->Copy(0, "b", 1, "a", true), OpStatus::kOk);
  EXPECT_EQ(Get("a", 1), "x");
  EXPECT_EQ(engine_->PTtl(1, "a"), -1);
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->Copy(0, "l", 0, "l2", false), OpStatus::kOk);
  EXPECT_EQ(engine_->Type(0, "l2"), ValueType::kList);
}

TEST_F(KeyspaceTest, MoveAndSwapDb) {
  Set("k", "v");
  EXPECT_EQ(engine_->Move(0, "k", 0), OpStatus::kSameObject);
  EXPECT_EQ(engine_->Move(0, "nope", 1), OpStatus::kNotFound);
  Set("k", "other", 1);
  EXPECT_EQ(engine_->Move(0, "k", 1), OpStatus::kSkipped);
  ASSERT_TRUE(engine_->Del(1, "k"));
  EXPECT_EQ(engine_->Move(0, "k", 1), OpStatus::kOk);
  EXPECT_EQ(Get("k", 1), "v");
  EXPECT_FALSE(engine_->Exists(0, "k"));
  Set("zero", "0", 0);
  EXPECT_EQ(engine_->SwapDb(0, 1), OpStatus::kOk);
  EXPECT_EQ(Get("k", 0), "v");
  EXPECT_EQ(Get("zero", 1), "0");
  EXPECT_EQ(engine_->SwapDb(0, 99), OpStatus::kInvalidDb);
  EXPECT_EQ(engine_->SwapDb(-1, 0), OpStatus::kInvalidDb);
}

TEST_F(KeyspaceTest, FlushDbAndFlushAllSyncAndAsync) {
  for (int db = 0; db < 3; ++db) {
    for (int i = 0; i < 1000; ++i) Set("k" + std::to_string(i), "v", db);
  }
  engine_->FlushDb(1, false);
  EXPECT_EQ(engine_->DbSize(1), 0u);
  EXPECT_EQ(engine_->DbSize(0), 1000u);
  engine_->FlushDb(0, true);
  EXPECT_EQ(engine_->DbSize(0), 0u);
  EXPECT_EQ(engine_->DbSize(2), 1000u);
  ASSERT_TRUE(engine_->Expire(2, "k1", clock_.NowMs() + 100, ExpireCondition::kAlways) ==
              OpStatus::kOk);
  engine_->FlushAll(true);
  for (int db = 0; db < 4; ++db) EXPECT_EQ(engine_->DbSize(db), 0u);
  EXPECT_EQ(engine_->Stats().expires, 0u);
  Set("after", "flush");  // usable at once while the old data is freed in the background
  EXPECT_EQ(Get("after"), "flush");
  engine_->WaitForBackgroundWork();
  EXPECT_EQ(engine_->DbSize(0), 1u);
}

TEST_F(KeyspaceTest, MemoryAccountingReturnsToBaseline) {
  size_t base = engine_->UsedMemory();
  EXPECT_EQ(base, 0u);
  for (int i = 0; i < 5000; ++i) Set("key:" + std::to_string(i), std::to_string(i) + "value");
  size_t full = engine_->UsedMemory();
  EXPECT_GT(full, 5000u * 20);
  EXPECT_LT(full, 5000u * 100);
  for (int i = 0; i < 5000; i += 2) {
    ASSERT_EQ(engine_->Expire(0, "key:" + std::to_string(i), clock_.NowMs() + 1000,
                              ExpireCondition::kAlways),
              OpStatus::kOk);
  }
  ASSERT_TRUE(engine_->Append(0, "key:1", std::string(100000, 'a')).ok());
  EXPECT_GT(engine_->UsedMemory(), full + 100000);
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(engine_->Del(0, "key:" + std::to_string(i)));
  EXPECT_EQ(engine_->UsedMemory(), 0u);
}

TEST_F(KeyspaceTest, MemoryUsageIncludesEntryAndTableShare) {
  Set("key:00000001", "abcdefghijklmnop");
  size_t small = *engine_->MemoryUsage(0, "key:00000001");
  EXPECT_GE(small, 40u);
  EXPECT_LT(small, 40u + 16 * 9 + 1);  // entry + at most one group's worth of table
  Set("big", std::string(100000, 'b'));
  EXPECT_GT(*engine_->MemoryUsage(0, "big"), 100000u);
  EXPECT_EQ(engine_->MemoryUsage(0, "none").status(), OpStatus::kNotFound);
}

TEST_F(KeyspaceTest, ReadObjectChecksType) {
  Set("s", "v");
  int calls = 0;
  EXPECT_EQ(engine_->ReadObject(0, "s", ValueType::kList, [&](const Object&) { ++calls; }),
            OpStatus::kWrongType);
  EXPECT_EQ(engine_->ReadObject(0, "n", ValueType::kList, [&](const Object&) { ++calls; }),
            OpStatus::kNotFound);
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->ReadObject(0, "l", ValueType::kList, [&](const Object&) { ++calls; }),
            OpStatus::kOk);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Get("l"), "<WRONGTYPE>");
}

// A collection of n elements whose encoding flips at 3 elements, as a typed object does.
class Bag : public ObjectOf<Bag> {
 public:
  explicit Bag(size_t n) : n_(n) {}
  size_t MemoryUsage() const { return 100 * n_; }
  std::unique_ptr<Object> Clone() const { return std::make_unique<Bag>(n_); }
  Encoding encoding() const { return n_ < 3 ? Encoding::kListpack : Encoding::kHashtable; }
  size_t Size() const { return n_; }
  size_t n_;
};

TEST_F(KeyspaceTest, UpdateObjectCreatesConvertsAndDeletesWhenEmpty) {
  auto add = [&](std::string_view key, int delta) {
    return engine_->UpdateObject(0, key, ValueType::kSet, [&](std::unique_ptr<Object>& obj) {
      if (obj == nullptr) {
        if (delta > 0)
          obj = std::make_unique<Bag>(0);
        else
          return;
      }
      static_cast<Bag&>(*obj).n_ += delta;
    });
  };
  size_t base = engine_->UsedMemory();
  // Nothing created when fn leaves the pointer empty.
  EXPECT_EQ(add("b", -1), OpStatus::kOk);
  EXPECT_FALSE(engine_->Exists(0, "b"));
  ASSERT_EQ(add("b", 1), OpStatus::kOk);
  EXPECT_EQ(engine_->Type(0, "b"), ValueType::kSet);
  EXPECT_EQ(engine_->GetObjectInfo(0, "b")->encoding, Encoding::kListpack);
  ASSERT_EQ(add("b", 3), OpStatus::kOk);
  EXPECT_EQ(engine_->GetObjectInfo(0, "b")->encoding, Encoding::kHashtable);
  EXPECT_GE(engine_->UsedMemory(), base + 400);
  // The TTL survives an update.
  ASSERT_EQ(engine_->Expire(0, "b", clock_.NowMs() + 10000, ExpireCondition::kAlways),
            OpStatus::kOk);
  ASSERT_EQ(add("b", -1), OpStatus::kOk);
  EXPECT_GT(engine_->PTtl(0, "b"), 0);
  // Empty: the key and its TTL are gone, and so is its memory (the table itself stays).
  size_t with_b = engine_->UsedMemory();
  ASSERT_EQ(add("b", -3), OpStatus::kOk);
  EXPECT_FALSE(engine_->Exists(0, "b"));
  EXPECT_EQ(engine_->Keyspace(0).expires, 0u);
  size_t without_b = engine_->UsedMemory();
  EXPECT_LE(without_b + 300, with_b);
  // Another type: not called.
  Set("s", "v");
  int calls = 0;
  EXPECT_EQ(
      engine_->UpdateObject(0, "s", ValueType::kSet, [&](std::unique_ptr<Object>&) { ++calls; }),
      OpStatus::kWrongType);
  EXPECT_EQ(calls, 0);
  // fn may drop the object: the key goes.
  size_t before_c = engine_->UsedMemory();
  ASSERT_EQ(add("c", 5), OpStatus::kOk);
  EXPECT_GE(engine_->UsedMemory(), before_c + 500);
  engine_->UpdateObject(0, "c", ValueType::kSet, [](std::unique_ptr<Object>& obj) { obj.reset(); });
  EXPECT_FALSE(engine_->Exists(0, "c"));
  EXPECT_EQ(engine_->UsedMemory(), before_c);
}

TEST_F(KeyspaceTest, HashedVariantsAndPrefetchAgree) {
  uint64_t h = engine_->Hash("key");
  engine_->Prefetch(0, h);
  ASSERT_EQ(engine_->Set(0, h, "key", "v", SetParams{}), OpStatus::kOk);
  std::string got;
  ASSERT_EQ(engine_->Get(0, h, "key", [&](std::string_view v) { got = v; }), OpStatus::kOk);
  EXPECT_EQ(got, "v");
  EXPECT_EQ(Get("key"), "v");
  EXPECT_EQ(engine_->Stats().totals.keyspace_hits, 2u);
  Get("nokey");
  EXPECT_EQ(engine_->Stats().totals.keyspace_misses, 1u);
}

TEST_F(KeyspaceTest, DatabasesAreIndependent) {
  Set("k", "db0", 0);
  Set("k", "db3", 3);
  EXPECT_EQ(Get("k", 0), "db0");
  EXPECT_EQ(Get("k", 3), "db3");
  EXPECT_EQ(Get("k", 1), std::nullopt);
  EXPECT_EQ(engine_->DbSize(3), 1u);
}

uint64_t Collide(std::string_view k) { return HashKey(k) & 0xF000000000000001ULL; }

TEST(KeyspaceCollisionTest, WeakHashStillCorrect) {
  ManualClock clock;
  EngineOptions o;
  o.databases = 1;
  o.shards_per_db = 2;
  o.hash_fn = &Collide;
  Engine e(o, &clock);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(e.Set(0, std::to_string(i), "v", {}), OpStatus::kOk);
  for (int i = 0; i < 300; i += 3) ASSERT_TRUE(e.Del(0, std::to_string(i)));
  for (int i = 0; i < 300; ++i) EXPECT_EQ(e.Exists(0, std::to_string(i)), i % 3 != 0);
  EXPECT_EQ(e.DbSize(0), 200u);
}

}  // namespace
}  // namespace ringkv::engine
