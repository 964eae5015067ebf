// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// RocksDB snapshot files: see snapshot_store.h for the layout and the commit protocol.
#include "server/persistence/snapshot_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"

namespace ringkv::server::persistence {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPointerMagic = "ringkv-snapshot 1";
constexpr std::string_view kPointerFile = "LATEST";
// Sorts after every shard's records (shard indexes are far below 2^32 - 1).
const std::string kMetaKey = std::string(4, '\xff') + "meta";
// The FUNCTION libraries, just before the metadata (absent when there are none).
const std::string kFunctionsKey = std::string(4, '\xff') + "functions";

// Libraries as a sequence of (8-byte little-endian length, code).
std::string EncodeLibraries(const std::vector<std::string>& libraries) {
  std::string out;
  for (const std::string& code : libraries) {
    uint64_t n = code.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    out.append(code);
  }
  return out;
}

bool DecodeLibraries(std::string_view in, std::vector<std::string>* out) {
  while (!in.empty()) {
    if (in.size() < 8) return false;
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<uint8_t>(in[i])) << (8 * i);
    in.remove_prefix(8);
    if (n > in.size()) return false;
    out->emplace_back(in.substr(0, n));
    in.remove_prefix(n);
  }
  return true;
}
constexpr size_t kChunkRecords = 64;  // records per shard-lock hold: about 10 us of encoding
// How often a background writer offers the CPU to a waiting worker (WriteShards).
constexpr auto kYieldEvery = std::chrono::microseconds(200);

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::InternalError(absl::StrCat(AV(what), " ", path, ": ", std::strerror(errno)));
}

absl::Status FromRocks(std::string_view what, const std::string& path, const rocksdb::Status& s) {
  return absl::InternalError(absl::StrCat(AV(what), " ", path, ": ", s.ToString()));
}

absl::Status SyncPath(const std::string& path, bool directory) {
  int fd = open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Errno("can't open for fsync", path);
  int rc = fsync(fd);
  int saved = errno;
  close(fd);
  errno = saved;
  if (rc != 0) return Errno("fsync failed on", path);
  return absl::OkStatus();
}

// Test hook for the crash-safety tests: RINGKV_TEST_SNAPSHOT_STALL=<stage>:<ms> sleeps at that
// stage of every save (stages: start, sst, ingest, rename, pointer) or before a load (load), so
// a test can kill -9 the process there or see it loading. Unset in production; reading it costs
// one getenv per save or load.
void MaybeStall(std::string_view stage) {
  const char* env = std::getenv("RINGKV_TEST_SNAPSHOT_STALL");
  if (env == nullptr) return;
  std::vector<std::string> parts = absl::StrSplit(env, ':');
  int ms = 0;
  if (parts.size() != 2 || parts[0] != stage || !absl::SimpleAtoi(parts[1], &ms)) return;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// The background writer: nice 10 and, where the kernel's EEVDF scheduler takes one (Linux 6.12
// and later), a 100 us time slice (sched_attr.sched_runtime for SCHED_OTHER): a worker woken by
// a request then preempts it within that slice instead of the default one (0.75-3 ms). Older
// kernels ignore or refuse the slice; the nice level is set either way.
void LowerWriterPriority() {
  struct SchedAttr {  // struct sched_attr (linux/sched/types.h), which glibc 2.36 lacks
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
  };
  SchedAttr attr{};
  attr.size = sizeof(attr);
  attr.sched_policy = SCHED_OTHER;
  attr.sched_nice = 10;
  attr.sched_runtime = 100'000;  // ns
  if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  }
}

rocksdb::CompressionType RocksCompression(Compression c) {
  switch (c) {
    case Compression::kNone:
      return rocksdb::kNoCompression;
    case Compression::kZstd:
      return rocksdb::kZSTD;
    case Compression::kLz4:
      break;
  }
  return rocksdb::kLZ4Compression;
}

rocksdb::Options BaseOptions(const StoreOptions& o) {
  rocksdb::Options opts;
  opts.compression = RocksCompression(o.compression);
  opts.bottommost_compression = opts.compression;
  opts.disable_auto_compactions = true;
  opts.keep_log_file_num = 1;
  opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  opts.max_open_files = -1;
  return opts;
}

std::string Be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[static_cast<size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  return s;
}

struct Meta {
  uint64_t keys = 0;
  uint64_t shards = 0;
  int64_t created_ms = 0;
  int format = 0;
  int layout = 1;                                 // absent in snapshots written before layout 2
  std::vector<std::pair<int, uint64_t>> db_keys;  // records per database (load sizes tables)
};

std::string EncodeMeta(const Meta& m) {
  std::string dbs;
  for (const auto& [db, n] : m.db_keys) {
    if (!dbs.empty()) dbs += ',';
    absl::StrAppend(&dbs, db, ":", n);
  }
  return absl::StrCat("format=", m.format, " layout=", m.layout, " keys=", m.keys,
                      " shards=", m.shards, " created_ms=", m.created_ms,
                      " db_keys=", dbs.empty() ? "-" : dbs);
}

bool DecodeMeta(std::string_view text, Meta* m) {
  bool keys = false;
  bool shards = false;
  for (absl::string_view part : absl::StrSplit(AV(text), ' ')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (kv.first == "format" && !absl::SimpleAtoi(kv.second, &m->format)) return false;
    if (kv.first == "layout" && !absl::SimpleAtoi(kv.second, &m->layout)) return false;
    if (kv.first == "keys") keys = absl::SimpleAtoi(kv.second, &m->keys);
    if (kv.first == "shards") shards = absl::SimpleAtoi(kv.second, &m->shards);
    if (kv.first == "created_ms" && !absl::SimpleAtoi(kv.second, &m->created_ms)) return false;
    if (kv.first == "db_keys" && kv.second != "-") {
      for (absl::string_view item : absl::StrSplit(kv.second, ',')) {
        std::pair<std::string, std::string> dn = absl::StrSplit(item, absl::MaxSplits(':', 1));
        int db = 0;
        uint64_t n = 0;
        if (!absl::SimpleAtoi(dn.first, &db) || !absl::SimpleAtoi(dn.second, &n)) return false;
        m->db_keys.emplace_back(db, n);
      }
    }
  }
  return keys && shards && m->format >= engine::kOldestRecordFormatVersion &&
         m->format <= engine::kRecordFormatVersion && (m->layout == 1 || m->layout == 2);
}

// Names of entries directly under `dir` (not . and ..).
std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename());
  return out;
}

// Deletes every snap-*, sst-* and LATEST.tmp under root except `keep` (a directory name).
void RemoveOthers(const std::string& root, const std::string& keep) {
  for (const std::string& name : ListDir(root)) {
    if (name == keep) continue;
    const bool ours = name.rfind("snap-", 0) == 0 || name.rfind("sst-", 0) == 0 ||
                      name == absl::StrCat(AV(kPointerFile), ".tmp");
    if (!ours) continue;
    std::error_code ec;
    fs::remove_all(fs::path(root) / name, ec);
  }
}

absl::Status WritePointer(const std::string& root, const std::string& snap_name) {
  const std::string tmp = absl::StrCat(root, "/", AV(kPointerFile), ".tmp");
  const std::string dst = absl::StrCat(root, "/", AV(kPointerFile));
  const std::string text = absl::StrCat(AV(kPointerMagic), "\n", snap_name, "\n");
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("can't create", tmp);
  ssize_t n = write(fd, text.data(), text.size());
  int saved = errno;
  if (n != static_cast<ssize_t>(text.size()) || fsync(fd) != 0) {
    if (n >= 0 && n != static_cast<ssize_t>(text.size())) saved = ENOSPC;
    close(fd);
    unlink(tmp.c_str());
    errno = saved;
    return Errno("can't write", tmp);
  }
  close(fd);
  MaybeStall("pointer");
  if (rename(tmp.c_str(), dst.c_str()) != 0) return Errno("can't rename to", dst);
  return SyncPath(root, true);
}

// Writes the table files of the shards taken from *next_shard; returns the files written.
absl::Status WriteShards(engine::SnapshotReader& reader, const StoreOptions& o,
                         const std::string& sst_dir, std::atomic<size_t>* next_shard,
                         std::atomic<uint64_t>* written, std::vector<std::string>* files,
                         std::atomic<bool>* failed, std::vector<std::atomic<uint64_t>>* db_keys) {
  const rocksdb::Options opts = BaseOptions(o);
  std::vector<engine::SnapshotRecord> recs;
  auto last_yield = std::chrono::steady_clock::now();
  for (;;) {
    if (failed->load()) return absl::OkStatus();
    const size_t shard = next_shard->fetch_add(1);
    if (shard >= reader.shard_count()) return absl::OkStatus();
    std::unique_ptr<rocksdb::SstFileWriter> w;
    const std::string path = absl::StrCat(sst_dir, "/", shard, ".sst");
    std::string group_key;
    std::string group;
    auto put_group = [&]() -> rocksdb::Status {
      if (group.empty()) return rocksdb::Status::OK();
      rocksdb::Status s = w->Put(group_key, group);
      group.clear();
      return s;
    };
    for (;;) {
      recs.clear();
      if (!reader.Next(shard, kChunkRecords, &recs)) break;
      if (recs.empty()) continue;
      if (w == nullptr) {
        w = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), opts);
        if (auto s = w->Open(path); !s.ok()) return FromRocks("can't create", path, s);
      }
      for (const auto& r : recs) {
        rocksdb::Status s;
        if (o.group_bytes == 0) {
          s = w->Put(r.order_key, r.value);
        } else {
          std::string_view key;
          if (!engine::KeyOfOrderKey(r.order_key, &key)) {
            return absl::InternalError(absl::StrCat("a record without a key for ", path));
          }
          if (group.empty()) group_key = r.order_key;
          AppendToGroup(key, r.value, &group);
          if (group.size() >= o.group_bytes) s = put_group();
        }
        if (!s.ok()) return FromRocks("can't write", path, s);
      }
      written->fetch_add(recs.size(), std::memory_order_relaxed);
      (*db_keys)[static_cast<size_t>(reader.db_of(shard))].fetch_add(recs.size(),
                                                                     std::memory_order_relaxed);
      // A background writer offers the CPU between chunks, every kYieldEvery. A worker woken by
      // a request preempts the writer only if the scheduler decides so at the wake-up; if the
      // writer's slice is still protected then (EEVDF's run-to-parity), nothing asks again
      // until the next tick (up to 4 ms at 250 Hz), and encoding and compressing records is
      // user-space work that may not enter the scheduler for that long. sched_yield is that
      // entry: a waiting worker runs within about kYieldEvery (measured: docs/benchmarks.md,
      // snapshot p99). Yielding after every chunk (about 50 us) made a BGSAVE ~9% slower.
      if (o.low_priority) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_yield >= kYieldEvery) {
          sched_yield();
          last_yield = now;
        }
      }
    }
    if (auto s = put_group(); !s.ok()) return FromRocks("can't write", path, s);
    if (w != nullptr) {
      if (auto s = w->Finish(); !s.ok()) return FromRocks("can't finish", path, s);
      files->push_back(path);
    }
  }
}

absl::StatusOr<WriteResult> WriteSnapshotImpl(engine::SnapshotReader& reader, const StoreOptions& o,
                                              const std::string& root, const std::string& id,
                                              std::atomic<uint64_t>* written,
                                              const std::vector<std::string>& libraries) {
  MaybeStall("start");
  const std::string sst_dir = absl::StrCat(root, "/sst-", id, ".tmp");
  const std::string tmp_dir = absl::StrCat(root, "/snap-", id, ".tmp");
  const std::string final_name = absl::StrCat("snap-", id);
  const std::string final_dir = absl::StrCat(root, "/", final_name);
  if (mkdir(sst_dir.c_str(), 0755) != 0) return Errno("can't create", sst_dir);

  // Table files, one per shard, written in parallel.
  std::atomic<size_t> next_shard{0};
  std::atomic<bool> failed{false};
  std::vector<std::atomic<uint64_t>> db_keys(static_cast<size_t>(reader.databases()));
  // A background save uses one writer: a second one, also at nice 10, could keep a preempted
  // writer that holds a shard lock off the CPU while a worker waits for that lock.
  const int threads = o.low_priority ? 1 : std::max(1, o.threads);
  std::vector<std::vector<std::string>> files(static_cast<size_t>(threads));
  std::vector<absl::Status> results(static_cast<size_t>(threads));
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        if (o.low_priority) LowerWriterPriority();
        results[static_cast<size_t>(t)] =
            WriteShards(reader, o, sst_dir, &next_shard, written, &files[static_cast<size_t>(t)],
                        &failed, &db_keys);
        if (!results[static_cast<size_t>(t)].ok()) failed = true;
      });
    }
    for (auto& th : pool) th.join();
  }
  for (const auto& r : results) {
    if (!r.ok()) return r;
  }
  MaybeStall("sst");
  std::vector<std::string> all;
  for (auto& f : files) all.insert(all.end(), f.begin(), f.end());
  // The metadata file, last in key order.
  Meta meta;
  meta.keys = written->load();
  meta.shards = reader.shard_count();
  meta.created_ms = reader.start_ms();
  meta.format = engine::kRecordFormatVersion;
  meta.layout = o.group_bytes == 0 ? 1 : 2;
  for (size_t db = 0; db < db_keys.size(); ++db) {
    if (const uint64_t n = db_keys[db].load(); n > 0)
      meta.db_keys.emplace_back(static_cast<int>(db), n);
  }
  {
    const std::string path = absl::StrCat(sst_dir, "/meta.sst");
    rocksdb::SstFileWriter w(rocksdb::EnvOptions(), BaseOptions(o));
    if (auto s = w.Open(path); !s.ok()) return FromRocks("can't create", path, s);
    if (!libraries.empty()) {
      if (auto s = w.Put(kFunctionsKey, EncodeLibraries(libraries)); !s.ok())
        return FromRocks("can't write", path, s);
    }
    if (auto s = w.Put(kMetaKey, EncodeMeta(meta)); !s.ok())
      return FromRocks("can't write", path, s);
    if (auto s = w.Finish(); !s.ok()) return FromRocks("can't finish", path, s);
    all.push_back(path);
  }
  std::sort(all.begin(), all.end());
  // One ingest into a fresh database.
  {
    rocksdb::Options opts = BaseOptions(o);
    opts.create_if_missing = true;
    opts.error_if_exists = true;
    rocksdb::DB* raw = nullptr;
    if (auto s = rocksdb::DB::Open(opts, tmp_dir, &raw); !s.ok()) {
      return FromRocks("can't create the snapshot database", tmp_dir, s);
    }
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::IngestExternalFileOptions ifo;
    ifo.move_files = true;
    ifo.write_global_seqno = false;
    ifo.verify_checksums_before_ingest = false;
    MaybeStall("ingest");
    if (auto s = db->IngestExternalFile(all, ifo); !s.ok()) {
      return FromRocks("can't ingest the table files into", tmp_dir, s);
    }
    if (auto s = db->SyncWAL(); !s.ok() && !s.IsNotSupported()) {
      return FromRocks("can't sync", tmp_dir, s);
    }
    if (auto s = db->Close(); !s.ok()) return FromRocks("can't close", tmp_dir, s);
  }
  if (absl::Status s = SyncPath(tmp_dir, true); !s.ok()) return s;
  MaybeStall("rename");
  if (rename(tmp_dir.c_str(), final_dir.c_str()) != 0) return Errno("can't rename to", final_dir);
  if (absl::Status s = SyncPath(root, true); !s.ok()) return s;
  if (absl::Status s = WritePointer(root, final_name); !s.ok()) return s;
  // Committed: older snapshots and leftovers can go.
  RemoveOthers(root, final_name);
  WriteResult r;
  r.keys = meta.keys;
  r.path = final_dir;
  return r;
}

}  // namespace

void AppendToGroup(std::string_view key, std::string_view record, std::string* group) {
  engine::PutLengthPrefixed(key, group);
  engine::PutLengthPrefixed(record, group);
}

bool ForEachInGroup(std::string_view group,
                    absl::FunctionRef<bool(std::string_view key, std::string_view record)> fn) {
  if (group.empty()) return false;  // never written empty
  while (!group.empty()) {
    std::string_view key;
    std::string_view record;
    if (!engine::GetLengthPrefixed(&group, &key) || !engine::GetLengthPrefixed(&group, &record) ||
        !fn(key, record)) {
      return false;
    }
  }
  return true;
}

std::string SnapshotRoot(const StoreOptions& o) {
  std::string dir = o.dir.empty() ? "." : o.dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return absl::StrCat(dir, "/", o.name);
}

absl::StatusOr<WriteResult> WriteSnapshot(engine::SnapshotReader& reader, const StoreOptions& o,
                                          std::atomic<uint64_t>* written,
                                          const std::vector<std::string>& libraries) {
  const std::string root = SnapshotRoot(o);
  struct stat st;
  if (stat(root.c_str(), &st) != 0) {
    if (errno != ENOENT) return Errno("can't open the snapshot directory", root);
    if (mkdir(root.c_str(), 0755) != 0) return Errno("can't create the snapshot directory", root);
  } else if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the snapshot path ", root, " exists and is not a directory"));
  }
  // A fresh id, after every snapshot already there (the clock may have gone back).
  uint64_t id = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  for (const std::string& name : ListDir(root)) {
    uint64_t n = 0;
    if (name.rfind("snap-", 0) == 0) {
      std::string digits = name.substr(5);
      if (auto dot = digits.find('.'); dot != std::string::npos) digits.resize(dot);
      if (absl::SimpleAtoi(digits, &n) && n >= id) id = n + 1;
    }
  }
  written->store(0);
  const std::string ids = std::to_string(id);
  absl::StatusOr<WriteResult> r = WriteSnapshotImpl(reader, o, root, ids, written, libraries);
  if (!r.ok()) {
    // Leave the previous snapshot as it was; drop this attempt's files.
    std::error_code ec;
    fs::remove_all(absl::StrCat(root, "/sst-", ids, ".tmp"), ec);
    fs::remove_all(absl::StrCat(root, "/snap-", ids, ".tmp"), ec);
  }
  return r;
}

bool SnapshotPresent(const StoreOptions& o) {
  const std::string pointer = absl::StrCat(SnapshotRoot(o), "/", AV(kPointerFile));
  struct stat st;
  return !(stat(pointer.c_str(), &st) != 0 && errno == ENOENT);
}

absl::StatusOr<LoadResult> LoadSnapshot(engine::Engine& engine, const StoreOptions& o,
                                        std::atomic<uint64_t>* loaded,
                                        std::atomic<uint64_t>* total) {
  LoadResult result;
  const std::string root = SnapshotRoot(o);
  const std::string pointer = absl::StrCat(root, "/", AV(kPointerFile));
  std::string text;
  {
    std::ifstream in(pointer, std::ios::binary);
    if (!in) {
      struct stat st;
      if (stat(pointer.c_str(), &st) != 0 && errno == ENOENT) return result;  // no snapshot yet
      return Errno("can't read the snapshot pointer", pointer);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (lines.size() != 3 || lines[0] != kPointerMagic || !lines[2].empty() ||
      lines[1].rfind("snap-", 0) != 0 || lines[1].find('/') != std::string::npos ||
      lines[1].find(".tmp") != std::string::npos) {
    return absl::DataLossError(
        absl::StrCat("the snapshot pointer ", pointer, " is not a ringkv snapshot pointer"));
  }
  const std::string path = absl::StrCat(root, "/", lines[1]);
  result.found = true;
  MaybeStall("load");
  result.path = path;
  rocksdb::Options opts = BaseOptions(o);
  opts.paranoid_checks = true;
  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::OpenForReadOnly(opts, path, &raw); !s.ok()) {
    return absl::DataLossError(absl::StrCat("can't open the snapshot ", path, ": ", s.ToString()));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  Meta meta;
  {
    std::string value;
    rocksdb::ReadOptions ro;
    ro.verify_checksums = true;
    auto s = db->Get(ro, kMetaKey, &value);
    if (!s.ok() || !DecodeMeta(value, &meta)) {
      return absl::DataLossError(
          absl::StrCat("the snapshot ", path, " has no valid metadata record",
                       s.ok() ? std::string() : absl::StrCat(" (", s.ToString(), ")")));
    }
  }
  {
    std::string value;
    rocksdb::ReadOptions ro;
    ro.verify_checksums = true;
    auto s = db->Get(ro, kFunctionsKey, &value);
    if (s.ok()) {
      if (!DecodeLibraries(value, &result.libraries)) {
        return absl::DataLossError(
            absl::StrCat("the snapshot ", path, " has a bad FUNCTION libraries record"));
      }
    } else if (!s.IsNotFound()) {
      return FromRocks("can't read the FUNCTION libraries of", path, s);
    }
  }
  total->store(meta.keys);
  // Tables sized up front: records arrive in table-position order, which a growing table
  // handles badly (every key's home at its start), and no growth is cheaper anyway.
  for (const auto& [index, n] : meta.db_keys) {
    if (index >= 0 && index < engine.databases()) engine.Reserve(index, n);
  }
  // One shard's key range at a time, in parallel.
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> records{0};
  std::mutex err_mu;
  absl::Status first_error;
  std::atomic<bool> failed{false};
  const int64_t now_ms = engine.clock().NowMs();
  auto work = [&] {
    for (;;) {
      const uint64_t shard = next.fetch_add(1);
      if (shard >= meta.shards || failed.load()) return;
      const std::string lo = Be32(static_cast<uint32_t>(shard));
      const std::string hi = Be32(static_cast<uint32_t>(shard + 1));
      rocksdb::Slice upper(hi);
      rocksdb::ReadOptions ro;
      ro.verify_checksums = true;
      ro.fill_cache = false;
      ro.readahead_size = 4 << 20;
      ro.iterate_upper_bound = &upper;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
      engine::RecordLoader loader(engine, now_ms);
      uint64_t n = 0;
      uint64_t reported = 0;
      std::string error;
      auto add = [&](std::string_view key, std::string_view record) {
        int rec_db = 0;
        if (!loader.Add(key, record, &rec_db, &error)) return false;
        ++n;
        return true;
      };
      for (it->Seek(lo); it->Valid(); it->Next()) {
        const rocksdb::Slice k = it->key();
        const std::string_view v(it->value().data(), it->value().size());
        std::string_view key;
        const bool ok =
            meta.layout == 1
                ? engine::KeyOfOrderKey(std::string_view(k.data(), k.size()), &key) && add(key, v)
                : ForEachInGroup(v, add);
        if (!ok) {
          std::lock_guard<std::mutex> l(err_mu);
          if (first_error.ok()) {
            first_error =
                absl::DataLossError(absl::StrCat("the snapshot ", path, " has a bad record (",
                                                 error.empty() ? "bad key or group" : error, ")"));
          }
          failed = true;
          return;
        }
        if (n - reported >= 1024) {
          loaded->fetch_add(n - reported, std::memory_order_relaxed);
          reported = n;
        }
      }
      loaded->fetch_add(n - reported, std::memory_order_relaxed);
      records.fetch_add(n);
      if (!it->status().ok()) {
        std::lock_guard<std::mutex> l(err_mu);
        if (first_error.ok()) {
          first_error = absl::DataLossError(
              absl::StrCat("can't read the snapshot ", path, ": ", it->status().ToString()));
        }
        failed = true;
        return;
      }
    }
  };
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, o.threads); ++t) pool.emplace_back(work);
    for (auto& th : pool) th.join();
  }
  if (!first_error.ok()) return first_error;
  if (records.load() != meta.keys) {
    return absl::DataLossError(absl::StrCat("the snapshot ", path, " holds ", records.load(),
                                            " records but its metadata says ", meta.keys));
  }
  result.records = meta.keys;
  return result;
}

}  // namespace ringkv::server::persistence
