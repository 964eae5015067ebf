// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Packed buckets: the storage unit of a set's "hashtable" encoding. Both of its forms are made of
// them: a small set is ONE bucket (a listpack-like buffer, SetObject's small form), a large set is
// an array of buckets chosen by hash (SetTable, set_table.h). This file knows members and bytes;
// it knows nothing of hashing policy, resizing or Redis commands.
//
// A bucket is one heap buffer: encoded members back to back, then a 0 byte. An empty bucket is
// nullptr. There is no per-member pointer, no stored hash and no per-member header beyond a tag
// byte, so a member costs its own bytes plus one (integers less: see below).
//
// Member encoding (first byte is the tag):
//   0                       end of the bucket
//   1..8                    a canonical integer in `tag` bytes, little-endian two's complement,
//                           sign-extended on load
//   9                       a string longer than kSetInlineMax: an 8-byte pointer to an owned
//                           block [4-byte length][bytes] (keeps buckets small to scan and move)
//   10..10+kSetInlineMax    a string of tag-10 bytes, which follow
// A member is an integer exactly when its text is a canonical int64 (Redis's string2ll rule: no
// '+', no leading zeros, no "-0"). Such text is stored in binary (2-4 bytes for typical ids
// instead of up to 20) and hashed as a number, so a lookup by text finds it without formatting,
// and "01" (not canonical) stays a distinct string member, as in Redis.
//
// Capacity is the allocator's usable size (malloc_usable_size): appending reallocs only past it,
// erasing gives memory back once a quarter of the block or more is spare. Every function that
// allocates or frees takes `heap`, the owner's running count of allocator bytes, and keeps it
// exact, so MemoryUsage() never has to walk the set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringkv::engine::detail {

// Strings up to this length are stored inside the bucket.
inline constexpr size_t kSetInlineMax = 128;

// One member as the set sees it: an integer (when its text is canonical) or a string.
struct SetMember {
  bool is_int = false;
  int64_t i = 0;
  std::string_view s;  // the text; empty and unused when is_int

  // Classifies `text` by Redis's rule.
  static SetMember Of(std::string_view text);
  static SetMember Int(int64_t v) {
    SetMember m;
    m.is_int = true;
    m.i = v;
    return m;
  }
  // The member's text: `s`, or the integer formatted into buf (at least 24 bytes).
  std::string_view Text(char* buf) const;
  // The set hash: integers hash by value, strings by XXH3 of their bytes.
  uint64_t Hash() const;
};

// ---- One encoded member ("entry"). --------------------------------------------------------
// Bytes that EncodeMember writes for m.
size_t EncodedSize(const SetMember& m);
// Writes m at dst (EncodedSize(m) bytes). A long string gets its out-of-line block here; the
// block's usable size is added to *heap.
void EncodeMember(const SetMember& m, uint8_t* dst, size_t* heap);
// Size of the entry at e. REQUIRES: *e != 0.
inline size_t EntrySize(const uint8_t* e) {
  const uint8_t tag = e[0];
  if (tag <= 8) return 1 + tag;
  return tag == 9 ? 1 + sizeof(uint8_t*) : static_cast<size_t>(tag - 9);
}
// The member stored at e; a string's view points into the bucket or its block.
SetMember DecodeEntry(const uint8_t* e);
bool EntryMatches(const uint8_t* e, const SetMember& m);
// Usable size of the entry's out-of-line block, 0 if it has none.
size_t EntryHeap(const uint8_t* e);
// Frees the entry's out-of-line block, if any, and subtracts it from *heap.
void FreeEntryHeap(const uint8_t* e, size_t* heap);

// ---- Buckets. -----------------------------------------------------------------------------
// The entry equal to m or nullptr. *end receives the offset of the terminator and *count the
// number of entries before the match (all of them when there is none). b may be nullptr.
const uint8_t* FindInBucket(const uint8_t* b, const SetMember& m, size_t* end, size_t* count);
size_t BucketCount(const uint8_t* b);
// Offset of the terminating 0 byte (0 for nullptr).
size_t BucketEnd(const uint8_t* b);
// Both at once: the terminator's offset and the entry count.
size_t BucketEnd(const uint8_t* b, size_t* count);
// The n-th entry (0-based) or nullptr when the bucket has fewer.
const uint8_t* BucketEntryAt(const uint8_t* b, size_t n);
// Appends an encoded entry of n bytes, byte for byte (a block pointer moves with it: the caller
// transfers ownership). end = BucketEnd(b). Returns the (possibly moved) bucket.
uint8_t* BucketAppendRaw(uint8_t* b, size_t end, const uint8_t* entry, size_t n, size_t* heap);
// Makes room for `need` bytes in all (entries and terminator), keeping the contents.
uint8_t* BucketReserve(uint8_t* b, size_t need, size_t* heap);
// Encodes m and appends it. end = BucketEnd(b).
uint8_t* BucketAppend(uint8_t* b, size_t end, const SetMember& m, size_t* heap);
// Removes the entry at offset off and frees its block. Returns the bucket, or nullptr when it
// became empty (and was freed).
uint8_t* BucketErase(uint8_t* b, size_t off, size_t* heap);
// Frees the buffer; with free_blocks also the entries' out-of-line blocks (without, their
// ownership has moved elsewhere and they are not subtracted from *heap).
void BucketFree(uint8_t* b, size_t* heap, bool free_blocks);
// Deep copy (blocks included); adds its bytes to *heap.
uint8_t* BucketClone(const uint8_t* b, size_t* heap);
// Allocator bytes of the buffer and its blocks.
size_t BucketHeap(const uint8_t* b);

}  // namespace ringkv::engine::detail
