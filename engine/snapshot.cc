// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SnapshotReader (the point-in-time walk) and the record codec; see snapshot.h.
#include "engine/snapshot.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "engine/types/hash.h"
#include "engine/types/list.h"
#include "engine/types/set.h"
#include "engine/types/stream.h"
#include "engine/types/zset.h"

namespace ringkv::engine {

namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutBytes(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

void PutBigEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Bounds-checked reading of a record: every getter fails (and stays failed) past the end.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= s_.size()) return Fail();
      const auto b = static_cast<uint8_t>(s_[pos_++]);
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = r;
        return true;
      }
    }
    return Fail();
  }
  bool Byte(uint8_t* v) {
    if (pos_ >= s_.size()) return Fail();
    *v = static_cast<uint8_t>(s_[pos_++]);
    return true;
  }
  bool Bytes(std::string_view* v) {
    uint64_t n = 0;
    if (!Varint(&n) || n > s_.size() - pos_) return Fail();
    *v = s_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Double(double* v) {
    if (s_.size() - pos_ < sizeof(double)) return Fail();
    uint64_t bits = 0;
    for (size_t i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(s_[pos_ + i])} << (8 * i);
    std::memcpy(v, &bits, sizeof(bits));
    pos_ += 8;
    return true;
  }
  // A count of elements that each take at least one byte: more than the bytes left is corrupt
  // (and would otherwise reserve absurd amounts).
  bool Count(uint64_t* n) { return Varint(n) && (*n <= s_.size() - pos_ || Fail()); }
  bool at_end() const { return pos_ == s_.size(); }

 private:
  bool Fail() {
    pos_ = s_.size();
    return false;
  }
  std::string_view s_;
  size_t pos_ = 0;
};

void PutDouble(double d, std::string* out) {
  uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof(bits));
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

// A hash payload's form byte (record version 2 on).
constexpr uint8_t kHashFields = 0;
constexpr uint8_t kHashPacked = 1;

bool ExpiredAt(const Entry& e, int64_t now_ms) { return e.has_expire() && now_ms > e.expire_ms(); }

}  // namespace

void PutLengthPrefixed(std::string_view s, std::string* out) { PutBytes(s, out); }

bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  Reader r(*in);
  if (!r.Bytes(s)) return false;
  in->remove_prefix(static_cast<size_t>(s->data() + s->size() - in->data()));
  return true;
}

std::string OrderKey(size_t shard, uint64_t hash, std::string_view key) {
  std::string k;
  k.reserve(12 + key.size());
  PutBigEndian(shard, 4, &k);
  PutBigEndian(hash, 8, &k);
  k.append(key);
  return k;
}

bool KeyOfOrderKey(std::string_view order_key, std::string_view* key) {
  if (order_key.size() < 12) return false;
  *key = order_key.substr(12);
  return true;
}

void EncodeRecord(int db, const Entry& e, std::string* out, bool with_expiry) {
  out->push_back(static_cast<char>(kRecordFormatVersion));
  PutVarint(static_cast<uint64_t>(db), out);
  out->push_back(static_cast<char>(e.type()));
  out->push_back(static_cast<char>(e.encoding()));
  PutVarint(with_expiry && e.has_expire() ? static_cast<uint64_t>(e.expire_ms()) : 0, out);
  switch (e.type()) {
    case ValueType::kString: {
      char buf[kIntBufSize];
      PutBytes(e.StringValue(buf), out);
      break;
    }
    case ValueType::kHash: {
      const auto& h = static_cast<const HashObject&>(*e.object());
      if (const size_t packed = h.PackedBytes(); packed > 0) {
        out->push_back(static_cast<char>(kHashPacked));
        PutVarint(h.Size(), out);
        PutVarint(packed, out);
        h.AppendPacked(out);
        break;
      }
      out->push_back(static_cast<char>(kHashFields));
      PutVarint(h.Size(), out);
      h.ForEachWithExpiry([&](std::string_view f, std::string_view v, int64_t at) {
        PutBytes(f, out);
        PutBytes(v, out);
        PutVarint(static_cast<uint64_t>(at), out);
      });
      break;
    }
    case ValueType::kList: {
      const auto& l = static_cast<const ListObject&>(*e.object());
      PutVarint(l.Size(), out);
      l.Walk(0, l.Size(), /*reverse=*/false, [&](std::string_view v) { PutBytes(v, out); });
      break;
    }
    case ValueType::kSet: {
      const auto& s = static_cast<const SetObject&>(*e.object());
      PutVarint(s.Size(), out);
      s.ForEach([&](std::string_view m) { PutBytes(m, out); });
      break;
    }
    case ValueType::kZSet: {
      const auto& z = static_cast<const ZSetObject&>(*e.object());
      PutVarint(z.Size(), out);
      z.ForEach([&](const ZEntry& en) {
        PutBytes(en.member, out);
        PutDouble(en.score, out);
      });
      break;
    }
    case ValueType::kStream: {
      std::string bytes;
      static_cast<const StreamObject&>(*e.object()).Serialize(&bytes);
      PutBytes(bytes, out);
      break;
    }
    case ValueType::kNone:
      // Never stored; an empty payload keeps the record readable.
      PutVarint(0, out);
      break;
  }
}

namespace {

struct RecordHeader {
  uint8_t version = 0;
  uint64_t db = 0;
  uint8_t type = 0;
  uint8_t encoding = 0;
  uint64_t expire = 0;
};

bool ReadHeader(Reader& r, RecordHeader* h) {
  return r.Byte(&h->version) && r.Varint(&h->db) && r.Byte(&h->type) && r.Byte(&h->encoding) &&
         r.Varint(&h->expire);
}

// Decodes the payload after the header (type `type`) into an entry for `key` with absolute
// expiry expire_ms (0: none). *out is nullptr when there is nothing to store: the key or every
// field of its hash had expired at now_ms.
bool DecodePayload(std::string_view key, Reader& r, const RecordHeader& h, int64_t expire_ms,
                   int64_t now_ms, Entry** out, std::string* error);

// Decodes a snapshot record (header and payload); *db receives its database.
bool DecodeRecord(const Engine& engine, std::string_view key, std::string_view record,
                  int64_t now_ms, int* db, Entry** out, std::string* error);

}  // namespace

bool LoadRecord(Engine& engine, std::string_view key, std::string_view record, int64_t now_ms,
                int* db, std::string* error) {
  RecordLoader loader(engine, now_ms, 1);
  return loader.Add(key, record, db, error);
}

RecordLoader::RecordLoader(Engine& engine, int64_t now_ms, size_t batch)
    : engine_(engine), now_ms_(now_ms), batch_(batch == 0 ? 1 : batch) {
  pending_.reserve(batch_);
}

RecordLoader::~RecordLoader() { Flush(); }

bool RecordLoader::Add(std::string_view key, std::string_view record, int* db, std::string* error) {
  Entry* e = nullptr;
  if (!DecodeRecord(engine_, key, record, now_ms_, db, &e, error)) return false;
  if (e != nullptr) {
    pending_.emplace_back(*db, e);
    if (pending_.size() >= batch_) Flush();
  }
  return true;
}

void RecordLoader::Flush() {
  if (pending_.empty()) return;
  engine_.StoreEntries(pending_);
  pending_.clear();
}

namespace {

bool DecodeRecord(const Engine& engine, std::string_view key, std::string_view record,
                  int64_t now_ms, int* db, Entry** out, std::string* error) {
  Reader r(record);
  RecordHeader h;
  if (!ReadHeader(r, &h)) {
    *error = "truncated record header";
    return false;
  }
  if (h.version < kOldestRecordFormatVersion || h.version > kRecordFormatVersion) {
    *error = "unknown record format version " + std::to_string(h.version);
    return false;
  }
  if (h.db >= static_cast<uint64_t>(engine.databases())) {
    *error = "database " + std::to_string(h.db) + " out of range (databases is " +
             std::to_string(engine.databases()) + ")";
    return false;
  }
  if (h.expire > static_cast<uint64_t>(INT64_MAX)) {
    *error = "expiry out of range";
    return false;
  }
  *db = static_cast<int>(h.db);
  return DecodePayload(key, r, h, static_cast<int64_t>(h.expire), now_ms, out, error);
}

bool DecodePayload(std::string_view key, Reader& r, const RecordHeader& h, int64_t expire_ms,
                   int64_t now_ms, Entry** out, std::string* error) {
  *out = nullptr;
  const uint8_t type = h.type;
  Entry* e = nullptr;
  uint64_t n = 0;
  switch (static_cast<ValueType>(type)) {
    case ValueType::kString: {
      std::string_view v;
      if (!r.Bytes(&v)) break;
      e = Entry::NewString(key, v, expire_ms);
      break;
    }
    case ValueType::kHash: {
      uint8_t form = kHashFields;
      if (h.version >= 2 && !r.Byte(&form)) break;
      if (form == kHashPacked) {
        std::string_view packed;
        if (!r.Count(&n) || !r.Bytes(&packed)) break;
        std::unique_ptr<HashObject> obj = HashObject::FromPacked(n, packed);
        if (obj == nullptr) break;
        const Encoding enc = obj->encoding();
        e = Entry::NewObject(key, ValueType::kHash, enc, std::move(obj), expire_ms);
        break;
      }
      if (form != kHashFields || !r.Count(&n)) break;
      absl::InlinedVector<HashObject::LoadEntry, 16> fields;
      fields.reserve(n);
      bool ok = true;
      for (uint64_t i = 0; i < n && ok; ++i) {
        HashObject::LoadEntry f;
        uint64_t at = 0;
        ok = r.Bytes(&f.field) && r.Bytes(&f.value) && r.Varint(&at) &&
             at <= static_cast<uint64_t>(INT64_MAX);
        if (!ok) break;
        f.expire_ms = static_cast<int64_t>(at);
        if (f.expire_ms != 0 && now_ms > f.expire_ms) continue;  // expired: dropped, as Redis
        fields.push_back(f);
      }
      if (!ok) break;
      if (fields.empty()) {  // every field had expired: no key, as Redis
        if (n == 0 || !r.at_end()) break;
        return true;
      }
      std::unique_ptr<HashObject> obj = HashObject::FromEntries(fields);
      if (obj == nullptr) break;  // a repeated field is corrupt
      const Encoding enc = obj->encoding();
      e = Entry::NewObject(key, ValueType::kHash, enc, std::move(obj), expire_ms);
      break;
    }
    case ValueType::kList: {
      if (!r.Count(&n) || n == 0) break;
      auto l = std::make_unique<ListObject>();
      bool ok = true;
      for (uint64_t i = 0; i < n && ok; ++i) {
        std::string_view v;
        ok = r.Bytes(&v);
        if (ok) l->Push(ListEnd::kTail, v);
      }
      if (!ok) break;
      const Encoding enc = l->encoding();
      e = Entry::NewObject(key, ValueType::kList, enc, std::move(l), expire_ms);
      break;
    }
    case ValueType::kSet: {
      if (!r.Count(&n) || n == 0) break;
      auto s = std::make_unique<SetObject>();
      bool ok = true;
      for (uint64_t i = 0; i < n && ok; ++i) {
        std::string_view v;
        ok = r.Bytes(&v);
        if (ok) s->Add(v);
      }
      if (!ok || s->Size() != n) break;  // a repeated member is corrupt
      const Encoding enc = s->encoding();
      e = Entry::NewObject(key, ValueType::kSet, enc, std::move(s), expire_ms);
      break;
    }
    case ValueType::kZSet: {
      if (!r.Count(&n) || n == 0) break;
      std::vector<std::pair<std::string, double>> entries;
      entries.reserve(n);
      bool ok = true;
      for (uint64_t i = 0; i < n && ok; ++i) {
        std::string_view m;
        double score = 0;
        ok = r.Bytes(&m) && r.Double(&score) && score == score;  // NaN is never stored
        if (ok) entries.emplace_back(std::string(m), score);
      }
      if (!ok) break;
      std::sort(entries.begin(), entries.end());
      if (std::adjacent_find(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            return a.first == b.first;
          }) != entries.end()) {
        break;  // a repeated member is corrupt
      }
      auto z = ZSetObject::FromEntries(std::move(entries));
      const Encoding enc = z->encoding();
      e = Entry::NewObject(key, ValueType::kZSet, enc, std::move(z), expire_ms);
      break;
    }
    case ValueType::kStream: {
      std::string_view bytes;
      if (!r.Bytes(&bytes)) break;
      std::unique_ptr<Object> st = StreamObject::Deserialize(bytes);
      if (st == nullptr) break;
      e = Entry::NewObject(key, ValueType::kStream, Encoding::kStream, std::move(st), expire_ms);
      break;
    }
    default:
      *error = "unknown value type " + std::to_string(type);
      return false;
  }
  if (e == nullptr || !r.at_end()) {
    if (e != nullptr) Entry::Free(e);
    *error = "malformed " + std::string(TypeName(static_cast<ValueType>(type))) + " record";
    return false;
  }
  if (ExpiredAt(*e, now_ms)) {
    Entry::Free(e);
    return true;
  }
  *out = e;
  return true;
}

}  // namespace

SnapshotReader::SnapshotReader(Engine& engine, SnapshotMemory* memory)
    : engine_(engine),
      memory_(memory != nullptr ? memory : &own_memory_),
      shard_count_(engine.shards_.size()),
      start_ms_(engine.Now()) {
  // Every shard at once: the snapshot is a state between two commands, even multi-shard ones.
  for (auto& s : engine_.shards_) s->mu.Lock();
  for (auto& s : engine_.shards_) {
    s->mu.AssertHeld();
    auto st = std::make_unique<ShardSnapshotState>();
    st->start_ms = start_ms_;
    st->memory = memory_;
    s->set_snapshot(std::move(st));
  }
  for (auto it = engine_.shards_.rbegin(); it != engine_.shards_.rend(); ++it) (*it)->mu.Unlock();
}

SnapshotReader::~SnapshotReader() {
  for (auto& s : engine_.shards_) {
    absl::MutexLock lock(&s->mu);
    s->set_snapshot(nullptr);
  }
}

bool SnapshotReader::Next(size_t shard, size_t max_records, std::vector<SnapshotRecord>* out) {
  Shard& s = *engine_.shards_[shard];
  const int db = static_cast<int>(shard / static_cast<size_t>(engine_.shards_per_db_));
  const size_t first = out->size();
  absl::MutexLock lock(&s.mu);
  ShardSnapshotState* st = s.snapshot();
  if (st == nullptr || st->done) return false;
  const Table::HashFn hash_fn = s.hash_function();
  auto emit = [&](uint64_t hash, const Entry& e) {
    if (ExpiredAt(e, st->start_ms)) return;
    SnapshotRecord rec;
    rec.order_key = OrderKey(shard, hash, e.key());
    EncodeRecord(db, e, &rec.value);
    out->push_back(std::move(rec));
  };
  // Takes the saved versions with positions in [lo, hi) (hi == 0: to the end).
  auto take_saved = [&](uint64_t lo, uint64_t hi) {
    auto it = st->saved.lower_bound(SavedKey{lo, {}});
    while (it != st->saved.end() && (hi == 0 || it->first.first < hi)) {
      st->Release(ShardSnapshotState::SavedCost(it->first.second, it->second));
      if (Entry* e = it->second; e != nullptr) {
        emit(hash_fn(e->key()), *e);
        Entry::Free(e);
      }
      it = st->saved.erase(it);
    }
  };
  if (st->frozen) {
    // Everything present at the start is in `saved`, whose order is the order keys' order.
    for (size_t n = 0; n < max_records && !st->saved.empty(); ++n) {
      auto it = st->saved.begin();
      st->Release(ShardSnapshotState::SavedCost(it->first.second, it->second));
      if (Entry* e = it->second; e != nullptr) {
        emit(hash_fn(e->key()), *e);
        Entry::Free(e);
      }
      st->saved.erase(it);
    }
    if (st->saved.empty()) st->done = true;
  } else {
    while (!st->done && out->size() - first < max_records) {
      const uint64_t lo = st->cursor;
      const uint64_t hi = s.table().Scan(lo, [&](Entry* e) {
        const uint64_t hash = hash_fn(e->key());
        if (!st->saved.empty() && st->saved.contains(SavedKey{s.Position(hash), e->key()})) return;
        emit(hash, *e);
      });
      take_saved(lo, hi);
      st->cursor = hi;
      if (hi == 0) st->done = true;
    }
  }
  std::sort(
      out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
      [](const SnapshotRecord& a, const SnapshotRecord& b) { return a.order_key < b.order_key; });
  return true;
}

bool Engine::DumpRecord(int db, std::string_view key, std::string* out) {
  const uint64_t hash = Hash(key);
  const size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.Lookup(hash, key, Now(), false);
  if (slot == nullptr) return false;
  EncodeRecord(0, *slot->entry(), out, /*with_expiry=*/false);
  return true;
}

bool RestoreRecord(Engine& engine, int db, std::string_view key, std::string_view record,
                   int64_t expire_ms, std::string* error) {
  Reader r(record);
  RecordHeader h;
  if (db < 0 || db >= engine.databases() || expire_ms < 0 || !ReadHeader(r, &h)) {
    *error = "truncated record header";
    return false;
  }
  if (h.version < kOldestRecordFormatVersion || h.version > kRecordFormatVersion) {
    *error = "unknown record format version " + std::to_string(h.version);
    return false;
  }
  // The record's own database and expiry are ignored: RESTORE gives them.
  Entry* e = nullptr;
  if (!DecodePayload(key, r, h, expire_ms, engine.clock().NowMs(), &e, error)) return false;
  if (e != nullptr) engine.StoreEntry(db, e);
  return true;
}

}  // namespace ringkv::engine
