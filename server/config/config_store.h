// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ConfigStore: the running configuration of a server, and the engine of CONFIG GET, CONFIG SET
// and CONFIG REWRITE. It publishes immutable ServerConfig snapshots; worker threads read the
// latest one through a ConfigReader, which costs one atomic load per check and takes a lock only
// after a change. Subsystems that must act when a setting changes (rebinding, resizing, log
// level) register a callback with OnChange().
//
// Thread safety:
// 1. Snapshot(), version(), Get() and config_file() may be called from any thread at any time.
// 2. Set(), Rewrite(), OnChange() and RemoveOnChange() are serialized by an internal writer
//    lock. Callbacks run on the thread that called Set(), with that lock held: a callback must
//    not call Set(), Rewrite(), OnChange() or RemoveOnChange() (it would deadlock), but may read.
// 3. A published ServerConfig never changes; readers keep theirs alive through shared_ptr, so a
//    snapshot stays valid however many changes follow.
//
// Replies: errors are returned as absl::Status whose message is the exact Redis error line
// without the leading '-' ("ERR Unknown option or number of arguments for CONFIG SET - 'x'").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/config/command_line.h"
#include "server/config/directive.h"
#include "server/config/server_config.h"

namespace ringkv::server::config {

class ConfigStore {
 public:
  // Called with the configuration about to be published, which holds the new value. Returning
  // an error cancels the whole CONFIG SET: callbacks that already succeeded are called again
  // with the previous configuration, and nothing is published. The error's message is shown to
  // the client after "CONFIG SET failed (possibly related to argument 'x') - ".
  using ChangeCallback = std::function<absl::Status(const ServerConfig& config)>;

  explicit ConfigStore(LoadedConfig loaded,
                       const DirectiveTable& table = DirectiveTable::Default());
  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // The current configuration. Takes a lock briefly; on hot paths use a ConfigReader.
  std::shared_ptr<const ServerConfig> Snapshot() const;
  // The current configuration and the version it was published as, read together.
  std::pair<std::shared_ptr<const ServerConfig>, uint64_t> SnapshotWithVersion() const;
  // Increases by at least one each time a changed configuration is published. Lock-free.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // CONFIG GET pattern [pattern ...]: (name, value) pairs of every directive whose name or alias
  // matches a glob pattern (case-insensitive), each once, in table order per pattern. A pattern
  // without glob characters is looked up directly and echoed as given, as Redis 7.0 does.
  std::vector<std::pair<std::string, std::string>> Get(std::span<const std::string> patterns) const;

  // CONFIG SET name value [name value ...]: all names are checked (unknown, immutable,
  // duplicate), then all values are parsed into a copy, then the callbacks run; the copy is
  // published only if everything succeeded, so either every pair takes effect or none does.
  [[nodiscard]] absl::Status Set(std::span<const std::string> name_values);

  // CONFIG REWRITE: see rewrite.h. Errors: "ERR The server is running without a config file",
  // "ERR Rewriting config file: <reason>".
  [[nodiscard]] absl::Status Rewrite();

  // Registers `fn` for changes of directive `name` (or an alias); returns an id for
  // RemoveOnChange. Returns -1 when the name is unknown. Callbacks of one directive run in
  // registration order; directives in the order CONFIG SET named them.
  int OnChange(std::string_view name, ChangeCallback fn);
  void RemoveOnChange(int id);

  // Absolute path of the config file, empty when there is none. Fixed at construction.
  const std::string& config_file() const { return config_file_; }
  const DirectiveTable& table() const { return table_; }

 private:
  struct Callback {
    int id;
    ChangeCallback fn;
  };

  // Calls the callbacks of each directive whose value differs between `old` and `next`; on a
  // refusal, calls the ones that succeeded again with `old` and returns the CONFIG SET error.
  [[nodiscard]] absl::Status RunCallbacks(const std::vector<const Directive*>& targets,
                                          std::span<const std::string> name_values,
                                          const ServerConfig& old, const ServerConfig& next,
                                          bool* changed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  const DirectiveTable& table_;
  const std::string config_file_;

  mutable absl::Mutex mu_;  // guards the published snapshot; held only to copy a pointer
  std::shared_ptr<const ServerConfig> current_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> version_{1};

  absl::Mutex writer_mu_;  // serializes writers and guards the callbacks
  absl::flat_hash_map<size_t, std::vector<Callback>> callbacks_ ABSL_GUARDED_BY(writer_mu_);
  int next_callback_id_ ABSL_GUARDED_BY(writer_mu_) = 1;
};

// A per-thread cache of the store's latest snapshot, for hot paths: Get() costs one atomic load
// when nothing changed. Not thread-safe itself: give each worker its own.
// REQUIRES: the store outlives the reader.
class ConfigReader {
 public:
  explicit ConfigReader(const ConfigStore& store) : store_(&store) { Refresh(); }

  // The latest configuration. The reference stays valid until the next Get() or Refresh().
  const ServerConfig& Get() {
    if (store_->version() != seen_version_) Refresh();
    return *snapshot_;
  }

  void Refresh() { std::tie(snapshot_, seen_version_) = store_->SnapshotWithVersion(); }

 private:
  const ConfigStore* store_;
  std::shared_ptr<const ServerConfig> snapshot_;
  uint64_t seen_version_ = 0;
};

}  // namespace ringkv::server::config
