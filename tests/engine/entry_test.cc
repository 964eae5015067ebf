// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Entry layout tests: encodings, the optional expiry field, sizes and reshaping.
#include "engine/entry.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <limits>
#include <string>

namespace ringkv::engine {
namespace {

std::string Value(const Entry* e) {
  char buf[kIntBufSize];
  return std::string(e->StringValue(buf));
}

struct Freer {
  void operator()(Entry* e) const { Entry::Free(e); }
};
using EntryPtr = std::unique_ptr<Entry, Freer>;

TEST(EntryTest, CanonicalIntegersAreIntEncoded) {
  for (const char* s : {"0", "1", "-1", "127", "-128", "128", "9223372036854775807",
                        "-9223372036854775808", "1000000"}) {
    EntryPtr e(Entry::NewString("k", s, 0));
    EXPECT_EQ(e->encoding(), Encoding::kInt) << s;
    EXPECT_EQ(Value(e.get()), s);
  }
  for (const char* s : {"", "-0", "01", "+1", " 1", "1 ", "9223372036854775808",
                        "-9223372036854775809", "1.0", "abc", "-"}) {
    EntryPtr e(Entry::NewString("k", s, 0));
    EXPECT_EQ(e->encoding(), Encoding::kEmbStr) << s;
    EXPECT_EQ(Value(e.get()), s);
  }
}

TEST(EntryTest, SmallIntsTakeFewBytes) {
  EntryPtr small(Entry::NewString("key:00000001", "7", 0));
  // 5 header + 1 key length + 12 key + 1 int length + 1 int byte.
  EXPECT_LE(malloc_usable_size(small.get()), 24u);
  EXPECT_EQ(small->IntValue(), 7);
  EntryPtr big(Entry::NewString("k", "-9223372036854775808", 0));
  EXPECT_EQ(big->IntValue(), std::numeric_limits<int64_t>::min());
}

TEST(EntryTest, BenchmarkShapeFitsThirtyTwoBytes) {
  // key:00000001 + 16-byte value: 2 header + 1 + 12 + 1 + 16 = 32 bytes, one 32-byte class.
  EntryPtr e(Entry::NewString("key:00000001", "abcdefghijklmnop", 0));
  EXPECT_EQ(e->key(), "key:00000001");
  EXPECT_EQ(Value(e.get()), "abcdefghijklmnop");
  EXPECT_EQ(e->LayoutSize(), 32u);
  EXPECT_FALSE(e->has_expire());
  // A TTL adds the 8-byte expiry and the 4-byte expiry-index position, nothing else.
  EntryPtr t(Entry::NewString("key:00000001", "abcdefghijklmnop", 12345));
  EXPECT_EQ(t->LayoutSize(), 44u);
  EntryPtr i(Entry::NewString("key:00000001", "1234567", 0));
  EXPECT_EQ(i->LayoutSize(), 2u + 1 + 12 + 1 + 3);  // int-encoded: 3 bytes for 1234567
}

TEST(EntryTest, ExpiryFieldIsPresentOnlyWhenSet) {
  EntryPtr e(Entry::NewString("key", "value", 0));
  EXPECT_FALSE(e->has_expire());
  Entry* with = Entry::WithExpire(e.release(), 1234567890123);
  EXPECT_TRUE(with->has_expire());
  EXPECT_EQ(with->expire_ms(), 1234567890123);
  EXPECT_EQ(with->key(), "key");
  EXPECT_EQ(Value(with), "value");
  Entry* updated = Entry::WithExpire(with, 42);
  EXPECT_EQ(updated, with);  // same layout: updated in place
  EXPECT_EQ(updated->expire_ms(), 42);
  EntryPtr without(Entry::WithExpire(updated, 0));
  EXPECT_FALSE(without->has_expire());
  EXPECT_EQ(Value(without.get()), "value");
}

TEST(EntryTest, LargeValuesGoOutOfLine) {
  std::string big(kMaxInlineValue + 1, 'x');
  EntryPtr e(Entry::NewString("k", big, 0));
  EXPECT_EQ(e->encoding(), Encoding::kRaw);
  EXPECT_EQ(Value(e.get()), big);
  EXPECT_GE(e->MemoryUsage(), big.size());
  std::string edge(kMaxInlineValue, 'y');
  EntryPtr f(Entry::NewString("k", edge, 0));
  EXPECT_EQ(f->encoding(), Encoding::kEmbStr);
  EXPECT_EQ(Value(f.get()), edge);
}

TEST(EntryTest, EmptyKeyAndValue) {
  EntryPtr e(Entry::NewString("", "", 0));
  EXPECT_EQ(e->key(), "");
  EXPECT_EQ(Value(e.get()), "");
  EXPECT_EQ(e->StringLength(), 0u);
}

TEST(EntryTest, LongKeysUseMultiByteLengths) {
  std::string key(300, 'k');
  std::string val(20000, 'v');
  EntryPtr e(Entry::NewString(key, val, 99));
  EXPECT_EQ(e->key(), key);
  EXPECT_EQ(Value(e.get()), val);
  EXPECT_EQ(e->expire_ms(), 99);
}

TEST(EntryTest, ReplaceStringKeepsKeyAndExpiry) {
  Entry* e = Entry::NewString("key", "short", 777);
  e = Entry::ReplaceString(e, std::string(200, 'z'));
  EXPECT_EQ(e->key(), "key");
  EXPECT_EQ(e->expire_ms(), 777);
  EXPECT_EQ(Value(e), std::string(200, 'z'));
  e = Entry::ReplaceString(e, "12");
  EXPECT_EQ(e->encoding(), Encoding::kInt);
  e = Entry::ReplaceString(e, "ab", /*force_raw=*/true);
  EXPECT_EQ(e->encoding(), Encoding::kRaw);
  EXPECT_GE(e->raw()->cap, 4u);  // spare room for appends
  EXPECT_EQ(Value(e), "ab");
  Entry::Free(e);
}

class CountingObject : public ObjectOf<CountingObject> {
 public:
  explicit CountingObject(int* live) : live_(live) { ++*live_; }
  ~CountingObject() { --*live_; }
  size_t MemoryUsage() const { return 1000; }
  std::unique_ptr<Object> Clone() const { return std::make_unique<CountingObject>(live_); }
  Encoding encoding() const { return Encoding::kListpack; }
  size_t Size() const { return 1; }

 private:
  int* live_;
};

TEST(EntryTest, ObjectsAreOwnedClonedAndFreed) {
  int live = 0;
  Entry* e = Entry::NewObject("h", ValueType::kHash, Encoding::kListpack,
                              std::make_unique<CountingObject>(&live), 0);
  EXPECT_EQ(live, 1);
  EXPECT_EQ(e->type(), ValueType::kHash);
  EXPECT_EQ(e->encoding(), Encoding::kListpack);
  EXPECT_GE(e->MemoryUsage(), 1000u);
  Entry* c = Entry::Clone(e, "h2");
  EXPECT_EQ(live, 2);
  e = Entry::Rekey(e, "h3");
  EXPECT_EQ(live, 2);
  EXPECT_EQ(e->key(), "h3");
  e = Entry::ReplaceString(e, "now a string");
  EXPECT_EQ(live, 1);
  Entry::Free(e);
  Entry::Free(c);
  EXPECT_EQ(live, 0);
}

// A type that defines Empty and the element-expiry operations itself.
class ExpiringObject : public ObjectOf<ExpiringObject> {
 public:
  size_t MemoryUsage() const { return 8; }
  std::unique_ptr<Object> Clone() const { return std::make_unique<ExpiringObject>(); }
  Encoding encoding() const { return Encoding::kStream; }
  size_t Size() const { return 0; }
  bool Empty() const { return false; }
  int64_t NextFieldExpiryMs() const { return 42; }
  size_t ExpireFields(int64_t now_ms, size_t max) { return now_ms > 42 ? max : 0; }
};

TEST(EntryTest, ObjectsDispatchOnTheirKindByte) {
  int live = 0;
  std::unique_ptr<Object> counting = std::make_unique<CountingObject>(&live);
  std::unique_ptr<Object> expiring = std::make_unique<ExpiringObject>();
  // One byte of kind instead of a vtable pointer.
  EXPECT_EQ(sizeof(Object), 1u);
  EXPECT_TRUE(counting->Is<CountingObject>());
  EXPECT_FALSE(counting->Is<ExpiringObject>());
  EXPECT_TRUE(expiring->Is<ExpiringObject>());
  EXPECT_EQ(counting->MemoryUsage(), 1000u);
  EXPECT_EQ(counting->encoding(), Encoding::kListpack);
  EXPECT_EQ(expiring->encoding(), Encoding::kStream);
  // Operations a type leaves out: Empty is Size() == 0, no element expiry.
  EXPECT_FALSE(counting->Empty());
  EXPECT_EQ(counting->NextFieldExpiryMs(), 0);
  EXPECT_EQ(counting->ExpireFields(100, 5), 0u);
  // The type's own.
  EXPECT_FALSE(expiring->Empty());
  EXPECT_EQ(expiring->NextFieldExpiryMs(), 42);
  EXPECT_EQ(expiring->ExpireFields(100, 5), 5u);
  std::unique_ptr<Object> copy = counting->Clone();
  EXPECT_TRUE(copy->Is<CountingObject>());
  EXPECT_EQ(live, 2);
  // Deleting through unique_ptr<Object> runs the concrete type's destructor.
  copy.reset();
  counting.reset();
  EXPECT_EQ(live, 0);
}

TEST(EntryTest, FormatAndParseIntRoundTrip) {
  char buf[kIntBufSize];
  for (int64_t v : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    std::string_view s(buf, FormatInt(v, buf));
    int64_t back;
    ASSERT_TRUE(ParseCanonicalInt(s, &back));
    EXPECT_EQ(back, v);
  }
}

}  // namespace
}  // namespace ringkv::engine
