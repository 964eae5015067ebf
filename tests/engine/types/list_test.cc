// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ListObject and its parts: the packed element codec, the node compressor, every list operation
// at node boundaries under several node limits and compression depths, the one-node <-> many-node
// shape changes, memory accounting, and a randomized comparison against std::deque.
#include "engine/types/list.h"

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/memory.h"
#include "engine/types/limits.h"
#include "engine/types/list_codec.h"
#include "engine/types/list_huff.h"
#include "engine/types/list_lz.h"
#include "engine/types/list_pack.h"
#include "gtest/gtest.h"

namespace ringkv::engine {
namespace {

using Model = std::deque<std::string>;

// Sets list-max-listpack-size and the compress depth for one test, restoring both afterwards.
class ScopedListConfig {
 public:
  ScopedListConfig(int64_t fill, int depth)
      : old_fill_(Limits().list_max_listpack_size.load()), old_depth_(ListCompressDepth().load()) {
    Limits().list_max_listpack_size = fill;
    ListCompressDepth() = depth;
  }
  ~ScopedListConfig() {
    Limits().list_max_listpack_size = old_fill_;
    ListCompressDepth() = old_depth_;
  }

 private:
  int64_t old_fill_;
  int old_depth_;
};

std::vector<std::string> All(const ListObject& l) {
  std::vector<std::string> out;
  l.Range(0, -1, [&](std::string_view v) { out.emplace_back(v); });
  return out;
}

std::vector<std::string> ToVector(const Model& m) { return {m.begin(), m.end()}; }

std::string IndexOf(const ListObject& l, int64_t i) {
  std::string out = "<none>";
  l.Index(i, [&](std::string_view v) { out = std::string(v); });
  return out;
}

std::string PopOf(ListObject& l, ListEnd end) {
  std::string out = "<none>";
  l.Pop(end, [&](std::string_view v) { out = std::string(v); });
  return out;
}

std::vector<int64_t> FindAll(const ListObject& l, std::string_view v, bool from_tail,
                             uint64_t skip = 0, uint64_t limit = 0, uint64_t maxlen = 0) {
  std::vector<int64_t> out;
  l.Find(v, from_tail, skip, limit, maxlen, [&](int64_t i) { out.push_back(i); });
  return out;
}

// ---- The element codec. -----------------------------------------------------------------------

TEST(ListPackTest, RoundTripsStringsAndIntegers) {
  std::vector<std::string> values = {"",
                                     "a",
                                     "0",
                                     "127",
                                     "128",
                                     "-1",
                                     "-128",
                                     "-129",
                                     "255",
                                     "32767",
                                     "32768",
                                     "-32769",
                                     "8388607",
                                     "2147483647",
                                     "-2147483649",
                                     "9223372036854775807",
                                     "-9223372036854775808",
                                     "9223372036854775808",
                                     "-9223372036854775809",
                                     "01",
                                     "-0",
                                     "+1",
                                     " 1",
                                     "1 ",
                                     "1.5",
                                     "99999999999999999999",
                                     std::string(63, 'x'),
                                     std::string(64, 'y'),
                                     std::string(8191, 'z'),
                                     std::string(8192, 'w'),
                                     std::string(100000, 'v'),
                                     std::string("a\0b\r\n", 5)};
  for (const std::string& v : values) {
    const detail::LpValue p = detail::LpPrepare(v);
    std::vector<uint8_t> buf(p.total + 2, 0xAA);
    detail::LpWrite(p, buf.data() + 1);
    const detail::LpElem e = detail::LpRead(buf.data() + 1);
    EXPECT_EQ(e.total, p.total) << v;
    EXPECT_EQ(detail::LpTotal(buf.data() + 1), p.total) << v;
    EXPECT_EQ(detail::LpPrevTotal(buf.data() + 1 + p.total), p.total) << v;
    char ib[detail::kLpIntBufSize];
    EXPECT_EQ(detail::LpView(e, ib), v);
    EXPECT_TRUE(detail::LpEquals(e, p)) << v;
    EXPECT_EQ(buf[0], 0xAA);
    EXPECT_EQ(buf[p.total + 1], 0xAA);
  }
}

TEST(ListPackTest, CanonicalIntegersOnlyAreStoredAsIntegers) {
  int64_t v;
  EXPECT_TRUE(detail::LpParseCanonicalInt("0", &v));
  EXPECT_TRUE(detail::LpParseCanonicalInt("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  for (const char* s : {"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1a", "9223372036854775808",
                        "-9223372036854775809", "184467440737095516160"}) {
    EXPECT_FALSE(detail::LpParseCanonicalInt(s, &v)) << s;
  }
  EXPECT_EQ(detail::LpPrepare("5").total, 2u);   // 1-byte integer + backlen
  EXPECT_EQ(detail::LpPrepare("05").total, 4u);  // a 2-byte string
  EXPECT_EQ(detail::LpPrepare("1000000").total, 5u);
  // "1" and "01" never compare equal: one is an integer, the other a string.
  const detail::LpValue one = detail::LpPrepare("1");
  const detail::LpValue zero_one = detail::LpPrepare("01");
  std::vector<uint8_t> buf(one.total);
  detail::LpWrite(one, buf.data());
  EXPECT_FALSE(detail::LpEquals(detail::LpRead(buf.data()), zero_one));
}

TEST(ListPackTest, BacklenAtGroupBoundaries) {
  for (size_t len :
       {size_t{120}, size_t{125}, size_t{126}, size_t{127}, size_t{16378}, size_t{16379},
        size_t{16380}, size_t{16381}, size_t{2097140}, size_t{2097151}, size_t{2097152}}) {
    std::string s(len, 'q');
    const detail::LpValue p = detail::LpPrepare(s);
    std::vector<uint8_t> buf(p.total);
    detail::LpWrite(p, buf.data());
    EXPECT_EQ(detail::LpPrevTotal(buf.data() + buf.size()), p.total) << len;
    EXPECT_EQ(detail::LpRead(buf.data()).s.size(), len);
  }
}

// ---- The compressor. --------------------------------------------------------------------------

std::vector<uint8_t> Compress(const std::vector<uint8_t>& in, size_t cap) {
  std::vector<uint8_t> out(cap);
  const size_t n = detail::LzCompress(in.data(), in.size(), out.data(), cap);
  out.resize(n);
  return out;
}

TEST(ListLzTest, RoundTripsVariousInputs) {
  std::mt19937 rng(7);
  std::vector<std::vector<uint8_t>> inputs;
  inputs.push_back({});
  inputs.push_back({42});
  inputs.push_back(std::vector<uint8_t>(100000, 'a'));  // long repeat: overlapping matches
  std::vector<uint8_t> random(5000);
  for (auto& b : random) b = static_cast<uint8_t>(rng());
  inputs.push_back(random);
  std::vector<uint8_t> text;
  for (int i = 0; i < 2000; ++i) {
    std::string s = "item:" + std::to_string(100000 + i * 7) + ";";
    text.insert(text.end(), s.begin(), s.end());
  }
  inputs.push_back(text);
  for (const auto& in : inputs) {
    std::vector<uint8_t> c = Compress(in, in.size() * 2 + 64);
    ASSERT_FALSE(c.empty() && !in.empty());
    std::vector<uint8_t> out(in.size());
    EXPECT_TRUE(detail::LzDecompress(c.data(), c.size(), out.data(), out.size()));
    EXPECT_EQ(out, in);
  }
  // Repetitive text shrinks a lot; random bytes do not fit in less than their size.
  EXPECT_LT(Compress(text, text.size()).size(), text.size() / 2);
  EXPECT_EQ(Compress(random, random.size() - random.size() / 8).size(), 0u);
}

TEST(ListLzTest, DecoderRejectsMalformedInput) {
  std::vector<uint8_t> in(3000);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i % 17);
  std::vector<uint8_t> c = Compress(in, in.size());
  ASSERT_FALSE(c.empty());
  std::vector<uint8_t> out(in.size());
  // Wrong expected size, truncated input, a corrupted offset: all refused, none overruns.
  EXPECT_FALSE(detail::LzDecompress(c.data(), c.size(), out.data(), out.size() - 1));
  std::vector<uint8_t> big(in.size() + 1);
  EXPECT_FALSE(detail::LzDecompress(c.data(), c.size(), big.data(), big.size()));
  EXPECT_FALSE(detail::LzDecompress(c.data(), c.size() / 2, out.data(), out.size()));
  const uint8_t bad_offset[] = {0x10, 'a', 0xFF, 0xFF};  // 1 literal, then offset 65535
  EXPECT_FALSE(detail::LzDecompress(bad_offset, sizeof(bad_offset), out.data(), 10));
  const uint8_t zero_offset[] = {0x10, 'a', 0x00, 0x00};
  EXPECT_FALSE(detail::LzDecompress(zero_offset, sizeof(zero_offset), out.data(), 5));
  const uint8_t long_literal[] = {0xF0, 0xFF};  // extension never ends
  EXPECT_FALSE(detail::LzDecompress(long_literal, sizeof(long_literal), out.data(), 10));
}

// ---- The entropy coder. -----------------------------------------------------------------------

std::vector<uint8_t> HuffRoundTrip(const std::vector<uint8_t>& in) {
  std::vector<uint8_t> c(in.size() + 256);
  const size_t n = detail::HuffCompress(in.data(), in.size(), c.data(), c.size());
  EXPECT_GT(n, 0u);
  c.resize(n);
  std::vector<uint8_t> out(in.size());
  EXPECT_TRUE(detail::HuffDecompress(c.data(), c.size(), out.data(), out.size()));
  EXPECT_EQ(out, in);
  return c;
}

TEST(ListHuffTest, RoundTripsAndCompressesSkewedBytes) {
  std::mt19937 rng(11);
  HuffRoundTrip({7});                              // one symbol
  HuffRoundTrip(std::vector<uint8_t>(5000, 'a'));  // one symbol, many times
  HuffRoundTrip({1, 2});                           // two symbols
  std::vector<uint8_t> all(256 * 4);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  HuffRoundTrip(all);  // every symbol, equally often: 8 bits each
  // 36 letters: about 5.2 bits each.
  std::vector<uint8_t> text(8000);
  for (auto& b : text) b = "abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36];
  EXPECT_LT(HuffRoundTrip(text).size(), text.size() * 53 / 80 + 200);
  // Very skewed counts (Fibonacci-like) force the 11-bit length limit.
  std::vector<uint8_t> skewed;
  uint64_t a = 1, b = 1;
  for (int s = 0; s < 30; ++s) {
    for (uint64_t k = 0; k < a && skewed.size() < 2000000; ++k)
      skewed.push_back(static_cast<uint8_t>(s));
    const uint64_t c = a + b;
    a = b;
    b = c;
  }
  HuffRoundTrip(skewed);
  EXPECT_EQ(detail::HuffCompress(text.data(), 0, text.data(), 0), 0u);
}

TEST(ListHuffTest, DecoderRejectsMalformedInput) {
  std::vector<uint8_t> in(1000);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i % 7);
  std::vector<uint8_t> c = HuffRoundTrip(in);
  std::vector<uint8_t> out(in.size() + 100);
  ASSERT_EQ(c[0], 1);  // 7 symbols: the bitmap form of the table
  EXPECT_FALSE(detail::HuffDecompress(c.data(), 20, out.data(), in.size()));  // cut table
  EXPECT_FALSE(detail::HuffDecompress(c.data(), c.size() - 20, out.data(), in.size()));
  EXPECT_FALSE(detail::HuffDecompress(c.data(), c.size(), out.data(), in.size() + 100));
  std::vector<uint8_t> bad(c);
  bad[0] = 7;  // no such table form
  EXPECT_FALSE(detail::HuffDecompress(bad.data(), bad.size(), out.data(), in.size()));
  std::vector<uint8_t> full(129, 0x11);  // full form: 256 codes of 1 bit
  full[0] = 0;
  EXPECT_FALSE(detail::HuffDecompress(full.data(), full.size(), out.data(), 1));
  full.assign(129, 0xFF);  // lengths 15: over the limit
  full[0] = 0;
  EXPECT_FALSE(detail::HuffDecompress(full.data(), full.size(), out.data(), 1));
  std::vector<uint8_t> empty(129, 0);
  EXPECT_FALSE(detail::HuffDecompress(empty.data(), empty.size(), out.data(), 1));
  std::vector<uint8_t> listed_without_code(34, 0);  // bitmap form: symbol 0 listed, length 0
  listed_without_code[0] = 1;
  listed_without_code[1] = 1;
  EXPECT_FALSE(detail::HuffDecompress(listed_without_code.data(), 34, out.data(), 1));
}

// ---- Whole-node compression. --------------------------------------------------------------------

TEST(ListCodecTest, NodesRoundTripForEveryElementKind) {
  std::mt19937 rng(5);
  std::vector<std::vector<std::string>> nodes = {
      {"a"},
      {"", "", ""},
      {"1", "-1", "127", "128", "-9223372036854775808", "9223372036854775807", "0"},
      {std::string(70, 'x'), std::string(9000, 'y'), "z"},
  };
  std::vector<std::string> ints, text;
  for (int i = 0; i < 1500; ++i) ints.push_back(std::to_string(i * 37));
  for (int i = 0; i < 400; ++i) {
    std::string s(16, ' ');
    for (char& ch : s) ch = "abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36];
    text.push_back(s);
  }
  nodes.push_back(ints);
  nodes.push_back(text);
  for (const auto& elems : nodes) {
    std::vector<uint8_t> plain;
    for (const std::string& e : elems) {
      const detail::LpValue v = detail::LpPrepare(e);
      const size_t at = plain.size();
      plain.resize(at + v.total);
      detail::LpWrite(v, plain.data() + at);
    }
    std::vector<uint8_t> c(plain.size() * 2 + 64);
    const size_t n =
        detail::CompressNode(plain.data(), plain.size(), elems.size(), c.data(), c.size());
    ASSERT_GT(n, 0u);
    std::vector<uint8_t> out(plain.size());
    ASSERT_TRUE(detail::DecompressNode(c.data(), n, elems.size(), out.data(), out.size()));
    EXPECT_EQ(out, plain);
    // Wrong counts or sizes are refused, never overrun.
    EXPECT_FALSE(detail::DecompressNode(c.data(), n, elems.size() + 1, out.data(), out.size()));
    std::vector<uint8_t> big(plain.size() + 1);
    EXPECT_FALSE(detail::DecompressNode(c.data(), n, elems.size(), big.data(), big.size()));
    EXPECT_FALSE(detail::DecompressNode(c.data(), n / 2, elems.size(), out.data(), out.size()));
    if (elems.size() > 100) {
      EXPECT_LT(n, plain.size() * 3 / 4);  // ints and letters shrink
    }
  }
}

// ---- ListObject. ------------------------------------------------------------------------------

TEST(ListObjectTest, EmptyList) {
  ListObject l;
  EXPECT_EQ(l.Size(), 0u);
  EXPECT_EQ(l.encoding(), Encoding::kQuicklist);
  EXPECT_TRUE(l.is_single_node());
  EXPECT_FALSE(l.Pop(ListEnd::kHead, [](std::string_view) { FAIL(); }));
  EXPECT_FALSE(l.Index(0, [](std::string_view) { FAIL(); }));
  EXPECT_FALSE(l.Set(0, "x"));
  EXPECT_FALSE(l.Insert("a", "b", true));
  EXPECT_EQ(l.Remove("a", 0), 0u);
  EXPECT_EQ(l.RangeLength(0, -1), 0u);
  EXPECT_TRUE(FindAll(l, "a", false).empty());
  l.Trim(0, -1);
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, PushPopBothEnds) {
  ListObject l;
  l.Push(ListEnd::kTail, "b");
  l.Push(ListEnd::kHead, "a");
  l.Push(ListEnd::kTail, "3");
  l.Push(ListEnd::kTail, "");
  EXPECT_EQ(All(l), (std::vector<std::string>{"a", "b", "3", ""}));
  EXPECT_EQ(PopOf(l, ListEnd::kTail), "");
  EXPECT_EQ(PopOf(l, ListEnd::kHead), "a");
  EXPECT_EQ(PopOf(l, ListEnd::kHead), "b");
  EXPECT_EQ(PopOf(l, ListEnd::kTail), "3");
  EXPECT_EQ(PopOf(l, ListEnd::kTail), "<none>");
  EXPECT_EQ(l.Size(), 0u);
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, ConvertsToManyNodesAndBack) {
  ScopedListConfig config(4, 1);  // 4 entries per node
  ListObject l;
  for (int i = 0; i < 4; ++i) l.Push(ListEnd::kTail, std::to_string(i));
  EXPECT_TRUE(l.is_single_node());
  l.Push(ListEnd::kTail, "4");
  EXPECT_FALSE(l.is_single_node());
  EXPECT_EQ(l.node_count(), 2u);
  for (int i = 5; i < 40; ++i) l.Push(ListEnd::kTail, std::to_string(i));
  EXPECT_EQ(l.node_count(), 10u);
  EXPECT_EQ(l.CheckInvariants(), "");
  // Popping empties nodes one by one back to a single node (no ring any more).
  for (int i = 0; i < 36; ++i) EXPECT_EQ(PopOf(l, ListEnd::kHead), std::to_string(i));
  EXPECT_TRUE(l.is_single_node());
  EXPECT_EQ(All(l), (std::vector<std::string>{"36", "37", "38", "39"}));
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, ByteLimitedNodes) {
  ScopedListConfig config(-1, 1);  // 4 KiB nodes
  ListObject l;
  const std::string v(100, 'x');
  // A 100-byte string takes 2 header + 100 + 1 backlen = 103 bytes: 39 fit in 4096, 40 do not.
  for (int i = 0; i < 39; ++i) l.Push(ListEnd::kHead, v);
  EXPECT_TRUE(l.is_single_node());
  l.Push(ListEnd::kHead, v);
  EXPECT_EQ(l.node_count(), 2u);
  EXPECT_EQ(l.CheckInvariants(), "");
  for (int i = 0; i < 100; ++i) l.Push(ListEnd::kHead, v);
  EXPECT_GE(l.node_count(), 4u);
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, ElementLargerThanANodeGetsItsOwnNode) {
  ScopedListConfig config(-1, 1);
  ListObject l;
  for (int i = 0; i < 10; ++i) l.Push(ListEnd::kTail, "s" + std::to_string(i));
  const std::string big(1 << 20, 'B');
  ASSERT_TRUE(l.Insert("s4", big, true));
  EXPECT_EQ(l.Size(), 11u);
  EXPECT_EQ(IndexOf(l, 5), big);
  EXPECT_EQ(IndexOf(l, 4), "s4");
  EXPECT_EQ(IndexOf(l, 6), "s5");
  EXPECT_EQ(l.CheckInvariants(), "");
  l.Push(ListEnd::kHead, big);
  l.Push(ListEnd::kTail, big);
  EXPECT_EQ(IndexOf(l, 0), big);
  EXPECT_EQ(IndexOf(l, -1), big);
  ASSERT_TRUE(l.Set(3, big));
  EXPECT_EQ(IndexOf(l, 3), big);
  EXPECT_EQ(l.Remove(big, 0), 4u);  // inserted, pushed twice, and the LSET over "s2"
  EXPECT_EQ(l.Size(), 9u);
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, IndexAndSetAcrossNodeBoundaries) {
  ScopedListConfig config(3, 1);
  ListObject l;
  Model m;
  for (int i = 0; i < 30; ++i) {
    l.Push(ListEnd::kTail, "v" + std::to_string(i));
    m.push_back("v" + std::to_string(i));
  }
  for (int64_t i = -32; i < 32; ++i) {
    const int64_t j = i < 0 ? i + 30 : i;
    EXPECT_EQ(IndexOf(l, i), j >= 0 && j < 30 ? m[j] : "<none>") << i;
  }
  // Every position, including each node's first and last, with growing and shrinking values.
  for (int64_t i = 0; i < 30; ++i) {
    std::string v = i % 2 ? std::string(static_cast<size_t>(i) * 50, 'L') : std::to_string(i);
    ASSERT_TRUE(l.Set(i % 3 == 0 ? i - 30 : i, v));
    m[static_cast<size_t>(i)] = v;
    ASSERT_EQ(l.CheckInvariants(), "") << i;
  }
  EXPECT_FALSE(l.Set(30, "x"));
  EXPECT_FALSE(l.Set(-31, "x"));
  EXPECT_EQ(All(l), ToVector(m));
}

TEST(ListObjectTest, InsertBeforeAndAfterAtBoundaries) {
  ScopedListConfig config(2, 1);
  ListObject l;
  for (const char* v : {"a", "b", "c", "d", "e"}) l.Push(ListEnd::kTail, v);
  ASSERT_TRUE(l.Insert("a", "A0", false));  // new head
  ASSERT_TRUE(l.Insert("e", "E1", true));   // new tail
  ASSERT_TRUE(l.Insert("b", "B1", true));   // end of a node
  ASSERT_TRUE(l.Insert("c", "C0", false));  // start of a node
  EXPECT_FALSE(l.Insert("zz", "x", true));
  EXPECT_EQ(All(l), (std::vector<std::string>{"A0", "a", "b", "B1", "C0", "c", "d", "e", "E1"}));
  EXPECT_EQ(l.CheckInvariants(), "");
  // The first match from the head is the pivot.
  l.Push(ListEnd::kTail, "a");
  ASSERT_TRUE(l.Insert("a", "mid", true));
  EXPECT_EQ(IndexOf(l, 2), "mid");
  // Integers and strings are different pivots.
  l.Push(ListEnd::kTail, "7");
  EXPECT_FALSE(l.Insert("07", "x", true));
  EXPECT_TRUE(l.Insert("7", "x", true));
  EXPECT_EQ(IndexOf(l, -1), "x");
}

TEST(ListObjectTest, RemoveFromHeadTailAndAll) {
  for (int64_t fill : std::vector<int64_t>{1, 2, 3, 128, -2}) {
    ScopedListConfig config(fill, 1);
    auto make = [] {
      auto l = std::make_unique<ListObject>();
      for (int i = 0; i < 50; ++i) l->Push(ListEnd::kTail, i % 3 == 0 ? "x" : std::to_string(i));
      return l;
    };
    Model base;
    for (int i = 0; i < 50; ++i) base.push_back(i % 3 == 0 ? "x" : std::to_string(i));
    for (int64_t count :
         std::vector<int64_t>{0, 1, 2, 5, 17, 100, -1, -2, -5, -17, -100, INT64_MIN}) {
      auto l = make();
      Model m = base;
      size_t want = 0;
      if (count >= 0) {
        for (auto it = m.begin(); it != m.end();) {
          if (*it == "x" && (count == 0 || want < static_cast<size_t>(count))) {
            it = m.erase(it);
            ++want;
          } else {
            ++it;
          }
        }
      } else {
        const uint64_t limit = 0 - static_cast<uint64_t>(count);
        for (size_t i = m.size(); i-- > 0;) {
          if (m[i] == "x" && want < limit) {
            m.erase(m.begin() + static_cast<std::ptrdiff_t>(i));
            ++want;
          }
        }
      }
      EXPECT_EQ(l->Remove("x", count), want) << fill << " " << count;
      EXPECT_EQ(All(*l), ToVector(m)) << fill << " " << count;
      EXPECT_EQ(l->CheckInvariants(), "") << fill << " " << count;
    }
    auto l = make();
    EXPECT_EQ(l->Remove("nothing", 0), 0u);
    for (int i = 0; i < 50; ++i) l->Remove(i % 3 == 0 ? "x" : std::to_string(i), 0);
    EXPECT_EQ(l->Size(), 0u);
    EXPECT_EQ(l->CheckInvariants(), "");
  }
}

TEST(ListObjectTest, TrimFollowsRedisClamping) {
  ScopedListConfig config(3, 1);
  struct Case {
    int64_t start, end;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {0, -1, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
      {0, 0, {"0"}},
      {-1, -1, {"9"}},
      {2, 4, {"2", "3", "4"}},
      {3, 5, {"3", "4", "5"}},  // node-aligned cut
      {-3, 100, {"7", "8", "9"}},
      {-100, 1, {"0", "1"}},
      {5, 2, {}},
      {10, 20, {}},
      {-1, -2, {}},
      {INT64_MIN, INT64_MAX, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
      {INT64_MAX, INT64_MIN, {}},
  };
  for (const Case& c : cases) {
    ListObject l;
    for (int i = 0; i < 10; ++i) l.Push(ListEnd::kTail, std::to_string(i));
    l.Trim(c.start, c.end);
    EXPECT_EQ(All(l), c.want) << c.start << " " << c.end;
    EXPECT_EQ(l.CheckInvariants(), "");
    EXPECT_EQ(l.RangeLength(0, -1), c.want.size());
  }
}

TEST(ListObjectTest, RangeAndWalk) {
  ScopedListConfig config(4, 1);
  ListObject l;
  for (int i = 0; i < 23; ++i) l.Push(ListEnd::kTail, std::to_string(i));
  std::vector<std::string> got;
  l.Range(3, 9, [&](std::string_view v) { got.emplace_back(v); });
  EXPECT_EQ(got, (std::vector<std::string>{"3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(l.RangeLength(3, 9), 7u);
  EXPECT_EQ(l.RangeLength(-5, 100), 5u);
  EXPECT_EQ(l.RangeLength(30, 40), 0u);
  got.clear();
  l.Walk(18, 5, true, [&](std::string_view v) { got.emplace_back(v); });
  EXPECT_EQ(got, (std::vector<std::string>{"22", "21", "20", "19", "18"}));
  got.clear();
  l.Walk(0, 23, true, [&](std::string_view v) { got.emplace_back(v); });
  EXPECT_EQ(got.size(), 23u);
  EXPECT_EQ(got.front(), "22");
  EXPECT_EQ(got.back(), "0");
}

TEST(ListObjectTest, FindLikeLpos) {
  ScopedListConfig config(3, 1);
  ListObject l;
  for (const char* v : {"a", "b", "c", "1", "2", "3", "c", "b", "a", "c"})
    l.Push(ListEnd::kTail, v);
  EXPECT_EQ(FindAll(l, "c", false, 0, 1), (std::vector<int64_t>{2}));
  EXPECT_EQ(FindAll(l, "c", false), (std::vector<int64_t>{2, 6, 9}));
  EXPECT_EQ(FindAll(l, "c", false, 1), (std::vector<int64_t>{6, 9}));
  EXPECT_EQ(FindAll(l, "c", true), (std::vector<int64_t>{9, 6, 2}));
  EXPECT_EQ(FindAll(l, "c", true, 1, 1), (std::vector<int64_t>{6}));
  EXPECT_EQ(FindAll(l, "c", false, 0, 0, 7), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(FindAll(l, "c", true, 0, 0, 1), (std::vector<int64_t>{9}));
  EXPECT_EQ(FindAll(l, "c", false, 5), (std::vector<int64_t>{}));
  EXPECT_EQ(FindAll(l, "2", false), (std::vector<int64_t>{4}));
  EXPECT_EQ(FindAll(l, "02", false), (std::vector<int64_t>{}));
}

TEST(ListObjectTest, RotateKeepsOneElementList) {
  ListObject l;
  l.Push(ListEnd::kTail, "only");
  std::string got;
  ASSERT_TRUE(l.Rotate(ListEnd::kHead, ListEnd::kTail, [&](std::string_view v) { got = v; }));
  EXPECT_EQ(got, "only");
  EXPECT_EQ(l.Size(), 1u);
  for (const char* v : {"a", "b"}) l.Push(ListEnd::kTail, v);
  ASSERT_TRUE(l.Rotate(ListEnd::kTail, ListEnd::kHead, [&](std::string_view v) { got = v; }));
  EXPECT_EQ(All(l), (std::vector<std::string>{"b", "only", "a"}));
}

TEST(ListObjectTest, InteriorNodesAreCompressedAndEndsStayPlain) {
  ScopedListConfig config(-2, 1);
  ListObject l;
  for (int i = 0; i < 100000; ++i) l.Push(ListEnd::kTail, "item:" + std::to_string(1000000 + i));
  EXPECT_GT(l.node_count(), 10u);
  EXPECT_EQ(l.compressed_node_count(), l.node_count() - 2);
  EXPECT_EQ(l.CheckInvariants(), "");
  // Reading and writing in the middle decompresses on the way and compresses again after.
  EXPECT_EQ(IndexOf(l, 50000), "item:1050000");
  ASSERT_TRUE(l.Set(50000, "changed"));
  EXPECT_EQ(IndexOf(l, 50000), "changed");
  ASSERT_TRUE(l.Insert("item:1060000", "inserted", false));
  EXPECT_EQ(IndexOf(l, 60000), "inserted");
  EXPECT_EQ(l.Remove("item:1070000", 0), 1u);
  EXPECT_EQ(l.compressed_node_count(), l.node_count() - 2);
  // Popping from both ends brings compressed nodes to the ends, where they are plain again.
  for (int i = 0; i < 30000; ++i) {
    PopOf(l, ListEnd::kHead);
    PopOf(l, ListEnd::kTail);
  }
  EXPECT_EQ(l.CheckInvariants(), "");
  EXPECT_EQ(l.compressed_node_count(), l.node_count() > 2 ? l.node_count() - 2 : 0);
  // Depth 0: nothing new gets compressed, existing compressed nodes still read.
  ListCompressDepth() = 0;
  EXPECT_EQ(IndexOf(l, 20000), "changed");
  EXPECT_EQ(IndexOf(l, 20001), "item:1050001");
  for (int i = 0; i < 10000; ++i) l.Push(ListEnd::kHead, "h" + std::to_string(i));
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, IncompressibleNodesStayPlainAndTight) {
  ScopedListConfig config(-2, 1);
  std::mt19937_64 rng(3);
  ListObject l;
  for (int i = 0; i < 5000; ++i) {
    std::string v(16, ' ');
    for (char& c : v) c = static_cast<char>(rng());
    l.Push(ListEnd::kTail, v);
  }
  EXPECT_EQ(l.compressed_node_count(), 0u);
  EXPECT_EQ(l.CheckInvariants(), "");
  // 18 bytes per element plus node headers and allocator rounding.
  EXPECT_LT(l.MemoryUsage(), 5000u * 19);
}

TEST(ListObjectTest, MemoryUsageTracksChanges) {
  ScopedListConfig config(-2, 1);
  ListObject l;
  const size_t empty = l.MemoryUsage();
  EXPECT_GE(empty, sizeof(ListObject));
  EXPECT_LE(empty, 64u);
  l.Push(ListEnd::kTail, "a");
  const size_t one = l.MemoryUsage();
  EXPECT_GT(one, empty);
  for (int i = 0; i < 20000; ++i) l.Push(ListEnd::kTail, std::string(20, 'a' + i % 26));
  const size_t big = l.MemoryUsage();
  EXPECT_GT(big, one);
  EXPECT_EQ(l.CheckInvariants(), "");  // includes the accounting check
  l.Trim(0, 0);
  EXPECT_EQ(l.CheckInvariants(), "");
  EXPECT_LT(l.MemoryUsage(), big / 50);
}

TEST(ListObjectTest, CloneIsIndependent) {
  ScopedListConfig config(8, 1);
  ListObject l;
  for (int i = 0; i < 1000; ++i) l.Push(ListEnd::kTail, "value" + std::to_string(i % 10));
  std::unique_ptr<Object> c = l.Clone();
  auto& copy = static_cast<ListObject&>(*c);
  EXPECT_EQ(All(copy), All(l));
  EXPECT_EQ(copy.CheckInvariants(), "");
  EXPECT_EQ(copy.MemoryUsage() > 0, true);
  copy.Push(ListEnd::kHead, "new");
  ASSERT_TRUE(copy.Set(500, "changed"));
  EXPECT_EQ(IndexOf(l, 0), "value0");
  EXPECT_EQ(IndexOf(l, 500), "value0");
  EXPECT_EQ(l.CheckInvariants(), "");
}

TEST(ListObjectTest, HugeList) {
  ScopedListConfig config(-2, 1);
  ListObject l;
  const int n = 1000000;
  for (int i = 0; i < n; ++i) l.Push(i % 2 ? ListEnd::kTail : ListEnd::kHead, std::to_string(i));
  EXPECT_EQ(l.Size(), static_cast<size_t>(n));
  EXPECT_EQ(IndexOf(l, 0), std::to_string(n - 2));
  EXPECT_EQ(IndexOf(l, -1), std::to_string(n - 1));
  EXPECT_EQ(IndexOf(l, n / 2), "1");
  EXPECT_EQ(l.RangeLength(0, -1), static_cast<size_t>(n));
  EXPECT_EQ(l.CheckInvariants(), "");
  l.Trim(1000, -1001);
  EXPECT_EQ(l.Size(), static_cast<size_t>(n - 2000));
  EXPECT_EQ(l.CheckInvariants(), "");
  EXPECT_EQ(FindAll(l, "1", false), (std::vector<int64_t>{n / 2 - 1000}));
  size_t popped = l.PopMany(ListEnd::kTail, static_cast<size_t>(n), [](std::string_view) {});
  EXPECT_EQ(popped, static_cast<size_t>(n - 2000));
  EXPECT_EQ(l.Size(), 0u);
  EXPECT_EQ(l.CheckInvariants(), "");
}

// Random operations against a std::deque, under several node limits and compression depths.
void RandomOps(int64_t fill, int depth, uint32_t seed, int steps) {
  ScopedListConfig config(fill, depth);
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto value = [&]() -> std::string {
    switch (uniform(0, 5)) {
      case 0:
        return std::to_string(uniform(-3, 3));
      case 1:
        return "v" + std::to_string(uniform(0, 9));
      case 2:
        return std::string(static_cast<size_t>(uniform(60, 300)),
                           static_cast<char>('a' + uniform(0, 3)));
      case 3:
        return std::to_string(uniform(0, 1 << 30));
      case 4:
        return uniform(0, 20) == 0 ? std::string(9000, 'Z') : "";
      default:
        return "x";
    }
  };
  ListObject l;
  Model m;
  for (int step = 0; step < steps; ++step) {
    const int op = uniform(0, 11);
    const int64_t sz = static_cast<int64_t>(m.size());
    auto index = [&] {
      return static_cast<int64_t>(uniform(-static_cast<int>(sz) - 2, static_cast<int>(sz) + 1));
    };
    auto norm = [&](int64_t i) { return i < 0 ? i + sz : i; };
    switch (op) {
      case 0:
      case 1: {
        std::string v = value();
        const bool head = uniform(0, 1);
        l.Push(head ? ListEnd::kHead : ListEnd::kTail, v);
        head ? m.push_front(v) : m.push_back(v);
        break;
      }
      case 2: {
        const bool head = uniform(0, 1);
        std::string got = PopOf(l, head ? ListEnd::kHead : ListEnd::kTail);
        if (m.empty()) {
          ASSERT_EQ(got, "<none>");
        } else {
          ASSERT_EQ(got, head ? m.front() : m.back());
          head ? m.pop_front() : m.pop_back();
        }
        break;
      }
      case 3: {
        const int64_t i = index();
        const int64_t j = norm(i);
        ASSERT_EQ(IndexOf(l, i), j >= 0 && j < sz ? m[static_cast<size_t>(j)] : "<none>");
        break;
      }
      case 4: {
        const int64_t i = index();
        const int64_t j = norm(i);
        std::string v = value();
        const bool ok = j >= 0 && j < sz;
        ASSERT_EQ(l.Set(i, v), ok);
        if (ok) m[static_cast<size_t>(j)] = v;
        break;
      }
      case 5: {
        std::string pivot = value(), v = value();
        const bool after = uniform(0, 1);
        auto it = std::find(m.begin(), m.end(), pivot);
        ASSERT_EQ(l.Insert(pivot, v, after), it != m.end());
        if (it != m.end()) m.insert(after ? it + 1 : it, v);
        break;
      }
      case 6: {
        std::string v = value();
        const int64_t count = uniform(-3, 3);
        size_t want = 0;
        if (count >= 0) {
          for (auto it = m.begin(); it != m.end();) {
            if (*it == v && (count == 0 || want < static_cast<size_t>(count))) {
              it = m.erase(it);
              ++want;
            } else {
              ++it;
            }
          }
        } else {
          for (size_t i = m.size(); i-- > 0;) {
            if (m[i] == v && want < static_cast<size_t>(-count)) {
              m.erase(m.begin() + static_cast<std::ptrdiff_t>(i));
              ++want;
            }
          }
        }
        ASSERT_EQ(l.Remove(v, count), want);
        break;
      }
      case 7: {
        if (uniform(0, 5) != 0) break;  // trims shrink fast; keep the list growing
        const int64_t a = index(), b = index();
        int64_t s = a < 0 ? a + sz : a, e = b < 0 ? b + sz : b;
        if (s < 0) s = 0;
        if (s > e || s >= sz) {
          m.clear();
        } else {
          if (e >= sz) e = sz - 1;
          m = Model(m.begin() + s, m.begin() + e + 1);
        }
        l.Trim(a, b);
        break;
      }
      case 8: {
        const int64_t a = index(), b = index();
        std::vector<std::string> got;
        l.Range(a, b, [&](std::string_view v) { got.emplace_back(v); });
        int64_t s = a < 0 ? a + sz : a, e = b < 0 ? b + sz : b;
        if (s < 0) s = 0;
        std::vector<std::string> want;
        if (!(s > e || s >= sz)) {
          if (e >= sz) e = sz - 1;
          want.assign(m.begin() + s, m.begin() + e + 1);
        }
        ASSERT_EQ(got, want);
        ASSERT_EQ(l.RangeLength(a, b), want.size());
        break;
      }
      case 9: {
        std::string v = value();
        const bool from_tail = uniform(0, 1);
        std::vector<int64_t> want;
        for (size_t k = 0; k < m.size(); ++k) {
          const size_t i = from_tail ? m.size() - 1 - k : k;
          if (m[i] == v) want.push_back(static_cast<int64_t>(i));
        }
        ASSERT_EQ(FindAll(l, v, from_tail), want);
        break;
      }
      case 10: {
        if (m.empty()) break;
        const bool from_head = uniform(0, 1), to_head = uniform(0, 1);
        std::string got;
        l.Rotate(from_head ? ListEnd::kHead : ListEnd::kTail,
                 to_head ? ListEnd::kHead : ListEnd::kTail, [&](std::string_view v) { got = v; });
        std::string v = from_head ? m.front() : m.back();
        from_head ? m.pop_front() : m.pop_back();
        to_head ? m.push_front(v) : m.push_back(v);
        ASSERT_EQ(got, v);
        break;
      }
      default: {
        for (int k = uniform(1, 60); k > 0; --k) {
          std::string v = value();
          l.Push(ListEnd::kTail, v);
          m.push_back(v);
        }
        break;
      }
    }
    ASSERT_EQ(l.Size(), m.size());
    if (step % 50 == 0) {
      ASSERT_EQ(l.CheckInvariants(), "") << "step " << step;
      ASSERT_EQ(All(l), ToVector(m)) << "step " << step;
    }
  }
  ASSERT_EQ(l.CheckInvariants(), "");
  ASSERT_EQ(All(l), ToVector(m));
}

TEST(ListObjectTest, RandomOperationsMatchADeque) {
  const int64_t fills[] = {1, 2, 5, 128, -1, -2, -5, -6, 0};
  uint32_t seed = 1;
  for (int64_t fill : fills) {
    for (int depth : {0, 1, 2}) {
      SCOPED_TRACE("fill " + std::to_string(fill) + " depth " + std::to_string(depth));
      RandomOps(fill, depth, seed++, 3000);
    }
  }
}

// ---- Through the engine. ----------------------------------------------------------------------

TEST(ListObjectTest, EngineDeletesEmptiedListAndAccountsMemory) {
  ManualClock clock;
  Engine engine(EngineOptions{}, &clock);
  const size_t base = engine.UsedMemory();
  auto push = [&](std::string_view key, std::string_view v) {
    return engine.UpdateObject(0, key, ValueType::kList, [&](std::unique_ptr<Object>& o) {
      if (o == nullptr) o = std::make_unique<ListObject>();
      static_cast<ListObject&>(*o).Push(ListEnd::kTail, v);
    });
  };
  for (int i = 0; i < 10000; ++i)
    ASSERT_EQ(push("l", "element" + std::to_string(i)), OpStatus::kOk);
  EXPECT_GT(engine.UsedMemory(), base + 10000 * 2);  // compressed: about 5 bytes per element
  auto info = engine.GetObjectInfo(0, "l");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->encoding, Encoding::kQuicklist);
  EXPECT_EQ(engine.UpdateObject(
                0, "l", ValueType::kList,
                [&](std::unique_ptr<Object>& o) { static_cast<ListObject&>(*o).Trim(1, 0); }),
            OpStatus::kOk);
  EXPECT_FALSE(engine.Exists(0, "l"));
  EXPECT_EQ(engine.UsedMemory(), base);
  ASSERT_EQ(engine.Set(0, "s", "x", SetParams{}), OpStatus::kOk);
  EXPECT_EQ(push("s", "v"), OpStatus::kWrongType);
}

}  // namespace
}  // namespace ringkv::engine
