// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// StreamObject (stream.h): ID parsing and arithmetic with Redis 7.0's rules, XADD's ID choice,
// ranges across nodes (shared and differing field names, binary values), node splitting, XDEL
// and trimming with their first/max-deleted ID bookkeeping, consumer groups (PELs, entries-read
// and lag around tombstones), snapshot round trips including malformed input, and Clone.
#include "engine/types/stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringkv::engine {

// Readable StreamIds in gtest failure messages (found by ADL).
void PrintTo(const StreamId& id, std::ostream* os) { *os << id.ToString(); }

namespace {

using std::string_literals::operator""s;
using Status = StreamObject::AddStatus;
using Fields = std::vector<std::string>;
using Entries = std::vector<std::pair<StreamId, Fields>>;

// Nodes split every three entries, so small streams span several nodes.
constexpr StreamNodeLimits kThree{4096, 3};

StreamId Ms(uint64_t ms) { return {ms, 0}; }

Status AddId(StreamObject& s, StreamId id, const Fields& fv, StreamNodeLimits limits = kThree) {
  std::vector<std::string_view> views(fv.begin(), fv.end());
  StreamId added;
  const Status st = s.Add(views, 0, &id, true, limits, &added);
  if (st == Status::kOk) {
    EXPECT_EQ(added, id);
  }
  return st;
}

StreamId AddAuto(StreamObject& s, int64_t now_ms, const StreamId* id = nullptr,
                 bool seq_given = true, Status want = Status::kOk) {
  const std::string_view fv[] = {"f", "v"};
  StreamId added{77, 77};
  EXPECT_EQ(s.Add(fv, now_ms, id, seq_given, kThree, &added), want);
  return added;
}

// Entries 1-0 ... n-0, each {"f", "<i>"}.
void Fill(StreamObject& s, uint64_t n) {
  for (uint64_t i = 1; i <= n; ++i) {
    ASSERT_EQ(AddId(s, Ms(i), {"f", std::to_string(i)}), Status::kOk);
  }
}

Entries Read(const StreamObject& s, StreamId start = {}, StreamId end = StreamId::Max(),
             size_t count = 0, bool rev = false) {
  Entries out;
  const size_t n =
      s.Range(start, end, count, rev, [&](StreamId id, std::span<const std::string_view> fv) {
        out.emplace_back(id, Fields(fv.begin(), fv.end()));
      });
  EXPECT_EQ(n, out.size());
  return out;
}

// The ms of every live entry, ascending (the streams built by Fill have seq 0).
std::vector<uint64_t> Live(const StreamObject& s) {
  std::vector<uint64_t> out;
  for (const auto& [id, fv] : Read(s)) out.push_back(id.ms);
  return out;
}

size_t Del(StreamObject& s, std::vector<StreamId> ids) { return s.Delete(ids); }

StreamTrim MakeTrim(StreamTrim::Strategy strategy, bool approx, uint64_t maxlen,
                    StreamId minid = {}, int64_t limit = 0) {
  StreamTrim t;
  t.strategy = strategy;
  t.approx = approx;
  t.maxlen = maxlen;
  t.minid = minid;
  t.limit = limit;
  return t;
}
constexpr auto kMaxLen = StreamTrim::Strategy::kMaxLen;
constexpr auto kMinId = StreamTrim::Strategy::kMinId;

void IgnoreEntry(StreamId, std::span<const std::string_view>) {}
void IgnoreHistory(StreamId, const std::span<const std::string_view>*) {}

// The stream's counters and node count, as text.
std::string Header(const StreamObject& s) {
  return "size=" + std::to_string(s.Size()) + " added=" + std::to_string(s.entries_added()) +
         " last=" + s.last_id().ToString() + " first=" + s.first_id().ToString() +
         " maxdel=" + s.max_deleted_id().ToString() + " nodes=" + std::to_string(s.nodes());
}

// A group's PEL as "<id> <owner, or -> <delivery time> <delivery count>; ...". Checks that the
// consumers' own PELs list exactly the IDs they own.
std::string PelText(const StreamObject::Group& g) {
  std::string out;
  size_t owned = 0;
  for (const auto& [id, nack] : g.pel) {
    const StreamObject::Consumer* c = nack.consumer;
    if (c != nullptr) {
      auto it = g.consumers.find(c->name);
      EXPECT_TRUE(it != g.consumers.end() && it->second.get() == c && c->pel.contains(id))
          << id.ToString();
      ++owned;
    }
    out += (out.empty() ? "" : "; ") + id.ToString() + " " + (c ? c->name : "-") + " " +
           std::to_string(nack.delivery_time) + " " + std::to_string(nack.delivery_count);
  }
  size_t listed = 0;
  for (const auto& [name, c] : g.consumers) listed += c->pel.size();
  EXPECT_EQ(listed, owned);
  return out;
}

// Every observable property, as text.
std::string Describe(const StreamObject& s) {
  std::ostringstream o;
  o << Header(s) << '\n';
  for (const auto& [id, fv] : Read(s)) {
    o << id.ToString();
    for (const auto& f : fv) o << " <" << f.size() << ':' << f << '>';
    o << '\n';
  }
  for (const auto& [name, g] : s.groups()) {
    const std::optional<int64_t> lag = s.Lag(*g);
    o << "group <" << name << "> last=" << g->last_id.ToString() << " read=" << g->entries_read
      << " lag=" << (lag ? std::to_string(*lag) : "?") << " pel=" << PelText(*g) << '\n';
    for (const auto& [cname, c] : g->consumers) {
      EXPECT_EQ(c->name, cname);
      o << " consumer <" << cname << "> seen=" << c->seen_time << '\n';
    }
  }
  return o.str();
}

// Shared field names (kSameFields), reordered and differing names, empty and binary values,
// same-ms sequence deltas and a far ms; with kThree: nodes {1,2,3} {4,5,6} {7-3,7-9,9} {2^40-7}.
Entries Mixed() {
  return {
      {Ms(1), {"a", "1", "b", "one"}},       {Ms(2), {"a", "2", "b", ""}},
      {Ms(3), {"b", "3", "a", "x"}},         {Ms(4), {"a", "4"}},
      {Ms(5), {"a", "5", "c", ""}},          {Ms(6), {"a", "\0\1\0"s}},
      {{7, 3}, {"k\0ey"s, "v", "a", ""}},    {{7, 9}, {"k\0ey"s, "\0"s, "a", "q"}},
      {Ms(9), {"x", std::string(300, 'z')}}, {{uint64_t{1} << 40, 7}, {"k\0ey"s, "", "a", ""}},
  };
}

Entries Slice(const Entries& e, size_t from, size_t to, bool rev = false) {
  Entries out(e.begin() + static_cast<ptrdiff_t>(from), e.begin() + static_cast<ptrdiff_t>(to));
  if (rev) std::reverse(out.begin(), out.end());
  return out;
}

// Mixed() less some deleted entries, XSETID-style IDs and two groups with PELs.
std::unique_ptr<StreamObject> RichStream() {
  auto s = std::make_unique<StreamObject>();
  for (const auto& [id, fv] : Mixed()) EXPECT_EQ(AddId(*s, id, fv), Status::kOk);
  EXPECT_EQ(Del(*s, {Ms(4), Ms(5), Ms(6), Ms(2), {7, 9}}), 5u);  // node {4,5,6} goes
  s->SetIds({uint64_t{1} << 41, 2}, 40, StreamId{12, 0});
  StreamObject::Group* g1 = s->CreateGroup("g1", {}, -1);
  StreamObject::Consumer* alice = StreamObject::CreateConsumer(*g1, "alice", 100);
  StreamObject::Consumer* bob = StreamObject::CreateConsumer(*g1, "bob", -7);
  EXPECT_EQ(s->DeliverNew(*g1, *alice, 2, false, 1000, IgnoreEntry), 2u);  // 1-0, 3-0
  EXPECT_EQ(s->DeliverNew(*g1, *bob, 1, false, 2000, IgnoreEntry), 1u);    // 7-3
  EXPECT_EQ(s->DeliverHistory(*alice, *g1, {}, 0, 3000, IgnoreHistory), 2u);
  StreamObject::Assign(*g1, Ms(5), nullptr, 4000);  // XCLAIM of a deleted entry, no owner
  StreamObject::Assign(*g1, Ms(3), nullptr, 4500);  // taken from alice
  StreamObject::Group* g2 = s->CreateGroup("g\0two"s, {7, 3}, 4);
  StreamObject::Consumer* anon = StreamObject::CreateConsumer(*g2, "", 5);
  StreamObject::CreateConsumer(*g2, "idle", 6);
  StreamObject::Assign(*g2, Ms(9), anon, 7000).delivery_count = 3;
  return s;
}

// ---- IDs. ---------------------------------------------------------------------------------------

// ParseStreamId's result as {parsed, id, *seq_given}; the id and flag start as 3-3 and true.
struct Parsed {
  bool ok;
  StreamId id;
  bool seq_given = true;
  friend bool operator==(const Parsed&, const Parsed&) = default;
  friend void PrintTo(const Parsed& p, std::ostream* os) {
    *os << p.ok << ' ' << p.id.ToString() << ' ' << p.seq_given;
  }
};
Parsed Parse(std::string_view s, uint64_t missing_seq = 0, bool strict = false,
             bool want_seq_given = false) {
  Parsed p{false, {3, 3}};
  p.ok = ParseStreamId(s, missing_seq, strict, &p.id, want_seq_given ? &p.seq_given : nullptr);
  if (want_seq_given && p.ok) {  // the flag must be written, not left as it was
    Parsed q{false, {3, 3}, !p.seq_given};
    q.ok = ParseStreamId(s, missing_seq, strict, &q.id, &q.seq_given);
    EXPECT_EQ(q, p) << s;
  }
  return p;
}
constexpr uint64_t kU64Max = UINT64_MAX;

TEST(StreamIdTest, ParsesRedisForms) {
  EXPECT_EQ(Parse("5-3"), (Parsed{true, {5, 3}}));
  EXPECT_EQ(Parse("5-3", 0, true), (Parsed{true, {5, 3}}));
  EXPECT_EQ(Parse("5"), (Parsed{true, {5, 0}}));
  EXPECT_EQ(Parse("5", kU64Max), (Parsed{true, {5, kU64Max}}));
  EXPECT_EQ(Parse("-", 9), (Parsed{true, {0, 0}}));
  EXPECT_EQ(Parse("+", 9), (Parsed{true, StreamId::Max()}));
  EXPECT_FALSE(Parse("-", 0, true).ok);
  EXPECT_FALSE(Parse("+", 0, true).ok);
  EXPECT_EQ(Parse("18446744073709551615-18446744073709551615", 0, true),
            (Parsed{true, StreamId::Max()}));
  // string2ull falls back to strtoull, which takes a '+' sign and leading zeros.
  EXPECT_EQ(Parse("+5"), (Parsed{true, {5, 0}}));
  EXPECT_EQ(Parse("007"), (Parsed{true, {7, 0}}));
  EXPECT_EQ(Parse("007-+010"), (Parsed{true, {7, 10}}));
  // 127 characters is the longest accepted.
  EXPECT_EQ(Parse("1-" + std::string(124, '0') + "9"), (Parsed{true, {1, 9}}));
}

TEST(StreamIdTest, SeqWildcardNeedsSeqGiven) {
  EXPECT_FALSE(Parse("5-*").ok);
  EXPECT_EQ(Parse("5-*", 7, false, true), (Parsed{true, {5, 0}, false}));
  EXPECT_EQ(Parse("5-3", 7, false, true), (Parsed{true, {5, 3}, true}));
  EXPECT_EQ(Parse("5", 7, false, true), (Parsed{true, {5, 7}, true}));
  EXPECT_EQ(Parse("-", 7, false, true), (Parsed{true, {0, 0}, true}));
  for (const char* s : {"*", "5-**", "*-5", "5-*1"}) EXPECT_FALSE(Parse(s, 0, false, true).ok);
}

TEST(StreamIdTest, RejectsInvalid) {
  for (std::string s :
       {""s, "abc"s, "1-x"s, "-1"s, "1--2"s, "1-"s, "1-2-3"s, "5x"s, "0x10"s,
        "18446744073709551616"s, "1-18446744073709551616"s, "99999999999999999999999"s,
        "1-" + std::string(126, '0'), std::string(128, '1')}) {
    EXPECT_FALSE(Parse(s).ok) << s;
    EXPECT_FALSE(Parse(s, 0, false, true).ok) << s;
  }
}

TEST(StreamIdTest, IncrAndDecrWrap) {
  auto incr = [](StreamId id) { return std::pair{id.Incr(), id}; };
  auto decr = [](StreamId id) { return std::pair{id.Decr(), id}; };
  EXPECT_EQ(incr({1, 2}), (std::pair{true, StreamId{1, 3}}));
  EXPECT_EQ(incr({1, kU64Max}), (std::pair{true, StreamId{2, 0}}));  // seq carries into ms
  EXPECT_EQ(incr(StreamId::Max()), (std::pair{false, StreamId{0, 0}}));
  EXPECT_EQ(decr({1, 3}), (std::pair{true, StreamId{1, 2}}));
  EXPECT_EQ(decr({2, 0}), (std::pair{true, StreamId{1, kU64Max}}));
  EXPECT_EQ(decr({0, 0}), (std::pair{false, StreamId::Max()}));
  EXPECT_TRUE(StreamId{}.IsZero());
  EXPECT_FALSE((StreamId{0, 1}).IsZero());
  EXPECT_EQ((StreamId{5, 3}).ToString(), "5-3");
  EXPECT_EQ(StreamId::Max().ToString(), "18446744073709551615-18446744073709551615");
  EXPECT_LT((StreamId{1, kU64Max}), (StreamId{2, 0}));
}

// ---- Adding. ------------------------------------------------------------------------------------

TEST(StreamAddTest, AutoIdsFollowTheClock) {
  StreamObject s;
  EXPECT_EQ(AddAuto(s, 1000), (StreamId{1000, 0}));
  EXPECT_EQ(AddAuto(s, 1000), (StreamId{1000, 1}));
  EXPECT_EQ(AddAuto(s, 999), (StreamId{1000, 2}));  // clock went backwards
  EXPECT_EQ(AddAuto(s, 2000), (StreamId{2000, 0}));
  EXPECT_EQ(Header(s), "size=4 added=4 last=2000-0 first=1000-0 maxdel=0-0 nodes=2");
  EXPECT_EQ(s.LastEntryId(), (StreamId{2000, 0}));
  EXPECT_FALSE(s.Empty());
  const StreamId max = StreamId::Max();
  AddAuto(s, 0, &max);
  AddAuto(s, 5000, nullptr, true, Status::kIdTooSmall);  // no ID after the maximum
  EXPECT_EQ(s.Size(), 5u);
}

TEST(StreamAddTest, ExplicitIds) {
  StreamObject s;
  const StreamId zero{};
  AddAuto(s, 0, &zero, true, Status::kIdTooSmall);  // 0-0 is never above last_id
  const StreamId five{5, 5};
  EXPECT_EQ(AddAuto(s, 0, &five), five);
  for (StreamId bad : {StreamId{5, 5}, StreamId{5, 4}, StreamId{4, 100}}) {
    AddAuto(s, 1 << 30, &bad, true, Status::kIdTooSmall);
  }
  EXPECT_EQ(Header(s), "size=1 added=1 last=5-5 first=5-5 maxdel=0-0 nodes=1");
  // "<ms>-*": last seq + 1 for the same ms, 0 for a later one, refused for an earlier one.
  const StreamId same{5, 0};
  EXPECT_EQ(AddAuto(s, 0, &same, false), (StreamId{5, 6}));
  const StreamId later{9, 0};
  EXPECT_EQ(AddAuto(s, 0, &later, false), (StreamId{9, 0}));
  EXPECT_EQ(AddAuto(s, 0, &later, false), (StreamId{9, 1}));
  AddAuto(s, 0, &same, false, Status::kIdTooSmall);
  const StreamId full{20, UINT64_MAX};
  EXPECT_EQ(AddAuto(s, 0, &full), full);
  const StreamId full_star{20, 0};
  AddAuto(s, 0, &full_star, false, Status::kIdTooSmall);
  EXPECT_EQ(Header(s), "size=5 added=5 last=20-18446744073709551615 first=5-5 maxdel=0-0 nodes=2");
}

// ---- Ranges and nodes. --------------------------------------------------------------------------

TEST(StreamRangeTest, ForwardAndBackwardAcrossNodes) {
  StreamObject s;
  const Entries e = Mixed();
  for (const auto& [id, fv] : e) ASSERT_EQ(AddId(s, id, fv), Status::kOk);
  EXPECT_EQ(s.nodes(), 4u);
  EXPECT_EQ(Read(s), e);
  EXPECT_EQ(Read(s, {}, StreamId::Max(), 0, true), Slice(e, 0, 10, true));
  EXPECT_EQ(Read(s, Ms(3), {7, 9}), Slice(e, 2, 8));
  EXPECT_EQ(Read(s, Ms(3), {7, 9}, 0, true), Slice(e, 2, 8, true));
  EXPECT_EQ(Read(s, {3, 1}, {7, 5}), Slice(e, 3, 7));  // bounds between entries
  EXPECT_EQ(Read(s, {3, 1}, {7, 5}, 0, true), Slice(e, 3, 7, true));
  EXPECT_EQ(Read(s, Ms(2), StreamId::Max(), 4), Slice(e, 1, 5));
  EXPECT_EQ(Read(s, {}, Ms(9), 4, true), Slice(e, 5, 9, true));
  EXPECT_EQ(Read(s, {7, 9}, {7, 9}), Slice(e, 7, 8));
  EXPECT_EQ(Read(s, {7, 9}, {7, 9}, 0, true), Slice(e, 7, 8));
  EXPECT_TRUE(Read(s, Ms(9), Ms(3)).empty());  // start > end
  EXPECT_TRUE(Read(s, {uint64_t{1} << 40, 8}, StreamId::Max()).empty());
  EXPECT_TRUE(Read(s, {}, {0, 5}, 0, true).empty());
  EXPECT_TRUE(s.Contains({7, 3}));
  EXPECT_FALSE(s.Contains({7, 4}));
  EXPECT_FALSE(s.Contains(Ms(8)));
  EXPECT_EQ(s.FirstEntryId(true), Ms(1));
  EXPECT_EQ(s.LastEntryId(), (StreamId{uint64_t{1} << 40, 7}));
}

TEST(StreamNodeTest, SplitsByEntryCountDeletedIncluded) {
  StreamObject s;
  for (uint64_t i = 1; i <= 7; ++i) {
    ASSERT_EQ(AddId(s, Ms(i), {"f", "v"}), Status::kOk);
    EXPECT_EQ(s.nodes(), (i + 2) / 3) << i;
  }
  StreamObject d;
  Fill(d, 2);
  EXPECT_EQ(Del(d, {Ms(2)}), 1u);  // still counts toward the node's three
  ASSERT_EQ(AddId(d, Ms(3), {"f", "3"}), Status::kOk);
  EXPECT_EQ(d.nodes(), 1u);
  ASSERT_EQ(AddId(d, Ms(4), {"f", "4"}), Status::kOk);
  EXPECT_EQ(d.nodes(), 2u);
  StreamObject unlimited;
  for (uint64_t i = 1; i <= 300; ++i) AddId(unlimited, Ms(i), {"f", "v"}, {0, 0});
  EXPECT_EQ(unlimited.nodes(), 1u);
  EXPECT_EQ(unlimited.Size(), 300u);
}

TEST(StreamNodeTest, SplitsByBytes) {
  // Node header 3 bytes, each entry 44 (flags, ms delta, seq delta, value length, 40 bytes).
  // Before the third entry 91 + 41 field bytes >= 100, so nodes hold two entries each.
  StreamObject s;
  for (uint64_t i = 1; i <= 7; ++i) {
    ASSERT_EQ(AddId(s, Ms(i), {"f", std::string(40, static_cast<char>('a' + i))}, {100, 0}),
              Status::kOk);
    EXPECT_EQ(s.nodes(), (i + 1) / 2) << i;
  }
  StreamObject big;  // an entry larger than the limit gets a node of its own
  for (uint64_t i = 1; i <= 3; ++i) AddId(big, Ms(i), {"f", std::string(200, 'x')}, {100, 50});
  EXPECT_EQ(big.nodes(), 3u);
  EXPECT_EQ(Read(big).size(), 3u);
  EXPECT_EQ(Read(s)[6].second, (Fields{"f", std::string(40, 'h')}));
}

// ---- Deleting. ----------------------------------------------------------------------------------

TEST(StreamDeleteTest, CountsLiveIdsAndDropsEmptiedNodes) {
  StreamObject s;
  Fill(s, 10);  // nodes {1,2,3} {4,5,6} {7,8,9} {10}
  EXPECT_EQ(Del(s, {Ms(5), Ms(5), Ms(11), {4, 1}, {0, 0}}), 1u);
  EXPECT_EQ(Del(s, {Ms(5)}), 0u);
  EXPECT_FALSE(s.Contains(Ms(5)));
  EXPECT_EQ(Live(s), (std::vector<uint64_t>{1, 2, 3, 4, 6, 7, 8, 9, 10}));
  EXPECT_EQ(Header(s), "size=9 added=10 last=10-0 first=1-0 maxdel=5-0 nodes=4");
  EXPECT_EQ(Del(s, {Ms(6), Ms(4)}), 2u);  // node {4,5,6} has no live entry left
  EXPECT_EQ(Header(s), "size=7 added=10 last=10-0 first=1-0 maxdel=6-0 nodes=3");
  EXPECT_EQ(Del(s, {Ms(3)}), 1u);
  EXPECT_EQ(s.max_deleted_id(), Ms(6));  // only ever grows
  EXPECT_EQ(Del(s, {Ms(7)}), 1u);        // a node's first entry: the node stays
  EXPECT_EQ(Read(s, Ms(7), Ms(9), 0, true).size(), 2u);
  EXPECT_EQ(Live(s), (std::vector<uint64_t>{1, 2, 8, 9, 10}));
  EXPECT_EQ(Header(s), "size=5 added=10 last=10-0 first=1-0 maxdel=7-0 nodes=3");
  EXPECT_EQ(Del(s, {Ms(1)}), 1u);
  EXPECT_EQ(s.first_id(), Ms(2));  // the next live entry
  EXPECT_EQ(s.FirstEntryId(false), Ms(1));
  EXPECT_EQ(Del(s, {Ms(2)}), 1u);
  EXPECT_EQ(Header(s), "size=3 added=10 last=10-0 first=8-0 maxdel=7-0 nodes=2");
  EXPECT_EQ(Del(s, {Ms(10), Ms(9), Ms(8)}), 3u);
  EXPECT_EQ(Header(s), "size=0 added=10 last=10-0 first=0-0 maxdel=10-0 nodes=0");
  EXPECT_EQ(s.LastEntryId(), (StreamId{0, 0}));
  EXPECT_EQ(s.FirstEntryId(true), StreamId::Max());
  EXPECT_TRUE(Read(s).empty());
  EXPECT_FALSE(s.Empty());  // the key stays, as does a new stream's
  EXPECT_FALSE(StreamObject().Empty());
  EXPECT_EQ(AddAuto(s, 3), (StreamId{10, 1}));  // IDs keep growing from last_id
  EXPECT_EQ(s.first_id(), (StreamId{10, 1}));
}

// ---- Trimming. ----------------------------------------------------------------------------------

struct TrimCase {
  StreamTrim trim;
  int64_t removed;
  std::vector<uint64_t> left;
  size_t nodes;
};

TEST(StreamTrimTest, MaxLenMinIdAndLimit) {
  auto upto = [](uint64_t from) {
    std::vector<uint64_t> v;
    for (uint64_t i = from; i <= 10; ++i) v.push_back(i);
    return v;
  };
  // Ten entries in nodes {1,2,3} {4,5,6} {7,8,9} {10}. `~` drops a whole node while
  // length - node.live >= maxlen: for maxlen 5, 10-3 = 7 >= 5 goes, then 7-3 = 4 < 5 stops.
  const TrimCase cases[] = {
      {MakeTrim(kMaxLen, false, 5), 5, upto(6), 3},
      {MakeTrim(kMaxLen, true, 5), 3, upto(4), 3},
      {MakeTrim(kMaxLen, true, 4), 6, upto(7), 2},
      {MakeTrim(kMaxLen, false, 10), 0, upto(1), 4},
      {MakeTrim(kMaxLen, true, 0), 10, {}, 0},
      {MakeTrim(kMaxLen, false, 0), 10, {}, 0},
      {MakeTrim(kMinId, false, 0, Ms(5)), 4, upto(5), 3},
      {MakeTrim(kMinId, false, 0, {5, 1}), 5, upto(6), 3},
      {MakeTrim(kMinId, true, 0, Ms(5)), 3, upto(4), 3},
      {MakeTrim(kMinId, true, 0, Ms(4)), 3, upto(4), 3},
      {MakeTrim(kMinId, true, 0, Ms(3)), 0, upto(1), 4},   // 3-0 is not below 3-0
      {MakeTrim(kMaxLen, true, 0, {}, 2), 0, upto(1), 4},  // limit below one node
      {MakeTrim(kMaxLen, true, 0, {}, 3), 3, upto(4), 3},
      {MakeTrim(kMaxLen, true, 0, {}, 8), 6, upto(7), 2},
      {MakeTrim(kMinId, true, 0, Ms(11), 5), 3, upto(4), 3},
      {MakeTrim(StreamTrim::Strategy::kNone, false, 0), 0, upto(1), 4},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    SCOPED_TRACE(i);
    StreamObject s;
    Fill(s, 10);
    const size_t before = s.MemoryUsage();
    EXPECT_EQ(s.Trim(cases[i].trim), cases[i].removed);
    EXPECT_EQ(Live(s), cases[i].left);
    // Trimming is not XDEL: max_deleted_id stays.
    EXPECT_EQ(Header(s),
              "size=" + std::to_string(cases[i].left.size()) + " added=10 last=10-0 first=" +
                  (cases[i].left.empty() ? StreamId{} : Ms(cases[i].left.front())).ToString() +
                  " maxdel=0-0 nodes=" + std::to_string(cases[i].nodes));
    if (cases[i].nodes < 4) {
      EXPECT_LT(s.MemoryUsage(), before);
    }
  }
}

TEST(StreamTrimTest, MaxLenCountsLiveEntriesOnly) {
  StreamObject s;
  Fill(s, 10);
  EXPECT_EQ(Del(s, {Ms(1), Ms(2)}), 2u);  // node {1,2,3} holds one live entry
  // 8-1 = 7 >= 7: the first node goes; 7-3 = 4 < 7 stops.
  EXPECT_EQ(s.Trim(MakeTrim(kMaxLen, true, 7)), 1);
  EXPECT_EQ(Live(s), (std::vector<uint64_t>{4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(s.first_id(), Ms(4));
}

// ---- Consumer groups. ---------------------------------------------------------------------------

TEST(StreamGroupTest, CreateFindDestroy) {
  StreamObject s;
  StreamObject::Group* g = s.CreateGroup("g", {3, 4}, 7);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(s.CreateGroup("g", {}, -1), nullptr);
  EXPECT_EQ(s.FindGroup("g"), g);
  EXPECT_EQ(g->last_id, (StreamId{3, 4}));
  EXPECT_EQ(g->entries_read, 7);
  EXPECT_EQ(s.FindGroup("h"), nullptr);
  StreamObject::Consumer* c = StreamObject::CreateConsumer(*g, "c", 100);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(StreamObject::CreateConsumer(*g, "c", 200), nullptr);
  EXPECT_EQ(StreamObject::FindConsumer(*g, "c", 300, false), c);
  EXPECT_EQ(c->seen_time, 100);
  EXPECT_EQ(StreamObject::FindConsumer(*g, "c", 300, true), c);
  EXPECT_EQ(c->seen_time, 300);
  EXPECT_EQ(StreamObject::FindConsumer(*g, "d", 300, true), nullptr);
  EXPECT_TRUE(s.DestroyGroup("g"));
  EXPECT_FALSE(s.DestroyGroup("g"));
  EXPECT_TRUE(s.groups().empty());
}

TEST(StreamGroupTest, DeliverNewAdvancesLastIdAndEntriesRead) {
  StreamObject s;
  Fill(s, 5);
  StreamObject::Group* g = s.CreateGroup("g", {}, -1);
  StreamObject::Consumer* alice = StreamObject::CreateConsumer(*g, "alice", 0);
  EXPECT_EQ(s.Lag(*g), 5);
  Entries got;
  auto collect = [&](StreamId id, std::span<const std::string_view> fv) {
    got.emplace_back(id, Fields(fv.begin(), fv.end()));
  };
  EXPECT_EQ(s.DeliverNew(*g, *alice, 2, false, 1000, collect), 2u);
  EXPECT_EQ(got, (Entries{{Ms(1), {"f", "1"}}, {Ms(2), {"f", "2"}}}));
  EXPECT_EQ(g->last_id, Ms(2));
  EXPECT_EQ(g->entries_read, 2);  // -1 becomes 1 at the first entry, then counts up
  EXPECT_EQ(s.Lag(*g), 3);
  EXPECT_EQ(PelText(*g), "1-0 alice 1000 1; 2-0 alice 1000 1");
  got.clear();
  EXPECT_EQ(s.DeliverNew(*g, *alice, 0, false, 1100, collect), 3u);
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(g->last_id, Ms(5));
  EXPECT_EQ(g->entries_read, 5);
  EXPECT_EQ(s.Lag(*g), 0);
  EXPECT_EQ(alice->pel.size(), 5u);
  EXPECT_EQ(s.DeliverNew(*g, *alice, 0, false, 1200, collect), 0u);
  AddAuto(s, 9);  // 9-0
  EXPECT_EQ(s.Lag(*g), 1);
  // NOACK: delivered and counted, but nothing becomes pending.
  StreamObject::Consumer* bob = StreamObject::CreateConsumer(*g, "bob", 0);
  EXPECT_EQ(s.DeliverNew(*g, *bob, 0, true, 1300, IgnoreEntry), 1u);
  EXPECT_EQ(g->last_id, Ms(9));
  EXPECT_EQ(g->entries_read, 6);
  EXPECT_TRUE(bob->pel.empty());
  // After an XGROUP SETID back, a pending entry moves to the new reader, counted afresh.
  g->last_id = {};
  g->entries_read = 0;
  EXPECT_EQ(s.DeliverNew(*g, *bob, 1, false, 1400, IgnoreEntry), 1u);
  EXPECT_EQ(g->entries_read, 1);
  EXPECT_EQ(
      PelText(*g),
      "1-0 bob 1400 1; 2-0 alice 1000 1; 3-0 alice 1100 1; 4-0 alice 1100 1; 5-0 alice 1100 1");
  StreamObject::Group* at_max = s.CreateGroup("end", StreamId::Max(), -1);
  EXPECT_EQ(s.DeliverNew(*at_max, *alice, 0, false, 0, IgnoreEntry), 0u);
}

TEST(StreamGroupTest, DeliverHistoryAckAssignAndDeleteConsumer) {
  StreamObject s;
  Fill(s, 5);
  StreamObject::Group* g = s.CreateGroup("g", {}, -1);
  StreamObject::Consumer* alice = StreamObject::CreateConsumer(*g, "alice", 0);
  StreamObject::Consumer* bob = StreamObject::CreateConsumer(*g, "bob", 0);
  EXPECT_EQ(s.DeliverNew(*g, *alice, 4, false, 1000, IgnoreEntry), 4u);
  EXPECT_EQ(s.DeliverNew(*g, *bob, 0, false, 1000, IgnoreEntry), 1u);
  EXPECT_EQ(Del(s, {Ms(3)}), 1u);
  std::string got;
  auto collect = [&](StreamId id, const std::span<const std::string_view>* fv) {
    got += id.ToString() + (fv == nullptr ? " nil" : "");
    for (std::string_view f : fv == nullptr ? std::span<const std::string_view>() : *fv) {
      got += " " + std::string(f);
    }
    got += "; ";
  };
  EXPECT_EQ(s.DeliverHistory(*alice, *g, {}, 0, 2000, collect), 4u);
  EXPECT_EQ(got, "1-0 f 1; 2-0 f 2; 3-0 nil; 4-0 f 4; ");  // 3-0 was deleted meanwhile
  // The deleted entry is not counted as delivered again.
  EXPECT_EQ(
      PelText(*g),
      "1-0 alice 2000 2; 2-0 alice 2000 2; 3-0 alice 1000 1; 4-0 alice 2000 2; 5-0 bob 1000 1");
  got.clear();
  EXPECT_EQ(s.DeliverHistory(*alice, *g, {2, 1}, 2, 3000, collect), 2u);
  EXPECT_EQ(got, "3-0 nil; 4-0 f 4; ");
  EXPECT_EQ(
      PelText(*g),
      "1-0 alice 2000 2; 2-0 alice 2000 2; 3-0 alice 1000 1; 4-0 alice 3000 3; 5-0 bob 1000 1");
  EXPECT_TRUE(StreamObject::Ack(*g, Ms(2)));
  EXPECT_FALSE(StreamObject::Ack(*g, Ms(2)));
  // Assign moves an existing entry (its counters stay) or creates one.
  StreamObject::Nack& moved = StreamObject::Assign(*g, Ms(4), bob, 5000);
  EXPECT_EQ(moved.consumer, bob);
  EXPECT_EQ(moved.delivery_count, 3u);
  EXPECT_EQ(StreamObject::Assign(*g, Ms(7), alice, 6000).delivery_count, 1u);
  StreamObject::Assign(*g, Ms(1), nullptr, 7000);
  EXPECT_EQ(PelText(*g),
            "1-0 - 2000 2; 3-0 alice 1000 1; 4-0 bob 3000 3; 5-0 bob 1000 1; 7-0 alice 6000 1");
  EXPECT_TRUE(StreamObject::Ack(*g, Ms(1)));  // an ownerless entry acks too
  EXPECT_EQ(StreamObject::DeleteConsumer(*g, alice), 2u);
  EXPECT_EQ(StreamObject::FindConsumer(*g, "alice", 0, false), nullptr);
  EXPECT_EQ(PelText(*g), "4-0 bob 3000 3; 5-0 bob 1000 1");
}

TEST(StreamGroupTest, LagAndEntriesReadAroundTombstones) {
  StreamObject s;
  EXPECT_EQ(s.EstimateDistance(Ms(5)), 0);  // never used
  Fill(s, 5);
  EXPECT_EQ(s.EstimateDistance(Ms(5)), 5);
  EXPECT_EQ(s.EstimateDistance(Ms(6)), -1);
  EXPECT_EQ(s.EstimateDistance({}), 0);
  EXPECT_EQ(s.EstimateDistance(Ms(1)), 1);
  EXPECT_EQ(s.EstimateDistance(Ms(3)), -1);  // an arbitrary ID in the middle
  StreamObject::Group* known = s.CreateGroup("known", Ms(1), 1);
  StreamObject::Group* fresh = s.CreateGroup("fresh", {}, -1);
  StreamObject::Consumer* c = StreamObject::CreateConsumer(*fresh, "c", 0);
  EXPECT_EQ(Del(s, {Ms(3)}), 1u);
  // A tombstone after the group's last ID: the counter cannot be trusted or estimated.
  EXPECT_EQ(s.EstimateDistance({}), -1);
  EXPECT_FALSE(s.Lag(*fresh).has_value());
  EXPECT_FALSE(s.Lag(*known).has_value());
  EXPECT_EQ(s.DeliverNew(*fresh, *c, 2, false, 0, IgnoreEntry), 2u);
  EXPECT_EQ(fresh->entries_read, -1);
  EXPECT_EQ(s.DeliverNew(*fresh, *c, 0, false, 0, IgnoreEntry), 2u);  // 4, 5
  EXPECT_EQ(fresh->entries_read, 5);  // the last entry's counter is entries_added
  EXPECT_EQ(s.Lag(*fresh), 0);
  // A tombstone before the first entry does not matter.
  StreamObject t;
  Fill(t, 5);
  StreamObject::Group* g = t.CreateGroup("g", {}, -1);
  StreamObject::Group* two = t.CreateGroup("two", Ms(2), 2);
  EXPECT_EQ(Del(t, {Ms(1)}), 1u);
  EXPECT_EQ(t.Lag(*g), 4);
  EXPECT_EQ(t.Lag(*two), 3);
  EXPECT_EQ(t.EstimateDistance(Ms(2)), 2);
  // An emptied stream: every ID up to last_id is at entries_added.
  EXPECT_EQ(Del(t, {Ms(2), Ms(3), Ms(4), Ms(5)}), 4u);
  EXPECT_EQ(t.EstimateDistance(Ms(3)), 5);
  EXPECT_EQ(t.Lag(*g), 0);
}

// ---- Snapshots, Clone, memory. ------------------------------------------------------------------

TEST(StreamSerializeTest, RoundTripKeepsEverything) {
  std::unique_ptr<StreamObject> s = RichStream();
  const std::string want = Describe(*s);
  std::string bytes;
  s->Serialize(&bytes);
  std::unique_ptr<StreamObject> back = StreamObject::Deserialize(bytes);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(Describe(*back), want);
  EXPECT_EQ(Header(*back), "size=5 added=40 last=2199023255552-2 first=1-0 maxdel=12-0 nodes=3");
  ASSERT_NE(back->FindGroup("g1"), nullptr);
  EXPECT_EQ(PelText(*back->FindGroup("g1")),
            "1-0 alice 3000 2; 3-0 - 3000 2; 5-0 - 4000 1; 7-3 bob 2000 1");
  EXPECT_EQ(back->FindGroup("g1")->consumers.at("bob")->seen_time, -7);
  ASSERT_NE(back->FindGroup("g\0two"s), nullptr);
  EXPECT_EQ(PelText(*back->FindGroup("g\0two"s)), "9-0  7000 3");  // owned by consumer ""
  std::string again;
  back->Serialize(&again);
  EXPECT_EQ(again, bytes);
  // Both keep working the same way.
  EXPECT_EQ(AddAuto(*s, 1), AddAuto(*back, 1));
  EXPECT_EQ(s->Trim(MakeTrim(kMaxLen, false, 2)), back->Trim(MakeTrim(kMaxLen, false, 2)));
  EXPECT_EQ(Describe(*back), Describe(*s));
}

TEST(StreamSerializeTest, RejectsMalformedInput) {
  std::string bytes;
  RichStream()->Serialize(&bytes);
  EXPECT_EQ(StreamObject::Deserialize(""), nullptr);
  for (char v : {'\0', '\2', '\x81'}) {
    std::string b = bytes;
    b[0] = v;
    EXPECT_EQ(StreamObject::Deserialize(b), nullptr);
  }
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(StreamObject::Deserialize(std::string_view(bytes).substr(0, n)), nullptr) << n;
  }
  EXPECT_EQ(StreamObject::Deserialize(bytes + "x"), nullptr);
  std::string empty;
  StreamObject().Serialize(&empty);
  std::unique_ptr<StreamObject> e = StreamObject::Deserialize(empty);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(Describe(*e), Describe(StreamObject()));
}

// Any accepted corruption must still be a usable stream (ASan/UBSan builds check the accesses).
TEST(StreamSerializeTest, ByteFlipsNeverCrash) {
  StreamObject s;
  for (uint64_t i = 1; i <= 4; ++i) AddId(s, Ms(i), {i == 3 ? "b" : "a", std::to_string(i)});
  EXPECT_EQ(Del(s, {Ms(2)}), 1u);
  StreamObject::Group* g = s.CreateGroup("g", {}, -1);
  StreamObject::Consumer* c = StreamObject::CreateConsumer(*g, "c", 1);
  s.DeliverNew(*g, *c, 2, false, 10, IgnoreEntry);
  StreamObject::Assign(*g, Ms(2), nullptr, 20);
  std::string bytes;
  s.Serialize(&bytes);
  size_t accepted = 0;
  size_t rejected = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x02, 0x10, 0x80, 0xff}) {
      std::string b = bytes;
      b[i] = static_cast<char>(static_cast<uint8_t>(b[i]) ^ mask);
      std::unique_ptr<StreamObject> d = StreamObject::Deserialize(b);
      if (d == nullptr) {
        ++rejected;
        continue;
      }
      ++accepted;
      Describe(*d);
      Read(*d, {}, StreamId::Max(), 0, true);
      d->Contains(Ms(3));
      std::string re;
      d->Serialize(&re);
      EXPECT_NE(StreamObject::Deserialize(re), nullptr) << i << ' ' << int{mask};
      for (auto& [name, grp] : d->groups()) {
        StreamObject::Consumer* nc = StreamObject::CreateConsumer(*grp, "new-reader", 0);
        if (nc != nullptr) d->DeliverNew(*grp, *nc, 0, false, 0, IgnoreEntry);
        for (auto& [cname, cons] : grp->consumers) {
          d->DeliverHistory(*cons, *grp, {}, 0, 0, IgnoreHistory);
        }
      }
      d->Trim(MakeTrim(kMaxLen, false, 1));
      Read(*d);
    }
  }
  EXPECT_GT(rejected, bytes.size());  // at least the version byte and most structure bytes
  EXPECT_GT(accepted, 0u);            // value bytes are free-form
}

// Exact MINID trimming can leave a node with no live entry (its last entry an older tombstone
// at or above minid), as Redis leaves the listpack; the stream's snapshot must still load, and
// `~` trimming later drops the empty node. (Found failing: Deserialize refused live == 0.)
TEST(StreamSerializeTest, RoundTripAfterMinIdTrimEmptiesANode) {
  StreamObject s;
  Fill(s, 10);
  EXPECT_EQ(Del(s, {Ms(3)}), 1u);  // node {1,2,3}: 1 and 2 live, 3 a tombstone
  EXPECT_EQ(s.Trim(MakeTrim(kMinId, false, 0, Ms(3))), 2);
  EXPECT_EQ(Header(s), "size=7 added=10 last=10-0 first=4-0 maxdel=3-0 nodes=4");
  std::string bytes;
  s.Serialize(&bytes);
  std::unique_ptr<StreamObject> back = StreamObject::Deserialize(bytes);
  ASSERT_NE(back, nullptr) << "a Serialize output was refused";
  EXPECT_EQ(Describe(*back), Describe(s));
  EXPECT_EQ(back->Trim(MakeTrim(kMinId, true, 0, Ms(4))), 0);
  EXPECT_EQ(Header(*back), "size=7 added=10 last=10-0 first=4-0 maxdel=3-0 nodes=3");
}

// A group's entries-read is stored plus one: a stored 2^63 is INT64_MAX (what Serialize writes
// for it), and 2^63 + 1 is refused rather than read back as a bogus counter or overflowing.
TEST(StreamSerializeTest, RejectsEntriesReadOutOfRange) {
  StreamObject s;
  s.CreateGroup("g", {}, 5);
  std::string bytes;
  s.Serialize(&bytes);
  // Version, length, added, last, first, max-deleted, 0 nodes, 1 group "g", 0-0, 5 + 1, 0, 0.
  ASSERT_EQ(bytes, "\x01\0\0\0\0\0\0\0\0\0\x01\x01g\0\0\x06\0\0"s);
  const std::string two_pow_63 = "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01";
  std::unique_ptr<StreamObject> max =
      StreamObject::Deserialize(bytes.substr(0, 15) + two_pow_63 + bytes.substr(16));
  ASSERT_NE(max, nullptr);
  EXPECT_EQ(max->FindGroup("g")->entries_read, INT64_MAX);
  const std::string past = "\x81\x80\x80\x80\x80\x80\x80\x80\x80\x01";
  std::unique_ptr<StreamObject> back =
      StreamObject::Deserialize(bytes.substr(0, 15) + past + bytes.substr(16));
  EXPECT_TRUE(back == nullptr) << "accepted, entries_read " << back->FindGroup("g")->entries_read;
}

TEST(StreamCloneTest, DeepCopy) {
  std::unique_ptr<StreamObject> s = RichStream();
  const std::string original = Describe(*s);
  std::unique_ptr<Object> obj = s->Clone();
  ASSERT_TRUE(obj->Is<StreamObject>());
  auto* c = static_cast<StreamObject*>(obj.get());
  EXPECT_EQ(c->encoding(), Encoding::kStream);
  EXPECT_EQ(Describe(*c), original);
  StreamObject::Group* cg = c->FindGroup("g1");
  ASSERT_NE(cg, nullptr);
  EXPECT_NE(cg, s->FindGroup("g1"));
  EXPECT_EQ(cg->pel.at(Ms(1)).consumer, cg->consumers.at("alice").get());  // the clone's own
  // Change the clone every way; the original does not move.
  EXPECT_EQ(AddId(*c, {uint64_t{1} << 42, 0}, {"new", "x"}), Status::kOk);
  EXPECT_EQ(Del(*c, {Ms(1)}), 1u);
  EXPECT_TRUE(StreamObject::Ack(*cg, Ms(1)));
  StreamObject::CreateConsumer(*cg, "zed", 1);
  StreamObject::FindConsumer(*cg, "bob", 999, true);
  c->DeliverNew(*cg, *cg->consumers.at("zed"), 0, false, 50, IgnoreEntry);
  c->CreateGroup("g3", {}, 0);
  c->DestroyGroup("g\0two"s);
  c->SetIds({uint64_t{1} << 43, 0}, 99, StreamId{13, 0});
  EXPECT_EQ(c->Trim(MakeTrim(kMaxLen, false, 1)), 4);
  EXPECT_EQ(Describe(*s), original);
  // Nor the other way round.
  const std::string clone_now = Describe(*c);
  EXPECT_EQ(Del(*s, {Ms(9), Ms(3)}), 2u);
  EXPECT_EQ(s->Trim(MakeTrim(kMaxLen, false, 0)), 3);
  s->DestroyGroup("g1");
  EXPECT_EQ(Describe(*c), clone_now);
}

TEST(StreamMemoryTest, GrowsWithEntriesAndShrinksWithTrimming) {
  StreamObject s;
  const size_t empty = s.MemoryUsage();
  EXPECT_GE(empty, sizeof(StreamObject));
  for (uint64_t i = 1; i <= 30; ++i) AddId(s, Ms(i), {"field", std::string(20, 'v')});
  const size_t thirty = s.MemoryUsage();
  EXPECT_GT(thirty, empty + 30 * 20);
  for (uint64_t i = 31; i <= 300; ++i) AddId(s, Ms(i), {"field", std::string(20, 'v')});
  const size_t full = s.MemoryUsage();
  EXPECT_GT(full, thirty + 270 * 20);
  EXPECT_EQ(s.Trim(MakeTrim(kMaxLen, true, 30)), 270);
  const size_t trimmed = s.MemoryUsage();
  EXPECT_LT(trimmed, full - 270 * 20);
  StreamObject::Group* g = s.CreateGroup("group", {}, -1);
  const size_t with_group = s.MemoryUsage();
  EXPECT_GT(with_group, trimmed);
  StreamObject::Consumer* c = StreamObject::CreateConsumer(*g, "consumer", 0);
  s.DeliverNew(*g, *c, 0, false, 0, IgnoreEntry);
  EXPECT_GT(s.MemoryUsage(), with_group + 30 * sizeof(StreamId));
}

}  // namespace
}  // namespace ringkv::engine
