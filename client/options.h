// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// client::Options: where a client::Connection connects and what it does right after connecting
// (AUTH, SELECT, HELLO 3). It is a plain struct; nothing here talks to the network.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace ringkv::client {

struct Options {
  // Host name or numeric address for TCP. Ignored when unix_path is set.
  // Default: "127.0.0.1".
  std::string host = "127.0.0.1";
  // TCP port. Default: 6379.
  int port = 6379;
  // Path of a unix domain socket; when non-empty it is used instead of host and port.
  // Default: "" (TCP).
  std::string unix_path;
  // Switch the connection to RESP3 with HELLO 3 after AUTH and SELECT, as redis-cli -3 does.
  // Connect fails if the server refuses HELLO 3. Default: false (RESP2).
  bool resp3 = false;
  // AUTH user (Redis 6 ACL form, "AUTH user password"). Used only when password is set.
  // Default: "" (one-argument "AUTH password").
  std::string user;
  // AUTH password; when empty no AUTH is sent. Default: "".
  std::string password;
  // Database selected with SELECT after connecting; 0 sends nothing. Default: 0.
  int db = 0;
  // Longest wait for the TCP/unix connect to complete. absl::InfiniteDuration() waits forever.
  // Default: 5 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Longest wait for a socket to become readable or writable while a blocking call is waiting for
  // progress (so a slow but moving reply does not time out). absl::InfiniteDuration() waits
  // forever. Default: 30 s.
  absl::Duration io_timeout = absl::Seconds(30);
};

// "host:port" or the unix path, the way redis-cli names an endpoint in its messages.
std::string EndpointName(const Options& options);

}  // namespace ringkv::client
