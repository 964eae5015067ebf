// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Point-in-time snapshots of the whole keyspace, without fork and without stopping writes, and
// the record format they are written in. The engine knows nothing of files: SnapshotReader hands
// out records in order, the server (server/persistence/) writes them with RocksDB and feeds them
// back through LoadRecord at start-up.
//
// How the point in time holds. SnapshotReader's constructor takes every shard's lock at once
// (ascending order, as KeyLock) and attaches a ShardSnapshotState to each (shard.h), so the
// snapshot is the state between two commands, multi-shard ones included. Then, per shard, Next()
// walks the table in position order (Table::Scan) a chunk at a time under the shard's lock. A
// change to a key the walk has not reached saves the key's starting version first (copy-on-write
// per key, Shard::SaveForSnapshot), and the walk writes that instead. Keys created after the
// start are skipped the same way. So the extra memory is the keys changed during the snapshot
// ahead of the walk, each copied once and freed as soon as it is written, never a copy of the data
// set (unless the whole data set is overwritten while the snapshot runs, as with fork()).
//
// Record format, version 2 (every integer a LEB128 varint unless said otherwise):
//   u8 version (2) | db | u8 type (ValueType) | u8 encoding (Encoding, informational) |
//   absolute expiry in Unix ms (0: none) | payload
// payload by type:
//   string:      length, bytes
//   hash:        u8 form, then
//                form 0 (fields): count, then per field: name length, name, value length, value,
//                  expiry ms (0: none)
//                form 1 (packed: a small hash whose fields have no expiry): count, length, then
//                  the small encoding's entry bytes (HashObject::AppendPacked), loaded by a check
//                  and a copy (HashObject::FromPacked)
//   list:        count, then per element: length, bytes (head to tail)
//   set:         count, then per member: length, bytes
//   sorted set:  count, then per member: length, bytes, score (8-byte IEEE double, little-endian)
//   stream:      length, then StreamObject::Serialize's bytes (engine/types/stream.h): entries,
//                ID counters, consumer groups with their pending entries
// Version 1 is version 2 without the hash's form byte (always fields); both load.
// A record's key in the store is its order key: the shard's global index (4 bytes, big-endian),
// the key's hash (8 bytes, big-endian), then the key's bytes; within a shard that is the order
// of the walk, so records come out sorted and a store can write them as they come.
//
// Thread safety: SnapshotReader's methods may be called from any threads, concurrently for
// different shards; the engine stays fully usable meanwhile. LoadRecord is safe from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine.h"

namespace ringkv::engine {

inline constexpr uint8_t kRecordFormatVersion = 2;
// The oldest record format this build still reads.
inline constexpr uint8_t kOldestRecordFormatVersion = 1;

struct SnapshotRecord {
  std::string order_key;  // see above
  std::string value;      // the encoded record
};

class SnapshotReader {
 public:
  // Marks the point in time. The bytes of copies made for it are counted in *memory when given.
  // REQUIRES: no other SnapshotReader is alive on this engine; memory outlives the reader.
  explicit SnapshotReader(Engine& engine, SnapshotMemory* memory = nullptr);
  // Detaches from every shard, freeing what it still holds.
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  // Shards of all databases (global index db * shards_per_db + shard).
  size_t shard_count() const { return shard_count_; }
  int databases() const { return engine_.databases(); }
  // The database of a global shard index.
  int db_of(size_t shard) const {
    return static_cast<int>(shard / static_cast<size_t>(engine_.shards_per_db()));
  }
  // The snapshot's time (keys expired at that time are left out), Unix ms.
  int64_t start_ms() const { return start_ms_; }
  // Appends the next records of `shard` (roughly max_records of them) in ascending order_key and
  // returns true, or returns false once the shard has been written in full.
  bool Next(size_t shard, size_t max_records, std::vector<SnapshotRecord>* out);
  // Bytes held by saved copies of changed keys, over all shards: now and at most.
  size_t SavedBytes() const { return memory_->current.load(std::memory_order_relaxed); }
  size_t PeakSavedBytes() const { return memory_->peak.load(std::memory_order_relaxed); }

 private:
  Engine& engine_;
  SnapshotMemory own_memory_;
  SnapshotMemory* memory_;
  size_t shard_count_;
  int64_t start_ms_;
};

// Appends the record of entry e in database db (key excluded: it is in the order key); without
// with_expiry its expiry field is 0 (DUMP).
void EncodeRecord(int db, const Entry& e, std::string* out, bool with_expiry = true);
// A byte string with its length in front (LEB128 varint), as records hold them: Put appends one
// to *out; Get reads one from the front of *in (advancing it), or returns false when *in holds
// no complete one.
void PutLengthPrefixed(std::string_view s, std::string* out);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);
// The order key of `key` in global shard `shard`.
std::string OrderKey(size_t shard, uint64_t hash, std::string_view key);
// The key bytes of an order key, or false when it is too short to be one.
bool KeyOfOrderKey(std::string_view order_key, std::string_view* key);

// Decodes a record and stores it under `key` (replacing any value). Keys already expired at
// now_ms and hash fields already expired are dropped, as Redis drops them when loading. Returns
// false with *error set when the record is malformed (nothing is stored then); *db receives the
// record's database.
bool LoadRecord(Engine& engine, std::string_view key, std::string_view record, int64_t now_ms,
                int* db, std::string* error);

// Start-up loading for one thread: Add decodes a record (as LoadRecord) and keeps its entry;
// every `batch` entries, in Flush and in the destructor the kept entries are stored with
// Engine::StoreEntries, which takes a shard's lock once per run of entries in that shard (a
// snapshot's records come grouped by shard). Several loaders may run at once.
class RecordLoader {
 public:
  RecordLoader(Engine& engine, int64_t now_ms, size_t batch = 256);
  ~RecordLoader();
  RecordLoader(const RecordLoader&) = delete;
  RecordLoader& operator=(const RecordLoader&) = delete;

  // Returns false with *error set when the record is malformed (it is not kept then).
  bool Add(std::string_view key, std::string_view record, int* db, std::string* error);
  void Flush();

 private:
  Engine& engine_;
  int64_t now_ms_;
  size_t batch_;
  std::vector<std::pair<int, Entry*>> pending_;
};

// RESTORE: stores the value of `record` (any database and expiry fields, e.g. a DumpRecord) under
// (db, key) with absolute expiry expire_ms (0: none), replacing any value. Returns false with
// *error set when the record is malformed (nothing is stored then). A past expiry stores nothing.
bool RestoreRecord(Engine& engine, int db, std::string_view key, std::string_view record,
                   int64_t expire_ms, std::string* error);

}  // namespace ringkv::engine
