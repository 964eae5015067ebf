// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Helpers shared by the stream command files (streams.cc: XADD, XTRIM, XLEN, XRANGE, XDEL,
// XSETID and the registration; stream_read.cc: XREAD, XREADGROUP; stream_groups.cc: XGROUP,
// XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO): ID parsing with Redis's errors, entry replies,
// and the handlers the registration names. Not a general server API: only those files include
// it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/op_status.h"
#include "engine/types/stream.h"
#include "protocol/output_buffer.h"
#include "protocol/reply_encoder.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"

namespace ringkv::server {
struct ServerContext;
}

namespace ringkv::server::stream_cmd {

using cmd::Args;
using Stream = engine::StreamObject;
using cmd::Is;
using cmd::ParseInt64;
using engine::OpStatus;
using engine::StreamId;
using engine::StreamTrim;
using engine::ValueType;
using protocol::RespVersion;

inline constexpr std::string_view kInvalidId =
    "ERR Invalid stream ID specified as stream command argument";
inline constexpr std::string_view kInvalidStart = "ERR invalid start ID for the interval";
inline constexpr std::string_view kInvalidEnd = "ERR invalid end ID for the interval";

inline Stream& AsStream(engine::Object& o) { return static_cast<Stream&>(o); }
inline const Stream& AsStream(const engine::Object& o) { return static_cast<const Stream&>(o); }

void ReplyStatus(CommandContext& ctx, engine::OpStatus st);
// Publishes a keyspace event of class t (stream).
void Notify(ServerContext& server, int db, std::string_view event, std::string_view key);
// Redis's addReplySubcommandSyntaxError.
std::string SubcommandSyntax(Args args);
// "NOGROUP No such key '<key>' or consumer group '<group>'".
std::string NoGroup(std::string_view key, std::string_view group);
// stream-node-max-bytes / stream-node-max-entries as configured now.
engine::StreamNodeLimits NodeLimits();

void ReplyId(protocol::ReplyEncoder& reply, engine::StreamId id);
// [id, [field, value, ...]]
void ReplyEntry(protocol::ReplyEncoder& reply, engine::StreamId id,
                std::span<const std::string_view> fields);

// Writes what fn writes, preceded by an array header of the number fn returns (the count of a
// range is known only after walking it).
template <typename Fn>
void CountedArray(protocol::ReplyEncoder& reply, Fn fn) {
  protocol::OutputBuffer tmp(4096);
  protocol::ReplyEncoder inner(&tmp, reply.version());
  const size_t n = fn(inner);
  reply.ArrayHeader(n);
  reply.buffer()->Append(tmp.ToString());
}

// An ID argument; on error replies kInvalidId and returns false.
bool ParseId(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, bool strict,
             engine::StreamId* id, bool* seq_given = nullptr);
// Redis's streamParseIntervalIDOrReply plus the exclusive-bound step: "(" makes the bound
// exclusive (a strict ID then), moved one ID inwards.
bool ParseInterval(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, bool start,
                   engine::StreamId* id);

// Handlers (stream_read.cc).
void XRead(CommandContext& ctx, Args args);  // XREAD and XREADGROUP
void ReadKeys(Args args, std::vector<size_t>* out);
// Handlers (stream_groups.cc).
void XGroup(CommandContext& ctx, Args args);
void XAck(CommandContext& ctx, Args args);
void XPending(CommandContext& ctx, Args args);
void XClaim(CommandContext& ctx, Args args);
void XAutoClaim(CommandContext& ctx, Args args);
void XInfo(CommandContext& ctx, Args args);
// XGROUP / XINFO: the key is the third argument (none for HELP).
void SubcommandKey(Args args, std::vector<size_t>* out);

}  // namespace ringkv::server::stream_cmd
