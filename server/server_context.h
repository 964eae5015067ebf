// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// State shared by every worker: the engine, the command table, the options the server runs with,
// and the server-wide statistics INFO reports. Per-connection state (ClientState) lives with the
// connection on its worker.
//
// Thread safety: engine and table are thread-safe / immutable; statistics are relaxed atomics
// (exact totals, no ordering needed); options are fixed after start-up.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "protocol/limits.h"
#include "protocol/reply_encoder.h"
#include "server/command_table.h"

namespace ringkv::server {

struct ServerOptions {
  std::vector<std::string> bind = {"127.0.0.1"};
  int port = 6379;
  std::string unixsocket;
  unsigned unixsocketperm = 0;
  int threads = 0;  // 0: number of cores
  std::string io_backend = "auto";
  int databases = 16;
  int maxclients = 10000;
  int timeout_s = 0;
  int tcp_keepalive_s = 300;
  int tcp_backlog = 511;
  int hz = 10;
  protocol::ParserLimits parser_limits;
  int64_t client_query_buffer_limit = 1LL << 30;
  // client-output-buffer-limit normal <hard> <soft> <soft seconds>; 0 disables.
  int64_t output_hard_limit = 0;
  int64_t output_soft_limit = 0;
  int output_soft_seconds = 0;
  std::string requirepass;
  std::string config_file;
};

struct ServerStats {
  std::atomic<int64_t> connected_clients{0};
  std::atomic<int64_t> total_connections_received{0};
  std::atomic<int64_t> total_commands_processed{0};
  std::atomic<int64_t> rejected_connections{0};
  std::atomic<int64_t> total_net_input_bytes{0};
  std::atomic<int64_t> total_net_output_bytes{0};
};

// Per-connection state that commands read and change.
struct ClientState {
  uint64_t id = 0;
  int db = 0;
  protocol::RespVersion resp = protocol::RespVersion::kResp2;
  bool authenticated = true;
  bool close_after_reply = false;
  std::string name;
};

struct ServerContext {
  ServerOptions options;
  engine::Engine* engine = nullptr;
  const CommandTable* commands = nullptr;
  ServerStats stats;
  int64_t start_time_ms = 0;
  int64_t port = 0;  // the TCP port actually bound
  std::atomic<uint64_t> next_client_id{1};
  // Asks the server to shut down (SHUTDOWN, signals); safe from any thread.
  std::function<void()> request_shutdown;
};

}  // namespace ringkv::server
