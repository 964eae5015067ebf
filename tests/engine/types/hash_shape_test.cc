// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The hash shape registry (engine/types/hash_shape.h): interning, sharing across threads, and
// its bounds. Its own test binary, because the registry is process-wide and a test here fills it.
#include "engine/types/hash_shape.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/types/hash.h"
#include "engine/types/hash_codec.h"

namespace ringkv::engine {
namespace {

using hash_detail::HashShape;
using hash_detail::InternShape;

// The packed field elements of `names`.
std::string Pack(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    const hash_detail::ElemPlan plan = hash_detail::PlanElem(n, /*allow_int=*/true);
    const size_t at = out.size();
    out.resize(at + plan.size);
    hash_detail::PutElem(reinterpret_cast<uint8_t*>(out.data()) + at, plan);
  }
  return out;
}

TEST(HashShapeTest, OneShapePerFieldListSharedByEveryThread) {
  const std::string session = Pack({"user_id", "csrf", "cart", "42"});
  const HashShape* s = InternShape(session, 4);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->count, 4u);
  EXPECT_EQ(s->packed(), session);
  EXPECT_EQ(InternShape(session, 4), s);
  // Another order is another list.
  const HashShape* other = InternShape(Pack({"csrf", "user_id", "cart", "42"}), 4);
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other, s);
  // Threads interning the same lists at once get the same shapes.
  std::vector<std::vector<const HashShape*>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&got, t] {
      for (int i = 0; i < 200; ++i) {
        got[t].push_back(InternShape(Pack({"a", "b" + std::to_string(i)}), 2));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t t = 1; t < got.size(); ++t) EXPECT_EQ(got[t], got[0]);
  for (const HashShape* x : got[0]) EXPECT_NE(x, nullptr);
}

TEST(HashShapeTest, ListsTooLongOrTooShortAreNotShared) {
  EXPECT_EQ(InternShape(Pack({"only"}), 1), nullptr);
  std::vector<std::string> many;
  for (uint32_t i = 0; i <= hash_detail::kMaxShapeFields; ++i)
    many.push_back("f" + std::to_string(i));
  EXPECT_EQ(InternShape(Pack(many), static_cast<uint32_t>(many.size())), nullptr);
  many.pop_back();
  EXPECT_NE(InternShape(Pack(many), static_cast<uint32_t>(many.size())), nullptr);
  EXPECT_EQ(InternShape(Pack({std::string(60, 'a'), std::string(2000, 'b')}), 2), nullptr);
}

// A full registry shares nothing new, and the hashes built meanwhile are plain but correct.
TEST(HashShapeTest, AFullRegistryLeavesNewHashesUnshaped) {
  const HashShape* early = InternShape(Pack({"early", "shape"}), 2);
  ASSERT_NE(early, nullptr);
  size_t made = 0;
  for (size_t i = 0; i < hash_detail::kMaxShapes + 10; ++i) {
    if (InternShape(Pack({"k", "filler" + std::to_string(i)}), 2) != nullptr) ++made;
  }
  EXPECT_LT(made, hash_detail::kMaxShapes);
  EXPECT_LE(hash_detail::GetShapeStats().shapes, hash_detail::kMaxShapes);
  EXPECT_LE(hash_detail::GetShapeStats().bytes, hash_detail::kMaxShapeBytes);
  EXPECT_EQ(InternShape(Pack({"early", "shape"}), 2), early);  // known lists still resolve
  EXPECT_EQ(InternShape(Pack({"late", "shape"}), 2), nullptr);
  const HashObject::LoadEntry entries[] = {{"late", "1", 0}, {"shape", "two", 0}};
  std::unique_ptr<HashObject> h = HashObject::FromEntries(entries);
  ASSERT_NE(h, nullptr);
  EXPECT_FALSE(h->shaped());
  EXPECT_EQ(h->CheckInvariants(), "");
  HashObject::ValueBuf buf;
  EXPECT_EQ(h->Get("shape", &buf), "two");
  const HashObject::LoadEntry known[] = {{"early", "1", 0}, {"shape", "2", 0}};
  EXPECT_TRUE(HashObject::FromEntries(known)->shaped());
}

}  // namespace
}  // namespace ringkv::engine
