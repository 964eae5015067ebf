// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, with Redis 7.0.15's
// replies, errors and check order (bitops.c). Bit 0 is the most significant bit of the first
// byte. An int-encoded string is read as its decimal text, as Redis does.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using engine::OpStatus;

constexpr std::string_view kBitOffsetError = "ERR bit offset is not an integer or out of range";
constexpr std::string_view kBitValueError = "ERR bit is not an integer or out of range";
constexpr std::string_view kBitArgumentError = "ERR The bit argument must be 1 or 0.";

// Redis's getBitOffsetFromArgument: a canonical integer, not negative, whose byte is below
// proto-max-bulk-len.
bool ParseBitOffset(CommandContext& ctx, std::string_view s, uint64_t* out) {
  int64_t v;
  const int64_t limit = ctx.server.live.proto_max_bulk_len.load(std::memory_order_relaxed);
  if (!cmd::ParseInt64(s, &v) || v < 0 || (v >> 3) >= limit) {
    ctx.reply.Error(kBitOffsetError);
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

// The bits of byte `b` that lie within [lo, hi] (bit positions of the whole string).
uint8_t RangeMask(uint64_t b, uint64_t lo, uint64_t hi) {
  unsigned first = b == (lo >> 3) ? static_cast<unsigned>(lo & 7) : 0;
  unsigned last = b == (hi >> 3) ? static_cast<unsigned>(hi & 7) : 7;
  return static_cast<uint8_t>((0xFFu >> first) & (0xFFu << (7 - last)));
}

// Set bits in bit positions [lo, hi] of v (hi < 8 * v.size()).
int64_t CountBits(std::string_view v, uint64_t lo, uint64_t hi) {
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  const uint64_t first = lo >> 3;
  const uint64_t last = hi >> 3;
  if (first == last)
    return std::popcount(static_cast<uint8_t>(p[first] & RangeMask(first, lo, hi)));
  int64_t n = std::popcount(static_cast<uint8_t>(p[first] & RangeMask(first, lo, hi)));
  n += std::popcount(static_cast<uint8_t>(p[last] & RangeMask(last, lo, hi)));
  uint64_t b = first + 1;
  for (; b + 8 <= last; b += 8) {
    uint64_t w;
    std::memcpy(&w, p + b, 8);
    n += std::popcount(w);
  }
  for (; b < last; ++b) n += std::popcount(p[b]);
  return n;
}

// The first bit equal to `bit` in bit positions [lo, hi] of v, or -1.
int64_t FindBit(std::string_view v, bool bit, uint64_t lo, uint64_t hi) {
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  const uint64_t last = hi >> 3;
  const uint64_t skip = bit ? 0 : ~uint64_t{0};  // whole words without the bit looked for
  for (uint64_t b = lo >> 3; b <= last; ++b) {
    const uint8_t mask = RangeMask(b, lo, hi);
    if (mask == 0xFF) {
      // Whole words at a time while nothing can match.
      while (b + 8 <= last) {
        uint64_t w;
        std::memcpy(&w, p + b, 8);
        if (w != skip) break;
        b += 8;
      }
    }
    const auto x =
        static_cast<uint8_t>((bit ? p[b] : static_cast<uint8_t>(~p[b])) & RangeMask(b, lo, hi));
    if (x != 0) return static_cast<int64_t>(b * 8 + static_cast<uint64_t>(std::countl_zero(x)));
  }
  return -1;
}

// Redis's range rules for BITCOUNT and BITPOS: negative indexes from the end, clamped to the
// string; in BIT mode the units are bits. Returns false for an empty range.
bool ClampRange(int64_t len_units, int64_t* start, int64_t* end) {
  if (*start < 0) *start = len_units + *start;
  if (*end < 0) *end = len_units + *end;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= len_units) *end = len_units - 1;
  return *start <= *end;
}

void SetBit(CommandContext& ctx, Args args) {
  uint64_t offset;
  if (!ParseBitOffset(ctx, args[2], &offset)) return;
  int64_t on;
  if (!cmd::ParseInt64(args[3], &on) || (on & ~int64_t{1}) != 0) {
    ctx.reply.Error(kBitValueError);
    return;
  }
  bool changed = false;
  engine::OpResult<bool> r = ctx.engine.SetBit(ctx.client.db, args[1], offset, on == 1, &changed);
  if (!r.ok()) {
    ctx.reply.Error(r.status() == OpStatus::kTooLarge ? errors::kStringTooLong
                                                      : errors::OpStatusMessage(r.status()));
    return;
  }
  if (changed)
    NotifyKeyspaceEvent(ctx.server.pubsub, kNotifyString, "setbit", ctx.client.db, args[1]);
  ctx.reply.Integer(*r ? 1 : 0);
}

void GetBit(CommandContext& ctx, Args args) {
  uint64_t offset;
  if (!ParseBitOffset(ctx, args[2], &offset)) return;
  int64_t bit = 0;
  const OpStatus st = ctx.engine.Get(ctx.client.db, args[1], [&](std::string_view v) {
    const uint64_t byte = offset >> 3;
    if (byte < v.size()) bit = (static_cast<uint8_t>(v[byte]) >> (7 - (offset & 7))) & 1;
  });
  if (st == OpStatus::kWrongType) {
    ctx.reply.Error(errors::kWrongType);
    return;
  }
  ctx.reply.Integer(bit);
}

// BITCOUNT key [start end [BYTE|BIT]]. Redis looks the key up first: a missing key answers 0
// and a wrong type WRONGTYPE before the arguments are read.
void BitCount(CommandContext& ctx, Args args) {
  std::string_view error;
  int64_t count = 0;
  const OpStatus st = ctx.engine.Get(ctx.client.db, args[1], [&](std::string_view v) {
    int64_t start = 0;
    int64_t end = static_cast<int64_t>(v.size()) - 1;
    bool in_bits = false;
    if (args.size() == 4 || args.size() == 5) {
      if (!cmd::ParseInt64(args[2], &start) || !cmd::ParseInt64(args[3], &end)) {
        error = errors::kNotInteger;
        return;
      }
      if (start < 0 && end < 0 && start > end) return;  // 0, whatever follows
      if (args.size() == 5) {
        if (Is(args[4], "bit")) {
          in_bits = true;
        } else if (!Is(args[4], "byte")) {
          error = errors::kSyntax;
          return;
        }
      }
      const int64_t len = static_cast<int64_t>(v.size()) * (in_bits ? 8 : 1);
      if (!ClampRange(len, &start, &end)) return;
    } else if (args.size() != 2) {
      error = errors::kSyntax;
      return;
    }
    if (start > end) return;
    count = in_bits ? CountBits(v, static_cast<uint64_t>(start), static_cast<uint64_t>(end))
                    : CountBits(v, static_cast<uint64_t>(start) * 8,
                                static_cast<uint64_t>(end) * 8 + 7);
  });
  if (st == OpStatus::kWrongType) {
    ctx.reply.Error(errors::kWrongType);
  } else if (!error.empty()) {
    ctx.reply.Error(error);
  } else {
    ctx.reply.Integer(count);
  }
}

// BITPOS key bit [start [end [BYTE|BIT]]]. The bit argument is checked before the key; a
// missing key is all zeros (0 for a clear bit, -1 for a set one).
void BitPos(CommandContext& ctx, Args args) {
  int64_t bit;
  if (!cmd::ParseInt64(args[2], &bit)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (bit != 0 && bit != 1) {
    ctx.reply.Error(kBitArgumentError);
    return;
  }
  std::string_view error;
  int64_t pos = bit == 1 ? -1 : 0;
  const OpStatus st = ctx.engine.Get(ctx.client.db, args[1], [&](std::string_view v) {
    const int64_t size = static_cast<int64_t>(v.size());
    int64_t start = 0;
    int64_t end = size - 1;
    bool in_bits = false;
    bool end_given = false;
    pos = -1;
    if (args.size() >= 4 && args.size() <= 6) {
      if (!cmd::ParseInt64(args[3], &start)) {
        error = errors::kNotInteger;
        return;
      }
      if (args.size() == 6) {
        if (Is(args[5], "bit")) {
          in_bits = true;
        } else if (!Is(args[5], "byte")) {
          error = errors::kSyntax;
          return;
        }
      }
      if (args.size() >= 5) {
        if (!cmd::ParseInt64(args[4], &end)) {
          error = errors::kNotInteger;
          return;
        }
        end_given = true;
      } else {
        end = in_bits ? size * 8 + 7 : size - 1;
      }
      if (!ClampRange(in_bits ? size * 8 : size, &start, &end)) return;
    } else if (args.size() != 3) {
      error = errors::kSyntax;
      return;
    }
    if (start > end) return;
    const uint64_t lo = in_bits ? static_cast<uint64_t>(start) : static_cast<uint64_t>(start) * 8;
    const uint64_t hi = in_bits ? static_cast<uint64_t>(end) : static_cast<uint64_t>(end) * 8 + 7;
    pos = FindBit(v, bit == 1, lo, hi);
    // No clear bit before the end of the string: Redis answers the position just past the
    // range's last byte (the string's zero padding), unless an end was given.
    if (pos == -1 && bit == 0 && !end_given) pos = static_cast<int64_t>(((hi >> 3) + 1) * 8);
  });
  if (st == OpStatus::kWrongType) {
    ctx.reply.Error(errors::kWrongType);
  } else if (!error.empty()) {
    ctx.reply.Error(error);
  } else {
    ctx.reply.Integer(pos);
  }
}

}  // namespace

void RegisterBitmapCommands(CommandTable& table) {
  // Facts (arity, flags, key specs, categories) as Redis 7.0.15's COMMAND INFO reports them.
  struct BitmapCommand {
    std::string_view name;
    int arity;
    uint32_t flags;
    std::string_view categories;
    std::string_view key_spec_flags;
    std::string_view since;
    std::string_view summary;
    CommandHandler handler;
  };
  const BitmapCommand commands[] = {
      {"setbit", 4, kWrite | kDenyOom, "@write @bitmap @slow", "RW access update", "2.2.0",
       "Sets or clears the bit at offset of the string value. Creates the key if it doesn't "
       "exist.",
       SetBit},
      {"getbit", 3, kReadonly | kFast, "@read @bitmap @fast", "RO access", "2.2.0",
       "Returns a bit value by offset.", GetBit},
      {"bitcount", -2, kReadonly, "@read @bitmap @slow", "RO access", "2.6.0",
       "Counts the number of set bits (population counting) in a string.", BitCount},
      {"bitpos", -3, kReadonly, "@read @bitmap @slow", "RO access", "2.8.7",
       "Finds the first set or clear bit in a string.", BitPos},
  };
  for (const BitmapCommand& c : commands) {
    table.Add({.name = c.name,
               .arity = c.arity,
               .flags = c.flags,
               .first_key = 1,
               .last_key = 1,
               .key_step = 1,
               .acl_categories = c.categories,
               .key_spec_flags = c.key_spec_flags,
               .group = "bitmap",
               .since = c.since,
               .summary = c.summary,
               .handler = c.handler});
  }
}

}  // namespace ringkv::server
