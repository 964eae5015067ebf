// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ListObject: nodes, their ring, compression and every list operation (design in list.h).
#include "engine/types/list.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/memory.h"
#include "engine/types/limits.h"
#include "engine/types/list_codec.h"
#include "engine/types/list_pack.h"

namespace ringkv::engine {

using detail::LpElem;
using detail::LpValue;

std::atomic<int>& ListCompressDepth() { return Limits().list_compress_depth; }

namespace detail {

// One heap block: this header, then `stored` bytes of data (plain elements, or their
// compressed form when `compressed`).
struct ListNode {
  uint32_t count;   // elements
  uint32_t size;    // plain bytes of the elements
  uint32_t stored;  // bytes in data(): size when plain
  uint8_t compressed;
  uint8_t tried;  // compression was tried on the current contents and did not pay
  uint16_t unused;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(this + 1); }
};
static_assert(sizeof(ListNode) == 16);

// The node pointer ring: this header, then `capacity` (a power of two) slots.
struct ListRing {
  uint32_t head;
  uint32_t capacity;
  ListNode** slots() { return reinterpret_cast<ListNode**>(this + 1); }
};
static_assert(sizeof(ListRing) == 8);

}  // namespace detail

namespace {

using Node = detail::ListNode;
using Ring = detail::ListRing;

// Redis's quicklist node size levels for list-max-listpack-size -1..-5, and the byte cap that
// applies to count-limited nodes (its SIZE_SAFETY_LIMIT).
constexpr size_t kSizeLevels[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSafetyBytes = 8192;
// Nodes smaller than this are not worth compressing; larger ones are rare (a node that big
// holds one huge element) and compressing them would stall the shard.
constexpr size_t kMinCompressBytes = 64;
constexpr size_t kMaxCompressBytes = size_t{1} << 20;

struct NodeLimit {
  size_t bytes;
  size_t count;
};

NodeLimit CurrentLimit() {
  const int64_t fill = Limits().list_max_listpack_size.load(std::memory_order_relaxed);
  if (fill >= 0) return {kSafetyBytes, fill == 0 ? size_t{1} : static_cast<size_t>(fill)};
  // -1 -> level 0; anything below -5 acts as -5.
  const uint64_t level = static_cast<uint64_t>(-(fill + 1));
  return {kSizeLevels[std::min<uint64_t>(level, 4)], SIZE_MAX};
}

// Spare room given to a growing node: none for small ones (malloc rounds them anyway), a
// quarter up to 1 KiB beyond that, so pushes do not reallocate every time.
size_t Slack(size_t need) { return need < 256 ? 0 : std::min<size_t>(need / 4, 1024); }

// Byte offset of element `ord` in a plain buffer, walking from the nearer end.
size_t OffsetOf(const uint8_t* d, size_t size, size_t count, size_t ord) {
  if (ord <= count / 2) {
    size_t off = 0;
    for (size_t k = 0; k < ord; ++k) off += detail::LpTotal(d + off);
    return off;
  }
  size_t off = size;
  for (size_t k = count; k > ord; --k) off -= detail::LpPrevTotal(d + off);
  return off;
}

// Plain bytes of a node for reading: the node's own, or decompressed into a buffer kept across
// the nodes of one operation.
class Scratch {
 public:
  const uint8_t* Plain(const Node* n) {
    if (!n->compressed) return n->data();
    if (cap_ < n->size) {
      cap_ = std::max<size_t>(n->size, 2 * cap_);
      buf_.reset(new uint8_t[cap_]);
    }
    if (!detail::DecompressNode(n->data(), n->stored, n->count, buf_.get(), n->size)) std::abort();
    return buf_.get();
  }

 private:
  std::unique_ptr<uint8_t[]> buf_;
  size_t cap_ = 0;
};

Node* ReallocNode(Node* n, size_t bytes) {
  void* p = std::realloc(n, bytes);
  if (p == nullptr) std::abort();
  return static_cast<Node*>(p);
}

}  // namespace

// ---- Node storage. ---------------------------------------------------------------------------

ListObject::~ListObject() {
  for (size_t i = 0; i < num_nodes_; ++i) std::free(NodeAt(i));
  if (has_ring_) std::free(nodes_.ring);
}

ListObject::Node* ListObject::NodeAt(size_t i) const {
  if (!has_ring_) return nodes_.single;
  Ring* r = nodes_.ring;
  return r->slots()[(r->head + i) & (r->capacity - 1)];
}

void ListObject::SetNodeAt(size_t i, Node* n) {
  if (!has_ring_) {
    nodes_.single = n;
    return;
  }
  Ring* r = nodes_.ring;
  r->slots()[(r->head + i) & (r->capacity - 1)] = n;
}

void ListObject::InsertNode(size_t i, Node* n) {
  if (!has_ring_ && num_nodes_ == 0) {
    nodes_.single = n;
    num_nodes_ = 1;
    return;
  }
  const size_t needed = size_t{num_nodes_} + 1;
  if (!has_ring_ || needed > nodes_.ring->capacity) {
    // A new ring twice as large (4 slots at first), nodes in order from slot 0.
    const uint32_t capacity = has_ring_ ? 2 * nodes_.ring->capacity : 4;
    Ring* r = static_cast<Ring*>(MustMalloc(sizeof(Ring) + capacity * sizeof(Node*)));
    r->head = 0;
    r->capacity = capacity;
    for (size_t k = 0; k < num_nodes_; ++k) r->slots()[k] = NodeAt(k);
    if (has_ring_) {
      heap_ -= AllocSize(nodes_.ring);
      std::free(nodes_.ring);
    }
    heap_ += AllocSize(r);
    nodes_.ring = r;
    has_ring_ = true;
  }
  Ring* r = nodes_.ring;
  if (i == 0) {
    r->head = (r->head - 1) & (r->capacity - 1);
  } else {
    for (size_t k = num_nodes_; k > i; --k) {
      r->slots()[(r->head + k) & (r->capacity - 1)] =
          r->slots()[(r->head + k - 1) & (r->capacity - 1)];
    }
  }
  ++num_nodes_;
  SetNodeAt(i, n);
}

void ListObject::EraseNode(size_t i) {
  if (!has_ring_) {
    nodes_.single = nullptr;
    num_nodes_ = 0;
    return;
  }
  Ring* r = nodes_.ring;
  if (i == 0) {
    r->head = (r->head + 1) & (r->capacity - 1);
  } else {
    for (size_t k = i; k + 1 < num_nodes_; ++k) {
      r->slots()[(r->head + k) & (r->capacity - 1)] =
          r->slots()[(r->head + k + 1) & (r->capacity - 1)];
    }
  }
  --num_nodes_;
  if (num_nodes_ == 1) {
    // Back to the inline form: a one-node list has no ring.
    Node* only = NodeAt(0);
    heap_ -= AllocSize(r);
    std::free(r);
    nodes_.single = only;
    has_ring_ = false;
  } else if (r->capacity > 8 && num_nodes_ * 4 < r->capacity) {
    const uint32_t capacity = r->capacity / 2;
    Ring* s = static_cast<Ring*>(MustMalloc(sizeof(Ring) + capacity * sizeof(Node*)));
    s->head = 0;
    s->capacity = capacity;
    for (size_t k = 0; k < num_nodes_; ++k) s->slots()[k] = NodeAt(k);
    heap_ -= AllocSize(r);
    std::free(r);
    heap_ += AllocSize(s);
    nodes_.ring = s;
  }
}

ListObject::Node* ListObject::NewNode(size_t payload_capacity) {
  Node* n = static_cast<Node*>(MustMalloc(sizeof(Node) + payload_capacity));
  std::memset(n, 0, sizeof(Node));
  heap_ += AllocSize(n);
  return n;
}

void ListObject::FreeNode(Node* n) {
  heap_ -= AllocSize(n);
  std::free(n);
}

ListObject::Node* ListObject::Plain(size_t i) {
  Node* n = NodeAt(i);
  if (!n->compressed) return n;
  Node* p = static_cast<Node*>(MustMalloc(sizeof(Node) + n->size));
  *p = *n;
  if (!detail::DecompressNode(n->data(), n->stored, n->count, p->data(), n->size)) std::abort();
  p->compressed = 0;
  p->tried = 0;
  p->stored = p->size;
  heap_ += AllocSize(p);
  FreeNode(n);
  SetNodeAt(i, p);
  return p;
}

ListObject::Node* ListObject::Reserve(size_t i, size_t extra) {
  Node* n = NodeAt(i);
  const size_t need = size_t{n->size} + extra;
  if (sizeof(Node) + need <= AllocSize(n)) return n;
  heap_ -= AllocSize(n);
  n = ReallocNode(n, sizeof(Node) + need + Slack(need));
  heap_ += AllocSize(n);
  SetNodeAt(i, n);
  return n;
}

void ListObject::MaybeShrink(size_t i) {
  Node* n = NodeAt(i);
  const size_t have = AllocSize(n) - sizeof(Node);
  if (have <= 64 || n->stored >= have / 2) return;
  heap_ -= AllocSize(n);
  n = ReallocNode(n, sizeof(Node) + n->stored + (n->compressed ? 0 : Slack(n->stored)));
  heap_ += AllocSize(n);
  SetNodeAt(i, n);
}

void ListObject::MaybeCompress(size_t i) {
  const int depth = ListCompressDepth().load(std::memory_order_relaxed);
  if (depth <= 0 || i < static_cast<size_t>(depth) || i + depth >= num_nodes_) return;
  Node* n = NodeAt(i);
  if (n->compressed || n->tried) return;
  n->tried = 1;
  if (n->size >= kMinCompressBytes && n->size <= kMaxCompressBytes) {
    // Worth keeping only if it saves at least an eighth.
    const size_t cap = n->size - n->size / 8;
    Node* c = static_cast<Node*>(MustMalloc(sizeof(Node) + cap));
    const size_t csize = detail::CompressNode(n->data(), n->size, n->count, c->data(), cap);
    if (csize > 0) {
      c = ReallocNode(c, sizeof(Node) + csize);
      *c = *n;
      c->stored = static_cast<uint32_t>(csize);
      c->compressed = 1;
      c->tried = 0;
      heap_ += AllocSize(c);
      FreeNode(n);
      SetNodeAt(i, c);
      return;
    }
    std::free(c);
  }
  // Stays plain in the middle: give back the growth slack it had as an end node.
  if (AllocSize(n) >= sizeof(Node) + n->size + 16) {
    heap_ -= AllocSize(n);
    n = ReallocNode(n, sizeof(Node) + n->size);
    heap_ += AllocSize(n);
    SetNodeAt(i, n);
  }
}

void ListObject::Settle() {
  const int depth = ListCompressDepth().load(std::memory_order_relaxed);
  if (depth <= 0) return;
  const size_t d = static_cast<size_t>(depth);
  const size_t n = num_nodes_;
  for (size_t k = 0; k < d && k < n; ++k) {
    if (NodeAt(k)->compressed) Plain(k);
    if (NodeAt(n - 1 - k)->compressed) Plain(n - 1 - k);
  }
  if (n > 2 * d) {
    MaybeCompress(d);
    MaybeCompress(n - 1 - d);
  }
}

bool ListObject::Fits(const Node* n, size_t extra_bytes, size_t extra_count) const {
  const NodeLimit lim = CurrentLimit();
  return n->size + extra_bytes <= lim.bytes && n->count + extra_count <= lim.count;
}

void ListObject::SplitIfNeeded(size_t i) {
  Node* n = NodeAt(i);
  if (n->count <= 1 || Fits(n, 0, 0)) return;
  // Split at the element boundary nearest below half the bytes (at least one element a side).
  const uint8_t* d = n->data();
  size_t off = 0;
  size_t k = 0;
  while (k + 1 < n->count) {
    const size_t t = detail::LpTotal(d + off);
    if (off + t > n->size / 2 && k > 0) break;
    off += t;
    ++k;
  }
  Node* m = NewNode(n->size - off);
  std::memcpy(m->data(), d + off, n->size - off);
  m->count = n->count - static_cast<uint32_t>(k);
  m->size = m->stored = n->size - static_cast<uint32_t>(off);
  n->count = static_cast<uint32_t>(k);
  n->size = n->stored = static_cast<uint32_t>(off);
  n->tried = 0;
  MaybeShrink(i);
  InsertNode(i + 1, m);
  SplitIfNeeded(i + 1);
  SplitIfNeeded(i);
}

bool ListObject::MergePair(size_t a) {
  // Two nodes join when they fit in one and one of them is under half the limit (two fuller
  // nodes are left alone: merging them would only move bytes around).
  if (a + 1 >= num_nodes_) return false;
  const NodeLimit lim = CurrentLimit();
  auto small = [&](const Node* n) { return n->size < lim.bytes / 2 && n->count <= lim.count / 2; };
  const Node* x = NodeAt(a);
  const Node* y = NodeAt(a + 1);
  if ((!small(x) && !small(y)) || !Fits(x, y->size, y->count)) return false;
  Node* second = Plain(a + 1);
  Plain(a);
  Node* first = Reserve(a, second->size);
  std::memcpy(first->data() + first->size, second->data(), second->size);
  first->size += second->size;
  first->stored = first->size;
  first->count += second->count;
  first->tried = 0;
  FreeNode(second);
  EraseNode(a + 1);
  return true;
}

size_t ListObject::MaybeMerge(size_t i) {
  if (MergePair(i)) return i;
  if (i > 0 && MergePair(i - 1)) return i - 1;
  return i;
}

ListObject::Pos ListObject::Locate(size_t index) const {
  if (index < count_ / 2) {
    for (size_t i = 0;; ++i) {
      const size_t c = NodeAt(i)->count;
      if (index < c) return {i, index};
      index -= c;
    }
  }
  size_t back = count_ - 1 - index;  // 0 = the last element
  for (size_t i = num_nodes_; i-- > 0;) {
    const size_t c = NodeAt(i)->count;
    if (back < c) return {i, c - 1 - back};
    back -= c;
  }
  return {0, 0};  // unreachable for index < count_
}

// ---- Object. ----------------------------------------------------------------------------------

size_t ListObject::MemoryUsage() const {
  // The allocator's size for an object of this class, measured once (a ListObject may also live
  // on the stack, where malloc_usable_size(this) would be undefined).
  static const size_t self = [] {
    void* p = MustMalloc(sizeof(ListObject));
    const size_t n = AllocSize(p);
    std::free(p);
    return n;
  }();
  return self + heap_;
}

std::unique_ptr<Object> ListObject::Clone() const {
  auto c = std::make_unique<ListObject>();
  for (size_t i = 0; i < num_nodes_; ++i) {
    const Node* n = NodeAt(i);
    const size_t bytes = sizeof(Node) + n->stored;
    Node* m = static_cast<Node*>(MustMalloc(bytes));
    std::memcpy(m, n, bytes);
    c->heap_ += AllocSize(m);
    c->InsertNode(i, m);
  }
  c->count_ = count_;
  return c;
}

size_t ListObject::compressed_node_count() const {
  size_t k = 0;
  for (size_t i = 0; i < num_nodes_; ++i) k += NodeAt(i)->compressed ? 1 : 0;
  return k;
}

// ---- Ends. ------------------------------------------------------------------------------------

void ListObject::Push(ListEnd end, std::string_view value) {
  const LpValue v = detail::LpPrepare(value);
  const bool head = end == ListEnd::kHead;
  ++count_;
  if (num_nodes_ > 0) {
    const size_t i = head ? 0 : num_nodes_ - 1;
    Node* n = Plain(i);
    if (Fits(n, v.total, 1)) {
      n = Reserve(i, v.total);
      uint8_t* d = n->data();
      if (head) {
        std::memmove(d + v.total, d, n->size);
        detail::LpWrite(v, d);
      } else {
        detail::LpWrite(v, d + n->size);
      }
      ++n->count;
      n->size += static_cast<uint32_t>(v.total);
      n->stored = n->size;
      n->tried = 0;
      return;
    }
  }
  Node* m = NewNode(v.total);
  detail::LpWrite(v, m->data());
  m->count = 1;
  m->size = m->stored = static_cast<uint32_t>(v.total);
  InsertNode(head ? 0 : num_nodes_, m);
  Settle();
}

bool ListObject::Pop(ListEnd end, ListElementFn fn) {
  if (count_ == 0) return false;
  const bool head = end == ListEnd::kHead;
  const size_t i = head ? 0 : num_nodes_ - 1;
  Node* n = Plain(i);
  uint8_t* d = n->data();
  const size_t off = head ? 0 : n->size - detail::LpPrevTotal(d + n->size);
  const LpElem e = detail::LpRead(d + off);
  char buf[detail::kLpIntBufSize];
  fn(detail::LpView(e, buf));
  if (head) std::memmove(d, d + e.total, n->size - e.total);
  n->size -= static_cast<uint32_t>(e.total);
  n->stored = n->size;
  --n->count;
  --count_;
  if (n->count == 0) {
    FreeNode(n);
    EraseNode(i);
    Settle();
  } else {
    MaybeShrink(i);
  }
  return true;
}

bool ListObject::Pop(ListEnd end, std::string* out) {
  return Pop(end, [out](std::string_view v) { out->assign(v.data(), v.size()); });
}

size_t ListObject::PopMany(ListEnd end, size_t n, ListElementFn fn) {
  size_t k = 0;
  while (k < n && Pop(end, fn)) ++k;
  return k;
}

bool ListObject::Rotate(ListEnd from, ListEnd to, ListElementFn fn) {
  std::string v;
  if (!Pop(from, &v)) return false;
  Push(to, v);
  fn(v);
  return true;
}

// ---- Positions. -------------------------------------------------------------------------------

bool ListObject::Index(int64_t index, ListElementFn fn) const {
  if (index < 0) index += static_cast<int64_t>(count_);
  if (index < 0 || static_cast<uint64_t>(index) >= count_) return false;
  const Pos p = Locate(static_cast<size_t>(index));
  const Node* n = NodeAt(p.node);
  Scratch s;
  const uint8_t* d = s.Plain(n);
  const LpElem e = detail::LpRead(d + OffsetOf(d, n->size, n->count, p.elem));
  char buf[detail::kLpIntBufSize];
  fn(detail::LpView(e, buf));
  return true;
}

bool ListObject::Set(int64_t index, std::string_view value) {
  if (index < 0) index += static_cast<int64_t>(count_);
  if (index < 0 || static_cast<uint64_t>(index) >= count_) return false;
  const Pos p = Locate(static_cast<size_t>(index));
  Node* n = Plain(p.node);
  const size_t off = OffsetOf(n->data(), n->size, n->count, p.elem);
  const size_t old_total = detail::LpTotal(n->data() + off);
  const LpValue v = detail::LpPrepare(value);
  if (v.total > old_total) n = Reserve(p.node, v.total - old_total);
  uint8_t* d = n->data();
  std::memmove(d + off + v.total, d + off + old_total, n->size - off - old_total);
  detail::LpWrite(v, d + off);
  n->size = static_cast<uint32_t>(n->size - old_total + v.total);
  n->stored = n->size;
  n->tried = 0;
  const size_t before = num_nodes_;
  SplitIfNeeded(p.node);
  if (num_nodes_ == before) {
    MaybeShrink(p.node);
    MaybeCompress(p.node);
  } else {
    for (size_t k = p.node; k <= p.node + (num_nodes_ - before); ++k) MaybeCompress(k);
  }
  Settle();
  return true;
}

namespace {

// Redis's LRANGE clamping: the plain range [*first, *first + *n).
void ClampRange(int64_t start, int64_t end, uint64_t count, size_t* first, size_t* n) {
  const int64_t len = static_cast<int64_t>(count);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    *first = 0;
    *n = 0;
    return;
  }
  if (end >= len) end = len - 1;
  *first = static_cast<size_t>(start);
  *n = static_cast<size_t>(end - start + 1);
}

}  // namespace

void ListObject::Range(int64_t start, int64_t end, ListElementFn fn) const {
  size_t first, n;
  ClampRange(start, end, count_, &first, &n);
  Walk(first, n, false, fn);
}

size_t ListObject::RangeLength(int64_t start, int64_t end) const {
  size_t first, n;
  ClampRange(start, end, count_, &first, &n);
  return n;
}

void ListObject::Walk(size_t first, size_t n, bool reverse, ListElementFn fn) const {
  if (n == 0) return;
  Scratch s;
  char buf[detail::kLpIntBufSize];
  if (!reverse) {
    Pos p = Locate(first);
    for (size_t i = p.node; n > 0; ++i) {
      const Node* node = NodeAt(i);
      const uint8_t* d = s.Plain(node);
      size_t off = i == p.node ? OffsetOf(d, node->size, node->count, p.elem) : 0;
      for (size_t k = i == p.node ? p.elem : 0; k < node->count && n > 0; ++k, --n) {
        const LpElem e = detail::LpRead(d + off);
        fn(detail::LpView(e, buf));
        off += e.total;
      }
    }
    return;
  }
  Pos p = Locate(first + n - 1);
  for (size_t i = p.node; n > 0; --i) {
    const Node* node = NodeAt(i);
    const uint8_t* d = s.Plain(node);
    size_t end = i == p.node ? OffsetOf(d, node->size, node->count, p.elem + 1) : node->size;
    for (size_t k = i == p.node ? p.elem + 1 : node->count; k > 0 && n > 0; --k, --n) {
      end -= detail::LpPrevTotal(d + end);
      fn(detail::LpView(detail::LpRead(d + end), buf));
    }
  }
}

// ---- Searches and edits. ----------------------------------------------------------------------

void ListObject::InsertAt(size_t node, size_t offset, std::string_view value) {
  const LpValue v = detail::LpPrepare(value);
  Plain(node);
  Node* n = Reserve(node, v.total);
  uint8_t* d = n->data();
  std::memmove(d + offset + v.total, d + offset, n->size - offset);
  detail::LpWrite(v, d + offset);
  ++n->count;
  n->size += static_cast<uint32_t>(v.total);
  n->stored = n->size;
  n->tried = 0;
  ++count_;
  const size_t before = num_nodes_;
  SplitIfNeeded(node);
  for (size_t k = node; k <= node + (num_nodes_ - before); ++k) MaybeCompress(k);
  Settle();
}

bool ListObject::Insert(std::string_view pivot, std::string_view value, bool after) {
  const LpValue q = detail::LpPrepare(pivot);
  Scratch s;
  for (size_t i = 0; i < num_nodes_; ++i) {
    const Node* n = NodeAt(i);
    const uint8_t* d = s.Plain(n);
    size_t off = 0;
    for (size_t k = 0; k < n->count; ++k) {
      const LpElem e = detail::LpRead(d + off);
      if (detail::LpEquals(e, q)) {
        InsertAt(i, after ? off + e.total : off, value);
        return true;
      }
      off += e.total;
    }
  }
  return false;
}

namespace {

// Offsets of the elements of a plain node equal to q, ascending; at most `max` of them.
void CollectMatches(const uint8_t* d, size_t count, const LpValue& q, uint64_t max,
                    std::vector<uint32_t>* out) {
  out->clear();
  size_t off = 0;
  for (size_t k = 0; k < count && out->size() < max; ++k) {
    if (detail::LpEquals(detail::LpRead(d + off), q)) out->push_back(static_cast<uint32_t>(off));
    off += detail::LpTotal(d + off);
  }
}

}  // namespace

void ListObject::EraseOffsets(size_t i, const uint32_t* offsets, size_t m) {
  Node* n = Plain(i);
  uint8_t* d = n->data();
  // One pass: each kept run between two removed elements moves down once.
  size_t w = offsets[0];
  for (size_t j = 0; j < m; ++j) {
    const size_t keep_from = offsets[j] + detail::LpTotal(d + offsets[j]);
    const size_t keep_to = j + 1 < m ? offsets[j + 1] : n->size;
    std::memmove(d + w, d + keep_from, keep_to - keep_from);
    w += keep_to - keep_from;
  }
  n->size = n->stored = static_cast<uint32_t>(w);
  n->count -= static_cast<uint32_t>(m);
  n->tried = 0;
  count_ -= m;
}

size_t ListObject::Remove(std::string_view value, int64_t count) {
  const LpValue q = detail::LpPrepare(value);
  const bool from_tail = count < 0;
  const uint64_t limit = count == 0  ? UINT64_MAX
                         : from_tail ? 0 - static_cast<uint64_t>(count)
                                     : static_cast<uint64_t>(count);
  uint64_t removed = 0;
  Scratch s;
  std::vector<uint32_t> offsets;
  size_t i = from_tail ? num_nodes_ : 0;
  while (removed < limit && (from_tail ? i > 0 : i < num_nodes_)) {
    if (from_tail) --i;
    const Node* cn = NodeAt(i);
    // From the head, stop collecting at the limit; from the tail collect every match and
    // remove only the last ones.
    CollectMatches(s.Plain(cn), cn->count, q, from_tail ? UINT64_MAX : limit - removed, &offsets);
    size_t first = 0;
    if (from_tail && offsets.size() > limit - removed) {
      first = offsets.size() - static_cast<size_t>(limit - removed);
    }
    const size_t m = offsets.size() - first;
    if (m == 0) {
      if (!from_tail) ++i;
      continue;
    }
    EraseOffsets(i, offsets.data() + first, m);
    removed += m;
    if (NodeAt(i)->count == 0) {
      FreeNode(NodeAt(i));
      EraseNode(i);
      continue;  // from the head, the next node now has index i
    }
    MaybeShrink(i);
    // Merge only with the neighbour already scanned, so no element is looked at twice.
    if (from_tail) {
      MergePair(i);
      MaybeCompress(i);
    } else if (i > 0 && MergePair(i - 1)) {
      MaybeCompress(i - 1);  // the next node to scan now has index i
    } else {
      MaybeCompress(i);
      ++i;
    }
  }
  Settle();
  return static_cast<size_t>(removed);
}

void ListObject::Trim(int64_t start, int64_t end) {
  size_t first, n;
  ClampRange(start, end, count_, &first, &n);
  const size_t keep_end = first + n;
  if (n == 0) {
    Erase(0, count_);
    return;
  }
  Erase(keep_end, count_ - keep_end);
  Erase(0, first);
}

void ListObject::Erase(size_t first, size_t n) {
  if (n == 0) return;
  const Pos p = Locate(first);
  size_t i = p.node;
  size_t ord = p.elem;
  while (n > 0) {
    Node* node = NodeAt(i);
    const size_t c = node->count;
    if (ord == 0 && n >= c) {
      FreeNode(node);
      EraseNode(i);
      count_ -= c;
      n -= c;
      continue;
    }
    node = Plain(i);
    const size_t take = std::min(n, c - ord);
    uint8_t* d = node->data();
    const size_t a = OffsetOf(d, node->size, c, ord);
    size_t b = a;
    for (size_t k = 0; k < take; ++k) b += detail::LpTotal(d + b);
    std::memmove(d + a, d + b, node->size - b);
    node->size = node->stored = static_cast<uint32_t>(node->size - (b - a));
    node->count -= static_cast<uint32_t>(take);
    node->tried = 0;
    count_ -= take;
    n -= take;
    MaybeShrink(i);
    MaybeCompress(i);
    ++i;
    ord = 0;
  }
  // The nodes on both sides of the cut may now be small enough to join.
  if (num_nodes_ > 1) {
    const size_t seam = std::min<size_t>(p.node, num_nodes_ - 1);
    size_t at = MaybeMerge(seam);
    MaybeCompress(at);
  }
  Settle();
}

void ListObject::Find(std::string_view value, bool from_tail, uint64_t skip, uint64_t limit,
                      uint64_t maxlen, absl::FunctionRef<void(int64_t)> fn) const {
  const LpValue q = detail::LpPrepare(value);
  Scratch s;
  uint64_t examined = 0, matches = 0, reported = 0;
  for (size_t step = 0; step < num_nodes_; ++step) {
    const size_t i = from_tail ? num_nodes_ - 1 - step : step;
    const Node* n = NodeAt(i);
    const uint8_t* d = s.Plain(n);
    size_t off = from_tail ? n->size : 0;
    for (size_t k = 0; k < n->count; ++k) {
      if (maxlen != 0 && examined >= maxlen) return;
      const uint8_t* p;
      if (from_tail) {
        off -= detail::LpPrevTotal(d + off);
        p = d + off;
      } else {
        p = d + off;
        off += detail::LpTotal(p);
      }
      if (detail::LpEquals(detail::LpRead(p), q) && ++matches > skip) {
        fn(from_tail ? static_cast<int64_t>(count_ - 1 - examined)
                     : static_cast<int64_t>(examined));
        if (limit != 0 && ++reported >= limit) return;
      }
      ++examined;
    }
  }
}

// ---- Invariants. ------------------------------------------------------------------------------

std::string ListObject::CheckInvariants() const {
  if (has_ring_ != (num_nodes_ >= 2)) return "ring present iff two or more nodes";
  uint64_t total = 0;
  uint64_t heap = has_ring_ ? AllocSize(nodes_.ring) : 0;
  Scratch s;
  for (size_t i = 0; i < num_nodes_; ++i) {
    const Node* n = NodeAt(i);
    if (n == nullptr) return "null node " + std::to_string(i);
    heap += AllocSize(n);
    if (n->count == 0) return "empty node " + std::to_string(i);
    if (!n->compressed && n->stored != n->size) return "plain node with stored != size";
    if (sizeof(Node) + n->stored > AllocSize(n)) return "node overflows its block";
    const uint8_t* d = s.Plain(n);
    size_t off = 0;
    for (size_t k = 0; k < n->count; ++k) {
      if (off >= n->size) return "node " + std::to_string(i) + " shorter than its count";
      const size_t t = detail::LpTotal(d + off);
      if (detail::LpRead(d + off).total != t) return "LpTotal disagrees with LpRead";
      off += t;
      if (off > n->size) return "element runs past node end";
      if (detail::LpPrevTotal(d + off) != t) return "backlen mismatch";
    }
    if (off != n->size) return "node " + std::to_string(i) + " longer than its count";
    total += n->count;
  }
  if (total != count_) return "count mismatch";
  if (heap != heap_) {
    return "heap accounting " + std::to_string(heap_) + " != " + std::to_string(heap);
  }
  return {};
}

}  // namespace ringkv::engine
