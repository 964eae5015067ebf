// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ListObject: the value of a Redis list. A plain data structure under the shard lock; it knows
// nothing of RESP or of keys. Redis's index conventions (negative = from the tail, LRANGE/LTRIM
// clamping) are applied here so every caller gets them the same way; argument parsing and error
// text stay in server/commands/lists.cc.
//
// IMPLEMENTATION
//
// The list is a sequence of nodes; each node is one heap block holding a 16-byte header and a
// packed byte buffer of elements (engine/types/list_pack.h: 1-byte header and 1-byte back length
// for short elements, small integers in 1 byte, larger integers in binary). A node holds at most
// what `list-max-listpack-size` allows (engine::Limits(); positive: entries per node with an
// 8 KiB safety cap, -1..-5: 4..64 KiB of element bytes), except that an element larger than the
// limit gets a node of its own. The node pointers live in a power-of-two ring (so a new node at
// either end is O(1)); a one-node list keeps its only node pointer inline and has no ring at all.
//
// - Push/pop at either end touch only the end node: O(1) (a push into the head node moves the
//   node's bytes, at most one node size, as a listpack does).
// - Index access walks node counts from the nearer end, then elements from the nearer end of the
//   node. Insert/remove in the middle edit one node; a node that outgrows the limit is split,
//   nodes that shrink below half the limit are merged with a neighbour when the two fit.
// - Interior nodes are compressed (engine/types/list_codec.h: headers and payloads split
//   apart, then LZ, then Huffman) once they are more than ListCompressDepth() nodes from either
//   end (list-compress-depth, off by default as in Redis): pushes and pops touch only plain
//   end nodes, and each element is compressed once when its node leaves an end and decompressed
//   once if it comes back to one. A node that does not shrink by an eighth stays plain and is
//   not tried again until it changes. Reads of a compressed node decompress into a scratch
//   buffer; writes decompress it in place and compress it again afterwards.
// - Memory is accounted as it changes (malloc_usable_size of every block), so MemoryUsage() is
//   O(1) and exact.
//
// OBJECT ENCODING: Redis 7.0 (the reference these replies follow) reports every list as
// "quicklist" whatever its size, so encoding() does too. The one-node form is what Redis 7.2
// calls "listpack"; is_single_node() exposes it.
//
// Thread safety: none; the shard lock guards the object.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "engine/object.h"

namespace ringkv::engine {

namespace detail {
struct ListNode;
struct ListRing;
}  // namespace detail

// LEFT / RIGHT in Redis's list commands.
enum class ListEnd : uint8_t { kHead, kTail };

// Nodes kept uncompressed at each end of a list (Redis's list-compress-depth; 0 = never
// compress): Limits().list_compress_depth. Read when a list changes shape. Default: 0.
std::atomic<int>& ListCompressDepth();

// Element callbacks receive views valid only for the duration of the call.
using ListElementFn = absl::FunctionRef<void(std::string_view)>;

class ListObject final : public ObjectOf<ListObject> {
 public:
  ListObject() = default;
  ~ListObject();
  ListObject(const ListObject&) = delete;
  ListObject& operator=(const ListObject&) = delete;

  // ---- Object. ------------------------------------------------------------------------------
  size_t MemoryUsage() const;
  std::unique_ptr<Object> Clone() const;
  Encoding encoding() const { return Encoding::kQuicklist; }
  size_t Size() const { return count_; }

  // ---- Ends (LPUSH/RPUSH/LPOP/RPOP/LMOVE; the blocking commands reuse these). -----------------
  void Push(ListEnd end, std::string_view value);
  // Removes the element at `end` and passes it to fn. False (fn not called) when empty.
  bool Pop(ListEnd end, ListElementFn fn);
  // As Pop, into *out (replaced).
  bool Pop(ListEnd end, std::string* out);
  // Pops up to n elements from `end`, in pop order. Returns how many.
  size_t PopMany(ListEnd end, size_t n, ListElementFn fn);
  // Moves the element at `from` to `to` (LMOVE/RPOPLPUSH with source == destination) and passes
  // it to fn. False when empty.
  bool Rotate(ListEnd from, ListEnd to, ListElementFn fn);

  // ---- Positions. Indexes follow Redis: negative counts from the tail (-1 = last). ----------
  // LINDEX: false when out of range.
  bool Index(int64_t index, ListElementFn fn) const;
  // LSET: false (nothing changed) when out of range.
  bool Set(int64_t index, std::string_view value);
  // LRANGE start end, with Redis's clamping. fn per element in order.
  void Range(int64_t start, int64_t end, ListElementFn fn) const;
  // Number of elements Range(start, end) visits.
  size_t RangeLength(int64_t start, int64_t end) const;
  // Elements [first, first + n) (plain positions), from first on, or backwards from
  // first + n - 1 when `reverse`. REQUIRES: first + n <= Size().
  void Walk(size_t first, size_t n, bool reverse, ListElementFn fn) const;

  // ---- Searches and edits. ------------------------------------------------------------------
  // LINSERT: inserts value before/after the first element equal to pivot (from the head).
  // False when the pivot is not present.
  bool Insert(std::string_view pivot, std::string_view value, bool after);
  // LREM: count > 0 removes the first `count` matches from the head, count < 0 the first
  // |count| from the tail, 0 all. Returns how many were removed.
  size_t Remove(std::string_view value, int64_t count);
  // LTRIM start end, with Redis's clamping (an empty range empties the list).
  void Trim(int64_t start, int64_t end);
  // Removes elements [first, first + n). REQUIRES: first + n <= Size().
  void Erase(size_t first, size_t n);
  // LPOS: scans from the head (or the tail when from_tail), looking at no more than maxlen
  // elements (0 = all); skips the first `skip` matches, then calls fn(index) for each further
  // match until `limit` were reported (0 = no limit). Indexes are from the head.
  void Find(std::string_view value, bool from_tail, uint64_t skip, uint64_t limit, uint64_t maxlen,
            absl::FunctionRef<void(int64_t)> fn) const;

  // ---- Introspection (tests, benchmarks). ---------------------------------------------------
  bool is_single_node() const { return num_nodes_ <= 1; }
  size_t node_count() const { return num_nodes_; }
  size_t compressed_node_count() const;
  // Checks every internal invariant (element counts, sizes, decodability, accounting); returns
  // an empty string when all hold, else what is wrong.
  std::string CheckInvariants() const;

 private:
  using Node = detail::ListNode;
  using Ring = detail::ListRing;
  struct Pos {
    size_t node;  // node index
    size_t elem;  // element ordinal within the node
  };

  // Node storage.
  Node* NodeAt(size_t i) const;
  void SetNodeAt(size_t i, Node* n);
  void InsertNode(size_t i, Node* n);
  void EraseNode(size_t i);
  Node* NewNode(size_t payload_capacity);
  void FreeNode(Node* n);
  // Makes node i plain (decompresses it in place if needed) and returns it.
  Node* Plain(size_t i);
  // Ensures node i has room for `extra` more payload bytes; returns it (may move).
  Node* Reserve(size_t i, size_t extra);
  // Gives back spare capacity of node i when it is mostly unused.
  void MaybeShrink(size_t i);
  // Compresses node i if it is interior, plain, untried and large enough.
  void MaybeCompress(size_t i);
  // Restores the shape rules near the ends after the node sequence changed.
  void Settle();
  // Splits node i until every piece fits the limit (or holds one element).
  void SplitIfNeeded(size_t i);
  // Merges nodes a and a + 1 into a when they fit together and one is small; true if it did.
  bool MergePair(size_t a);
  // Merges node i with its next, else its previous neighbour (MergePair); returns the index of
  // the node that now holds node i's elements.
  size_t MaybeMerge(size_t i);
  bool Fits(const Node* n, size_t extra_bytes, size_t extra_count) const;

  Pos Locate(size_t index) const;
  // Removes the m elements at the given ascending byte offsets of node i (made plain).
  void EraseOffsets(size_t i, const uint32_t* offsets, size_t m);
  void InsertAt(size_t node, size_t offset, std::string_view value);

  union {
    Node* single;  // when ring_ is null: the only node, or null when empty
    Ring* ring;
  } nodes_ = {nullptr};
  bool has_ring_ = false;
  uint32_t num_nodes_ = 0;
  uint64_t count_ = 0;  // elements
  uint64_t heap_ = 0;   // allocator bytes of nodes and the ring
};

}  // namespace ringkv::engine
