// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ZSetObject: the value of a sorted-set key. Small sets are one packed block (ZListpack, OBJECT
// ENCODING "listpack"); a set converts to the large encoding ("skiplist") when it would exceed
// zset-max-listpack-entries members or receive a member longer than zset-max-listpack-value bytes
// (engine/types/limits.h), and never converts back by itself, as Redis 7.0. The large encoding is
// not a skiplist: it is an order-statistic B+tree of member records (zset_btree.h) plus a hash
// index from member to record (zset_index.h), which gives the same complexities (O(1) score
// lookup, O(log n) insert/erase/rank/range) in about half of Redis's bytes per member.
//
// The object is a plain data structure: it knows nothing of RESP, argument parsing or error
// text. Operations mirror Redis's t_zset.c semantics where they are observable: ZADD's flags and
// outcomes, the walks of ZRANGEBYSCORE/ZRANGEBYLEX (offset, limit, and for the packed encoding the
// exact element-by-element lex walk, which matters when scores differ), pops for ZPOPMIN/ZPOPMAX
// and, later, the blocking pops.
//
// Not thread-safe: the shard lock guards it. Views handed to callbacks (ZEntry::member) point
// into the set and are valid only during the callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/object.h"
#include "engine/types/zset_listpack.h"
#include "engine/types/zset_range.h"

namespace ringkv::engine {

struct ZLarge;

class ZSetObject final : public ObjectOf<ZSetObject> {
 public:
  using EntryFn = absl::FunctionRef<void(const ZEntry&)>;

  // ZADD flags (Redis's ZADD_IN_*).
  enum AddFlag : unsigned {
    kAddNx = 1,    // only add new members
    kAddXx = 2,    // only update existing members
    kAddGt = 4,    // update only to a greater score
    kAddLt = 8,    // update only to a lower score
    kAddIncr = 16  // the score is an increment (missing member: from 0)
  };
  enum class AddOutcome : uint8_t {
    kAdded,      // new member
    kUpdated,    // score changed
    kUnchanged,  // processed, same score (counts as processed for ZADD INCR's reply)
    kSkipped,    // NX/XX/GT/LT said no (Redis's ZADD_OUT_NOP)
    kNan,        // the increment made NaN; nothing changed
  };
  struct AddResult {
    AddOutcome outcome;
    double score;  // the member's score afterwards (kAdded/kUpdated/kUnchanged)
  };

  // An empty set in the packed encoding.
  static std::unique_ptr<ZSetObject> Create();
  // A set holding `entries` (distinct members, any order), in the encoding Redis 7.0 gives a
  // freshly computed result (zsetConvertToListpackIfNeeded / ZRANGESTORE): packed when it has at
  // most zset-max-listpack-entries members and none longer than zset-max-listpack-value.
  static std::unique_ptr<ZSetObject> FromEntries(
      std::vector<std::pair<std::string, double>> entries);

  ~ZSetObject();
  ZSetObject(const ZSetObject&) = delete;
  ZSetObject& operator=(const ZSetObject&) = delete;

  // Object.
  size_t MemoryUsage() const;
  std::unique_ptr<Object> Clone() const;
  Encoding encoding() const;
  size_t Size() const;

  // ---- Single members ------------------------------------------------------------------------
  // ZADD/ZINCRBY for one member. REQUIRES: score is not NaN. May convert the encoding.
  AddResult Add(std::string_view member, double score, unsigned flags);
  bool Remove(std::string_view member);
  bool Score(std::string_view member, double* score) const;
  // 0-based rank from the lowest (reverse: from the highest) and the score; false if absent.
  bool Rank(std::string_view member, bool reverse, size_t* rank, double* score) const;
  // The entry at a 0-based rank. REQUIRES: rank < Size().
  ZEntry At(size_t rank) const;

  // ---- Ranges ----------------------------------------------------------------------------------
  // Entries of ranks [first, last] (0-based, REQUIRES first <= last < Size()), ascending or, with
  // reverse, ranks counted from the highest.
  void RangeByRank(size_t first, size_t last, bool reverse, EntryFn fn) const;
  // Redis's ZRANGEBYSCORE walk: from the first (reverse: last) entry in range skip `offset`
  // entries, then emit up to `limit` (negative: no limit) while they are in range. A negative
  // offset emits nothing. Returns the number emitted.
  size_t RangeByScore(const ScoreRange& range, bool reverse, int64_t offset, int64_t limit,
                      EntryFn fn) const;
  // The same walk by member (ZRANGEBYLEX). Meant for sets whose scores are all equal; otherwise
  // the packed encoding gives exactly Redis's listpack answer and the large one a deterministic
  // answer of its own (Redis's skiplist answer then depends on its random levels).
  size_t RangeByLex(const LexRange& range, bool reverse, int64_t offset, int64_t limit,
                    EntryFn fn) const;
  size_t CountByScore(const ScoreRange& range) const;
  size_t CountByLex(const LexRange& range) const;
  // ZREMRANGEBYRANK with sanitized ranks (REQUIRES first <= last < Size()); returns the count.
  size_t RemoveRangeByRank(size_t first, size_t last);
  size_t RemoveRangeByScore(const ScoreRange& range);
  size_t RemoveRangeByLex(const LexRange& range);
  // ZPOPMIN (max = false) / ZPOPMAX: removes up to `count` entries from that end, calling fn for
  // each just before it is removed, in pop order. Returns the number popped.
  size_t Pop(bool max, size_t count, EntryFn fn);

  // ---- Whole set -------------------------------------------------------------------------------
  // Every entry in ascending order.
  void ForEach(EntryFn fn) const;
  // One ZSCAN step. Packed encoding: every entry in order and 0 (Redis returns a listpack whole).
  // Large encoding: the members of a slice of the member hash index and the next cursor (0 at the
  // end); see zset_index.h for the guarantee.
  uint64_t Scan(uint64_t cursor, size_t count, EntryFn fn) const;

 private:
  ZSetObject();
  void ConvertToLarge();
  // Adds a member known to be absent, converting first when the packed limits say so.
  void InsertNew(std::string_view member, double score);
  void UpdateScore(std::string_view member, double old_score, double new_score);
  // Rank of the first entry in [first, ...) for which the walk starts (score or lex); SIZE_MAX if
  // the range is empty. Shared by the range, count and remove functions.
  size_t FirstByScore(const ScoreRange& range, bool reverse) const;
  size_t FirstByLex(const LexRange& range, bool reverse) const;
  template <typename InRange>
  size_t Walk(size_t start, bool reverse, int64_t offset, int64_t limit, InRange in_range,
              EntryFn fn) const;

  // The packed form, used while large_ is null (an empty set is a packed one with no block). The
  // object is 24 bytes: Object's kind byte (padded to 8) and these two.
  ZListpack lp_;
  std::unique_ptr<ZLarge> large_;
};

}  // namespace ringkv::engine
