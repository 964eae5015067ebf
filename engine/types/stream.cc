// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/stream.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "engine/memory.h"
#include "engine/types/zset_codec.h"

namespace ringkv::engine {

namespace {

using zset_detail::PutVarint;
using zset_detail::VarintSize;

constexpr uint8_t kDeleted = 1;
constexpr uint8_t kSameFields = 2;
// Redis's STREAM_LISTPACK_MAX_SIZE: the node size bound when stream-node-max-bytes is 0, and
// the most field bytes one entry may carry.
constexpr size_t kMaxNodeBytes = size_t{1} << 30;

// Bounds-checked reading of the packed formats (node buffers and snapshot records).
struct Reader {
  const uint8_t* p;
  const uint8_t* end;

  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
      const uint8_t b = *p++;
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = r;
        return true;
      }
    }
    return false;
  }
  bool Bytes(std::string_view* s) {
    uint64_t n = 0;
    if (!Varint(&n) || n > static_cast<uint64_t>(end - p)) return false;
    *s = std::string_view(reinterpret_cast<const char*>(p), n);
    p += n;
    return true;
  }
  bool Id(StreamId* id) { return Varint(&id->ms) && Varint(&id->seq); }
  bool done() const { return p == end; }
};

void PutVarintTo(std::string* out, uint64_t v) {
  uint8_t tmp[10];
  out->append(reinterpret_cast<const char*>(tmp), PutVarint(tmp, v) - tmp);
}
void PutBytesTo(std::string* out, std::string_view s) {
  PutVarintTo(out, s.size());
  out->append(s);
}
void PutIdTo(std::string* out, StreamId id) {
  PutVarintTo(out, id.ms);
  PutVarintTo(out, id.seq);
}

uint8_t* PutBytes(uint8_t* p, std::string_view s) {
  p = PutVarint(p, s.size());
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Values: a varint header h, then for h even a string of h / 2 bytes; for h odd an integer
// (zigzag h / 2) standing for its canonical decimal text, as listpacks store integers. Values
// like "42" or "1732880000" (counters, timestamps, ids) so take 1 to 5 bytes instead of their
// length plus text. Field names are always strings.
using NumBuf = std::array<char, 24>;

bool StrictInt64(std::string_view s, int64_t* out);

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t z) { return static_cast<int64_t>((z >> 1) ^ (0 - (z & 1))); }

// The header of `v` when it is stored as an integer; 0 when it is stored as a string.
uint64_t IntHeader(std::string_view v) {
  int64_t n = 0;
  if (!StrictInt64(v, &n)) return 0;
  const uint64_t z = ZigZag(n);
  if (z >= (uint64_t{1} << 63)) return 0;  // |n| >= 2^62: the header would not fit
  return (z << 1) | 1;
}

size_t ValueSize(std::string_view v) {
  const uint64_t h = IntHeader(v);
  return h != 0 ? VarintSize(h) : VarintSize(uint64_t{v.size()} << 1) + v.size();
}

uint8_t* PutValue(uint8_t* p, std::string_view v) {
  const uint64_t h = IntHeader(v);
  if (h != 0) return PutVarint(p, h);
  p = PutVarint(p, uint64_t{v.size()} << 1);
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
  return p + v.size();
}

// Reads a value; an integer is written as text into *num (when given) and *v views it.
bool ReadValue(Reader& r, std::string_view* v, NumBuf* num) {
  uint64_t h = 0;
  if (!r.Varint(&h)) return false;
  if ((h & 1) != 0) {
    if (num != nullptr) {
      const int64_t n = UnZigZag(h >> 1);
      auto res = std::to_chars(num->data(), num->data() + num->size(), n);
      *v = std::string_view(num->data(), static_cast<size_t>(res.ptr - num->data()));
    }
    return true;
  }
  const uint64_t n = h >> 1;
  if (n > static_cast<uint64_t>(r.end - r.p)) return false;
  *v = std::string_view(reinterpret_cast<const char*>(r.p), n);
  r.p += n;
  return true;
}

// The master fields of a node: the field names its entries may share.
bool ReadMasterFields(const uint8_t* buf, size_t body, std::vector<std::string_view>* out) {
  Reader r{buf, buf + body};
  uint64_t n = 0;
  if (!r.Varint(&n) || n > body) return false;
  out->resize(n);
  for (auto& f : *out) {
    if (!r.Bytes(&f)) return false;
  }
  return r.done();
}

// Decodes the entry at r.p (see stream.h for the layout); fv, when given, receives its fields
// and values alternating (integer values formatted into *nums, which must outlive them).
bool DecodeEntry(Reader& r, StreamId master, std::span<const std::string_view> master_fields,
                 uint8_t* flags, StreamId* id, std::vector<std::string_view>* fv,
                 std::vector<NumBuf>* nums) {
  if (r.p >= r.end) return false;
  *flags = *r.p++;
  uint64_t dms = 0;
  uint64_t dseq = 0;
  if (!r.Varint(&dms) || !r.Varint(&dseq)) return false;
  id->ms = master.ms + dms;
  id->seq = dms == 0 ? master.seq + dseq : dseq;
  const bool same = (*flags & kSameFields) != 0;
  uint64_t n = master_fields.size();
  if (!same && (!r.Varint(&n) || n == 0 || n > static_cast<uint64_t>(r.end - r.p))) return false;
  if (fv != nullptr) {
    fv->clear();
    if (nums->size() < n) nums->resize(n);
  }
  std::string_view f;
  std::string_view v;
  for (uint64_t i = 0; i < n; ++i) {
    if (same) {
      f = master_fields[i];
    } else if (!r.Bytes(&f)) {
      return false;
    }
    if (!ReadValue(r, &v, fv != nullptr ? &(*nums)[i] : nullptr)) return false;
    if (fv != nullptr) {
      fv->push_back(f);
      fv->push_back(v);
    }
  }
  return true;
}

// Redis's string2ll: an optional '-', no leading zeros, no '+', no spaces, within int64.
bool StrictInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool neg = s[0] == '-';
  if (neg) ++i;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

// Redis's string2ull: string2ll (negative refused), else strtoull over the whole string.
bool ParseU64(std::string_view s, uint64_t* out) {
  int64_t ll = 0;
  if (StrictInt64(s, &ll)) {
    if (ll < 0) return false;
    *out = static_cast<uint64_t>(ll);
    return true;
  }
  if (s.empty()) return false;
  char buf[128];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (std::strlen(buf) == 0) return false;
  char* endp = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(buf, &endp, 10);
  if (errno == EINVAL || errno == ERANGE || *endp != '\0') return false;
  *out = v;
  return true;
}

constexpr size_t kBtreeFillDiv = 3;  // btree values counted at 4/3 of their bytes
template <typename Map>
size_t BtreeBytes(const Map& m) {
  return m.size() * sizeof(typename Map::value_type) * (kBtreeFillDiv + 1) / kBtreeFillDiv;
}

}  // namespace

// ---- StreamId. ---------------------------------------------------------------------------------

bool StreamId::Incr() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) {
      ms = seq = 0;
      return false;
    }
    ++ms;
    seq = 0;
  } else {
    ++seq;
  }
  return true;
}

bool StreamId::Decr() {
  if (seq == 0) {
    if (ms == 0) {
      ms = seq = UINT64_MAX;
      return false;
    }
    --ms;
    seq = UINT64_MAX;
  } else {
    --seq;
  }
  return true;
}

std::string StreamId::ToString() const { return std::to_string(ms) + "-" + std::to_string(seq); }

bool ParseStreamId(std::string_view s, uint64_t missing_seq, bool strict, StreamId* id,
                   bool* seq_given) {
  if (s.size() > 127) return false;
  // Redis parses a C string: an argument holding a NUL ends there.
  s = s.substr(0, std::min(s.size(), s.find('\0')));
  if (strict && (s == "-" || s == "+")) return false;
  if (seq_given != nullptr) *seq_given = true;
  if (s == "-") {
    *id = {0, 0};
    return true;
  }
  if (s == "+") {
    *id = StreamId::Max();
    return true;
  }
  const size_t dash = s.find('-');
  uint64_t ms = 0;
  uint64_t seq = missing_seq;
  if (!ParseU64(s.substr(0, dash), &ms)) return false;
  if (dash != std::string_view::npos) {
    std::string_view rest = s.substr(dash + 1);
    if (seq_given != nullptr && rest == "*") {
      seq = 0;
      *seq_given = false;
    } else if (!ParseU64(rest, &seq)) {
      return false;
    }
  }
  *id = {ms, seq};
  return true;
}

// ---- Nodes. -----------------------------------------------------------------------------------

StreamObject::Node::Node(Node&& o) noexcept
    : buf(std::exchange(o.buf, nullptr)),
      size(std::exchange(o.size, 0)),
      cap(std::exchange(o.cap, 0)),
      body(o.body),
      live(o.live),
      deleted(o.deleted) {}

StreamObject::Node& StreamObject::Node::operator=(Node&& o) noexcept {
  if (this != &o) {
    std::free(buf);
    buf = std::exchange(o.buf, nullptr);
    size = std::exchange(o.size, 0);
    cap = std::exchange(o.cap, 0);
    body = o.body;
    live = o.live;
    deleted = o.deleted;
  }
  return *this;
}

StreamObject::Node::~Node() { std::free(buf); }

void StreamObject::Node::Reserve(size_t n) {
  if (n <= cap) return;
  void* p = std::realloc(buf, n);
  if (p == nullptr) std::abort();
  buf = static_cast<uint8_t*>(p);
  cap = static_cast<uint32_t>(n);
}

void StreamObject::Node::ShrinkToFit() {
  if (size == cap || size == 0) return;
  void* p = std::realloc(buf, size);
  if (p == nullptr) return;
  buf = static_cast<uint8_t*>(p);
  cap = size;
}

// Walks the entries of one node.
class StreamObject::Cursor {
 public:
  Cursor(StreamId master, const Node& node, bool want_fields)
      : master_(master),
        r_{node.buf + node.body, node.buf + node.size},
        base_(node.buf),
        want_fields_(want_fields) {
    ReadMasterFields(node.buf, node.body, &master_fields_);
  }
  // Advances to the next entry; false at the end of the node.
  bool Next() {
    if (r_.done()) return false;
    offset_ = static_cast<size_t>(r_.p - base_);
    return DecodeEntry(r_, master_, master_fields_, &flags_, &id_, want_fields_ ? &fv_ : nullptr,
                       &nums_);
  }
  StreamId id() const { return id_; }
  bool deleted() const { return (flags_ & kDeleted) != 0; }
  size_t offset() const { return offset_; }
  std::span<const std::string_view> fields() const { return fv_; }

 private:
  StreamId master_;
  Reader r_;
  const uint8_t* base_;
  bool want_fields_;
  std::vector<std::string_view> master_fields_;
  std::vector<std::string_view> fv_;
  std::vector<NumBuf> nums_;
  uint8_t flags_ = 0;
  StreamId id_;
  size_t offset_ = 0;
};

StreamObject::~StreamObject() = default;

size_t StreamObject::MemoryUsage() const {
  size_t total = sizeof(*this) + buffer_bytes_ + BtreeBytes(nodes_);
  for (const auto& [name, g] : groups_) {
    total += sizeof(Group) + name.capacity() + BtreeBytes(g->pel) + BtreeBytes(g->consumers);
    for (const auto& [cname, c] : g->consumers) {
      total += sizeof(Consumer) + cname.capacity() + c->name.capacity() + BtreeBytes(c->pel);
    }
  }
  return total + BtreeBytes(groups_);
}

std::unique_ptr<Object> StreamObject::Clone() const {
  auto out = std::make_unique<StreamObject>();
  for (const auto& [master, n] : nodes_) {
    Node copy;
    copy.Reserve(n.size);
    std::memcpy(copy.buf, n.buf, n.size);
    copy.size = n.size;
    copy.body = n.body;
    copy.live = n.live;
    copy.deleted = n.deleted;
    out->buffer_bytes_ += AllocSize(copy.buf);
    out->nodes_.emplace(master, std::move(copy));
  }
  out->length_ = length_;
  out->entries_added_ = entries_added_;
  out->last_id_ = last_id_;
  out->first_id_ = first_id_;
  out->max_deleted_id_ = max_deleted_id_;
  for (const auto& [name, g] : groups_) {
    Group* ng = out->CreateGroup(name, g->last_id, g->entries_read);
    for (const auto& [cname, c] : g->consumers) {
      CreateConsumer(*ng, cname, c->seen_time);
    }
    for (const auto& [id, nack] : g->pel) {
      Consumer* owner = nullptr;
      if (nack.consumer != nullptr) owner = ng->consumers.find(nack.consumer->name)->second.get();
      Nack& n = Assign(*ng, id, owner, nack.delivery_time);
      n.delivery_time = nack.delivery_time;
      n.delivery_count = nack.delivery_count;
    }
  }
  return out;
}

// ---- Entries. ---------------------------------------------------------------------------------

StreamObject::AddStatus StreamObject::Add(std::span<const std::string_view> fields_values,
                                          int64_t now_ms, const StreamId* use_id, bool seq_given,
                                          const StreamNodeLimits& limits, StreamId* added) {
  StreamId id;
  if (use_id != nullptr) {
    if (seq_given) {
      id = *use_id;
    } else if (last_id_.ms == use_id->ms) {
      if (last_id_.seq == UINT64_MAX) return AddStatus::kIdTooSmall;
      id = {last_id_.ms, last_id_.seq + 1};
    } else {
      id = {use_id->ms, 0};
    }
  } else {
    const uint64_t ms = now_ms < 0 ? 0 : static_cast<uint64_t>(now_ms);
    if (ms > last_id_.ms) {
      id = {ms, 0};
    } else {
      id = last_id_;
      id.Incr();
    }
  }
  if (id <= last_id_) return AddStatus::kIdTooSmall;
  size_t field_bytes = 0;
  for (std::string_view s : fields_values) field_bytes += s.size();
  if (field_bytes > kMaxNodeBytes) return AddStatus::kTooLarge;

  const size_t nfields = fields_values.size() / 2;
  size_t max_bytes = limits.max_bytes;
  if (max_bytes == 0 || max_bytes > kMaxNodeBytes) max_bytes = kMaxNodeBytes;
  Node* node = nullptr;
  StreamId master;
  if (!nodes_.empty()) {
    auto tail = std::prev(nodes_.end());
    Node& t = tail->second;
    bool full = t.size + field_bytes >= max_bytes;
    if (!full && limits.max_entries != 0 && t.live + t.deleted >= limits.max_entries) full = true;
    if (full) {
      buffer_bytes_ -= AllocSize(t.buf);
      t.ShrinkToFit();
      buffer_bytes_ += AllocSize(t.buf);
    } else {
      node = &t;
      master = tail->first;
    }
  }
  if (node == nullptr) {
    size_t head = VarintSize(nfields);
    for (size_t i = 0; i < fields_values.size(); i += 2) {
      head += VarintSize(fields_values[i].size()) + fields_values[i].size();
    }
    Node n;
    n.Reserve(head);
    uint8_t* p = PutVarint(n.buf, nfields);
    for (size_t i = 0; i < fields_values.size(); i += 2) p = PutBytes(p, fields_values[i]);
    n.size = n.body = static_cast<uint32_t>(head);
    buffer_bytes_ += AllocSize(n.buf);
    master = id;
    node = &nodes_.emplace(id, std::move(n)).first->second;
  }

  // Same field names as the master entry, in the same order?
  std::vector<std::string_view> master_fields;
  ReadMasterFields(node->buf, node->body, &master_fields);
  bool same = master_fields.size() == nfields;
  for (size_t i = 0; same && i < nfields; ++i) same = master_fields[i] == fields_values[2 * i];

  const uint64_t dms = id.ms - master.ms;
  const uint64_t dseq = dms == 0 ? id.seq - master.seq : id.seq;
  size_t need = 1 + VarintSize(dms) + VarintSize(dseq);
  if (!same) need += VarintSize(nfields);
  for (size_t i = 0; i < fields_values.size(); i += 2) {
    if (!same) need += VarintSize(fields_values[i].size()) + fields_values[i].size();
    need += ValueSize(fields_values[i + 1]);
  }
  if (node->size + need > node->cap) {
    buffer_bytes_ -= AllocSize(node->buf);
    const size_t want = std::max<size_t>(node->size + need, size_t{node->cap} * 2);
    node->Reserve(std::min(want, std::max<size_t>(node->size + need, max_bytes)));
    buffer_bytes_ += AllocSize(node->buf);
  }
  uint8_t* p = node->buf + node->size;
  *p++ = same ? kSameFields : 0;
  p = PutVarint(p, dms);
  p = PutVarint(p, dseq);
  if (!same) p = PutVarint(p, nfields);
  for (size_t i = 0; i < fields_values.size(); i += 2) {
    if (!same) p = PutBytes(p, fields_values[i]);
    p = PutValue(p, fields_values[i + 1]);
  }
  node->size = static_cast<uint32_t>(p - node->buf);
  ++node->live;
  ++length_;
  ++entries_added_;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
  *added = id;
  return AddStatus::kOk;
}

int64_t StreamObject::Trim(const StreamTrim& trim) {
  if (trim.strategy == StreamTrim::Strategy::kNone) return 0;
  const bool by_len = trim.strategy == StreamTrim::Strategy::kMaxLen;
  int64_t removed = 0;
  auto it = nodes_.begin();
  while (it != nodes_.end()) {
    if (by_len && length_ <= trim.maxlen) break;
    Node& n = it->second;
    const int64_t entries = n.live;
    if (trim.limit != 0 && removed + entries > trim.limit) break;
    bool remove_node;
    if (by_len) {
      remove_node = length_ - static_cast<uint64_t>(entries) >= trim.maxlen;
    } else {
      // The node's last ID, deleted or not.
      Cursor c(it->first, n, false);
      StreamId last = it->first;
      while (c.Next()) last = c.id();
      remove_node = last < trim.minid;
    }
    if (remove_node) {
      buffer_bytes_ -= AllocSize(n.buf);
      length_ -= static_cast<uint64_t>(entries);
      removed += entries;
      it = nodes_.erase(it);
      continue;
    }
    if (trim.approx) break;
    // Flag entries inside this node until the condition holds. As in Redis, a node whose last
    // entry was already a tombstone may be left with no live entry; it stays until trimmed.
    Cursor c(it->first, n, false);
    while (c.Next()) {
      const bool stop = by_len ? length_ <= trim.maxlen : c.id() >= trim.minid;
      if (stop) break;
      if (!c.deleted()) {
        n.buf[c.offset()] |= kDeleted;
        --n.live;
        ++n.deleted;
        --length_;
        ++removed;
      }
    }
    break;
  }
  if (length_ == 0) {
    first_id_ = {0, 0};
  } else if (removed > 0) {
    first_id_ = FirstEntryId(true);
  }
  return removed;
}

size_t StreamObject::Range(StreamId start, StreamId end, size_t count, bool rev, EntryFn fn) const {
  if (start > end || nodes_.empty()) return 0;
  size_t emitted = 0;
  if (!rev) {
    auto it = nodes_.upper_bound(start);
    if (it != nodes_.begin()) --it;
    for (; it != nodes_.end() && it->first <= end; ++it) {
      Cursor c(it->first, it->second, true);
      while (c.Next()) {
        if (c.id() < start || c.deleted()) continue;
        if (c.id() > end) return emitted;
        fn(c.id(), c.fields());
        if (++emitted == count) return emitted;
      }
    }
    return emitted;
  }
  auto it = nodes_.upper_bound(end);
  std::vector<size_t> offsets;
  while (it != nodes_.begin()) {
    --it;
    const Node& n = it->second;
    offsets.clear();
    {
      Cursor c(it->first, n, false);
      while (c.Next()) offsets.push_back(c.offset());
    }
    std::vector<std::string_view> master_fields;
    ReadMasterFields(n.buf, n.body, &master_fields);
    std::vector<std::string_view> fv;
    std::vector<NumBuf> nums;
    for (size_t k = offsets.size(); k-- > 0;) {
      Reader r{n.buf + offsets[k], n.buf + n.size};
      uint8_t flags = 0;
      StreamId id;
      DecodeEntry(r, it->first, master_fields, &flags, &id, &fv, &nums);
      if (id > end || (flags & kDeleted)) continue;
      if (id < start) return emitted;
      fn(id, fv);
      if (++emitted == count) return emitted;
    }
  }
  return emitted;
}

StreamObject::Nodes::iterator StreamObject::MarkDeleted(Nodes::iterator it, size_t offset) {
  Node& n = it->second;
  --length_;
  if (n.live == 1) {
    buffer_bytes_ -= AllocSize(n.buf);
    return nodes_.erase(it);
  }
  n.buf[offset] |= kDeleted;
  --n.live;
  ++n.deleted;
  return std::next(it);
}

size_t StreamObject::Delete(std::span<const StreamId> ids) {
  size_t deleted = 0;
  bool first_entry = false;
  for (StreamId id : ids) {
    auto it = nodes_.upper_bound(id);
    if (it == nodes_.begin()) continue;
    --it;
    size_t offset = SIZE_MAX;
    {
      Cursor c(it->first, it->second, false);
      while (c.Next()) {
        if (c.id() > id) break;
        if (c.id() == id) {
          if (!c.deleted()) offset = c.offset();
          break;
        }
      }
    }
    if (offset == SIZE_MAX) continue;
    MarkDeleted(it, offset);
    if (id == first_id_) first_entry = true;
    if (id > max_deleted_id_) max_deleted_id_ = id;
    ++deleted;
  }
  if (deleted > 0) {
    if (length_ == 0) {
      first_id_ = {0, 0};
    } else if (first_entry) {
      first_id_ = FirstEntryId(true);
    }
  }
  return deleted;
}

bool StreamObject::Contains(StreamId id) const {
  return Range(id, id, 1, false, [](StreamId, std::span<const std::string_view>) {}) == 1;
}

StreamId StreamObject::LastEntryId() const {
  StreamId out;
  Range({0, 0}, StreamId::Max(), 1, true,
        [&](StreamId id, std::span<const std::string_view>) { out = id; });
  return out;
}

StreamId StreamObject::FirstEntryId(bool skip_deleted) const {
  for (const auto& [master, n] : nodes_) {
    Cursor c(master, n, false);
    while (c.Next()) {
      if (!skip_deleted || !c.deleted()) return c.id();
    }
  }
  return StreamId::Max();
}

void StreamObject::SetIds(StreamId last_id, std::optional<uint64_t> entries_added,
                          std::optional<StreamId> max_deleted_id) {
  last_id_ = last_id;
  if (entries_added) entries_added_ = *entries_added;
  if (max_deleted_id) max_deleted_id_ = *max_deleted_id;
}

// ---- Consumer groups. -------------------------------------------------------------------------

StreamObject::Group* StreamObject::FindGroup(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

const StreamObject::Group* StreamObject::FindGroup(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

StreamObject::Group* StreamObject::CreateGroup(std::string_view name, StreamId last_id,
                                               int64_t entries_read) {
  auto [it, inserted] = groups_.try_emplace(std::string(name), nullptr);
  if (!inserted) return nullptr;
  it->second = std::make_unique<Group>();
  it->second->last_id = last_id;
  it->second->entries_read = entries_read;
  return it->second.get();
}

bool StreamObject::DestroyGroup(std::string_view name) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return false;
  groups_.erase(it);
  return true;
}

StreamObject::Consumer* StreamObject::FindConsumer(Group& group, std::string_view name,
                                                   int64_t now_ms, bool refresh) {
  auto it = group.consumers.find(name);
  if (it == group.consumers.end()) return nullptr;
  if (refresh) it->second->seen_time = now_ms;
  return it->second.get();
}

StreamObject::Consumer* StreamObject::CreateConsumer(Group& group, std::string_view name,
                                                     int64_t now_ms) {
  auto [it, inserted] = group.consumers.try_emplace(std::string(name), nullptr);
  if (!inserted) return nullptr;
  it->second = std::make_unique<Consumer>();
  it->second->name = std::string(name);
  it->second->seen_time = now_ms;
  return it->second.get();
}

size_t StreamObject::DeleteConsumer(Group& group, Consumer* consumer) {
  const size_t pending = consumer->pel.size();
  for (StreamId id : consumer->pel) group.pel.erase(id);
  const std::string name = consumer->name;  // the key must outlive the erase
  group.consumers.erase(name);
  return pending;
}

bool StreamObject::Ack(Group& group, StreamId id) {
  auto it = group.pel.find(id);
  if (it == group.pel.end()) return false;
  if (it->second.consumer != nullptr) it->second.consumer->pel.erase(id);
  group.pel.erase(it);
  return true;
}

StreamObject::Nack& StreamObject::Assign(Group& group, StreamId id, Consumer* consumer,
                                         int64_t now_ms) {
  auto [it, inserted] = group.pel.try_emplace(id, Nack{nullptr, now_ms, 1});
  Nack& nack = it->second;
  if (nack.consumer != consumer) {
    if (nack.consumer != nullptr) nack.consumer->pel.erase(id);
    if (consumer != nullptr) consumer->pel.insert(id);
    nack.consumer = consumer;
  }
  return nack;
}

bool StreamObject::RangeHasTombstones(StreamId start) const {
  if (length_ == 0 || max_deleted_id_.IsZero()) return false;
  if (first_id_ > max_deleted_id_) return false;
  return start <= max_deleted_id_;
}

int64_t StreamObject::EstimateDistance(StreamId id) const {
  if (entries_added_ == 0) return 0;
  const auto added = static_cast<int64_t>(entries_added_);
  if (length_ == 0 && id <= last_id_) return added;
  if (id == last_id_) return added;
  if (id > last_id_) return -1;
  if (max_deleted_id_.IsZero() || max_deleted_id_ < first_id_) {
    if (id < first_id_) return added - static_cast<int64_t>(length_);
    if (id == first_id_) return added - static_cast<int64_t>(length_) + 1;
  }
  return -1;
}

std::optional<int64_t> StreamObject::Lag(const Group& group) const {
  const auto added = static_cast<int64_t>(entries_added_);
  if (entries_added_ == 0) return 0;
  if (group.entries_read != -1 && !RangeHasTombstones(group.last_id)) {
    return added - group.entries_read;
  }
  const int64_t read = EstimateDistance(group.last_id);
  if (read == -1) return std::nullopt;
  return added - read;
}

size_t StreamObject::DeliverNew(Group& group, Consumer& consumer, size_t count, bool noack,
                                int64_t now_ms, EntryFn fn) {
  StreamId start = group.last_id;
  if (!start.Incr()) return 0;
  return Range(start, StreamId::Max(), count, false,
               [&](StreamId id, std::span<const std::string_view> fv) {
                 if (id > group.last_id) {
                   if (group.entries_read != -1 && !RangeHasTombstones(id)) {
                     if (group.entries_read < INT64_MAX) ++group.entries_read;
                   } else if (entries_added_ != 0) {
                     group.entries_read = EstimateDistance(id);
                   }
                   group.last_id = id;
                 }
                 fn(id, fv);
                 if (!noack) {
                   Nack& nack = Assign(group, id, &consumer, now_ms);
                   nack.delivery_time = now_ms;
                   nack.delivery_count = 1;
                 }
               });
}

size_t StreamObject::DeliverHistory(
    Consumer& consumer, Group& group, StreamId start, size_t count, int64_t now_ms,
    absl::FunctionRef<void(StreamId, const std::span<const std::string_view>*)> fn) const {
  size_t emitted = 0;
  for (auto it = consumer.pel.lower_bound(start); it != consumer.pel.end(); ++it) {
    if (count != 0 && emitted == count) break;
    const StreamId id = *it;
    const size_t found = Range(
        id, id, 1, false, [&](StreamId, std::span<const std::string_view> fv) { fn(id, &fv); });
    if (found == 0) {
      fn(id, nullptr);
    } else {
      auto n = group.pel.find(id);
      if (n != group.pel.end()) {
        n->second.delivery_time = now_ms;
        ++n->second.delivery_count;
      }
    }
    ++emitted;
  }
  return emitted;
}

// ---- Snapshots. -------------------------------------------------------------------------------

namespace {
constexpr uint8_t kSerialVersion = 1;
}

void StreamObject::Serialize(std::string* out) const {
  out->push_back(static_cast<char>(kSerialVersion));
  PutVarintTo(out, length_);
  PutVarintTo(out, entries_added_);
  PutIdTo(out, last_id_);
  PutIdTo(out, first_id_);
  PutIdTo(out, max_deleted_id_);
  PutVarintTo(out, nodes_.size());
  for (const auto& [master, n] : nodes_) {
    PutIdTo(out, master);
    PutVarintTo(out, n.live);
    PutVarintTo(out, n.deleted);
    PutVarintTo(out, n.body);
    PutBytesTo(out, std::string_view(reinterpret_cast<const char*>(n.buf), n.size));
  }
  PutVarintTo(out, groups_.size());
  for (const auto& [name, g] : groups_) {
    PutBytesTo(out, name);
    PutIdTo(out, g->last_id);
    PutVarintTo(out, static_cast<uint64_t>(g->entries_read) + 1);  // -1 (unknown) -> 0
    PutVarintTo(out, g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
      PutBytesTo(out, cname);
      PutVarintTo(out, static_cast<uint64_t>(c->seen_time));
    }
    PutVarintTo(out, g->pel.size());
    for (const auto& [id, nack] : g->pel) {
      PutIdTo(out, id);
      PutBytesTo(out, nack.consumer != nullptr ? std::string_view(nack.consumer->name) : "");
      PutVarintTo(out, nack.consumer != nullptr ? 1 : 0);
      PutVarintTo(out, static_cast<uint64_t>(nack.delivery_time));
      PutVarintTo(out, nack.delivery_count);
    }
  }
}

bool StreamObject::LoadNode(StreamId master, uint64_t live, uint64_t deleted, uint64_t body,
                            std::string_view bytes, StreamId* prev, bool* any) {
  if (body > bytes.size() || bytes.size() > kMaxNodeBytes * 2 || live + deleted == 0) {
    return false;
  }
  const auto* nb = reinterpret_cast<const uint8_t*>(bytes.data());
  std::vector<std::string_view> master_fields;
  if (!ReadMasterFields(nb, body, &master_fields)) return false;
  // Every entry must decode, IDs ascending across the stream, counts as recorded.
  Reader er{nb + body, nb + bytes.size()};
  uint64_t seen_live = 0;
  uint64_t seen_deleted = 0;
  bool first_in_node = true;
  while (!er.done()) {
    uint8_t flags = 0;
    StreamId id;
    if (!DecodeEntry(er, master, master_fields, &flags, &id, nullptr, nullptr)) return false;
    if ((flags & ~(kDeleted | kSameFields)) != 0) return false;
    if (id < master || (first_in_node && id != master)) return false;
    if (*any && id <= *prev) return false;
    *prev = id;
    *any = true;
    first_in_node = false;
    ++((flags & kDeleted) ? seen_deleted : seen_live);
  }
  if (seen_live != live || seen_deleted != deleted) return false;
  Node n;
  n.Reserve(bytes.size());
  std::memcpy(n.buf, bytes.data(), bytes.size());
  n.size = static_cast<uint32_t>(bytes.size());
  n.body = static_cast<uint32_t>(body);
  n.live = static_cast<uint32_t>(live);
  n.deleted = static_cast<uint32_t>(deleted);
  buffer_bytes_ += AllocSize(n.buf);
  nodes_.emplace(master, std::move(n));
  length_ += live;
  return true;
}

namespace {

// One group of a Serialize output: name, last ID, entries-read + 1, consumers, pending entries.
bool ReadGroup(Reader& r, StreamObject* s) {
  std::string_view name;
  StreamId last;
  uint64_t read_plus_one = 0;
  uint64_t nconsumers = 0;
  if (!r.Bytes(&name) || !r.Id(&last) || !r.Varint(&read_plus_one) || !r.Varint(&nconsumers)) {
    return false;
  }
  const uint64_t read = read_plus_one - 1;  // 0 wraps to UINT64_MAX: unknown (-1)
  if (read != UINT64_MAX && read > static_cast<uint64_t>(INT64_MAX)) return false;
  StreamObject::Group* g =
      s->CreateGroup(name, last, read == UINT64_MAX ? -1 : static_cast<int64_t>(read));
  if (g == nullptr) return false;
  for (uint64_t j = 0; j < nconsumers; ++j) {
    std::string_view cname;
    uint64_t seen = 0;
    if (!r.Bytes(&cname) || !r.Varint(&seen)) return false;
    if (StreamObject::CreateConsumer(*g, cname, static_cast<int64_t>(seen)) == nullptr) {
      return false;
    }
  }
  uint64_t npel = 0;
  if (!r.Varint(&npel)) return false;
  for (uint64_t j = 0; j < npel; ++j) {
    StreamId id;
    std::string_view cname;
    uint64_t has_owner = 0;
    uint64_t time = 0;
    uint64_t count = 0;
    if (!r.Id(&id) || !r.Bytes(&cname) || !r.Varint(&has_owner) || !r.Varint(&time) ||
        !r.Varint(&count) || g->pel.contains(id)) {
      return false;
    }
    StreamObject::Consumer* owner = nullptr;
    if (has_owner != 0) {
      owner = StreamObject::FindConsumer(*g, cname, 0, false);
      if (owner == nullptr) return false;
    }
    StreamObject::Assign(*g, id, owner, static_cast<int64_t>(time)).delivery_count = count;
  }
  return true;
}

}  // namespace

std::unique_ptr<StreamObject> StreamObject::Deserialize(std::string_view in) {
  if (in.empty() || static_cast<uint8_t>(in[0]) != kSerialVersion) return nullptr;
  const auto* base = reinterpret_cast<const uint8_t*>(in.data());
  Reader r{base + 1, base + in.size()};
  auto s = std::make_unique<StreamObject>();
  uint64_t length = 0;
  uint64_t nnodes = 0;
  if (!r.Varint(&length) || !r.Varint(&s->entries_added_) || !r.Id(&s->last_id_) ||
      !r.Id(&s->first_id_) || !r.Id(&s->max_deleted_id_) || !r.Varint(&nnodes)) {
    return nullptr;
  }
  StreamId prev;
  bool any = false;
  for (uint64_t i = 0; i < nnodes; ++i) {
    StreamId master;
    uint64_t live = 0;
    uint64_t deleted = 0;
    uint64_t body = 0;
    std::string_view bytes;
    if (!r.Id(&master) || !r.Varint(&live) || !r.Varint(&deleted) || !r.Varint(&body) ||
        !r.Bytes(&bytes) || !s->LoadNode(master, live, deleted, body, bytes, &prev, &any)) {
      return nullptr;
    }
  }
  if (s->length_ != length || (any && prev > s->last_id_) ||
      s->entries_added_ > static_cast<uint64_t>(INT64_MAX) || s->entries_added_ < length) {
    return nullptr;
  }
  uint64_t ngroups = 0;
  if (!r.Varint(&ngroups)) return nullptr;
  for (uint64_t i = 0; i < ngroups; ++i) {
    if (!ReadGroup(r, s.get())) return nullptr;
  }
  if (!r.done()) return nullptr;
  return s;
}

}  // namespace ringkv::engine
