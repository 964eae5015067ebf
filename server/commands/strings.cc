// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// String commands. Each handler parses its arguments, makes one engine call and turns the
// outcome into Redis's reply; option parsing follows Redis 7's t_string.c rules (which options
// conflict, how expire times are validated).
#include <cstdint>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "server/command_table.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;
using engine::OpStatus;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

void Get(CommandContext& ctx, Args args) {
  OpStatus st = ctx.engine.Get(ctx.client.db, args[1],
                               [&](std::string_view value) { ctx.reply.Bulk(value); });
  if (st == OpStatus::kNotFound) {
    ctx.reply.Null();
  } else if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

enum SetFlag : unsigned {
  kNx = 1,
  kXx = 2,
  kEx = 4,
  kPx = 8,
  kExAt = 16,
  kPxAt = 32,
  kKeepTtl = 64,
  kGetOld = 128
};
constexpr unsigned kAnyExpire = kEx | kPx | kExAt | kPxAt;

// Parses SET's options from args[3..]. Returns false after replying with an error.
bool ParseSetOptions(CommandContext& ctx, Args args, engine::SetParams* params, unsigned* flags) {
  int64_t expire = 0;
  for (size_t i = 3; i < args.size(); ++i) {
    std::string_view opt = args[i];
    const bool has_next = i + 1 < args.size();
    unsigned f = 0;
    if (absl::EqualsIgnoreCase(Sv(opt), "NX"))
      f = kNx;
    else if (absl::EqualsIgnoreCase(Sv(opt), "XX"))
      f = kXx;
    else if (absl::EqualsIgnoreCase(Sv(opt), "KEEPTTL"))
      f = kKeepTtl;
    else if (absl::EqualsIgnoreCase(Sv(opt), "GET"))
      f = kGetOld;
    else if (absl::EqualsIgnoreCase(Sv(opt), "EX") && has_next)
      f = kEx;
    else if (absl::EqualsIgnoreCase(Sv(opt), "PX") && has_next)
      f = kPx;
    else if (absl::EqualsIgnoreCase(Sv(opt), "EXAT") && has_next)
      f = kExAt;
    else if (absl::EqualsIgnoreCase(Sv(opt), "PXAT") && has_next)
      f = kPxAt;
    bool conflict = f == 0 || (*flags & f) || ((f & kNx) && (*flags & kXx)) ||
                    ((f & kXx) && (*flags & kNx)) ||
                    ((f & kAnyExpire) && (*flags & (kAnyExpire | kKeepTtl))) ||
                    ((f & kKeepTtl) && (*flags & kAnyExpire));
    if (conflict) {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
    *flags |= f;
    if (f & kAnyExpire) {
      if (!absl::SimpleAtoi(Sv(args[++i]), &expire)) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
    }
  }
  if (*flags & kAnyExpire) {
    // Redis rejects non-positive times and anything that overflows once made absolute in ms.
    const int64_t max = std::numeric_limits<int64_t>::max();
    bool seconds = *flags & (kEx | kExAt);
    if (expire <= 0 || (seconds && expire > max / 1000)) {
      ctx.reply.Error(errors::kInvalidExpire);
      return false;
    }
    int64_t ms = seconds ? expire * 1000 : expire;
    if (*flags & (kEx | kPx)) {
      int64_t now = ctx.engine.clock().NowMs();
      if (ms > max - now) {
        ctx.reply.Error(errors::kInvalidExpire);
        return false;
      }
      ms += now;
    }
    params->expire_at_ms = ms;
  }
  if (*flags & kNx) params->condition = engine::SetParams::Condition::kIfAbsent;
  if (*flags & kXx) params->condition = engine::SetParams::Condition::kIfPresent;
  params->keep_ttl = *flags & kKeepTtl;
  return true;
}

// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]
void Set(CommandContext& ctx, Args args) {
  engine::SetParams params;
  unsigned flags = 0;
  if (!ParseSetOptions(ctx, args, &params, &flags)) return;
  if (flags & kGetOld) {
    ctx.reply.Error("ERR SET with the GET option is not supported by this ringkv version");
    return;
  }
  OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[2], params);
  if (st == OpStatus::kOk) {
    ctx.reply.Ok();
  } else if (st == OpStatus::kSkipped) {
    ctx.reply.Null();
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  table.Add({.name = "get",
             .arity = 2,
             .flags = kReadonly | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@read @string @fast",
             .key_spec_flags = "RO access",
             .group = "string",
             .since = "1.0.0",
             .summary = "Returns the string value of a key.",
             .handler = Get});
  table.Add({.name = "set",
             .arity = -3,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @string @slow",
             .key_spec_flags = "RW access update variable_flags",
             .key_spec_notes = "RW and ACCESS due to the optional `GET` argument",
             .group = "string",
             .since = "1.0.0",
             .summary = "Sets the string value of a key, ignoring its type. The key is created "
                        "if it doesn't exist.",
             .handler = Set});
}

}  // namespace ringkv::server
