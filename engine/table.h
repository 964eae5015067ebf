// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Table: the open-addressing hash table of one shard, mapping keys to Entry pointers.
//
// IMPLEMENTATION DETAILS
//
// Layout. Slots come in groups of 16. A table of G groups has a control array of 16*G bytes and
// a slot array of 16*G Slots (tagged Entry pointers), in one allocation. A control byte is 0x00 for
// an empty slot, 0x01 for a deleted one (tombstone) and 0x80|h2 for a full one, where h2 is the low
// 7 bits of the key's hash. Empty is zero so a fresh table is calloc'ed and the kernel hands out
// zero pages lazily: allocating a large table costs no memset. SSE2 compares a whole group's 16
// control bytes with the fingerprint at once, so only slots whose fingerprint matches are
// dereferenced.
//
// Position. The home group of a hash h is (p * G) >> 64 where p = h << shift ("fast range" over
// the bits below the shard bits). This is monotone in p, so the groups are ordered by hash; G
// need not be a power of two, which lets the table grow by 1.5x and keep the load factor (and
// bytes per key) high. Probing is linear over groups, wrapping at the end; a lookup stops at the
// first group that has an empty slot.
//
// Invariants.
//  1. A key sits in the first group of its probe sequence that had a free slot when it was
//     inserted, so every group between its home and its slot has no empty slot.
//  2. Once a group has had no empty slot, it gets none back until the table is rebuilt: erasing
//     from a group without an empty slot leaves a tombstone. Erasing from a group that still has
//     an empty slot may empty the slot, since no probe sequence can pass through that group.
//  3. used = size + tombstones <= 7/8 of the slots, so some group always has an empty slot and
//     every probe ends.
//
// Incremental rehash. Growth, shrinking and tombstone clean-up all rebuild into a new table of a
// chosen size while the old one stays readable. Each Insert/Erase (and RehashStep, which the
// shard's periodic cycle calls) moves kRehashGroupsPerStep old groups, so no single operation
// moves more than 32 keys. New keys always go to the new table. Migration starts at a group with
// an empty slot (so no probe sequence crosses its start) and proceeds upwards, emptying each
// moved group. A lookup in the old table whose home lies in the moved range starts probing just
// past it: by invariant 1 the rest of its sequence is intact.
//
// Scan. Because position is monotone in the hash, a scan cursor is a position p: one step returns
// every key whose p lies in [cursor, end of the cursor's group), from both tables while a rehash
// runs, and returns that end as the next cursor. Resizing changes group boundaries but not the
// order of keys, so a key present for the whole scan is returned exactly once. This is Redis's
// reverse-binary cursor seen from the other end: Redis indexes by the LOW hash bits and so must
// increment the cursor bit-reversed; indexing by the HIGH bits makes the same guarantee a plain
// increasing cursor, and frees the table from power-of-two sizes.
//
// Thread safety: none; the owning shard's lock guards every call.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "engine/entry.h"
#include "engine/hash.h"

namespace ringkv::engine {

// One table slot: the Entry pointer in the low 48 bits and a 16-bit LRU clock in the high 16
// bits, which user-space pointers on x86-64 and AArch64 never use. Keeping the clock here
// instead of in the entry is worth 16 bytes per key (entry.h). It moves with the pointer during
// rehash at no cost.
class Slot {
 public:
  static Slot Make(Entry* e, uint16_t lru) {
    Slot s;
    s.bits_ = Bits(e) | (uint64_t{lru} << 48);
    return s;
  }
  Entry* entry() const { return reinterpret_cast<Entry*>(bits_ & kPtrMask); }
  void set_entry(Entry* e) { bits_ = (bits_ & ~kPtrMask) | Bits(e); }
  uint16_t lru() const { return static_cast<uint16_t>(bits_ >> 48); }
  void set_lru(uint16_t v) { bits_ = (bits_ & kPtrMask) | (uint64_t{v} << 48); }

 private:
  static constexpr uint64_t kPtrMask = (uint64_t{1} << 48) - 1;
  static uint64_t Bits(Entry* e) {
    auto b = reinterpret_cast<uint64_t>(e);
    if ((b & ~kPtrMask) != 0) std::abort();  // a 57-bit address space; never seen from malloc
    return b;
  }
  uint64_t bits_;
};

// Arrays of at least this many bytes are mapped directly (mmap), not taken from malloc: fresh
// anonymous pages are zero, so a big table costs no memset whatever the allocator (jemalloc
// zeroes recycled memory in calloc: 68 ms for a 150 MB table), and it goes back to the kernel
// at once when freed.
inline constexpr size_t kTableMmapBytes = size_t{1} << 20;

// Releases an array allocated by the Table (malloc'ed below kTableMmapBytes, mapped above).
void FreeTableArray(void* mem, size_t bytes);

class Table {
 public:
  using HashFn = uint64_t (*)(std::string_view);
  // Frees a retired slot/control array; by default FreeTableArray. The engine passes a function
  // that hands large arrays to its background thread, so unmapping one never stalls a shard.
  using FreeFn = void (*)(void* mem, size_t bytes);

  // shift: number of high hash bits that select the shard (all keys of this table share them).
  // hash_fn: must be the function the callers hash keys with (tests inject weak hashes).
  explicit Table(int shift = 0, HashFn hash_fn = &HashKey, FreeFn free_fn = nullptr);
  ~Table();
  Table(Table&& other) noexcept;
  Table& operator=(Table&& other) noexcept;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // The slot holding `key`, or nullptr. The caller may point the slot at another entry for the
  // same key (an entry that was reallocated) and update its LRU clock.
  Slot* Find(uint64_t hash, std::string_view key);
  // Adds an entry. REQUIRES: no entry with this key is present; hash == hash_fn(e->key()).
  void Insert(uint64_t hash, Entry* e, uint16_t lru = 0);
  // Removes and returns the entry for `key`, or nullptr. The entry is not freed.
  Entry* Erase(uint64_t hash, std::string_view key);
  // Touches the memory a Find(hash, ...) will read first. Safe WITHOUT the shard lock: it reads
  // a relaxed copy of the array address, and prefetching a stale address is harmless.
  void Prefetch(uint64_t hash) const;

  size_t size() const { return cur_.size + old_.size; }
  // Slots in both tables (the old one exists only while rehashing).
  size_t capacity() const { return (cur_.groups + old_.groups) * kGroupSize; }
  // Bytes of the control and slot arrays, both tables.
  size_t bytes() const { return (cur_.groups + old_.groups) * kGroupBytes; }
  bool rehashing() const { return old_.groups != 0; }

  // Moves up to `groups` old groups; returns true while a rehash is still in progress.
  bool RehashStep(size_t groups = kRehashGroupsPerStep);
  // The most keys one Insert or Erase has moved to the new array since construction: the
  // deterministic measure of the worst single operation while growing (benchmarks report it
  // next to wall-clock times, which a shared machine's scheduler inflates).
  uint64_t max_keys_moved_per_op() const { return max_moved_; }

  // One scan step from `cursor` (a position as described above; 0 starts). Calls fn for every
  // entry in the step's range and returns the next cursor, or 0 when the table is done.
  uint64_t Scan(uint64_t cursor, absl::FunctionRef<void(Entry*)> fn) const;
  // Calls fn for every entry. fn must not modify the table.
  void ForEach(absl::FunctionRef<void(Entry*)> fn) const;
  // A pseudo-random entry chosen with `r`, or nullptr when empty.
  Entry* Random(uint64_t r) const;
  // The same choice as a slot (eviction reads its LRU clock).
  Slot* RandomSlot(uint64_t r) const;
  // Forgets every entry (without freeing them) and releases the arrays.
  void Clear();
  // Sizes an EMPTY table for `keys` keys at the target load, so that inserting them needs no
  // growth (snapshot loading: keys arrive in position order, the worst order for a growing
  // linear-probing table, as the first keys all have homes at its start). No-op otherwise.
  void Reserve(uint64_t keys);

  static constexpr size_t kGroupSize = 16;
  static constexpr size_t kGroupBytes = kGroupSize * (1 + sizeof(Slot));
  static constexpr size_t kRehashGroupsPerStep = 2;
  // Maximum load (live + tombstones) before a rebuild, and the load a rebuild aims for.
  static constexpr uint64_t kMaxLoadNum = 7;
  static constexpr uint64_t kMaxLoadDen = 8;
  static constexpr uint64_t kTargetLoadNum = 3;
  static constexpr uint64_t kTargetLoadDen = 5;

 private:
  struct Raw {
    uint8_t* ctrl = nullptr;  // kGroupSize * groups bytes, then the slots
    Slot* slots = nullptr;
    uint64_t groups = 0;
    uint64_t size = 0;
    uint64_t deleted = 0;
    uint64_t MaxUsed() const { return groups * kGroupSize * kMaxLoadNum / kMaxLoadDen; }
  };

  uint64_t Pos(uint64_t hash) const { return shift_ == 0 ? hash : hash << shift_; }
  static uint64_t Home(const Raw& t, uint64_t pos) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(pos) * t.groups) >> 64);
  }
  // First position whose home is group g (g may equal t.groups: returns 0 for "past the end").
  unsigned __int128 GroupBegin(const Raw& t, uint64_t g) const;
  // Group where probing for home group g starts in the old table (skips the migrated range).
  uint64_t OldStart(uint64_t home) const;
  Slot* FindIn(const Raw& t, uint64_t start, uint8_t h2, std::string_view key) const;
  void Place(Raw& t, uint64_t hash, Slot s);
  bool EraseIn(Raw& t, uint64_t start, uint8_t h2, std::string_view key, Entry** out);
  void StartRehash(uint64_t groups);
  void MaybeShrink();
  Raw Allocate(uint64_t groups) const;
  void Release(Raw& t);
  void WalkHome(const Raw& t, uint64_t start, uint64_t lo, unsigned __int128 hi,
                absl::FunctionRef<void(Entry*)> fn) const;
  uint64_t GroupsFor(uint64_t keys) const;
  // Republishes cur_ for Prefetch after it changes.
  void Publish() {
    prefetch_ctrl_.store(cur_.ctrl, std::memory_order_relaxed);
    prefetch_groups_.store(cur_.groups, std::memory_order_relaxed);
  }

  int shift_;
  HashFn hash_fn_;
  FreeFn free_fn_;
  Raw cur_;
  Raw old_;
  uint64_t mig_start_ = 0;                       // first migrated group of old_
  uint64_t mig_done_ = 0;                        // groups of old_ migrated so far
  uint64_t step_groups_ = kRehashGroupsPerStep;  // groups moved per Insert/Erase
  uint64_t moved_ = 0;      // keys moved by RehashStep since the current operation began
  uint64_t max_moved_ = 0;  // see max_keys_moved_per_op()
  std::atomic<uint8_t*> prefetch_ctrl_{nullptr};
  std::atomic<uint64_t> prefetch_groups_{0};
};

}  // namespace ringkv::engine
