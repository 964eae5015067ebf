// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SetObject: the value of a Redis set key. A plain data structure: members in, members out, no
// RESP and no error text (server/commands/sets.cc turns it into commands).
//
// Encodings follow Redis 7.0, which is what OBJECT ENCODING reports:
//   intset     while every member is a canonical int64 and there are at most
//              Limits().set_max_intset_entries of them: one sorted array of 2/4/8-byte values
//              (set_intset.h).
//   hashtable  otherwise. Two physical forms, chosen by size alone and invisible to clients:
//              up to kSmallMax members, ONE packed bucket (a listpack-like buffer scanned
//              linearly); above, a SetTable (set_table.h): buckets of packed members chosen by
//              hash, resized incrementally. Members are packed (set_bucket.h) in both.
// As in Redis 7.0 the conversion intset -> hashtable happens when a non-integer member is added
// or the count passes the limit, and never goes back; a set built from scratch (the S*STORE
// commands, the remainder SPOP keeps when it takes most of a set) starts as an intset again.
// Redis 7.2's listpack encoding for small sets of strings is not reported: the small form gives
// the same memory while OBJECT ENCODING stays byte-identical to 7.0 (docs/compatibility.md).
//
// Thread safety: none; the shard lock of the owning entry guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/object.h"
#include "engine/types/set_bucket.h"
#include "engine/types/set_rng.h"

namespace ringkv::engine {

namespace detail {
class SetTable;
}

class SetObject final : public ObjectOf<SetObject> {
 public:
  // The largest hashtable set kept as one packed bucket; a table shrinks back into one bucket
  // at kSmallMax / 2 members.
  static constexpr size_t kSmallMax = 16;

  // An empty set (intset), ready for Add.
  SetObject() = default;
  ~SetObject();
  SetObject(const SetObject&) = delete;
  SetObject& operator=(const SetObject&) = delete;

  size_t MemoryUsage() const;
  std::unique_ptr<Object> Clone() const;
  Encoding encoding() const;
  size_t Size() const { return size_; }

  // SADD of one member: true if it was added.
  bool Add(std::string_view member);
  // SREM of one member: true if it was removed.
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  // Every member once, in storage order (ascending for an intset).
  void ForEach(absl::FunctionRef<void(std::string_view)> fn) const;
  std::vector<std::string> Members() const;

  // One SSCAN call. An intset or a small set returns everything and cursor 0 (as Redis does for
  // its compact encodings); a table returns about `count` members (REQUIRES: count >= 1) and the
  // next cursor, 0 when done. Every member present for a whole iteration is returned at least
  // once, even while the set grows, shrinks or changes form.
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(std::string_view)> fn) const;

  // ---- Random members (REQUIRES for all: Size() > 0). ---------------------------------------
  // SRANDMEMBER without count: one uniformly chosen member.
  void RandomMember(SetRng& rng, absl::FunctionRef<void(std::string_view)> fn) const;
  // SRANDMEMBER with count: `count` members with repetition (distinct == false: each draw
  // uniform and independent), or min(count, Size()) distinct ones (a uniform sample). fn
  // returning false stops the draws (a reply that grew too large).
  void RandomMembers(uint64_t count, bool distinct, SetRng& rng,
                     absl::FunctionRef<bool(std::string_view)> fn) const;
  // SPOP [count]: removes min(count, Size()) uniformly chosen members, passing each to fn. As in
  // Redis, taking most of the set rebuilds the remainder as a new set (so it may become an
  // intset again); taking all of it leaves the set empty.
  void Pop(uint64_t count, SetRng& rng, absl::FunctionRef<void(std::string_view)> fn);

  // ---- Set algebra. A null pointer stands for a missing key (an empty set). The results are
  // ---- built member by member from an empty intset, so their encoding is Redis's. -----------
  // SINTER / SINTERSTORE. REQUIRES: no null pointer (an empty input is the caller's early out).
  static std::unique_ptr<SetObject> Inter(std::span<const SetObject* const> sets);
  // SINTERCARD: the intersection's size, counting stopped at `limit` (0: no limit).
  static size_t InterCard(std::span<const SetObject* const> sets, size_t limit);
  // SUNION / SUNIONSTORE.
  static std::unique_ptr<SetObject> Union(std::span<const SetObject* const> sets);
  // SDIFF / SDIFFSTORE: members of sets[0] in none of the others. Uses Redis 7.0's choice
  // between its two algorithms, since that choice shows in the result's encoding.
  static std::unique_ptr<SetObject> Diff(std::span<const SetObject* const> sets);

  // For tests: whether the hashtable encoding is in its table form, and a full recount of
  // MemoryUsage() to check the running count against.
  bool is_table() const { return form_ == Form::kTable; }
  unsigned intset_width() const { return width_; }
  size_t RecountMemory() const;
  const detail::SetTable* table() const { return form_ == Form::kTable ? table_ : nullptr; }

 private:
  enum class Form : uint8_t { kIntset, kSmall, kTable };

  static size_t SelfSize();

  bool ContainsMember(const detail::SetMember& m) const;
  bool AddMember(const detail::SetMember& m);
  bool RemoveMember(const detail::SetMember& m);
  // Calls fn(member) for every member until fn returns false; integers are passed as integers
  // (no formatting).
  void ForEachMember(absl::FunctionRef<bool(const detail::SetMember&)> fn) const;
  // A uniformly chosen member (its view is valid until the next change) and an id that tells
  // members apart (for sampling without repetition). REQUIRES: size_ > 0.
  detail::SetMember RandomMemberRaw(SetRng& rng, uint64_t* id) const;
  void ToHashtable();
  void SmallToTable();
  void TableToSmall();
  void Clear();

  // kIntset: the sorted value array (width_ bytes each); kSmall: the one packed bucket;
  // kTable: table_.
  union {
    uint8_t* data_ = nullptr;
    detail::SetTable* table_;
  };
  size_t size_ = 0;
  Form form_ = Form::kIntset;
  uint8_t width_ = 2;  // intset value width
};

}  // namespace ringkv::engine
