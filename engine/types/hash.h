// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// HashObject: the value of a Redis hash, with optional per-field expiry (Redis 7.4's HEXPIRE
// family). A plain data structure under the shard lock; it knows nothing of RESP, keys or
// commands: argument parsing, reply shapes and error text stay in server/commands/hashes.cc.
//
// ENCODINGS
//
// kListpack (small): the object and its entries are ONE heap block: an 8-byte header followed by
// the packed entries (engine/types/hash_codec.h) in insertion order; when any field has an
// expiry, an 8-byte lower bound of the earliest expiry precedes them. Lookups scan. A hash stays
// small while it has at most Limits().hash_max_listpack_entries fields and no field or value
// longer than Limits().hash_max_listpack_value bytes; passing either limit converts it to
//
// kHashtable (large): extendible hashing over packed buckets (engine/types/hash_table.h): a
// directory of bucket pointers indexed by the top bits of a seeded XXH3 of the field, each bucket
// one allocation holding up to 16 entries back to back. No per-field allocation and no per-field
// pointer: about 3 bytes of overhead per field beyond the field and value bytes.
//
// SHAPES. A small hash of 2 or more fields without field expiries may be shaped: its header
// names a shared HashShape by its id (engine/types/hash_shape.h: the packed field names, interned
// once per process) and its block holds only the packed values, in the shape's order. Sessions of
// one application all have the same fields, so each saves the bytes of every field name. Hashes are
// shaped when they are built whole (FromEntries and FromPacked: HSET of several fields on a new
// key, snapshot loading); a new field appended by Set moves the hash to the shape with that field
// added; replacing a value keeps the shape. Anything else that changes the layout (HDEL, a field
// expiry) first rewrites the hash unshaped (Unshape), as does a shape the registry cannot share.
// Reads see no difference; OBJECT ENCODING says listpack either way.
//
// Like Redis, a hash never converts back. Memory is accounted as it changes (malloc_usable_size
// of every block), so MemoryUsage() is O(1).
//
// FIELD EXPIRY
//
// An expiry is an absolute Unix time in ms, stored (8 bytes) only in entries that have one. A
// field is expired when now > its expiry (never early), as Redis keys are. The object does not
// hide expired fields by itself: callers first ask HasExpiredFields(now) (O(1)) and, when it
// says so, remove them with ExpireFields(now, SIZE_MAX) before reading; the server's hash
// commands do this through Engine::UpdateObject, so an expired field is never visible and a hash
// whose last field expired disappears with its key. The engine also expires fields actively:
// NextFieldExpiryMs() (= MinFieldExpiry(), 0 exactly when no field has an expiry) files the key
// in its shard's field-expiry index after every change, and the expire cycle calls
// ExpireFields(now, max) on the hashes that come due (engine/field_expiry_index.h).
//
// MUTATION AND OWNERSHIP
//
// A small hash lives inline in its own allocation, so an operation that grows it may move it to
// a new block. Those operations (Set, SetFieldExpiry, ShrinkToFit) are static and take the owning
// std::unique_ptr<Object>, exactly what Engine::UpdateObject lends its callback, and replace the
// pointer when they move it. Operations that only shrink (Delete, PersistField, ExpireFields) are
// member functions and never move the object.
//
// Thread safety: none; the shard lock guards the object.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "engine/object.h"
#include "engine/types/hash_codec.h"
#include "engine/types/hash_shape.h"

namespace ringkv::engine {

namespace hash_detail {
class FieldTable;
}  // namespace hash_detail

// What Set does with the expiry of the field it writes.
enum class FieldTtl : uint8_t {
  kClear,  // the field ends without expiry (HSET, HMSET, HSETNX, HSETEX without options)
  kKeep,   // an existing field keeps its expiry; a new one has none (HINCRBY*, HSETEX KEEPTTL)
  kSet,    // the field gets expire_ms (HSETEX EX/PX/EXAT/PXAT)
};

// HEXPIRE's NX | XX | GT | LT. A field without expiry counts as an infinite one for GT/LT.
enum class FieldExpireCondition : uint8_t { kAlways, kNx, kXx, kGt, kLt };

// HEXPIRE's per-field reply codes.
enum class FieldExpireResult : int8_t {
  kNoField = -2,  // no such field
  kNotMet = 0,    // NX/XX/GT/LT said no
  kSet = 1,       // expiry set or updated
  kDeleted = 2,   // the time was not in the future: the field was deleted
};

class HashObject final : public ObjectOf<HashObject> {
 public:
  // An empty small hash.
  static std::unique_ptr<HashObject> New();
  ~HashObject();
  HashObject(const HashObject&) = delete;
  HashObject& operator=(const HashObject&) = delete;
  // Objects are malloc'ed blocks of varying size (header + entries); see New().
  static void operator delete(void* p);
  static void* operator new(size_t, void* where) { return where; }
  static void* operator new(size_t) = delete;

  // ---- Object. ------------------------------------------------------------------------------
  size_t MemoryUsage() const;
  std::unique_ptr<Object> Clone() const;
  Encoding encoding() const;
  // Fields stored, expired ones not yet removed included.
  size_t Size() const;
  // MinFieldExpiry(): 0 exactly when no field has an expiry.
  int64_t NextFieldExpiryMs() const { return min_expiry_hint(); }

  // ---- Reads. Expired fields that were not removed yet are still seen (see FIELD EXPIRY). --
  // Scratch space for reads: a value stored as an integer is printed into it.
  using ValueBuf = std::array<char, 24>;
  // HGET: the value, or nullopt. The view stays valid until the object or *buf changes.
  std::optional<std::string_view> Get(std::string_view field, ValueBuf* buf) const;
  bool Exists(std::string_view field) const;
  // HSTRLEN: the value's length, 0 for a missing field.
  size_t ValueLength(std::string_view field) const;
  // HPEXPIRETIME: -2 no such field, -1 no expiry, else the expiry in Unix ms.
  int64_t FieldExpireMs(std::string_view field) const;

  // Entry callbacks receive views valid only for the duration of the call.
  using EntryFn = absl::FunctionRef<void(std::string_view field, std::string_view value)>;
  // Every entry: insertion order when small, table order when large.
  void ForEach(EntryFn fn) const;
  // As ForEach, with each field's expiry (Unix ms, 0 for none): for snapshots and COPY-like uses.
  void ForEachWithExpiry(
      absl::FunctionRef<void(std::string_view field, std::string_view value, int64_t expire_ms)> fn)
      const;
  // HSCAN. A small hash returns everything and cursor 0. A large one returns the entries of one
  // or more buckets, at least `count` entries unless the end comes first, and the next cursor
  // (0 at the end). A field present for the whole scan is returned at least once even while the
  // table grows or shrinks between calls: the cursor is a position in hash order, which splits
  // and merges of buckets refine or coarsen but never reorder.
  uint64_t Scan(uint64_t cursor, size_t count, EntryFn fn) const;
  // HRANDFIELD with a negative count: n entries drawn uniformly with replacement.
  // HRANDFIELD with a positive count: min(n, Size()) distinct entries, uniformly.
  // *rng is a caller-kept random state (any value; advanced here). REQUIRES: Size() > 0.
  void RandomWithReplacement(size_t n, uint64_t* rng, EntryFn fn) const;
  void RandomDistinct(size_t n, uint64_t* rng, EntryFn fn) const;

  // ---- Field expiry. -------------------------------------------------------------------------
  // True when some field may be expired at now_ms (a false positive costs one ExpireFields call
  // that finds nothing and then makes this exact again; a false negative never happens).
  bool HasExpiredFields(int64_t now_ms) const {
    const int64_t hint = min_expiry_hint();
    return hint != 0 && hint < now_ms;
  }
  // A lower bound of the earliest field expiry (Unix ms), or 0 exactly when no field has one
  // (the shard's field-expiry index relies on the "exactly").
  int64_t MinFieldExpiry() const { return min_expiry_hint(); }
  // Removes up to `max` fields whose expiry is before now_ms. Returns how many it removed.
  size_t ExpireFields(int64_t now_ms, size_t max);
  // HPERSIST: -2 no such field, -1 no expiry, 1 removed.
  int PersistField(std::string_view field);

  // ---- Writes. -------------------------------------------------------------------------------
  // HDEL: whether the field existed. A shaped hash is unshaped first (see SHAPES).
  static bool Delete(std::unique_ptr<Object>& owner, std::string_view field);
  // HSET: writes the field (inserting it at the end when new); `ttl` says what happens to its
  // expiry (expire_ms is used with FieldTtl::kSet only, REQUIRES > 0 then). Converts to the
  // large encoding when a limit is passed. Returns true when the field was created.
  // REQUIRES: *owner holds a HashObject (for all static mutators).
  static bool Set(std::unique_ptr<Object>& owner, std::string_view field, std::string_view value,
                  FieldTtl ttl = FieldTtl::kClear, int64_t expire_ms = 0);
  // HPEXPIREAT on one field, with Redis 7.4's order: the condition is checked first, then a time
  // at or before now_ms deletes the field.
  static FieldExpireResult SetFieldExpiry(std::unique_ptr<Object>& owner, std::string_view field,
                                          int64_t at_ms, FieldExpireCondition cond, int64_t now_ms);
  // Gives back spare room of a small hash left by deletions (a large one does it as it goes).
  static void ShrinkToFit(std::unique_ptr<Object>& owner);

  // ---- Loading. ------------------------------------------------------------------------------
  // One field as a snapshot holds it: expire_ms is an absolute Unix time in ms, 0 for none.
  struct LoadEntry {
    std::string_view field;
    std::string_view value;
    int64_t expire_ms = 0;
  };
  // The hash of `entries`, in their order, with the encoding that setting them one by one would
  // give; a small one is written in a single allocation. nullptr when a field repeats (corrupt
  // input) or there are no entries.
  static std::unique_ptr<HashObject> FromEntries(std::span<const LoadEntry> entries);
  // Appends the small encoding's entry bytes (engine/types/hash_codec.h: field and value
  // elements, in order) when the hash is small and no field has an expiry, and returns true;
  // false (nothing appended) otherwise. A snapshot record carries them, so that loading the hash
  // is a check and a copy (FromPacked) instead of re-encoding every field.
  bool AppendPacked(std::string* out) const;
  // The number of bytes AppendPacked appends, 0 when it appends none.
  size_t PackedBytes() const;
  // The hash of `count` entries packed as AppendPacked() gives them, checked as untrusted input:
  // nullptr unless every element is well formed and in its one canonical form (CheckElem), no
  // entry has an expiry, no field repeats and there are exactly `count` > 0 entries. The
  // encoding is the one FromEntries gives (limits lowered since the bytes were written convert).
  static std::unique_ptr<HashObject> FromPacked(uint64_t count, std::string_view bytes);

  // ---- Introspection (tests, benchmarks). ---------------------------------------------------
  // Checks internal invariants; "" when all hold, else what is wrong.
  std::string CheckInvariants() const;
  // Whether the field names live in a shared shape (see SHAPES).
  bool shaped() const { return (flags_ & kFlagShaped) != 0; }

 private:
  HashObject() = default;
  static HashObject* Allocate(size_t trailing);
  // Moves a small hash into a block with room for `trailing` bytes after the header.
  static HashObject* Resize(std::unique_ptr<Object>& owner, size_t trailing);
  static void ConvertToTable(std::unique_ptr<Object>& owner);
  // Replaces bytes [off, off + old_len) of the entry area by new_len bytes (left uninitialized)
  // and returns the possibly moved object. Small encoding only.
  static HashObject* Splice(std::unique_ptr<Object>& owner, size_t off, size_t old_len,
                            size_t new_len);

  bool is_table() const { return (flags_ & kFlagTable) != 0; }
  // Shaped small encoding: the header holds the shape's id where a plain hash keeps its count,
  // and the block only the values.
  const hash_detail::HashShape* shape() const { return hash_detail::ShapeById(count_); }
  void set_shape(const hash_detail::HashShape* s) { count_ = static_cast<uint16_t>(s->id); }
  // A shaped hash of `shape`'s fields with `values` (packed value elements, in shape order).
  static HashObject* NewShaped(const hash_detail::HashShape* shape, std::string_view values);
  // The shape of `fields` (packed field elements of a small hash with `count` > 1 fields and no
  // expiries) with `values`, or nullptr when the registry does not share that list.
  static HashObject* TryShaped(std::string_view fields, uint32_t count, std::string_view values);
  // Rewrites a shaped hash in the plain small encoding (field names inline).
  static void Unshape(std::unique_ptr<Object>& owner);
  // Shaped: writes the entries with their names inline (PackedBytes() bytes) at `out`.
  void WriteInterleaved(uint8_t* out) const;
  // Shaped: offset (from trailing()) of the value of `key` with the entry in *e, or SIZE_MAX.
  size_t FindShaped(const hash_detail::FieldKey& key, hash_detail::EntryView* e) const;
  // Either small layout: fn(field, value, expire_ms) per entry, in order.
  template <typename Fn>
  void WalkSmall(Fn&& fn) const;
  bool has_hint() const { return (flags_ & kFlagHint) != 0; }
  int64_t min_expiry_hint() const;
  void set_min_expiry_hint(int64_t ms);
  uint8_t* trailing() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* trailing() const { return reinterpret_cast<const uint8_t*>(this + 1); }
  hash_detail::FieldTable* table() {
    return reinterpret_cast<hash_detail::FieldTable*>(trailing());
  }
  const hash_detail::FieldTable* table() const {
    return reinterpret_cast<const hash_detail::FieldTable*>(trailing());
  }
  // Small encoding: the entries (after the hint, if any) and their byte count.
  size_t entries_offset() const { return has_hint() ? 8 : 0; }
  const uint8_t* entries() const { return trailing() + entries_offset(); }
  size_t entries_bytes() const { return used_ - entries_offset(); }
  // Small encoding: offset (from trailing()) of the entry for `key`, or SIZE_MAX.
  size_t FindSmall(const hash_detail::FieldKey& key, hash_detail::EntryView* e) const;
  // Either encoding: the entry of `field`.
  bool FindEntry(std::string_view field, hash_detail::EntryView* e) const;
  void EraseSmall(size_t off, size_t len);
  void DropHintIfUnused();

  static constexpr uint32_t kFlagTable = 1;
  static constexpr uint32_t kFlagHint = 2;
  static constexpr uint32_t kFlagShaped = 4;
  // A small hash converts before its count passes what count_ holds.
  static constexpr uint32_t kMaxSmallCount = UINT16_MAX;

  // The header is 8 bytes with the kind byte of Object (no vtable pointer), so that a session
  // of ten short values (104 bytes of them) takes a 112-byte block, not a 128-byte one.
  uint8_t flags_ = 0;
  uint16_t count_ = 0;  // small: entries; shaped: the shape's id (its count is the shape's)
  uint32_t used_ = 0;   // small: bytes used in the trailing area (hint + entries, or values)
};

static_assert(sizeof(HashObject) == 8, "a small hash's header is 8 bytes (see ENCODINGS)");

}  // namespace ringkv::engine
