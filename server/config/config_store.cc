// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CONFIG GET / SET / REWRITE over the published ServerConfig snapshots. The error texts are
// Redis 7.0's, so client libraries and operators see the replies they know.
#include "server/config/config_store.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "server/config/loader.h"
#include "server/config/rewrite.h"
#include "server/config/syntax.h"

namespace ringkv::server::config {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status SetFailed(std::string_view arg, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "ERR CONFIG SET failed (possibly related to argument '%s') - %s", AV(arg), reason));
}

// Looks up every name of a CONFIG SET, in order, stopping at the first unknown, immutable or
// repeated one (a name and its alias are the same parameter).
absl::Status ResolveSetTargets(const DirectiveTable& table,
                               std::span<const std::string> name_values,
                               std::vector<const Directive*>* targets) {
  for (size_t i = 0; i < name_values.size(); i += 2) {
    const std::string& name = name_values[i];
    const Directive* d = table.Find(name);
    if (d == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("ERR Unknown option or number of arguments for CONFIG SET - '%s'", name));
    }
    if (!d->info().runtime) return SetFailed(name, "can't set immutable config");
    if (std::find(targets->begin(), targets->end(), d) != targets->end()) {
      return SetFailed(name, "duplicate parameter");
    }
    targets->push_back(d);
  }
  return absl::OkStatus();
}

// Parses each value into *cfg. A list-valued directive's value is split into words with the
// config-file rules; any other value is one argument, spaces included.
absl::Status ParseSetValues(const std::vector<const Directive*>& targets,
                            std::span<const std::string> name_values, ServerConfig* cfg) {
  for (size_t k = 0; k < targets.size(); ++k) {
    const Directive& d = *targets[k];
    const std::string& name = name_values[2 * k];
    const std::string& value = name_values[2 * k + 1];
    std::vector<std::string> args;
    if (d.multi_arg()) {
      std::optional<std::vector<std::string>> split = SplitArgs(value);
      if (!split) return SetFailed(name, "Unbalanced quotes in configuration line");
      args = std::move(*split);
    } else {
      args.push_back(value);
    }
    // CONFIG SET save replaces the whole rule list (a config file's lines add up instead).
    if (d.name() == "save") cfg->save_rules_default = true;
    if (absl::Status s = d.Apply(args, cfg); !s.ok()) return SetFailed(name, s.message());
  }
  return absl::OkStatus();
}

}  // namespace

ConfigStore::ConfigStore(LoadedConfig loaded, const DirectiveTable& table)
    : table_(table),
      config_file_(std::move(loaded.config_file)),
      current_(std::make_shared<const ServerConfig>(std::move(loaded.config))) {}

std::shared_ptr<const ServerConfig> ConfigStore::Snapshot() const {
  absl::MutexLock l(&mu_);
  return current_;
}

std::pair<std::shared_ptr<const ServerConfig>, uint64_t> ConfigStore::SnapshotWithVersion() const {
  absl::MutexLock l(&mu_);
  return {current_, version_.load(std::memory_order_relaxed)};
}

std::vector<std::pair<std::string, std::string>> ConfigStore::Get(
    std::span<const std::string> patterns) const {
  std::shared_ptr<const ServerConfig> cfg = Snapshot();
  std::vector<std::pair<std::string, std::string>> out;
  absl::flat_hash_set<std::string> seen;  // lower-cased names already in `out`
  auto add = [&](std::string_view name, const Directive& d) {
    if (seen.insert(absl::AsciiStrToLower(AV(name))).second) {
      out.emplace_back(std::string(name), d.Format(*cfg));
    }
  };
  for (const std::string& pattern : patterns) {
    if (!HasGlobChars(pattern)) {
      if (const Directive* d = table_.Find(pattern); d != nullptr) add(pattern, *d);
      continue;
    }
    for (const auto& d : table_.all()) {
      if (GlobMatch(pattern, d->name())) add(d->name(), *d);
      for (std::string_view alias : d->info().aliases) {
        if (GlobMatch(pattern, alias)) add(alias, *d);
      }
    }
  }
  return out;
}

absl::Status ConfigStore::Set(std::span<const std::string> name_values) {
  if (name_values.size() < 2) {
    return absl::InvalidArgumentError("ERR wrong number of arguments for 'config|set' command");
  }
  if (name_values.size() % 2 != 0) return absl::InvalidArgumentError("ERR syntax error");
  absl::MutexLock writer(&writer_mu_);

  // Names first: a bad name anywhere fails the command before any value is looked at.
  std::vector<const Directive*> targets;
  if (absl::Status s = ResolveSetTargets(table_, name_values, &targets); !s.ok()) return s;

  // Then every value, into a private copy; readers keep seeing the old snapshot meanwhile.
  std::shared_ptr<const ServerConfig> old = Snapshot();
  ServerConfig next = *old;
  if (absl::Status s = ParseSetValues(targets, name_values, &next); !s.ok()) return s;

  // Then the subsystems that act on the changes; any refusal rolls the others back.
  bool changed = false;
  if (absl::Status s = RunCallbacks(targets, name_values, *old, next, &changed); !s.ok()) {
    return s;
  }
  if (changed) {
    auto published = std::make_shared<const ServerConfig>(std::move(next));
    absl::MutexLock l(&mu_);
    current_ = std::move(published);
    version_.fetch_add(1, std::memory_order_release);
  }
  return absl::OkStatus();
}

absl::Status ConfigStore::RunCallbacks(const std::vector<const Directive*>& targets,
                                       std::span<const std::string> name_values,
                                       const ServerConfig& old, const ServerConfig& next,
                                       bool* changed) {
  std::vector<const ChangeCallback*> applied;
  for (size_t k = 0; k < targets.size(); ++k) {
    const Directive& d = *targets[k];
    if (d.Format(old) == d.Format(next)) continue;
    *changed = true;
    auto it = callbacks_.find(table_.IndexOf(&d));
    if (it == callbacks_.end()) continue;
    for (const Callback& cb : it->second) {
      absl::Status s = cb.fn(next);
      if (!s.ok()) {
        // Best effort, as Redis's restore path: an undo that fails cannot be undone either.
        for (auto r = applied.rbegin(); r != applied.rend(); ++r) (**r)(old).IgnoreError();
        return SetFailed(name_values[2 * k], s.message());
      }
      applied.push_back(&cb.fn);
    }
  }
  return absl::OkStatus();
}

absl::Status ConfigStore::Rewrite() {
  if (config_file_.empty()) {
    return absl::FailedPreconditionError("ERR The server is running without a config file");
  }
  absl::MutexLock writer(&writer_mu_);
  std::string old_text;
  if (absl::Status s = ReadWholeFile(config_file_, &old_text); !s.ok()) {
    // A deleted file is recreated from scratch, as Redis does; other errors are reported.
    if (!absl::IsNotFound(s)) {
      return absl::InternalError(absl::StrCat("ERR Rewriting config file: ", s.message()));
    }
    old_text.clear();
  }
  ServerConfig file_values;
  if (!old_text.empty()) {
    ConfigLoader loader(table_);
    if (absl::Status s = loader.ApplyFile(config_file_, &file_values); !s.ok()) {
      // An error reply is one line; the fatal block has several.
      return absl::InternalError(
          absl::StrCat("ERR Rewriting config file: the file no longer loads: ",
                       absl::StrReplaceAll(s.message(), {{"\n", " "}})));
    }
  }
  std::shared_ptr<const ServerConfig> cfg = Snapshot();
  std::string new_text = RewriteConfigText(old_text, file_values, *cfg, table_);
  if (new_text == old_text) return absl::OkStatus();
  if (absl::Status s = WriteFileAtomically(config_file_, new_text); !s.ok()) {
    return absl::InternalError(absl::StrCat("ERR Rewriting config file: ", s.message()));
  }
  return absl::OkStatus();
}

int ConfigStore::OnChange(std::string_view name, ChangeCallback fn) {
  const Directive* d = table_.Find(name);
  if (d == nullptr) return -1;
  absl::MutexLock writer(&writer_mu_);
  int id = next_callback_id_++;
  callbacks_[table_.IndexOf(d)].push_back(Callback{id, std::move(fn)});
  return id;
}

void ConfigStore::RemoveOnChange(int id) {
  absl::MutexLock writer(&writer_mu_);
  for (auto& [index, list] : callbacks_) {
    list.erase(
        std::remove_if(list.begin(), list.end(), [id](const Callback& c) { return c.id == id; }),
        list.end());
  }
}

}  // namespace ringkv::server::config
