// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Server: wires the parts together. Owns the engine, the command table, the listening sockets
// and the workers; starts them from ServerOptions, waits for SIGINT/SIGTERM or SHUTDOWN, then
// stops the workers (each flushes the replies it already produced) and exits cleanly.
//
// Thread safety: Start, Wait and the destructor run on the main thread. RequestShutdown is safe
// from any thread.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "server/command_table.h"
#include "server/persistence/persistence.h"
#include "server/server_context.h"
#include "server/worker.h"

namespace ringkv::server {

class Server {
 public:
  // `config` (optional) backs CONFIG GET/SET/REWRITE; live changes are applied through its
  // callbacks. REQUIRES: config outlives the Server.
  explicit Server(const ServerOptions& options, config::ConfigStore* config = nullptr);
  ~Server();

  // Binds every address, starts the workers and logs what was chosen. Blocks SIGINT and SIGTERM
  // in every thread so that Wait() can take them with sigwait.
  [[nodiscard]] absl::Status Start();

  // Returns after SIGINT/SIGTERM or SHUTDOWN, once every worker has stopped.
  void Wait();

  // The TCP port bound (useful with port 0).
  int port() const { return static_cast<int>(context_.port); }
  // The process's exit status after Wait(): 1 when the snapshot could not be loaded.
  int exit_code() const { return context_.exit_code.load(); }

  // Makes Wait() return. Thread-safe.
  void RequestShutdown();

 private:
  absl::Status OpenListeners(int workers, std::vector<std::vector<int>>* per_worker);
  void RegisterConfigCallbacks();
  void AdjustOpenFilesLimit();
  // The cluster settings from the options (cluster-config-file under dir, announced address).
  cluster::ClusterOptions ClusterOptionsNow() const;
  persistence::PersistenceSettings PersistenceSettingsNow() const;
  // The start-up load (on loader_); a failure stops the server with exit status 1.
  void LoadSnapshot();
  // The final snapshot before exiting on a signal; false when it failed (keep running).
  bool SaveBeforeExit();

  engine::SystemClock clock_;
  std::unique_ptr<engine::Engine> engine_;
  CommandTable commands_;
  ServerContext context_;
  std::vector<int> listen_fds_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<persistence::Persistence> persistence_;
  std::thread loader_;
};

}  // namespace ringkv::server
