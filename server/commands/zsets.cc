// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Sorted-set commands (Redis's "sorted_set" group), except the blocking BZPOPMIN/BZPOPMAX/BZMPOP.
// Each handler parses its arguments the way Redis 7.0's t_zset.c does, in the same order (the
// order decides which error a client sees when several things are wrong), calls
// engine::ZSetObject through Engine::ReadObject/UpdateObject and writes Redis's reply:
//
// - Scores parse with strtod's grammar (hex, "inf", "-inf"; "nan", overflow and spaces refused:
//   Redis's string2d); range bounds with zslParseRange's looser rules ("(" prefix, leading
//   spaces, "" as 0, overflow to inf); lex bounds "[x", "(x", "-", "+".
// - Scores are written with "%.17g" (RESP2 bulk, RESP3 double), as Redis 7.0's addReplyDouble.
//   ZSCAN writes them as strings the way each of Redis's encodings stores them: integers up to
//   2^62 in full for "listpack", "%.17Lg" for "skiplist".
// - Results that are stored (ZRANGESTORE, Z*STORE) get the encoding Redis gives them, and an
//   empty result deletes the destination.
// - ZRANK/ZREVRANK accept Redis 7.2's WITHSCORE (arity -3 instead of 7.0's 3).
// - Plain sets are accepted as inputs of ZUNION/ZINTER/ZDIFF/ZINTERCARD and their STORE forms,
//   every member with score 1, as Redis does.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/glob.h"
#include "engine/key_lock.h"
#include "engine/types/set.h"
#include "engine/types/zset.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using engine::Object;
using engine::OpStatus;
using engine::ValueType;
using engine::ZEntry;
using engine::ZSetObject;

// Error texts of Redis 7.0's t_zset.c and object.c that errors.h does not have (yet).
constexpr std::string_view kXxAndNx = "ERR XX and NX options at the same time are not compatible";
constexpr std::string_view kGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
constexpr std::string_view kIncrOnePair =
    "ERR INCR option supports a single increment-element pair";
constexpr std::string_view kNanScore = "ERR resulting score is not a number (NaN)";
constexpr std::string_view kMinMaxNotFloat = "ERR min or max is not a float";
constexpr std::string_view kMinMaxNotLex = "ERR min or max not valid string range item";
constexpr std::string_view kWeightNotFloat = "ERR weight value is not a float";
constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";
constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";
constexpr std::string_view kNumkeysPositive = "ERR numkeys should be greater than 0";
constexpr std::string_view kCountPositive = "ERR count should be greater than 0";
constexpr std::string_view kValueOutOfRange = "ERR value is out of range";
constexpr std::string_view kRandCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
constexpr std::string_view kLimitNeedsByScoreOrLex =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr std::string_view kWithscoresNotWithBylex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

const ZSetObject& AsZSet(const Object& o) { return static_cast<const ZSetObject&>(o); }
ZSetObject& AsZSet(Object& o) { return static_cast<ZSetObject&>(o); }

// ---- Argument parsing ---------------------------------------------------------------------------

// Copies an argument into a NUL-terminated buffer for strtod. Like Redis's sds, the copy keeps
// embedded NULs, so strtod stops at the first of them.
class CString {
 public:
  explicit CString(std::string_view s) {
    if (s.size() < sizeof(small_)) {
      if (!s.empty()) std::memcpy(small_, s.data(), s.size());
      small_[s.size()] = '\0';
      p_ = small_;
    } else {
      big_.assign(s);
      p_ = big_.c_str();
    }
  }
  const char* get() const { return p_; }

 private:
  char small_[128];
  std::string big_;
  const char* p_;
};

// Redis's string2d (getDoubleFromObject): strtod over the whole argument; empty, a leading space,
// trailing bytes, overflow, underflow to zero and NaN are refused.
bool ParseScore(std::string_view s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  CString c(s);
  char* end;
  errno = 0;
  const double v = std::strtod(c.get(), &end);
  if (static_cast<size_t>(end - c.get()) != s.size()) return false;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || std::fpclassify(v) == FP_ZERO)) {
    return false;
  }
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

// One end of zslParseRange: an optional "(" then strtod up to a NUL (so leading spaces, "" and
// overflow to inf are accepted, as Redis accepts them); NaN is refused.
bool ParseScoreBound(std::string_view s, double* v, bool* exclusive) {
  CString c(s);
  const char* p = c.get();
  *exclusive = p[0] == '(';
  if (*exclusive) ++p;
  char* end;
  *v = std::strtod(p, &end);
  return *end == '\0' && !std::isnan(*v);
}

bool ParseScoreRange(std::string_view min, std::string_view max, engine::ScoreRange* r) {
  return ParseScoreBound(min, &r->min, &r->min_exclusive) &&
         ParseScoreBound(max, &r->max, &r->max_exclusive);
}

// zslParseLexRangeItem: "+" and "-" alone (a C string: anything after a NUL is ignored), or a
// "[" / "(" prefix before the value.
bool ParseLexBound(std::string_view s, engine::LexBound* b) {
  using K = engine::LexBound::Kind;
  if (s.empty()) return false;
  switch (s[0]) {
    case '+':
    case '-':
      if (s.size() > 1 && s[1] != '\0') return false;
      b->kind = s[0] == '+' ? K::kPlusInf : K::kMinusInf;
      b->exclusive = true;
      return true;
    case '(':
    case '[':
      b->kind = K::kValue;
      b->exclusive = s[0] == '(';
      b->value = s.substr(1);
      return true;
    default:
      return false;
  }
}

bool ParseLexRange(std::string_view min, std::string_view max, engine::LexRange* r) {
  return ParseLexBound(min, &r->min) && ParseLexBound(max, &r->max);
}

// getLongFromObjectOrReply with a custom message: `msg` for anything that is not an integer in
// [min, max]; without one, Redis's two default texts.
bool ParseLongInRange(CommandContext& ctx, std::string_view arg, int64_t min, int64_t max,
                      std::string_view msg, int64_t* out) {
  int64_t v;
  if (!cmd::ParseInt64(arg, &v)) {
    ctx.reply.Error(msg.empty() ? errors::kNotInteger : msg);
    return false;
  }
  if (v < min || v > max) {
    if (!msg.empty()) {
      ctx.reply.Error(msg);
    } else {
      ctx.reply.Error("ERR value is out of range, value must between " + std::to_string(min) +
                      " and " + std::to_string(max));
    }
    return false;
  }
  *out = v;
  return true;
}

// ---- Replies ------------------------------------------------------------------------------------

// An array of `n` entries: flat member/score pairs in RESP2, [member, score] arrays in RESP3
// (Redis keeps the order, so no map), plain members without scores.
void EntriesHeader(CommandContext& ctx, size_t n, bool withscores) {
  ctx.reply.ArrayHeader(withscores && !ctx.reply.resp3() ? 2 * n : n);
}

void ReplyEntry(CommandContext& ctx, std::string_view member, double score, bool withscores) {
  if (withscores && ctx.reply.resp3()) ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(member);
  if (withscores) ctx.reply.Double(score);
}

// The reply for an engine outcome other than kOk (kNotFound is each command's own business).
void ReplyStatus(CommandContext& ctx, OpStatus st) {
  if (st != OpStatus::kOk) ctx.reply.Error(errors::OpStatusMessage(st));
}

// Keyspace events (notify-keyspace-events) with Redis 7.0's t_zset.c names, published after the
// write and after any KeyLock is released (as keys.cc does). As in Redis, only a write that
// changed something is announced, and a sorted set left empty is announced as deleted ("del")
// after the command's own event.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, type, event, ctx.client.db, key);
}

void NotifyChange(CommandContext& ctx, std::string_view event, std::string_view key, bool emptied) {
  Notify(ctx, kNotifyZset, event, key);
  if (emptied) Notify(ctx, kNotifyGeneric, "del", key);
}

// The event of a *STORE command, published when it goes out of scope: declared before the
// command's KeyLock, it outlives the lock. `event` stays empty when nothing changed.
struct StoreEvent {
  CommandContext& ctx;
  std::string_view key;
  std::string_view event = {};
  ~StoreEvent() {
    if (!event.empty()) Notify(ctx, event == "del" ? kNotifyGeneric : kNotifyZset, event, key);
  }
};

// Redis's d2string after double2ll: how a listpack stores a score, as ZSCAN returns it.
std::string ListpackScoreText(double s) {
  constexpr double kLimit = static_cast<double>(std::numeric_limits<int64_t>::max() / 2);
  if (s >= -kLimit && s <= kLimit) {
    const auto i = static_cast<int64_t>(s);
    if (static_cast<double>(i) == s) return std::to_string(i);
  }
  if (std::isinf(s)) return s > 0 ? "inf" : "-inf";
  char buf[32];
  const int n = std::snprintf(buf, sizeof(buf), "%.17g", s);
  return std::string(buf, static_cast<size_t>(n));
}

// Redis's ld2string(LD_STR_AUTO) of a skiplist score: "%.17Lg", infinities spelled out.
std::string SkiplistScoreText(double s) {
  if (std::isinf(s)) return s > 0 ? "inf" : "-inf";
  char buf[40];
  const int n = std::snprintf(buf, sizeof(buf), "%.17Lg", static_cast<long double>(s));
  return std::string(buf, static_cast<size_t>(n));
}

// ---- ZADD / ZINCRBY -----------------------------------------------------------------------------

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]; ZINCRBY is ZADD INCR
// of one pair (`incr_only`).
void AddGeneric(CommandContext& ctx, Args args, bool incr_only) {
  unsigned flags = incr_only ? static_cast<unsigned>(ZSetObject::kAddIncr) : 0u;
  bool ch = false;
  size_t idx = 2;
  for (; idx < args.size(); ++idx) {
    std::string_view opt = args[idx];
    if (Is(opt, "nx")) {
      flags |= ZSetObject::kAddNx;
    } else if (Is(opt, "xx")) {
      flags |= ZSetObject::kAddXx;
    } else if (Is(opt, "ch")) {
      ch = true;
    } else if (Is(opt, "incr")) {
      flags |= ZSetObject::kAddIncr;
    } else if (Is(opt, "gt")) {
      flags |= ZSetObject::kAddGt;
    } else if (Is(opt, "lt")) {
      flags |= ZSetObject::kAddLt;
    } else {
      break;
    }
  }
  const size_t rest = args.size() - idx;
  if (rest == 0 || rest % 2 != 0) return ctx.reply.Error(errors::kSyntax);
  const size_t pairs = rest / 2;
  const bool nx = flags & ZSetObject::kAddNx, xx = flags & ZSetObject::kAddXx;
  const bool gt = flags & ZSetObject::kAddGt, lt = flags & ZSetObject::kAddLt;
  const bool incr = flags & ZSetObject::kAddIncr;
  if (nx && xx) return ctx.reply.Error(kXxAndNx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return ctx.reply.Error(kGtLtNx);
  if (incr && pairs > 1) return ctx.reply.Error(kIncrOnePair);
  // Every score is checked before anything is written: the command applies fully or not at all.
  std::vector<double> scores(pairs);
  for (size_t j = 0; j < pairs; ++j) {
    if (!ParseScore(args[idx + 2 * j], &scores[j])) return ctx.reply.Error(errors::kNotFloat);
  }
  int64_t added = 0, updated = 0, processed = 0;
  double last_score = 0;
  bool nan = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kZSet, [&](std::unique_ptr<Object>& obj) {
        if (!obj) {
          if (xx) return;  // no key and XX: nothing to do
          obj = ZSetObject::Create();
        }
        ZSetObject& z = AsZSet(*obj);
        for (size_t j = 0; j < pairs; ++j) {
          const auto r = z.Add(args[idx + 2 * j + 1], scores[j], flags);
          using O = ZSetObject::AddOutcome;
          if (r.outcome == O::kNan) {
            nan = true;
            return;
          }
          if (r.outcome == O::kAdded) ++added;
          if (r.outcome == O::kUpdated) ++updated;
          if (r.outcome != O::kSkipped) {
            ++processed;
            last_score = r.score;
          }
        }
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (nan) return ctx.reply.Error(kNanScore);
  // Redis: "zincr" for INCR (ZINCRBY included), "zadd" otherwise, and only when a member was
  // added or its score changed (an increment of 0 announces nothing).
  if (added + updated > 0) Notify(ctx, kNotifyZset, incr ? "zincr" : "zadd", args[1]);
  if (incr) {
    if (processed > 0) {
      ctx.reply.Double(last_score);
    } else {
      ctx.reply.Null();
    }
    return;
  }
  ctx.reply.Integer(ch ? added + updated : added);
}

void ZAdd(CommandContext& ctx, Args args) { AddGeneric(ctx, args, false); }

void ZIncrBy(CommandContext& ctx, Args args) {
  // ZINCRBY key increment member goes through ZADD's parser, as in Redis (so "ZINCRBY k nx m"
  // is ZADD's syntax error).
  AddGeneric(ctx, args, true);
}

// ---- Single-member reads and writes -------------------------------------------------------------

void ZRem(CommandContext& ctx, Args args) {
  int64_t deleted = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kZSet,
                                        [&](std::unique_ptr<Object>& obj) {
                                          if (!obj) return;
                                          ZSetObject& z = AsZSet(*obj);
                                          for (size_t j = 2; j < args.size() && z.Size() > 0; ++j) {
                                            deleted += z.Remove(args[j]);
                                          }
                                          emptied = z.Size() == 0;
                                        });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (deleted > 0) NotifyChange(ctx, "zrem", args[1], emptied);
  ctx.reply.Integer(deleted);
}

void ZScore(CommandContext& ctx, Args args) {
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kZSet, [&](const Object& o) {
        double s;
        if (AsZSet(o).Score(args[2], &s)) {
          ctx.reply.Double(s);
        } else {
          ctx.reply.Null();
        }
      });
  if (st == OpStatus::kNotFound) return ctx.reply.Null();
  ReplyStatus(ctx, st);
}

void ZMScore(CommandContext& ctx, Args args) {
  const engine::ZSetObject* z = nullptr;
  auto reply = [&] {
    ctx.reply.ArrayHeader(args.size() - 2);
    for (size_t j = 2; j < args.size(); ++j) {
      double s;
      if (z != nullptr && z->Score(args[j], &s)) {
        ctx.reply.Double(s);
      } else {
        ctx.reply.Null();
      }
    }
  };
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kZSet, [&](const Object& o) {
        z = &AsZSet(o);
        reply();
      });
  if (st == OpStatus::kNotFound) return reply();  // a missing key is an empty set
  ReplyStatus(ctx, st);
}

void ZCard(CommandContext& ctx, Args args) {
  OpStatus st = ctx.engine.ReadObject(
      ctx.client.db, args[1], ValueType::kZSet,
      [&](const Object& o) { ctx.reply.Integer(static_cast<int64_t>(AsZSet(o).Size())); });
  if (st == OpStatus::kNotFound) return ctx.reply.Integer(0);
  ReplyStatus(ctx, st);
}

// Reads a zset for a command whose reply for a missing key is `missing` (run when not found).
template <typename Fn, typename Missing>
void ReadZSet(CommandContext& ctx, std::string_view key, Fn fn, Missing missing) {
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, key, ValueType::kZSet,
                                      [&](const Object& o) { fn(AsZSet(o)); });
  if (st == OpStatus::kNotFound) return missing();
  ReplyStatus(ctx, st);
}

void ZCount(CommandContext& ctx, Args args) {
  engine::ScoreRange range;
  if (!ParseScoreRange(args[2], args[3], &range)) return ctx.reply.Error(kMinMaxNotFloat);
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) { ctx.reply.Integer(static_cast<int64_t>(z.CountByScore(range))); },
      [&] { ctx.reply.Integer(0); });
}

void ZLexCount(CommandContext& ctx, Args args) {
  engine::LexRange range;
  if (!ParseLexRange(args[2], args[3], &range)) return ctx.reply.Error(kMinMaxNotLex);
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) { ctx.reply.Integer(static_cast<int64_t>(z.CountByLex(range))); },
      [&] { ctx.reply.Integer(0); });
}

// ZRANK / ZREVRANK key member [WITHSCORE] (WITHSCORE is Redis 7.2's).
void RankGeneric(CommandContext& ctx, Args args, bool reverse) {
  if (args.size() > 4) return ctx.reply.Error(errors::WrongArity(reverse ? "zrevrank" : "zrank"));
  bool withscore = false;
  if (args.size() == 4) {
    if (!Is(args[3], "withscore")) return ctx.reply.Error(errors::kSyntax);
    withscore = true;
  }
  auto none = [&] { withscore ? ctx.reply.NullArray() : ctx.reply.Null(); };
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) {
        size_t rank;
        double score;
        if (!z.Rank(args[2], reverse, &rank, &score)) return none();
        if (withscore) ctx.reply.ArrayHeader(2);
        ctx.reply.Integer(static_cast<int64_t>(rank));
        if (withscore) ctx.reply.Double(score);
      },
      none);
}
void ZRank(CommandContext& ctx, Args args) { RankGeneric(ctx, args, false); }
void ZRevRank(CommandContext& ctx, Args args) { RankGeneric(ctx, args, true); }

// ---- ZRANGE and friends -------------------------------------------------------------------------

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

struct RangeRequest {
  RangeType type = RangeType::kAuto;
  bool reverse = false;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  int64_t start = 0;  // rank ranges
  int64_t end = 0;
  engine::ScoreRange score;
  engine::LexRange lex;
};

// Redis's index sanitizing of a rank range over `len` entries: negative indexes count from the
// end; false when the range is empty (start > end, or start past the end).
bool SanitizeRanks(int64_t len, int64_t start, int64_t end, size_t* first, size_t* last) {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return false;
  if (end >= len) end = len - 1;
  *first = static_cast<size_t>(start);
  *last = static_cast<size_t>(end);
  return true;
}

// Runs the range against z, calling fn per entry; returns the number of entries.
size_t RunRange(const ZSetObject& z, const RangeRequest& r, ZSetObject::EntryFn fn) {
  switch (r.type) {
    case RangeType::kScore:
      return z.RangeByScore(r.score, r.reverse, r.offset, r.limit, fn);
    case RangeType::kLex:
      return z.RangeByLex(r.lex, r.reverse, r.offset, r.limit, fn);
    default:
      break;
  }
  size_t first, last;
  if (!SanitizeRanks(static_cast<int64_t>(z.Size()), r.start, r.end, &first, &last)) return 0;
  z.RangeByRank(first, last, r.reverse, fn);
  return last - first + 1;
}

// The number of entries RunRange will emit: arithmetic for ranks, a dry run otherwise.
size_t CountRange(const ZSetObject& z, const RangeRequest& r) {
  if (r.type != RangeType::kRank) return RunRange(z, r, [](const ZEntry&) {});
  size_t first, last;
  if (!SanitizeRanks(static_cast<int64_t>(z.Size()), r.start, r.end, &first, &last)) return 0;
  return last - first + 1;
}

// Parses "<src> <min> <max> [options]" starting at args[src_idx] the way zrangeGenericCommand
// does. Replies and returns false on an error.
bool ParseRange(CommandContext& ctx, Args args, size_t src_idx, bool store, RangeType type,
                Direction direction, RangeRequest* r) {
  size_t min_idx = src_idx + 1, max_idx = src_idx + 2;
  for (size_t j = src_idx + 3; j < args.size(); ++j) {
    const size_t left = args.size() - j - 1;
    if (!store && Is(args[j], "withscores")) {
      r->withscores = true;
    } else if (Is(args[j], "limit") && left >= 2) {
      if (!cmd::ParseInt64(args[j + 1], &r->offset) || !cmd::ParseInt64(args[j + 2], &r->limit)) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      j += 2;
    } else if (direction == Direction::kAuto && Is(args[j], "rev")) {
      direction = Direction::kReverse;
    } else if (type == RangeType::kAuto && Is(args[j], "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && Is(args[j], "byscore")) {
      type = RangeType::kScore;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  if (type == RangeType::kAuto) type = RangeType::kRank;
  r->type = type;
  r->reverse = direction == Direction::kReverse;
  if (r->limit != -1 && type == RangeType::kRank) {
    ctx.reply.Error(kLimitNeedsByScoreOrLex);
    return false;
  }
  if (r->withscores && type == RangeType::kLex) {
    ctx.reply.Error(kWithscoresNotWithBylex);
    return false;
  }
  // Score and lex ranges are given as <max> <min> when reversed.
  if (r->reverse && type != RangeType::kRank) std::swap(min_idx, max_idx);
  switch (type) {
    case RangeType::kScore:
      if (!ParseScoreRange(args[min_idx], args[max_idx], &r->score)) {
        ctx.reply.Error(kMinMaxNotFloat);
        return false;
      }
      break;
    case RangeType::kLex:
      if (!ParseLexRange(args[min_idx], args[max_idx], &r->lex)) {
        ctx.reply.Error(kMinMaxNotLex);
        return false;
      }
      break;
    default:
      if (!cmd::ParseInt64(args[min_idx], &r->start) || !cmd::ParseInt64(args[max_idx], &r->end)) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
  }
  return true;
}

void RangeToClient(CommandContext& ctx, Args args, RangeType type, Direction direction) {
  RangeRequest r;
  if (!ParseRange(ctx, args, 1, false, type, direction, &r)) return;
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) {
        // The array length goes first: counted up front rather than copying the members.
        const size_t n = CountRange(z, r);
        EntriesHeader(ctx, n, r.withscores);
        RunRange(z, r, [&](const ZEntry& e) { ReplyEntry(ctx, e.member, e.score, r.withscores); });
      },
      [&] { ctx.reply.ArrayHeader(0); });
}

void ZRange(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kAuto, Direction::kAuto);
}
void ZRevRange(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kRank, Direction::kReverse);
}
void ZRangeByScore(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kScore, Direction::kForward);
}
void ZRevRangeByScore(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kScore, Direction::kReverse);
}
void ZRangeByLex(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kLex, Direction::kForward);
}
void ZRevRangeByLex(CommandContext& ctx, Args args) {
  RangeToClient(ctx, args, RangeType::kLex, Direction::kReverse);
}

using Pairs = std::vector<std::pair<std::string, double>>;

// Stores a computed result as Redis's setKey does (any old value and its TTL go), or deletes the
// destination when the result is empty; replies with the result's size. REQUIRES: the caller
// holds a KeyLock covering dst. Sets ev->event: `event` when a set was stored, "del" when an
// empty result removed an existing destination, nothing when it removed nothing.
void StoreResult(CommandContext& ctx, std::string_view dst, Pairs entries, std::string_view event,
                 StoreEvent* ev) {
  const size_t n = entries.size();
  if (n == 0) {
    if (ctx.engine.Del(ctx.client.db, dst)) ev->event = "del";
    return ctx.reply.Integer(0);
  }
  ctx.engine.SetObject(ctx.client.db, dst, ValueType::kZSet,
                       ZSetObject::FromEntries(std::move(entries)));
  ev->event = event;
  ctx.reply.Integer(static_cast<int64_t>(n));
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
void ZRangeStore(CommandContext& ctx, Args args) {
  RangeRequest r;
  if (!ParseRange(ctx, args, 2, true, RangeType::kAuto, Direction::kAuto, &r)) return;
  std::string_view keys[] = {args[1], args[2]};
  StoreEvent ev{ctx, args[1]};
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  Pairs out;
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[2], ValueType::kZSet, [&](const Object& o) {
        RunRange(AsZSet(o), r,
                 [&](const ZEntry& e) { out.emplace_back(std::string(e.member), e.score); });
      });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  StoreResult(ctx, args[1], std::move(out), "zrangestore", &ev);
}

// ---- Removal by range ---------------------------------------------------------------------------

enum class RemoveBy { kRank, kScore, kLex };

void RemoveRangeGeneric(CommandContext& ctx, Args args, RemoveBy by) {
  int64_t start = 0, end = 0;
  engine::ScoreRange score;
  engine::LexRange lex;
  switch (by) {
    case RemoveBy::kRank:
      if (!cmd::ParseInt64(args[2], &start) || !cmd::ParseInt64(args[3], &end)) {
        return ctx.reply.Error(errors::kNotInteger);
      }
      break;
    case RemoveBy::kScore:
      if (!ParseScoreRange(args[2], args[3], &score)) return ctx.reply.Error(kMinMaxNotFloat);
      break;
    case RemoveBy::kLex:
      if (!ParseLexRange(args[2], args[3], &lex)) return ctx.reply.Error(kMinMaxNotLex);
      break;
  }
  size_t deleted = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kZSet, [&](std::unique_ptr<Object>& obj) {
        if (!obj) return;
        ZSetObject& z = AsZSet(*obj);
        if (by == RemoveBy::kScore) {
          deleted = z.RemoveRangeByScore(score);
        } else if (by == RemoveBy::kLex) {
          deleted = z.RemoveRangeByLex(lex);
        } else {
          size_t first, last;
          if (!SanitizeRanks(static_cast<int64_t>(z.Size()), start, end, &first, &last)) return;
          deleted = z.RemoveRangeByRank(first, last);
        }
        emptied = z.Size() == 0;
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  // Redis 7.0 names these after the commands (the keyspace-notifications page's "zrembyscore"
  // and "zrembyrank" are not what the server sends).
  constexpr std::string_view kEvents[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
  if (deleted > 0) NotifyChange(ctx, kEvents[static_cast<int>(by)], args[1], emptied);
  ctx.reply.Integer(static_cast<int64_t>(deleted));
}

void ZRemRangeByRank(CommandContext& ctx, Args args) {
  RemoveRangeGeneric(ctx, args, RemoveBy::kRank);
}
void ZRemRangeByScore(CommandContext& ctx, Args args) {
  RemoveRangeGeneric(ctx, args, RemoveBy::kScore);
}
void ZRemRangeByLex(CommandContext& ctx, Args args) {
  RemoveRangeGeneric(ctx, args, RemoveBy::kLex);
}

// ---- Pops ---------------------------------------------------------------------------------------

// ZPOPMIN/ZPOPMAX key [count]
void PopGeneric(CommandContext& ctx, Args args, bool max) {
  if (args.size() > 3) return ctx.reply.Error(errors::kSyntax);
  int64_t count = -1;  // -1: no count argument (a single flat pair)
  if (args.size() == 3 && !ParseLongInRange(ctx, args[2], 0, std::numeric_limits<int64_t>::max(),
                                            kMustBePositive, &count)) {
    return;
  }
  // RESP3 nests the pairs when a count was given; RESP2 and the plain form are flat.
  const bool nested = ctx.reply.resp3() && count != -1;
  bool found = false;
  size_t popped = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kZSet, [&](std::unique_ptr<Object>& obj) {
        if (!obj) return;
        found = true;
        if (count == 0) return ctx.reply.ArrayHeader(0);
        ZSetObject& z = AsZSet(*obj);
        popped = std::min(static_cast<size_t>(count == -1 ? 1 : count), z.Size());
        ctx.reply.ArrayHeader(nested ? popped : 2 * popped);
        z.Pop(max, popped, [&](const ZEntry& e) {
          if (nested) ctx.reply.ArrayHeader(2);
          ctx.reply.Bulk(e.member);
          ctx.reply.Double(e.score);
        });
        emptied = z.Size() == 0;
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!found) ctx.reply.ArrayHeader(0);
  if (popped > 0) NotifyChange(ctx, max ? "zpopmax" : "zpopmin", args[1], emptied);
}

void ZPopMin(CommandContext& ctx, Args args) { PopGeneric(ctx, args, false); }
void ZPopMax(CommandContext& ctx, Args args) { PopGeneric(ctx, args, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
void ZMPop(CommandContext& ctx, Args args) {
  int64_t numkeys;
  if (!ParseLongInRange(ctx, args[1], 1, std::numeric_limits<int64_t>::max(), kNumkeysPositive,
                        &numkeys)) {
    return;
  }
  if (static_cast<uint64_t>(numkeys) > args.size() - 2) return ctx.reply.Error(errors::kSyntax);
  const size_t where_idx = 2 + static_cast<size_t>(numkeys);
  if (where_idx >= args.size()) return ctx.reply.Error(errors::kSyntax);
  bool max;
  if (Is(args[where_idx], "min")) {
    max = false;
  } else if (Is(args[where_idx], "max")) {
    max = true;
  } else {
    return ctx.reply.Error(errors::kSyntax);
  }
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < args.size(); ++j) {
    if (count == -1 && Is(args[j], "count") && j + 1 < args.size()) {
      if (!ParseLongInRange(ctx, args[++j], 1, std::numeric_limits<int64_t>::max(), kCountPositive,
                            &count)) {
        return;
      }
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  if (count == -1) count = 1;
  Args keys = args.subspan(2, static_cast<size_t>(numkeys));
  std::string_view popped_key;
  bool found = false;
  bool emptied = false;
  {
    engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
    for (std::string_view key : keys) {
      OpStatus st = ctx.engine.UpdateObject(
          ctx.client.db, key, ValueType::kZSet, [&](std::unique_ptr<Object>& obj) {
            if (!obj) return;
            found = true;
            popped_key = key;
            ZSetObject& z = AsZSet(*obj);
            const size_t n = std::min(static_cast<size_t>(count), z.Size());
            ctx.reply.ArrayHeader(2);
            ctx.reply.Bulk(key);
            ctx.reply.ArrayHeader(n);
            z.Pop(max, n, [&](const ZEntry& e) {
              ctx.reply.ArrayHeader(2);
              ctx.reply.Bulk(e.member);
              ctx.reply.Double(e.score);
            });
            emptied = z.Size() == 0;
          });
      if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
      if (found) break;
    }
  }
  if (!found) return ctx.reply.NullArray();
  NotifyChange(ctx, max ? "zpopmax" : "zpopmin", popped_key, emptied);
}

// ---- ZRANDMEMBER --------------------------------------------------------------------------------

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

// ZRANDMEMBER key count [WITHSCORES]: a negative count draws |count| members with replacement, a
// positive one min(count, size) distinct members (the whole set, in order, when count >= size).
void RandWithCount(CommandContext& ctx, std::string_view key, int64_t l, bool withscores) {
  ReadZSet(
      ctx, key,
      [&](const ZSetObject& z) {
        const size_t size = z.Size();
        const bool uniq = l >= 0;
        const uint64_t count = uniq ? static_cast<uint64_t>(l) : 0 - static_cast<uint64_t>(l);
        if (count == 0) return ctx.reply.ArrayHeader(0);
        // A packed set is walked once into views; the large one answers At() in O(log n).
        std::vector<ZEntry> small;
        if (z.encoding() == engine::Encoding::kListpack) {
          small.reserve(size);
          z.ForEach([&](const ZEntry& e) { small.push_back(e); });
        }
        auto at = [&](size_t i) { return small.empty() ? z.At(i) : small[i]; };
        std::uniform_int_distribution<size_t> pick(0, size - 1);
        if (!uniq || count == 1) {
          EntriesHeader(ctx, count, withscores);
          for (uint64_t i = 0; i < count; ++i) {
            const ZEntry e = at(pick(Rng()));
            ReplyEntry(ctx, e.member, e.score, withscores);
          }
          return;
        }
        if (count >= size) {
          // The whole set, from the highest entry down (Redis's zui iterator walks backwards).
          EntriesHeader(ctx, size, withscores);
          for (size_t i = size; i-- > 0;) {
            const ZEntry e = at(i);
            ReplyEntry(ctx, e.member, e.score, withscores);
          }
          return;
        }
        std::vector<size_t> chosen;
        if (count * 3 > size) {
          // Most of the set: a partial shuffle of all ranks.
          std::vector<size_t> ranks(size);
          for (size_t i = 0; i < size; ++i) ranks[i] = i;
          for (size_t i = 0; i < count; ++i) {
            std::uniform_int_distribution<size_t> d(i, size - 1);
            std::swap(ranks[i], ranks[d(Rng())]);
          }
          chosen.assign(ranks.begin(), ranks.begin() + static_cast<long>(count));
        } else {
          absl::flat_hash_set<size_t> seen;
          while (chosen.size() < count) {
            const size_t i = pick(Rng());
            if (seen.insert(i).second) chosen.push_back(i);
          }
        }
        EntriesHeader(ctx, count, withscores);
        for (size_t i : chosen) {
          const ZEntry e = at(i);
          ReplyEntry(ctx, e.member, e.score, withscores);
        }
      },
      [&] { ctx.reply.ArrayHeader(0); });
}

void ZRandMember(CommandContext& ctx, Args args) {
  if (args.size() >= 3) {
    int64_t l;
    if (!cmd::ParseInt64(args[2], &l)) return ctx.reply.Error(errors::kNotInteger);
    if (l == std::numeric_limits<int64_t>::min()) return ctx.reply.Error(kRandCountRange);
    if (args.size() > 4 || (args.size() == 4 && !Is(args[3], "withscores"))) {
      return ctx.reply.Error(errors::kSyntax);
    }
    const bool withscores = args.size() == 4;
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (withscores && (l < -kHalf || l > kHalf)) return ctx.reply.Error(kValueOutOfRange);
    return RandWithCount(ctx, args[1], l, withscores);
  }
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) {
        std::uniform_int_distribution<size_t> pick(0, z.Size() - 1);
        ctx.reply.Bulk(z.At(pick(Rng())).member);
      },
      [&] { ctx.reply.Null(); });
}

// ---- ZSCAN --------------------------------------------------------------------------------------

// ZSCAN key cursor [MATCH pattern] [COUNT count]. As Redis: the cursor is parsed first, a missing
// key answers an empty scan before the options are looked at, and a listpack returns everything
// with cursor 0.
void ZScan(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!cmd::ParseScanCursor(args[2], &cursor)) return ctx.reply.Error(errors::kInvalidCursor);
  ReadZSet(
      ctx, args[1],
      [&](const ZSetObject& z) {
        int64_t count = 10;
        std::string_view pattern;
        bool use_pattern = false;
        for (size_t i = 3; i < args.size(); i += 2) {
          const bool has_value = i + 1 < args.size();
          if (Is(args[i], "count") && has_value) {
            if (!cmd::ParseInt64(args[i + 1], &count)) return ctx.reply.Error(errors::kNotInteger);
            if (count < 1) return ctx.reply.Error(errors::kSyntax);
          } else if (Is(args[i], "match") && has_value) {
            pattern = args[i + 1];
            use_pattern = pattern != "*";
          } else {
            return ctx.reply.Error(errors::kSyntax);
          }
        }
        const bool packed = z.encoding() == engine::Encoding::kListpack;
        std::vector<std::string> items;
        const uint64_t next = z.Scan(cursor, static_cast<size_t>(count), [&](const ZEntry& e) {
          if (use_pattern && !engine::GlobMatch(pattern, e.member)) return;
          items.emplace_back(e.member);
          items.push_back(packed ? ListpackScoreText(e.score) : SkiplistScoreText(e.score));
        });
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof(buf), next);
        ctx.reply.ArrayHeader(2);
        ctx.reply.Bulk(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
        ctx.reply.ArrayHeader(items.size());
        for (const std::string& s : items) ctx.reply.Bulk(s);
      },
      [&] {
        ctx.reply.ArrayHeader(2);
        ctx.reply.Bulk("0");
        ctx.reply.ArrayHeader(0);
      });
}

// ---- ZUNION / ZINTER / ZDIFF / ZINTERCARD and their STORE forms ---------------------------------

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

// One input: a sorted set, a plain set (every member scores 1) or a missing key (empty). The
// pointers stay valid while the command's KeyLock is held.
struct Source {
  const ZSetObject* zset = nullptr;
  const engine::SetObject* set = nullptr;
  double weight = 1.0;

  size_t size() const { return zset ? zset->Size() : (set ? set->Size() : 0); }
  bool Find(std::string_view member, double* score) const {
    if (zset != nullptr) return zset->Score(member, score);
    if (set != nullptr && set->Contains(member)) {
      *score = 1.0;
      return true;
    }
    return false;
  }
  template <typename Fn>
  void ForEach(Fn fn) const {
    if (zset != nullptr) {
      zset->ForEach([&](const ZEntry& e) { fn(e.member, e.score); });
    } else if (set != nullptr) {
      set->ForEach([&](std::string_view m) { fn(m, 1.0); });
    }
  }
};

// zunionInterAggregate: a SUM of +inf and -inf is 0, not NaN.
void AggregateInto(double* target, double value, Aggregate agg) {
  switch (agg) {
    case Aggregate::kSum:
      *target += value;
      if (std::isnan(*target)) *target = 0.0;
      break;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      break;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      break;
  }
}

Pairs ComputeUnion(std::vector<Source>& src, Aggregate agg) {
  absl::flat_hash_map<std::string, double> acc;
  for (const Source& s : src) {
    s.ForEach([&](std::string_view member, double score) {
      double v = s.weight * score;
      if (std::isnan(v)) v = 0;
      auto [it, inserted] = acc.try_emplace(std::string(member), v);
      if (!inserted) AggregateInto(&it->second, v, agg);
    });
  }
  Pairs out;
  out.reserve(acc.size());
  for (auto& [m, s] : acc) out.emplace_back(m, s);
  return out;
}

Pairs ComputeInter(const std::vector<Source>& src, Aggregate agg, bool count_only, size_t limit,
                   size_t* count) {
  Pairs out;
  *count = 0;
  if (src[0].size() == 0) return out;
  bool stop = false;
  src[0].ForEach([&](std::string_view member, double score) {
    if (stop) return;
    double total = src[0].weight * score;
    if (std::isnan(total)) total = 0;
    for (size_t j = 1; j < src.size(); ++j) {
      double v;
      if (!src[j].Find(member, &v)) return;
      AggregateInto(&total, v * src[j].weight, agg);
    }
    ++*count;
    if (count_only) {
      if (limit != 0 && *count >= limit) stop = true;
      return;
    }
    out.emplace_back(std::string(member), total);
  });
  return out;
}

Pairs ComputeDiff(const std::vector<Source>& src) {
  Pairs out;
  src[0].ForEach([&](std::string_view member, double score) {
    double unused;
    for (size_t j = 1; j < src.size(); ++j) {
      if (src[j].Find(member, &unused)) return;
    }
    out.emplace_back(std::string(member), score);
  });
  return out;
}

// Reads the inputs under the lock: a sorted set or a plain set, else WRONGTYPE (replied; false).
bool ReadSources(CommandContext& ctx, Args keys, std::vector<Source>* src) {
  src->resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Source& s = (*src)[i];
    OpStatus st = ctx.engine.ReadObject(ctx.client.db, keys[i], ValueType::kZSet,
                                        [&](const Object& o) { s.zset = &AsZSet(o); });
    if (st == OpStatus::kWrongType) {
      st = ctx.engine.ReadObject(ctx.client.db, keys[i], ValueType::kSet, [&](const Object& o) {
        s.set = static_cast<const engine::SetObject*>(&o);
      });
    }
    if (st == OpStatus::kWrongType) {
      ctx.reply.Error(errors::kWrongType);
      return false;
    }
  }
  return true;
}

// The shared body of ZUNION/ZINTER/ZDIFF/ZINTERCARD (numkeys at args[1]) and ZUNIONSTORE/
// ZINTERSTORE/ZDIFFSTORE (destination at args[1], numkeys at args[2]).
void SetOpGeneric(CommandContext& ctx, Args args, SetOp op, bool store, bool card_only,
                  std::string_view name) {
  const size_t numkeys_idx = store ? 2 : 1;
  int64_t setnum;
  if (!cmd::ParseInt64(args[numkeys_idx], &setnum)) return ctx.reply.Error(errors::kNotInteger);
  if (setnum < 1) {
    return ctx.reply.Error("ERR at least 1 input key is needed for '" + std::string(name) +
                           "' command");
  }
  if (static_cast<uint64_t>(setnum) > args.size() - numkeys_idx - 1) {
    return ctx.reply.Error(errors::kSyntax);
  }
  Args keys = args.subspan(numkeys_idx + 1, static_cast<size_t>(setnum));
  std::vector<std::string_view> lock_keys(keys.begin(), keys.end());
  if (store) lock_keys.push_back(args[1]);
  StoreEvent ev{ctx, args[1]};
  engine::KeyLock lock(ctx.engine, ctx.client.db, lock_keys);
  // Redis looks the inputs up (and refuses a wrong type) before it parses the options.
  std::vector<Source> src;
  if (!ReadSources(ctx, keys, &src)) return;
  Aggregate agg = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  for (size_t j = numkeys_idx + 1 + keys.size(); j < args.size();) {
    const size_t remaining = args.size() - j;
    if (op != SetOp::kDiff && !card_only && remaining >= keys.size() + 1 &&
        Is(args[j], "weights")) {
      ++j;
      for (Source& s : src) {
        if (!ParseScore(args[j++], &s.weight)) return ctx.reply.Error(kWeightNotFloat);
      }
    } else if (op != SetOp::kDiff && !card_only && remaining >= 2 && Is(args[j], "aggregate")) {
      std::string_view a = args[j + 1];
      if (Is(a, "sum")) {
        agg = Aggregate::kSum;
      } else if (Is(a, "min")) {
        agg = Aggregate::kMin;
      } else if (Is(a, "max")) {
        agg = Aggregate::kMax;
      } else {
        return ctx.reply.Error(errors::kSyntax);
      }
      j += 2;
    } else if (!store && !card_only && Is(args[j], "withscores")) {
      withscores = true;
      ++j;
    } else if (card_only && remaining >= 2 && Is(args[j], "limit")) {
      if (!ParseLongInRange(ctx, args[j + 1], 0, std::numeric_limits<int64_t>::max(),
                            kLimitNegative, &limit)) {
        return;
      }
      j += 2;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  // Union and intersection visit the inputs from the smallest (a stable order, like glibc's
  // qsort for these sizes), which decides the order of floating-point sums.
  if (op != SetOp::kDiff) {
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  Pairs result;
  if (op == SetOp::kUnion) {
    result = ComputeUnion(src, agg);
  } else if (op == SetOp::kInter) {
    size_t count = 0;
    result = ComputeInter(src, agg, card_only, static_cast<size_t>(limit), &count);
    if (card_only) return ctx.reply.Integer(static_cast<int64_t>(count));
  } else {
    result = ComputeDiff(src);
  }
  if (store) return StoreResult(ctx, args[1], std::move(result), name, &ev);
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first < b.first);
  });
  EntriesHeader(ctx, result.size(), withscores);
  for (const auto& [m, s] : result) ReplyEntry(ctx, m, s, withscores);
}

void ZUnion(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kUnion, false, false, "zunion");
}
void ZInter(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kInter, false, false, "zinter");
}
void ZDiff(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kDiff, false, false, "zdiff");
}
void ZInterCard(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kInter, false, true, "zintercard");
}
void ZUnionStore(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kUnion, true, false, "zunionstore");
}
void ZInterStore(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kInter, true, false, "zinterstore");
}
void ZDiffStore(CommandContext& ctx, Args args) {
  SetOpGeneric(ctx, args, SetOp::kDiff, true, false, "zdiffstore");
}

struct ZSetCommand {
  std::string_view name;
  int arity;
  uint32_t flags;
  int first_key;
  int last_key;
  std::string_view key_spec_flags;
  std::string_view since;
  std::string_view summary;
  CommandHandler handler;
};

}  // namespace

void RegisterZSetCommands(CommandTable& table) {
  // Facts (arity, flags, key positions, categories, key-spec flags) as Redis 7.0.15's COMMAND INFO
  // reports them; summaries and versions from its command JSON files. ZRANK/ZREVRANK have 7.2's
  // arity (-3) for WITHSCORE. Commands whose keys follow a numkeys argument are "movablekeys"
  // with first/last/step 0 (ZUNIONSTORE & co: 1 1 1, the destination), as in Redis; their
  // keynum key specs (which also find their keys) are in server/key_specs.cc.
  constexpr uint32_t kW = kWrite;
  constexpr uint32_t kWD = kWrite | kDenyOom;
  constexpr uint32_t kWF = kWrite | kFast;
  constexpr uint32_t kWDF = kWrite | kDenyOom | kFast;
  constexpr uint32_t kR = kReadonly;
  constexpr uint32_t kRF = kReadonly | kFast;
  constexpr uint32_t kM = kMovableKeys;
  const ZSetCommand commands[] = {
      {"zadd", -4, kWDF, 1, 1, "RW update", "1.2.0",
       "Add one or more members to a sorted set, or update its score if it already exists", ZAdd},
      {"zincrby", 4, kWDF, 1, 1, "RW access update", "1.2.0",
       "Increment the score of a member in a sorted set", ZIncrBy},
      {"zrem", -3, kWF, 1, 1, "RW delete", "1.2.0", "Remove one or more members from a sorted set",
       ZRem},
      {"zscore", 3, kRF, 1, 1, "RO access", "1.2.0",
       "Get the score associated with the given member in a sorted set", ZScore},
      {"zmscore", -3, kRF, 1, 1, "RO access", "6.2.0",
       "Get the score associated with the given members in a sorted set", ZMScore},
      {"zcard", 2, kRF, 1, 1, "RO", "1.2.0", "Get the number of members in a sorted set", ZCard},
      {"zcount", 4, kRF, 1, 1, "RO access", "2.0.0",
       "Count the members in a sorted set with scores within the given values", ZCount},
      {"zlexcount", 4, kRF, 1, 1, "RO access", "2.8.9",
       "Count the number of members in a sorted set between a given lexicographical range",
       ZLexCount},
      {"zrange", -4, kR, 1, 1, "RO access", "1.2.0", "Return a range of members in a sorted set",
       ZRange},
      {"zrangestore", -5, kWD, 1, 2, "OW update", "6.2.0",
       "Store a range of members from sorted set into another key", ZRangeStore},
      {"zrangebyscore", -4, kR, 1, 1, "RO access", "1.0.5",
       "Return a range of members in a sorted set, by score", ZRangeByScore},
      {"zrevrangebyscore", -4, kR, 1, 1, "RO access", "2.2.0",
       "Return a range of members in a sorted set, by score, with scores ordered from high to low",
       ZRevRangeByScore},
      {"zrangebylex", -4, kR, 1, 1, "RO access", "2.8.9",
       "Return a range of members in a sorted set, by lexicographical range", ZRangeByLex},
      {"zrevrangebylex", -4, kR, 1, 1, "RO access", "2.8.9",
       "Return a range of members in a sorted set, by lexicographical range, ordered from higher "
       "to lower strings.",
       ZRevRangeByLex},
      {"zrevrange", -4, kR, 1, 1, "RO access", "1.2.0",
       "Return a range of members in a sorted set, by index, with scores ordered from high to low",
       ZRevRange},
      {"zrank", -3, kRF, 1, 1, "RO access", "2.0.0",
       "Determine the index of a member in a sorted set", ZRank},
      {"zrevrank", -3, kRF, 1, 1, "RO access", "2.0.0",
       "Determine the index of a member in a sorted set, with scores ordered from high to low",
       ZRevRank},
      {"zpopmin", -2, kWF, 1, 1, "RW access delete", "5.0.0",
       "Remove and return members with the lowest scores in a sorted set", ZPopMin},
      {"zpopmax", -2, kWF, 1, 1, "RW access delete", "5.0.0",
       "Remove and return members with the highest scores in a sorted set", ZPopMax},
      {"zmpop", -4, kW | kM, 0, 0, "RW access delete", "7.0.0",
       "Remove and return members with scores in a sorted set", ZMPop},
      {"zremrangebyscore", 4, kW, 1, 1, "RW delete", "1.2.0",
       "Remove all members in a sorted set within the given scores", ZRemRangeByScore},
      {"zremrangebyrank", 4, kW, 1, 1, "RW delete", "2.0.0",
       "Remove all members in a sorted set within the given indexes", ZRemRangeByRank},
      {"zremrangebylex", 4, kW, 1, 1, "RW delete", "2.8.9",
       "Remove all members in a sorted set between the given lexicographical range",
       ZRemRangeByLex},
      {"zunion", -3, kR | kM, 0, 0, "RO access", "6.2.0", "Add multiple sorted sets", ZUnion},
      {"zinter", -3, kR | kM, 0, 0, "RO access", "6.2.0", "Intersect multiple sorted sets", ZInter},
      {"zdiff", -3, kR | kM, 0, 0, "RO access", "6.2.0", "Subtract multiple sorted sets", ZDiff},
      {"zunionstore", -4, kWD | kM, 1, 1, "OW update", "2.0.0",
       "Add multiple sorted sets and store the resulting sorted set in a new key", ZUnionStore},
      {"zinterstore", -4, kWD | kM, 1, 1, "OW update", "2.0.0",
       "Intersect multiple sorted sets and store the resulting sorted set in a new key",
       ZInterStore},
      {"zdiffstore", -4, kWD | kM, 1, 1, "OW update", "6.2.0",
       "Subtract multiple sorted sets and store the resulting sorted set in a new key", ZDiffStore},
      {"zintercard", -3, kR | kM, 0, 0, "RO access", "7.0.0",
       "Intersect multiple sorted sets and return the cardinality of the result", ZInterCard},
      {"zrandmember", -2, kR, 1, 1, "RO access", "6.2.0",
       "Get one or multiple random elements from a sorted set", ZRandMember},
      {"zscan", -3, kR, 1, 1, "RO access", "2.8.0",
       "Incrementally iterate sorted sets elements and associated scores", ZScan},
  };
  for (const ZSetCommand& c : commands) {
    const bool write = c.flags & kWrite;
    const bool fast = c.flags & kFast;
    std::string_view cats = write ? (fast ? "@write @sortedset @fast" : "@write @sortedset @slow")
                                  : (fast ? "@read @sortedset @fast" : "@read @sortedset @slow");
    const bool random = c.name == "zrandmember" || c.name == "zscan";
    table.Add({.name = c.name,
               .arity = c.arity,
               .flags = c.flags,
               .first_key = c.first_key,
               .last_key = c.last_key,
               .key_step = c.first_key > 0 ? 1 : 0,
               .acl_categories = cats,
               .tips = random ? "nondeterministic_output" : std::string_view(),
               .key_spec_flags = c.key_spec_flags,
               .group = "sorted-set",
               .since = c.since,
               .summary = c.summary,
               .handler = c.handler});
  }
}

}  // namespace ringkv::server
