// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The background deallocation thread.
#include "engine/background_freer.h"

#include <cstdlib>
#include <thread>
#include <utility>

#include "engine/table.h"

namespace ringkv::engine {

BackgroundFreer& BackgroundFreer::Global() {
  // Leaked on purpose: the thread must outlive every static destructor that might free through it.
  static BackgroundFreer* freer = new BackgroundFreer();
  return *freer;
}

BackgroundFreer::BackgroundFreer() {
  std::thread([this] { Run(); }).detach();
}

void BackgroundFreer::Submit(absl::AnyInvocable<void() &&> work) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(work));
}

void BackgroundFreer::Run() {
  for (;;) {
    absl::AnyInvocable<void() &&> work;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](std::deque<absl::AnyInvocable<void() &&>>* q) { return !q->empty(); }, &queue_));
      work = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    std::move(work)();
    absl::MutexLock lock(&mu_);
    --running_;
  }
}

void BackgroundFreer::Drain() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return queue_.empty() && running_ == 0; };
  mu_.Await(absl::Condition(&idle));
}

size_t BackgroundFreer::pending() {
  absl::MutexLock lock(&mu_);
  return queue_.size() + running_;
}

void BackgroundFreer::FreeArray(void* mem, size_t bytes) {
  if (bytes < kTableMmapBytes) {
    FreeTableArray(mem, bytes);
    return;
  }
  Global().Submit([mem, bytes] { FreeTableArray(mem, bytes); });
}

}  // namespace ringkv::engine
