// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The typed directives behind the Make* factories. The error reasons are Redis 7.0's, word for
// word, so that an operator moving a redis.conf over sees the messages they already know.
#include "server/config/directive.h"

#include <cassert>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/config/syntax.h"

namespace ringkv::server::config {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Invalid(std::string_view reason) { return absl::InvalidArgumentError(AV(reason)); }

absl::Status WrongArgs() { return Invalid("wrong number of arguments"); }

absl::Status RangeError(int64_t min, int64_t max) {
  return Invalid(absl::StrFormat("argument must be between %d and %d inclusive", min, max));
}

std::string Join(const std::vector<std::string_view>& words, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(words[i]);
  }
  return out;
}

std::string Line(std::string_view name, std::string_view value) {
  return absl::StrCat(AV(name), " ", AV(value));
}

class BoolDirective final : public Directive {
 public:
  BoolDirective(DirectiveInfo info, bool ServerConfig::*field, ValueCheck<bool> check)
      : Directive(std::move(info), DirectiveType::kBool), field_(field), check_(check) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.size() != 1) return WrongArgs();
    std::optional<bool> v = ParseYesNo(args[0]);
    if (!v) return Invalid("argument must be 'yes' or 'no'");
    if (check_ != nullptr) {
      if (absl::Status s = check_(*v); !s.ok()) return s;
    }
    cfg->*field_ = *v;
    return absl::OkStatus();
  }
  std::string Format(const ServerConfig& cfg) const override { return cfg.*field_ ? "yes" : "no"; }
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    return {Line(name(), Format(cfg))};
  }
  std::string RangeDoc() const override { return "yes|no"; }

 private:
  bool ServerConfig::*field_;
  ValueCheck<bool> check_;
};

// Integers of any width; the parse and range rules are Redis's numeric config rules.
template <typename T>
class IntDirective final : public Directive {
 public:
  enum class Base { kDecimal, kOctal, kMemory };

  IntDirective(DirectiveInfo info, T ServerConfig::*field, Base base, int64_t min, int64_t max,
               int64_t clamp_min, int64_t clamp_max)
      : Directive(std::move(info), TypeFor(base)),
        field_(field),
        base_(base),
        min_(min),
        max_(max),
        clamp_min_(clamp_min),
        clamp_max_(clamp_max) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.size() != 1) return WrongArgs();
    int64_t v;
    if (base_ == Base::kMemory) {
      std::optional<uint64_t> m = ParseMemory(args[0]);
      if (!m) return Invalid("argument must be a memory value");
      if (*m > static_cast<uint64_t>(max_)) return RangeError(min_, max_);
      v = static_cast<int64_t>(*m);
    } else if (base_ == Base::kOctal) {
      std::optional<int64_t> o = ParseOctal(args[0]);
      if (!o) return Invalid("argument couldn't be parsed as an octal number");
      v = *o;
    } else {
      std::optional<int64_t> d = ParseStrictInt(args[0]);
      if (!d) return Invalid("argument couldn't be parsed into an integer");
      v = *d;
    }
    if (v < min_ || v > max_) {
      // Redis prints an octal setting's bounds in octal ("between 0 and 777").
      if (base_ == Base::kOctal) {
        return Invalid(absl::StrFormat("argument must be between %o and %o inclusive",
                                       static_cast<uint64_t>(min_), static_cast<uint64_t>(max_)));
      }
      return RangeError(min_, max_);
    }
    if (clamp_max_ >= clamp_min_) v = std::clamp(v, clamp_min_, clamp_max_);
    cfg->*field_ = static_cast<T>(v);
    return absl::OkStatus();
  }

  std::string Format(const ServerConfig& cfg) const override {
    if (base_ == Base::kOctal) return absl::StrFormat("%o", static_cast<uint64_t>(cfg.*field_));
    return absl::StrCat(cfg.*field_);
  }

  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    if (base_ == Base::kMemory) {
      return {Line(name(), FormatMemory(static_cast<uint64_t>(cfg.*field_)))};
    }
    return {Line(name(), Format(cfg))};
  }

  std::string RangeDoc() const override {
    if (base_ == Base::kOctal) {
      return absl::StrFormat("%o..%o (octal)", static_cast<uint64_t>(min_),
                             static_cast<uint64_t>(max_));
    }
    std::string doc = absl::StrCat(min_, "..", max_);
    if (clamp_max_ >= clamp_min_)
      absl::StrAppend(&doc, ", clamped to ", clamp_min_, "..", clamp_max_);
    return doc;
  }

 private:
  static DirectiveType TypeFor(Base base) {
    switch (base) {
      case Base::kOctal:
        return DirectiveType::kOctal;
      case Base::kMemory:
        return DirectiveType::kMemory;
      case Base::kDecimal:
        break;
    }
    return DirectiveType::kInt;
  }

  T ServerConfig::*field_;
  Base base_;
  int64_t min_, max_, clamp_min_, clamp_max_;
};

// Enumerations whose enumerators are 0..n-1 in the order of `names`.
template <typename E>
class EnumDirective final : public Directive {
 public:
  EnumDirective(DirectiveInfo info, E ServerConfig::*field, std::vector<std::string_view> names)
      : Directive(std::move(info), DirectiveType::kEnum), field_(field), names_(std::move(names)) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.size() != 1) return WrongArgs();
    for (size_t i = 0; i < names_.size(); ++i) {
      if (absl::EqualsIgnoreCase(AV(args[0]), AV(names_[i]))) {
        cfg->*field_ = static_cast<E>(i);
        return absl::OkStatus();
      }
    }
    return Invalid(absl::StrCat("argument(s) must be one of the following: ", Join(names_, ", ")));
  }
  std::string Format(const ServerConfig& cfg) const override {
    size_t i = static_cast<size_t>(cfg.*field_);
    assert(i < names_.size());
    return std::string(names_[i]);
  }
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    return {Line(name(), Format(cfg))};
  }
  std::string RangeDoc() const override { return Join(names_, "|"); }

 private:
  E ServerConfig::*field_;
  std::vector<std::string_view> names_;
};

class StringDirective final : public Directive {
 public:
  StringDirective(DirectiveInfo info, std::string ServerConfig::*field,
                  ValueCheck<std::string> check)
      : Directive(std::move(info), DirectiveType::kString), field_(field), check_(check) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.size() != 1) return WrongArgs();
    if (check_ != nullptr) {
      if (absl::Status s = check_(args[0]); !s.ok()) return s;
    }
    cfg->*field_ = args[0];
    return absl::OkStatus();
  }
  std::string Format(const ServerConfig& cfg) const override { return cfg.*field_; }
  // Redis always writes strings quoted, so "" and values with spaces survive the round trip.
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    return {Line(name(), QuoteArg(cfg.*field_))};
  }

 private:
  std::string ServerConfig::*field_;
  ValueCheck<std::string> check_;
};

class StringListDirective final : public Directive {
 public:
  StringListDirective(DirectiveInfo info, std::vector<std::string> ServerConfig::*field,
                      ValueCheck<std::vector<std::string>> check)
      : Directive(std::move(info), DirectiveType::kStringList), field_(field), check_(check) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    std::vector<std::string> items(args.begin(), args.end());
    // As in Redis, one empty argument (`bind ""`, CONFIG SET bind "") means an empty list.
    if (items.size() == 1 && items[0].empty()) items.clear();
    if (check_ != nullptr) {
      if (absl::Status s = check_(items); !s.ok()) return s;
    }
    cfg->*field_ = std::move(items);
    return absl::OkStatus();
  }
  std::string Format(const ServerConfig& cfg) const override {
    return absl::StrJoin(cfg.*field_, " ");
  }
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    const std::vector<std::string>& items = cfg.*field_;
    if (items.empty()) return {Line(name(), "\"\"")};
    std::string line(name());
    for (const std::string& item : items) absl::StrAppend(&line, " ", QuoteArgIfNeeded(item));
    return {line};
  }
  bool multi_arg() const override { return true; }
  std::string RangeDoc() const override { return "words"; }

 private:
  std::vector<std::string> ServerConfig::*field_;
  ValueCheck<std::vector<std::string>> check_;
};

// Class names as CONFIG GET prints them. Redis 7.0 still says "slave" there, and accepts both
// "slave" and "replica" on input; a rewritten file uses "replica".
constexpr std::string_view kClassGetNames[kNumClientClasses] = {"normal", "slave", "pubsub"};
constexpr std::string_view kClassFileNames[kNumClientClasses] = {"normal", "replica", "pubsub"};

class ClientOutputBufferLimitDirective final : public Directive {
 public:
  explicit ClientOutputBufferLimitDirective(DirectiveInfo info)
      : Directive(std::move(info), DirectiveType::kSpecial) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.empty() || args.size() % 4 != 0) {
      return Invalid("Wrong number of arguments in buffer limit configuration.");
    }
    // Parse every group before storing any, so a bad group leaves the config untouched.
    auto limits = cfg->client_output_buffer_limit;
    for (size_t i = 0; i < args.size(); i += 4) {
      int cls = ClassByName(args[i]);
      if (cls < 0) return Invalid("Invalid client class specified in buffer limit configuration.");
      std::optional<uint64_t> hard = ParseMemory(args[i + 1]);
      std::optional<uint64_t> soft = ParseMemory(args[i + 2]);
      std::optional<int64_t> secs = ParseStrictInt(args[i + 3]);
      if (!hard || !soft || !secs || *secs < 0) {
        return Invalid(
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
      }
      limits[cls] = ClientBufferLimit{*hard, *soft, *secs};
    }
    cfg->client_output_buffer_limit = limits;
    return absl::OkStatus();
  }

  std::string Format(const ServerConfig& cfg) const override {
    std::string out;
    for (int c = 0; c < kNumClientClasses; ++c) {
      const ClientBufferLimit& l = cfg.client_output_buffer_limit[c];
      absl::StrAppend(&out, c == 0 ? "" : " ", AV(kClassGetNames[c]), " ", l.hard_bytes, " ",
                      l.soft_bytes, " ", l.soft_seconds);
    }
    return out;
  }

  // Every class is written, defaults included: the rewritten lines then define the whole value
  // whatever earlier lines or included files said.
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    std::vector<std::string> lines;
    for (int c = 0; c < kNumClientClasses; ++c) {
      const ClientBufferLimit& l = cfg.client_output_buffer_limit[c];
      lines.push_back(absl::StrCat(AV(name()), " ", AV(kClassFileNames[c]), " ",
                                   FormatMemory(l.hard_bytes), " ", FormatMemory(l.soft_bytes), " ",
                                   l.soft_seconds));
    }
    return lines;
  }

  bool multi_arg() const override { return true; }
  std::string RangeDoc() const override {
    return "<normal|replica|pubsub> <hard> <soft> <soft-seconds>, repeated";
  }

 private:
  static int ClassByName(std::string_view n) {
    absl::string_view a = AV(n);
    if (absl::EqualsIgnoreCase(a, "normal")) return static_cast<int>(ClientClass::kNormal);
    if (absl::EqualsIgnoreCase(a, "replica") || absl::EqualsIgnoreCase(a, "slave")) {
      return static_cast<int>(ClientClass::kReplica);
    }
    if (absl::EqualsIgnoreCase(a, "pubsub")) return static_cast<int>(ClientClass::kPubSub);
    return -1;
  }
};

}  // namespace

std::string_view DirectiveTypeName(DirectiveType type) {
  switch (type) {
    case DirectiveType::kBool:
      return "bool";
    case DirectiveType::kInt:
      return "int";
    case DirectiveType::kMemory:
      return "memory";
    case DirectiveType::kOctal:
      return "octal";
    case DirectiveType::kEnum:
      return "enum";
    case DirectiveType::kString:
      return "string";
    case DirectiveType::kStringList:
      return "string-list";
    case DirectiveType::kSpecial:
      return "special";
  }
  return "unknown";
}

DirectiveTable::DirectiveTable(std::vector<std::unique_ptr<Directive>> directives)
    : directives_(std::move(directives)) {
  for (size_t i = 0; i < directives_.size(); ++i) {
    const DirectiveInfo& info = directives_[i]->info();
    [[maybe_unused]] bool fresh = by_name_.emplace(std::string(info.name), i).second;
    assert(fresh && "duplicate directive name");
    for (std::string_view alias : info.aliases) {
      fresh = by_name_.emplace(std::string(alias), i).second;
      assert(fresh && "duplicate directive alias");
    }
  }
}

const Directive* DirectiveTable::Find(std::string_view name) const {
  auto it = by_name_.find(absl::AsciiStrToLower(AV(name)));
  return it == by_name_.end() ? nullptr : directives_[it->second].get();
}

size_t DirectiveTable::IndexOf(const Directive* d) const {
  auto it = by_name_.find(std::string(d->name()));
  assert(it != by_name_.end());
  return it->second;
}

std::unique_ptr<Directive> MakeBool(DirectiveInfo info, bool ServerConfig::*field,
                                    ValueCheck<bool> check) {
  return std::make_unique<BoolDirective>(std::move(info), field, check);
}

std::unique_ptr<Directive> MakeInt(DirectiveInfo info, int ServerConfig::*field, int64_t min,
                                   int64_t max, int64_t clamp_min, int64_t clamp_max) {
  using D = IntDirective<int>;
  return std::make_unique<D>(std::move(info), field, D::Base::kDecimal, min, max, clamp_min,
                             clamp_max);
}

std::unique_ptr<Directive> MakeInt(DirectiveInfo info, int64_t ServerConfig::*field, int64_t min,
                                   int64_t max) {
  using D = IntDirective<int64_t>;
  return std::make_unique<D>(std::move(info), field, D::Base::kDecimal, min, max, 0, -1);
}

std::unique_ptr<Directive> MakeOctal(DirectiveInfo info, uint32_t ServerConfig::*field, int64_t min,
                                     int64_t max) {
  using D = IntDirective<uint32_t>;
  return std::make_unique<D>(std::move(info), field, D::Base::kOctal, min, max, 0, -1);
}

std::unique_ptr<Directive> MakeMemory(DirectiveInfo info, int64_t ServerConfig::*field, int64_t min,
                                      int64_t max) {
  using D = IntDirective<int64_t>;
  return std::make_unique<D>(std::move(info), field, D::Base::kMemory, min, max, 0, -1);
}

std::unique_ptr<Directive> MakeEnum(DirectiveInfo info, IoBackendKind ServerConfig::*field,
                                    std::vector<std::string_view> names) {
  return std::make_unique<EnumDirective<IoBackendKind>>(std::move(info), field, std::move(names));
}

std::unique_ptr<Directive> MakeEnum(DirectiveInfo info, LogLevel ServerConfig::*field,
                                    std::vector<std::string_view> names) {
  return std::make_unique<EnumDirective<LogLevel>>(std::move(info), field, std::move(names));
}

std::unique_ptr<Directive> MakeString(DirectiveInfo info, std::string ServerConfig::*field,
                                      ValueCheck<std::string> check) {
  return std::make_unique<StringDirective>(std::move(info), field, check);
}

std::unique_ptr<Directive> MakeStringList(DirectiveInfo info,
                                          std::vector<std::string> ServerConfig::*field,
                                          ValueCheck<std::vector<std::string>> check) {
  return std::make_unique<StringListDirective>(std::move(info), field, check);
}

std::unique_ptr<Directive> MakeClientOutputBufferLimit(DirectiveInfo info) {
  return std::make_unique<ClientOutputBufferLimitDirective>(std::move(info));
}

}  // namespace ringkv::server::config
