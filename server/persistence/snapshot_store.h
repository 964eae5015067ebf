// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SnapshotStore: writes engine snapshots (engine/snapshot.h) as RocksDB databases and loads them
// back. The only file in ringkv that speaks RocksDB.
//
// Layout under <dir>/<dbfilename>/ (the snapshot root):
//   LATEST             the pointer file: "ringkv-snapshot 1\n" then the current snapshot's name
//   snap-<id>/         a complete snapshot: a RocksDB database, every file in the bottom level
//   snap-<id>.tmp/     a snapshot being committed; sst-<id>.tmp/ its table files being written
// Writing: one table file per shard (SstFileWriter, records already in order), plus a metadata
// file (record count, format, layout, shard count, time). Layout 2 (since 2026-11-30) stores a
// group of consecutive records of a shard (up to StoreOptions::group_bytes) as ONE table entry,
// keyed by its first record's order key: per record a varint key length, the key, a varint record
// length and the record (engine/snapshot.h). Layout 1, one record per entry under its order key,
// is still read. Groups spare RocksDB its per-entry work (block index, key comparisons, the
// iterator's merging), which was half of the load time at 100-byte values.
// ONE IngestExternalFile call moves them all into
// a fresh database in snap-<id>.tmp (RocksDB records the call atomically); the database is closed,
// the directory synced and renamed to snap-<id>, the root synced; then LATEST is replaced
// (temporary file, fsync, rename, fsync of the root), and only after that are older snapshots
// and leftovers deleted. A crash at any moment leaves LATEST naming a complete snapshot, or no
// LATEST at all before the first commit.
// Loading: LATEST is read, the snapshot opened read-only and read in parallel, one shard's key
// range at a time, each record handed to an engine::RecordLoader; the record count must match the
// metadata. A missing root or LATEST is an empty start; anything else wrong is an error that
// names the path and the reason.
//
// Thread safety: the functions are independent; the caller runs one write at a time per root.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/snapshot.h"

namespace ringkv::server::persistence {

enum class Compression { kNone, kLz4, kZstd };

struct StoreOptions {
  std::string dir = "./";            // `dir`
  std::string name = "dump.ringkv";  // `dbfilename`: the snapshot root under dir
  Compression compression = Compression::kLz4;
  int threads = 2;  // parallel shard writers / loaders
  // Run the writer at a low CPU priority (nice 10): a BGSAVE yields most of a busy CPU to the
  // workers serving requests, yet still progresses under full load (about a tenth of a
  // saturated core; nice 19 or SCHED_IDLE would all but stop it, and memory for copies would
  // grow meanwhile), with a 100 us time slice where the kernel takes one (a woken worker
  // preempts it sooner) and a sched_yield between chunks of records (a waiting worker need not
  // wait for the next scheduler tick).
  bool low_priority = false;
  // Layout 2: records grouped into table entries of about this many bytes; 0 writes layout 1
  // (one record per entry; tests).
  size_t group_bytes = 32 << 10;
};

struct WriteResult {
  uint64_t keys = 0;
  std::string path;  // the new snapshot's directory
};

// The snapshot root: dir/name.
std::string SnapshotRoot(const StoreOptions& options);

// False when there is certainly no snapshot to load (no pointer file under the root); true when
// there is one or the root cannot be examined (LoadSnapshot then reports why).
bool SnapshotPresent(const StoreOptions& options);

// Writes every record of `reader` as a new snapshot and makes it current, with the code of the
// FUNCTION libraries `libraries` (one record of its own). *written counts the records as they go
// (INFO's progress). On error nothing changes: the previous snapshot stays current, and the
// partial files are removed.
absl::StatusOr<WriteResult> WriteSnapshot(engine::SnapshotReader& reader,
                                          const StoreOptions& options,
                                          std::atomic<uint64_t>* written,
                                          const std::vector<std::string>& libraries = {});

struct LoadResult {
  bool found = false;  // false: no snapshot (an empty start)
  uint64_t records = 0;
  std::string path;
  std::vector<std::string> libraries;  // FUNCTION libraries' code (none in older snapshots)
};

// Layout 2's group: appends one record (its key and encoded record) to *group; ForEachInGroup
// calls fn for each record of a group in order and returns false when the group is malformed
// (fn may have been called for the records before the fault) or fn returns false.
void AppendToGroup(std::string_view key, std::string_view record, std::string* group);
bool ForEachInGroup(std::string_view group,
                    absl::FunctionRef<bool(std::string_view key, std::string_view record)> fn);

// Loads the current snapshot into `engine` (which should be empty). *loaded counts records as
// they are read; *total receives the snapshot's record count as soon as it is known.
absl::StatusOr<LoadResult> LoadSnapshot(engine::Engine& engine, const StoreOptions& options,
                                        std::atomic<uint64_t>* loaded,
                                        std::atomic<uint64_t>* total);

}  // namespace ringkv::server::persistence
