// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Micro-benchmarks for protocol/: request parsing of pipelined batches (what one recv of a
// pipelining client holds) and reply encoding into an OutputBuffer. Items are commands or
// replies; bytes are wire bytes. Release builds only, pinned to one core, e.g.
//   taskset -c 1 build-release/bench/micro/protocol_bench --benchmark_min_time=1
// The target on one core is 20 M pipelined GETs parsed per second.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "protocol/command_encoder.h"
#include "protocol/output_buffer.h"
#include "protocol/reply_encoder.h"
#include "protocol/reply_parser.h"
#include "protocol/request_parser.h"

namespace ringkv::protocol {
namespace {

constexpr int kBatch = 1000;  // commands per pipelined batch

std::string Key(int i) {
  std::string key = "key:" + std::to_string(100000000000 + i);  // 16 bytes
  key.resize(16, 'k');
  return key;
}

std::string GetBatch() {
  std::string batch;
  for (int i = 0; i < kBatch; ++i) EncodeCommand({"GET", Key(i)}, &batch);
  return batch;
}

std::string SetBatch(size_t value_size) {
  const std::string value(value_size, 'v');
  std::string batch;
  for (int i = 0; i < kBatch; ++i) EncodeCommand({"SET", Key(i), value}, &batch);
  return batch;
}

void ParseBatch(benchmark::State& state, const std::string& batch) {
  RequestParser parser;
  for (auto _ : state) {
    std::string_view rest = batch;
    size_t consumed = 0;
    while (parser.Parse(rest, &consumed) == ParseStatus::kOk) {
      benchmark::DoNotOptimize(parser.args().data());
      rest.remove_prefix(consumed);
    }
    if (!rest.empty()) state.SkipWithError("batch did not parse");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}

void BM_ParsePipelinedGet(benchmark::State& state) { ParseBatch(state, GetBatch()); }
BENCHMARK(BM_ParsePipelinedGet);

void BM_ParsePipelinedSet(benchmark::State& state) {
  ParseBatch(state, SetBatch(static_cast<size_t>(state.range(0))));
}
BENCHMARK(BM_ParsePipelinedSet)->Arg(64)->Arg(1024);

void BM_ParsePipelinedInlinePing(benchmark::State& state) {
  std::string batch;
  for (int i = 0; i < kBatch; ++i) batch += "PING\r\n";
  ParseBatch(state, batch);
}
BENCHMARK(BM_ParsePipelinedInlinePing);

// Encodes kBatch replies per iteration, then consumes them as a send would.
template <typename Fn>
void EncodeBatch(benchmark::State& state, Fn&& encode_one) {
  OutputBuffer out;
  ReplyEncoder encoder(&out, state.range(0) == 3 ? RespVersion::kResp3 : RespVersion::kResp2);
  size_t bytes = 0;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) encode_one(encoder, i);
    bytes += out.size();
    out.Consume(out.size());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_EncodeBulk(benchmark::State& state) {
  const std::string value(static_cast<size_t>(state.range(1)), 'v');
  EncodeBatch(state, [&](ReplyEncoder& e, int) { e.Bulk(value); });
}
BENCHMARK(BM_EncodeBulk)->Args({2, 16})->Args({2, 1024})->Args({2, 64 * 1024});

void BM_EncodeInteger(benchmark::State& state) {
  EncodeBatch(state, [](ReplyEncoder& e, int i) { e.Integer(i * 7919); });
}
BENCHMARK(BM_EncodeInteger)->Arg(2);

void BM_EncodeDouble(benchmark::State& state) {
  EncodeBatch(state, [](ReplyEncoder& e, int i) { e.Double(i * 0.37); });
}
BENCHMARK(BM_EncodeDouble)->Arg(2)->Arg(3);

// An HGETALL-like reply: a map of 8 field/value pairs (16 bulks).
void BM_EncodeMapOfBulks(benchmark::State& state) {
  const std::string field = "field:0000000001";
  const std::string value(32, 'v');
  EncodeBatch(state, [&](ReplyEncoder& e, int) {
    e.MapHeader(8);
    for (int j = 0; j < 8; ++j) {
      e.Bulk(field);
      e.Bulk(value);
    }
  });
}
BENCHMARK(BM_EncodeMapOfBulks)->Arg(2)->Arg(3);

// The client side: parsing a pipelined batch of bulk replies.
void BM_ParseBulkReplies(benchmark::State& state) {
  OutputBuffer out;
  ReplyEncoder encoder(&out);
  const std::string value(static_cast<size_t>(state.range(0)), 'v');
  for (int i = 0; i < kBatch; ++i) encoder.Bulk(value);
  const std::string batch = out.ToString();
  ReplyParser parser;
  Reply reply;
  for (auto _ : state) {
    std::string_view rest = batch;
    size_t consumed = 0;
    while (parser.Parse(rest, &consumed, &reply) == ParseStatus::kOk) rest.remove_prefix(consumed);
    benchmark::DoNotOptimize(reply.str.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_ParseBulkReplies)->Arg(16)->Arg(1024);

}  // namespace
}  // namespace ringkv::protocol
