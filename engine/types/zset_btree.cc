// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The order-statistic B+tree of the large sorted-set encoding; design notes in zset_btree.h.
#include "engine/types/zset_btree.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "engine/memory.h"

namespace ringkv::engine {

using zset_detail::CompareEntries;
using zset_detail::RecordMember;
using zset_detail::RecordScore;

struct OrderTree::Node {
  uint16_t count;
  bool leaf;
};

struct OrderTree::Leaf : Node {
  Record rec[kLeafCap];
};

struct OrderTree::Inner : Node {
  size_t size[kInnerCap];
  Node* child[kInnerCap];
  double min_score[kInnerCap];
  Record min_rec[kInnerCap];
};

namespace {

constexpr int kLeafMin = OrderTree::kLeafCap / 3;
constexpr int kInnerMin = OrderTree::kInnerCap / 3;

// Compares record r with the key (score, member).
int CompareRecord(const uint8_t* r, double score, std::string_view member) {
  return CompareEntries(RecordScore(r), RecordMember(r), score, member);
}

}  // namespace

OrderTree::OrderTree() { root_ = NewLeaf(); }

OrderTree::~OrderTree() {
  Clear([](Record) {});
  FreeNode(root_);
}

OrderTree::Leaf* OrderTree::NewLeaf() {
  static_assert(sizeof(Leaf) == 504, "a leaf is one 504-byte allocation");
  auto* l = static_cast<Leaf*>(MustMalloc(sizeof(Leaf)));
  l->count = 0;
  l->leaf = true;
  bytes_ += AllocSize(l);
  return l;
}

OrderTree::Inner* OrderTree::NewInner() {
  static_assert(sizeof(Inner) == 1000, "an inner node is one 1000-byte allocation");
  auto* n = static_cast<Inner*>(MustMalloc(sizeof(Inner)));
  n->count = 0;
  n->leaf = false;
  bytes_ += AllocSize(n);
  return n;
}

void OrderTree::FreeNode(Node* n) {
  bytes_ -= AllocSize(n);
  std::free(n);
}

size_t OrderTree::Count(const Node* n) {
  if (n->leaf) return n->count;
  const auto* p = static_cast<const Inner*>(n);
  size_t total = 0;
  for (int i = 0; i < p->count; ++i) total += p->size[i];
  return total;
}

double OrderTree::MinScore(const Node* n) {
  if (n->leaf) return RecordScore(static_cast<const Leaf*>(n)->rec[0]);
  return static_cast<const Inner*>(n)->min_score[0];
}

OrderTree::Record OrderTree::MinRecord(const Node* n) {
  if (n->leaf) return static_cast<const Leaf*>(n)->rec[0];
  return static_cast<const Inner*>(n)->min_rec[0];
}

void OrderTree::SetChildMin(Inner* p, int i) {
  p->min_score[i] = MinScore(p->child[i]);
  p->min_rec[i] = MinRecord(p->child[i]);
}

// ---- Insert -------------------------------------------------------------------------------------

void OrderTree::Insert(Record r) {
  const double score = RecordScore(r);
  const std::string_view member = RecordMember(r);
  Node* split = InsertInto(root_, r, score, member, /*rightmost=*/true, /*leftmost=*/true);
  ++size_;
  if (split == nullptr) return;
  Inner* root = NewInner();
  root->count = 2;
  root->child[0] = root_;
  root->child[1] = split;
  root->size[1] = Count(split);
  root->size[0] = size_ - root->size[1];
  SetChildMin(root, 0);
  SetChildMin(root, 1);
  root_ = root;
  ++height_;
}

OrderTree::Node* OrderTree::InsertLeaf(Leaf* leaf, Record r, double score, std::string_view member,
                                       bool rightmost, bool leftmost) {
  int lo = 0, hi = leaf->count;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (CompareRecord(leaf->rec[mid], score, member) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const int pos = lo;
  if (leaf->count < kLeafCap) {
    std::memmove(&leaf->rec[pos + 1], &leaf->rec[pos], sizeof(Record) * (leaf->count - pos));
    leaf->rec[pos] = r;
    ++leaf->count;
    return nullptr;
  }
  Leaf* right = NewLeaf();
  if (rightmost && pos == kLeafCap) {
    right->rec[0] = r;
    right->count = 1;
    return right;
  }
  if (leftmost && pos == 0) {
    std::memcpy(right->rec, leaf->rec, sizeof(Record) * kLeafCap);
    right->count = kLeafCap;
    leaf->rec[0] = r;
    leaf->count = 1;
    return right;
  }
  Record all[kLeafCap + 1];
  std::memcpy(all, leaf->rec, sizeof(Record) * pos);
  all[pos] = r;
  std::memcpy(all + pos + 1, leaf->rec + pos, sizeof(Record) * (kLeafCap - pos));
  const int keep = (kLeafCap + 1) / 2;
  std::memcpy(leaf->rec, all, sizeof(Record) * keep);
  leaf->count = static_cast<uint16_t>(keep);
  std::memcpy(right->rec, all + keep, sizeof(Record) * (kLeafCap + 1 - keep));
  right->count = static_cast<uint16_t>(kLeafCap + 1 - keep);
  return right;
}

OrderTree::Node* OrderTree::InsertInto(Node* n, Record r, double score, std::string_view member,
                                       bool rightmost, bool leftmost) {
  if (n->leaf) return InsertLeaf(static_cast<Leaf*>(n), r, score, member, rightmost, leftmost);
  auto* p = static_cast<Inner*>(n);
  // The last child whose smallest key is <= the new key (child 0 if none).
  int lo = 1, hi = p->count;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    const int c = p->min_score[mid] < score   ? -1
                  : p->min_score[mid] > score ? 1
                                              : CompareRecord(p->min_rec[mid], score, member);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const int i = lo - 1;
  Node* split =
      InsertInto(p->child[i], r, score, member, rightmost && i == p->count - 1, leftmost && i == 0);
  ++p->size[i];
  if (split == nullptr) {
    if (i == 0 && CompareEntries(score, member, p->min_score[0], RecordMember(p->min_rec[0])) < 0) {
      p->min_score[0] = score;
      p->min_rec[0] = r;
    }
    return nullptr;
  }
  const size_t right_size = Count(split);
  p->size[i] -= right_size;
  SetChildMin(p, i);
  if (p->count < kInnerCap) {
    const int at = i + 1;
    const int tail = p->count - at;
    std::memmove(&p->size[at + 1], &p->size[at], sizeof(p->size[0]) * tail);
    std::memmove(&p->child[at + 1], &p->child[at], sizeof(p->child[0]) * tail);
    std::memmove(&p->min_score[at + 1], &p->min_score[at], sizeof(p->min_score[0]) * tail);
    std::memmove(&p->min_rec[at + 1], &p->min_rec[at], sizeof(p->min_rec[0]) * tail);
    p->child[at] = split;
    p->size[at] = right_size;
    SetChildMin(p, at);
    ++p->count;
    return nullptr;
  }
  // Full: park the new child in a scratch node of kInnerCap + 1 slots, then divide.
  struct Scratch {
    size_t size[kInnerCap + 1];
    Node* child[kInnerCap + 1];
  } all;
  const int at = i + 1;
  for (int k = 0, s = 0; k <= kInnerCap; ++k) {
    if (k == at) {
      all.size[k] = right_size;
      all.child[k] = split;
    } else {
      all.size[k] = p->size[s];
      all.child[k] = p->child[s];
      ++s;
    }
  }
  // An append at the right edge leaves the left node nearly full (two children move, so that no
  // inner node but the root ever has fewer than two).
  const int keep = (rightmost && at == kInnerCap) ? kInnerCap - 1 : (kInnerCap + 1) / 2;
  Inner* right = NewInner();
  p->count = static_cast<uint16_t>(keep);
  right->count = static_cast<uint16_t>(kInnerCap + 1 - keep);
  for (int k = 0; k <= kInnerCap; ++k) {
    Inner* dst = k < keep ? p : right;
    const int slot = k < keep ? k : k - keep;
    dst->size[slot] = all.size[k];
    dst->child[slot] = all.child[k];
    SetChildMin(dst, slot);
  }
  return right;
}

// ---- Erase --------------------------------------------------------------------------------------

OrderTree::Record OrderTree::EraseAt(size_t rank) {
  Record r = EraseFrom(root_, rank);
  --size_;
  if (!root_->leaf && root_->count == 1) {
    Node* child = static_cast<Inner*>(root_)->child[0];
    FreeNode(root_);
    root_ = child;
    --height_;
  }
  return r;
}

OrderTree::Record OrderTree::EraseFrom(Node* n, size_t rank) {
  if (n->leaf) {
    auto* leaf = static_cast<Leaf*>(n);
    const int pos = static_cast<int>(rank);
    Record r = leaf->rec[pos];
    std::memmove(&leaf->rec[pos], &leaf->rec[pos + 1], sizeof(Record) * (leaf->count - pos - 1));
    --leaf->count;
    return r;
  }
  auto* p = static_cast<Inner*>(n);
  int i = 0;
  while (rank >= p->size[i]) rank -= p->size[i++];
  Record r = EraseFrom(p->child[i], rank);
  --p->size[i];
  Node* c = p->child[i];
  if (c->count < (c->leaf ? kLeafMin : kInnerMin)) {
    Rebalance(p, i);
  } else {
    SetChildMin(p, i);
  }
  return r;
}

void OrderTree::MoveChildren(Inner* dst, int dst_at, Inner* src, int src_at, int n) {
  std::memmove(&dst->size[dst_at], &src->size[src_at], sizeof(src->size[0]) * n);
  std::memmove(&dst->child[dst_at], &src->child[src_at], sizeof(src->child[0]) * n);
  std::memmove(&dst->min_score[dst_at], &src->min_score[src_at], sizeof(src->min_score[0]) * n);
  std::memmove(&dst->min_rec[dst_at], &src->min_rec[src_at], sizeof(src->min_rec[0]) * n);
}

// Child i of p fell under its minimum: merge it with a neighbour when both fit in one node,
// otherwise move entries over from the neighbour so that both end up half full.
void OrderTree::Rebalance(Inner* p, int i) {
  const int l = i + 1 < p->count ? i : i - 1;
  const int r = l + 1;
  Node* left = p->child[l];
  Node* right = p->child[r];
  const int cap = left->leaf ? kLeafCap : kInnerCap;
  const int total = left->count + right->count;
  if (total <= cap) {
    if (left->leaf) {
      auto* a = static_cast<Leaf*>(left);
      auto* b = static_cast<Leaf*>(right);
      std::memcpy(&a->rec[a->count], b->rec, sizeof(Record) * b->count);
    } else {
      MoveChildren(static_cast<Inner*>(left), left->count, static_cast<Inner*>(right), 0,
                   right->count);
    }
    left->count = static_cast<uint16_t>(total);
    p->size[l] += p->size[r];
    FreeNode(right);
    MoveChildren(p, r, p, r + 1, p->count - r - 1);
    --p->count;
    SetChildMin(p, l);
    return;
  }
  const int want_left = total / 2;
  if (left->leaf) {
    auto* a = static_cast<Leaf*>(left);
    auto* b = static_cast<Leaf*>(right);
    if (a->count < want_left) {
      const int n = want_left - a->count;
      std::memcpy(&a->rec[a->count], b->rec, sizeof(Record) * n);
      std::memmove(b->rec, &b->rec[n], sizeof(Record) * (b->count - n));
    } else {
      const int n = a->count - want_left;
      std::memmove(&b->rec[n], b->rec, sizeof(Record) * b->count);
      std::memcpy(b->rec, &a->rec[want_left], sizeof(Record) * n);
    }
    a->count = static_cast<uint16_t>(want_left);
    b->count = static_cast<uint16_t>(total - want_left);
  } else {
    auto* a = static_cast<Inner*>(left);
    auto* b = static_cast<Inner*>(right);
    if (a->count < want_left) {
      const int n = want_left - a->count;
      MoveChildren(a, a->count, b, 0, n);
      MoveChildren(b, 0, b, n, b->count - n);
    } else {
      const int n = a->count - want_left;
      MoveChildren(b, n, b, 0, b->count);
      MoveChildren(b, 0, a, want_left, n);
    }
    a->count = static_cast<uint16_t>(want_left);
    b->count = static_cast<uint16_t>(total - want_left);
  }
  const size_t both = p->size[l] + p->size[r];
  p->size[l] = Count(left);
  p->size[r] = both - p->size[l];
  SetChildMin(p, l);
  SetChildMin(p, r);
}

// ---- Queries ------------------------------------------------------------------------------------

OrderTree::Record OrderTree::Select(size_t rank) const {
  const Node* n = root_;
  while (!n->leaf) {
    const auto* p = static_cast<const Inner*>(n);
    int i = 0;
    while (rank >= p->size[i]) rank -= p->size[i++];
    n = p->child[i];
  }
  return static_cast<const Leaf*>(n)->rec[rank];
}

size_t OrderTree::PartitionPoint(Pred pred) const {
  size_t base = 0;
  const Node* n = root_;
  while (!n->leaf) {
    const auto* p = static_cast<const Inner*>(n);
    // First child whose smallest key fails the predicate; the boundary is in the one before.
    int lo = 0, hi = p->count;
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (pred(p->min_score[mid], p->min_rec[mid])) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == 0) return base;
    for (int k = 0; k < lo - 1; ++k) base += p->size[k];
    n = p->child[lo - 1];
  }
  const auto* leaf = static_cast<const Leaf*>(n);
  int lo = 0, hi = leaf->count;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (pred(RecordScore(leaf->rec[mid]), leaf->rec[mid])) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return base + static_cast<size_t>(lo);
}

size_t OrderTree::RankOf(double score, std::string_view member) const {
  return PartitionPoint([&](double s, const uint8_t* r) {
    return s < score || (s == score && RecordMember(r) < member);
  });
}

void OrderTree::Clear(absl::FunctionRef<void(Record)> fn) {
  // Iterative post-order walk with an explicit stack (height is at most ~20).
  struct Frame {
    Node* node;
    int next;
  };
  Frame stack[32];
  int top = 0;
  stack[top++] = {root_, 0};
  while (top > 0) {
    Frame& f = stack[top - 1];
    if (f.node->leaf) {
      auto* leaf = static_cast<Leaf*>(f.node);
      for (int k = 0; k < leaf->count; ++k) fn(leaf->rec[k]);
      if (f.node != root_) FreeNode(f.node);
      --top;
      continue;
    }
    auto* p = static_cast<Inner*>(f.node);
    if (f.next < p->count) {
      Node* child = p->child[f.next++];
      stack[top++] = {child, 0};
      continue;
    }
    if (f.node != root_) FreeNode(f.node);
    --top;
  }
  if (!root_->leaf) {
    FreeNode(root_);
    root_ = NewLeaf();
  }
  root_->count = 0;
  size_ = 0;
  height_ = 1;
}

bool OrderTree::ValidateNode(const Node* n, int depth, bool is_root, const uint8_t** prev,
                             size_t* count, size_t* bytes) const {
  *bytes += AllocSize(n);
  if (n->leaf) {
    if (depth != height_ - 1) return false;
    if (!is_root && n->count == 0) return false;
    const auto* leaf = static_cast<const Leaf*>(n);
    for (int k = 0; k < leaf->count; ++k) {
      const uint8_t* r = leaf->rec[k];
      if (*prev != nullptr && CompareEntries(RecordScore(*prev), RecordMember(*prev),
                                             RecordScore(r), RecordMember(r)) >= 0) {
        return false;
      }
      *prev = r;
    }
    *count = leaf->count;
    return true;
  }
  const auto* p = static_cast<const Inner*>(n);
  if (p->count < 2 || p->count > kInnerCap) return false;
  size_t total = 0;
  for (int k = 0; k < p->count; ++k) {
    if (p->min_rec[k] != MinRecord(p->child[k]) || p->min_score[k] != MinScore(p->child[k])) {
      return false;
    }
    size_t c = 0;
    if (!ValidateNode(p->child[k], depth + 1, false, prev, &c, bytes)) return false;
    if (c != p->size[k]) return false;
    total += c;
  }
  *count = total;
  return true;
}

bool OrderTree::Validate() const {
  const uint8_t* prev = nullptr;
  size_t count = 0, bytes = 0;
  if (!ValidateNode(root_, 0, true, &prev, &count, &bytes)) return false;
  return count == size_ && bytes == bytes_;
}

// ---- Iterator -----------------------------------------------------------------------------------

OrderTree::Iterator::Iterator(const OrderTree& tree, size_t rank) : tree_(tree) {
  if (rank >= tree.size_) return;
  const Node* n = tree.root_;
  int d = 0;
  while (!n->leaf) {
    const auto* p = static_cast<const Inner*>(n);
    int i = 0;
    while (rank >= p->size[i]) rank -= p->size[i++];
    path_[d++] = {p, i};
    n = p->child[i];
  }
  path_[d++] = {n, static_cast<int>(rank)};
  depth_ = d;
  valid_ = true;
}

OrderTree::Record OrderTree::Iterator::Get() const {
  const Level& lv = path_[depth_ - 1];
  return static_cast<const Leaf*>(lv.node)->rec[lv.index];
}

void OrderTree::Iterator::DescendFirst(int depth) {
  const auto* parent = static_cast<const Inner*>(path_[depth - 1].node);
  const Node* n = parent->child[path_[depth - 1].index];
  for (;;) {
    path_[depth] = {n, 0};
    if (n->leaf) break;
    n = static_cast<const Inner*>(n)->child[0];
    ++depth;
  }
}

void OrderTree::Iterator::DescendLast(int depth) {
  const auto* parent = static_cast<const Inner*>(path_[depth - 1].node);
  const Node* n = parent->child[path_[depth - 1].index];
  for (;;) {
    path_[depth] = {n, n->count - 1};
    if (n->leaf) break;
    n = static_cast<const Inner*>(n)->child[n->count - 1];
    ++depth;
  }
}

void OrderTree::Iterator::Next() {
  Level& leaf = path_[depth_ - 1];
  if (++leaf.index < static_cast<const Node*>(leaf.node)->count) return;
  for (int d = depth_ - 2; d >= 0; --d) {
    const auto* p = static_cast<const Inner*>(path_[d].node);
    if (path_[d].index + 1 < p->count) {
      ++path_[d].index;
      DescendFirst(d + 1);
      return;
    }
  }
  valid_ = false;
}

void OrderTree::Iterator::Prev() {
  Level& leaf = path_[depth_ - 1];
  if (--leaf.index >= 0) return;
  for (int d = depth_ - 2; d >= 0; --d) {
    if (path_[d].index > 0) {
      --path_[d].index;
      DescendLast(d + 1);
      return;
    }
  }
  valid_ = false;
}

}  // namespace ringkv::engine
