// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/client_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ringkv::server {

void ClientRegistry::Add(std::shared_ptr<ClientInfo> info) {
  absl::MutexLock lock(&mu_);
  uint64_t id = info->id;
  clients_.emplace(id, std::move(info));
}

void ClientRegistry::Remove(uint64_t id) {
  absl::MutexLock lock(&mu_);
  clients_.erase(id);
}

std::shared_ptr<ClientInfo> ClientRegistry::Find(uint64_t id) const {
  absl::MutexLock lock(&mu_);
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ClientInfo>> ClientRegistry::All() const {
  std::vector<std::shared_ptr<ClientInfo>> out;
  {
    absl::MutexLock lock(&mu_);
    out.reserve(clients_.size());
    for (const auto& [id, info] : clients_) out.push_back(info);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
  return out;
}

std::string FormatClientLine(const ClientInfo& info, int64_t now_ms) {
  std::string name, lib_name, lib_ver, user;
  {
    absl::MutexLock lock(&info.mu);
    name = info.name;
    lib_name = info.lib_name;
    lib_ver = info.lib_ver;
    user = info.user;
  }
  int64_t age = (now_ms - info.created_ms) / 1000;
  int64_t idle = (now_ms - info.last_interaction_ms.load(std::memory_order_relaxed)) / 1000;
  int64_t qbuf = info.query_buffer_bytes.load(std::memory_order_relaxed);
  int64_t omem = info.output_bytes.load(std::memory_order_relaxed);
  // Redis's order: O (monitor), P (pub/sub), b (blocked), e (no-evict); N when none.
  std::string flags;
  if (info.monitor.load(std::memory_order_relaxed)) flags += 'O';
  if (IsPubSubClient(info)) flags += 'P';
  if (info.blocked.load(std::memory_order_relaxed)) flags += 'b';
  // Tracking: t, then R (redirect broken), B (broadcast); the bits are server/tracking.h's.
  const uint32_t tracking = info.tracking.load(std::memory_order_relaxed);
  if (tracking & 1u) flags += 't';
  if (tracking & (1u << 5)) flags += 'R';
  if (tracking & (1u << 1)) flags += 'B';
  if (info.no_evict.load(std::memory_order_relaxed)) flags += 'e';
  if (flags.empty()) flags = "N";
  return absl::StrCat(
      "id=", info.id, " addr=", info.addr, " laddr=", info.laddr, " fd=", info.fd, " name=", name,
      " age=", std::max<int64_t>(0, age), " idle=", std::max<int64_t>(0, idle), " flags=", flags,
      " db=", info.db.load(std::memory_order_relaxed),
      " sub=", info.subscriptions[0].load(std::memory_order_relaxed),
      " psub=", info.subscriptions[1].load(std::memory_order_relaxed),
      " ssub=", info.subscriptions[2].load(std::memory_order_relaxed), " multi=-1 qbuf=", qbuf,
      " qbuf-free=0 argv-mem=0 multi-mem=0", " rbs=0 rbp=0 obl=0 oll=0 omem=", omem,
      " tot-mem=", qbuf + omem, " events=r cmd=", info.last_command.load(std::memory_order_relaxed),
      " user=", user, " redir=",
      (tracking & 1u) ? static_cast<int64_t>(info.tracking_redirect.load(std::memory_order_relaxed))
                      : int64_t{-1},
      " resp=", info.resp.load(std::memory_order_relaxed), " lib-name=", lib_name,
      " lib-ver=", lib_ver);
}

}  // namespace ringkv::server
