// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// OrderTree: the order half of the large sorted-set encoding. An order-statistic B+tree over
// member records (zset_codec.h), sorted by (score, member). It answers insert, erase by rank,
// select by rank, rank of a key and range bounds (a partition point by any monotone predicate) in
// O(log n), and iterates in both directions from any rank. Member -> score lookups are the member
// index's job (zset_index.h); this tree never owns the records it points at.
//
// IMPLEMENTATION DETAILS
//
// Leaves hold only record pointers (62 per 504-byte leaf: one glibc chunk, one jemalloc 512 class).
// Comparing with a leaf entry therefore reads its record; keeping the score beside the pointer
// would save those reads but cost 8 more bytes per member for every member, and bytes per member
// is the figure this encoding is built for. Inner nodes (31 children, 1000 bytes) keep for every
// child its subtree size (for ranks) and its smallest key, the score cached beside the record
// pointer, so a descent reads records only on score ties and in the final leaf.
//
// Invariants: every inner node has at least two children and no leaf but the root is empty;
// min_score[i] / min_rec[i] are the smallest key of child i and size[i] its number of records.
// An erase that leaves a node under a third full merges it with a sibling (or, when both do not
// fit in one node, evens the two out). Inserting past the last key of the rightmost leaf (or
// before the first key of the leftmost one) starts a new node instead of halving the full one, so
// sets loaded in order (timestamps, counters) fill their leaves completely; such a new node may
// start under a third full until the next erase in it.
//
// Not thread-safe; the shard lock guards it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/functional/function_ref.h"
#include "engine/types/zset_codec.h"

namespace ringkv::engine {

class OrderTree {
 public:
  using Record = zset_detail::Record;
  // pred(score, record): true on a prefix of the order, false after it.
  using Pred = absl::FunctionRef<bool(double, const uint8_t*)>;

  static constexpr int kLeafCap = 62;
  static constexpr int kInnerCap = 31;

  OrderTree();
  ~OrderTree();
  OrderTree(const OrderTree&) = delete;
  OrderTree& operator=(const OrderTree&) = delete;

  size_t size() const { return size_; }
  // Bytes of every node as the allocator sized them (records not included).
  size_t AllocatedBytes() const { return bytes_; }

  // REQUIRES: no record with the same (score, member) is in the tree.
  void Insert(Record r);
  // Removes and returns the record at `rank`. REQUIRES: rank < size().
  Record EraseAt(size_t rank);
  // REQUIRES: rank < size().
  Record Select(size_t rank) const;
  // Number of leading records for which pred holds.
  size_t PartitionPoint(Pred pred) const;
  // 0-based rank of the key (score, member) among the records: the number of records below it.
  size_t RankOf(double score, std::string_view member) const;
  // Calls fn(record) for every record in order and frees every node; the tree is empty after.
  void Clear(absl::FunctionRef<void(Record)> fn);
  // For tests: checks every invariant (order, sizes, cached minimums, node counts, byte count);
  // false on the first violation.
  bool Validate() const;
  int height() const { return height_; }

  // Walks the records from a rank in either direction. Invalidated by any change to the tree.
  class Iterator {
   public:
    // Positioned at `rank` (invalid if rank >= size()).
    Iterator(const OrderTree& tree, size_t rank);
    bool Valid() const { return valid_; }
    Record Get() const;
    void Next();
    void Prev();

   private:
    struct Level {
      const void* node;
      int index;
    };
    void DescendFirst(int depth);
    void DescendLast(int depth);

    const OrderTree& tree_;
    Level path_[24];  // root first; the last level is the leaf
    int depth_ = 0;   // number of levels in path_
    bool valid_ = false;
  };

 private:
  struct Node;
  struct Leaf;
  struct Inner;

  Leaf* NewLeaf();
  Inner* NewInner();
  void FreeNode(Node* n);
  static size_t Count(const Node* n);
  static double MinScore(const Node* n);
  static Record MinRecord(const Node* n);
  static void SetChildMin(Inner* p, int i);

  Node* InsertInto(Node* n, Record r, double score, std::string_view member, bool rightmost,
                   bool leftmost);
  Node* InsertLeaf(Leaf* leaf, Record r, double score, std::string_view member, bool rightmost,
                   bool leftmost);
  Node* SplitInner(Inner* p, int inserted_at, bool rightmost);
  Record EraseFrom(Node* n, size_t rank);
  void Rebalance(Inner* p, int i);
  void MoveChildren(Inner* dst, int dst_at, Inner* src, int src_at, int n);
  // Validate() of one subtree: its record count in *count, its bytes added to *bytes.
  bool ValidateNode(const Node* n, int depth, bool is_root, const uint8_t** prev, size_t* count,
                    size_t* bytes) const;

  Node* root_;
  size_t size_ = 0;
  size_t bytes_ = 0;
  int height_ = 1;  // levels, leaves included
};

}  // namespace ringkv::engine
