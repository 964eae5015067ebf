// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "absl/strings/str_cat.h"
#include "server/net/epoll_backend.h"
#include "server/net/io_backend.h"
#include "server/net/uring_backend.h"

namespace ringkv::server::net {

absl::StatusOr<std::unique_ptr<IoBackend>> CreateBackend(const BackendOptions& options,
                                                         std::string* why_fallback) {
  if (options.kind != BackendKind::kEpoll) {
    auto uring = UringBackend::Create(options);
    if (uring.ok()) return std::unique_ptr<IoBackend>(std::move(uring).value());
    if (options.kind == BackendKind::kUring) return uring.status();
    if (why_fallback != nullptr) *why_fallback = std::string(uring.status().message());
  }
  auto epoll = EpollBackend::Create(options);
  if (!epoll.ok()) return epoll.status();
  return std::unique_ptr<IoBackend>(std::move(epoll).value());
}

}  // namespace ringkv::server::net
