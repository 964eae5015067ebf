// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SAVE/BGSAVE, save rules, start-up loading and INFO persistence; see persistence.h.
#include "server/persistence/persistence.h"

#include <chrono>

#include "absl/strings/str_format.h"
#include "server/log.h"

namespace ringkv::server::persistence {

namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the rules wait this long to retry.
constexpr int64_t kRetryDelayMs = 5000;

}  // namespace

Persistence::Persistence(engine::Engine* engine, std::function<PersistenceSettings()> settings,
                         std::atomic<bool>* loading)
    : engine_(engine), settings_(std::move(settings)), loading_(loading) {
  last_save_s_ = WallMs() / 1000;
}

Persistence::~Persistence() { Stop(); }

void Persistence::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Persistence::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Persistence::has_rules() { return !settings_().rules.empty(); }

absl::Status Persistence::Load() {
  const PersistenceSettings s = settings_();
  loading_start_s_ = WallMs() / 1000;
  load_done_ = 0;
  load_total_ = 0;
  loading_->store(true, std::memory_order_release);
  const int64_t t0 = WallMs();
  absl::StatusOr<LoadResult> r = LoadSnapshot(*engine_, s.store, &load_done_, &load_total_);
  if (!r.ok()) return r.status();  // still "loading": the caller stops the server
  loading_->store(false, std::memory_order_release);
  changes_at_last_save_ = engine_->Changes();
  if (!r->found) {
    Log(LogLevel::kNotice, "No snapshot at ", SnapshotRoot(s.store), ": starting empty");
    return absl::OkStatus();
  }
  if (restore_libraries_ && !r->libraries.empty()) restore_libraries_(r->libraries);
  last_load_keys_ = r->records;
  Log(LogLevel::kNotice, "DB loaded from snapshot ", r->path, ": ", r->records, " keys in ",
      absl::StrFormat("%.3f", static_cast<double>(WallMs() - t0) / 1000.0), " seconds");
  return absl::OkStatus();
}

std::unique_ptr<engine::SnapshotReader> Persistence::BeginSnapshot() {
  cow_.peak = cow_.current.load();
  auto reader = std::make_unique<engine::SnapshotReader>(*engine_, &cow_);
  changes_at_start_ = engine_->Changes();
  save_total_ = engine_->Stats().keys;
  save_written_ = 0;
  libraries_at_start_.clear();
  if (dump_libraries_) libraries_at_start_ = dump_libraries_();
  return reader;
}

absl::Status Persistence::RunSave(std::unique_ptr<engine::SnapshotReader> reader, bool bg) {
  PersistenceSettings s = settings_();
  s.store.low_priority = bg;
  const int64_t t0 = WallMs();
  absl::StatusOr<WriteResult> r =
      WriteSnapshot(*reader, s.store, &save_written_, libraries_at_start_);
  last_cow_peak_ = reader->PeakSavedBytes();
  reader.reset();  // frees what the walk still held
  const int64_t t1 = WallMs();
  if (r.ok()) {
    changes_at_last_save_ = changes_at_start_.load();
    last_save_s_ = t1 / 1000;
    ++saves_;
    Log(LogLevel::kNotice, bg ? "Background saving" : "DB saved on disk", ": ", r->keys,
        " keys to ", r->path, " in ",
        absl::StrFormat("%.3f", static_cast<double>(t1 - t0) / 1000.0), " seconds");
  } else {
    Log(LogLevel::kWarning, bg ? "Background saving" : "Saving", " error: ", r.status().message());
  }
  if (bg) {
    last_bgsave_ok_ = r.ok();
    last_bgsave_time_s_ = (t1 - bg_start_ms_.load() + 500) / 1000;
    last_bg_try_ms_ = t1;
  }
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::Status Persistence::Save(bool wait) {
  std::unique_lock<std::mutex> run(run_mu_, std::defer_lock);
  for (;;) {
    if (wait) {
      run.lock();
    } else if (!run.try_lock()) {
      return absl::FailedPreconditionError("ERR Background save already in progress");
    }
    bool pending = false;
    {
      std::lock_guard<std::mutex> l(mu_);
      pending = bg_reader_ != nullptr;  // a BGSAVE marked its point and waits for the thread
    }
    if (!pending) break;
    run.unlock();
    if (!wait) return absl::FailedPreconditionError("ERR Background save already in progress");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  saving_.store(true, std::memory_order_release);
  absl::Status s = RunSave(BeginSnapshot(), /*bg=*/false);
  saving_.store(false, std::memory_order_release);
  return s;
}

Persistence::BgSaveResult Persistence::BgSave(bool schedule) {
  std::unique_lock<std::mutex> l(mu_);
  std::unique_lock<std::mutex> run(run_mu_, std::try_to_lock);
  if (!run.owns_lock() || bg_requested_) {
    if (schedule) {
      bg_scheduled_ = true;
      return BgSaveResult::kScheduled;
    }
    return BgSaveResult::kAlreadyRunning;
  }
  // The point in time is now; the walk and the files are the background thread's.
  StartBackground(BeginSnapshot());
  run.unlock();
  cv_.notify_all();
  return BgSaveResult::kStarted;
}

void Persistence::StartBackground(std::unique_ptr<engine::SnapshotReader> reader) {
  bg_reader_ = std::move(reader);
  bg_requested_ = true;
  saving_.store(true, std::memory_order_release);
  bg_running_ = true;
  bg_start_ms_ = WallMs();
}

void Persistence::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    cv_.wait_for(l, std::chrono::milliseconds(100), [&] { return stop_ || bg_requested_; });
    if (stop_) break;
    bool run = bg_requested_;
    if (!run && bg_scheduled_ && !saving()) {
      bg_scheduled_ = false;
      run = true;
    }
    if (!run && !saving()) {
      // Redis's serverCron: a rule fires when it has seen enough changes over enough time, and
      // after a failed BGSAVE only once the retry delay has passed.
      l.unlock();
      const PersistenceSettings s = settings_();
      const int64_t now = WallMs();
      const int64_t since_s = now / 1000 - last_save_s_.load();
      // The change count takes every shard's lock: only when some rule's time has come.
      bool due = false;
      for (const SaveRule& rule : s.rules) due = due || since_s > rule.seconds;
      const uint64_t changes = due ? engine_->Changes() - changes_at_last_save_.load() : 0;
      for (const SaveRule& rule : s.rules) {
        if (due && changes >= static_cast<uint64_t>(rule.changes) && since_s > rule.seconds &&
            (last_bgsave_ok_.load() || now - last_bg_try_ms_.load() > kRetryDelayMs)) {
          Log(LogLevel::kNotice, rule.changes, " changes in ", rule.seconds, " seconds. Saving...");
          run = true;
          break;
        }
      }
      l.lock();
      if (stop_) break;
    }
    if (!run) continue;
    l.unlock();
    {
      std::unique_lock<std::mutex> guard(run_mu_);
      std::unique_ptr<engine::SnapshotReader> reader;
      {
        std::lock_guard<std::mutex> relock(mu_);
        if (bg_reader_ == nullptr) StartBackground(BeginSnapshot());  // a rule or SCHEDULE
        reader = std::move(bg_reader_);
      }
      (void)RunSave(std::move(reader), /*bg=*/true);
      bg_running_ = false;
      saving_.store(false, std::memory_order_release);
    }
    l.lock();
    bg_requested_ = false;
  }
  // A BGSAVE marked but never written (Stop came first) lets go of the engine here.
  bg_reader_.reset();
}

std::string Persistence::Info() {
  const bool is_loading = loading();
  const bool bg = bg_running_.load();
  const int64_t now = WallMs();
  const uint64_t changes = engine_->Changes() - changes_at_last_save_.load();
  std::string out = absl::StrFormat(
      "# Persistence\r\nloading:%d\r\nasync_loading:0\r\ncurrent_cow_peak:%u\r\n"
      "current_cow_size:%u\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n"
      "current_save_keys_processed:%u\r\ncurrent_save_keys_total:%u\r\n"
      "rdb_changes_since_last_save:%u\r\nrdb_bgsave_in_progress:%d\r\n"
      "rdb_last_save_time:%d\r\nrdb_last_bgsave_status:%s\r\nrdb_last_bgsave_time_sec:%d\r\n"
      "rdb_current_bgsave_time_sec:%d\r\nrdb_saves:%u\r\nrdb_last_cow_size:%u\r\n"
      "rdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:%u\r\n"
      "aof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n"
      "aof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\n"
      "aof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\naof_last_write_status:ok\r\n"
      "aof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n",
      is_loading ? 1 : 0, saving() ? cow_.peak.load() : 0, saving() ? cow_.current.load() : 0,
      saving() ? save_written_.load() : 0, saving() ? save_total_.load() : 0, changes, bg ? 1 : 0,
      last_save_s_.load(), last_bgsave_ok_.load() ? "ok" : "err", last_bgsave_time_s_.load(),
      bg ? (now - bg_start_ms_.load()) / 1000 : -1, saves_.load(), last_cow_peak_.load(),
      last_load_keys_.load());
  if (is_loading) {
    const uint64_t done = load_done_.load();
    const uint64_t total = load_total_.load();
    const double perc =
        total == 0 ? 0.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
    const int64_t elapsed = now / 1000 - loading_start_s_.load();
    const int64_t eta =
        done == 0 ? 1
                  : static_cast<int64_t>(static_cast<double>(elapsed) *
                                         static_cast<double>(total - std::min(done, total)) /
                                         static_cast<double>(done));
    out += absl::StrFormat(
        "loading_start_time:%d\r\nloading_total_keys:%u\r\nloading_loaded_keys:%u\r\n"
        "loading_loaded_perc:%.2f\r\nloading_eta_seconds:%d\r\n",
        loading_start_s_.load(), total, done, perc, eta);
  }
  return out;
}

}  // namespace ringkv::server::persistence
