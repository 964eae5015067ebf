// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// OutputBuffer tests: chunk spanning, gathered iovecs, partial consumption (short sends), chunk
// recycling, and that bytes already handed to a send never move while more is appended.

#include "protocol/output_buffer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ringkv::protocol {
namespace {

std::string Gather(const OutputBuffer& out, int max_iov = 64) {
  std::vector<struct iovec> iov(max_iov);
  const int n = out.FillIovecs(iov.data(), max_iov);
  std::string s;
  for (int i = 0; i < n; ++i) s.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  return s;
}

TEST(OutputBufferTest, StartsEmpty) {
  OutputBuffer out;
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(out.size(), 0u);
  EXPECT_EQ(out.allocated_bytes(), 0u);
  EXPECT_EQ(out.ToString(), "");
  struct iovec iov[1];
  EXPECT_EQ(out.FillIovecs(iov, 1), 0);
  out.Consume(0);
  out.Clear();
}

TEST(OutputBufferTest, AppendsSpanChunks) {
  OutputBuffer out(64);
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    const std::string piece(static_cast<size_t>(i % 70), static_cast<char>('a' + i % 26));
    out.Append(piece);
    out.Append('|');
    expected += piece + '|';
  }
  EXPECT_EQ(out.size(), expected.size());
  EXPECT_EQ(out.ToString(), expected);
  EXPECT_EQ(Gather(out), expected);
  EXPECT_EQ(out.allocated_bytes() % 64, 0u);
}

TEST(OutputBufferTest, ReserveAndCommit) {
  OutputBuffer out(64);
  out.Append(std::string(60, 'a'));
  char* p = out.Reserve(10);  // does not fit in the 4 bytes left: a new chunk
  std::memcpy(p, "0123456789", 10);
  out.Commit(7);
  EXPECT_EQ(out.ToString(), std::string(60, 'a') + "0123456");
  EXPECT_EQ(out.chunk_size(), 64u);
  p = out.Reserve(64);
  out.Commit(0);
  EXPECT_EQ(out.size(), 67u);
}

TEST(OutputBufferTest, FillIovecsRespectsMax) {
  OutputBuffer out(64);
  out.Append(std::string(64 * 5, 'x'));
  struct iovec iov[3];
  EXPECT_EQ(out.FillIovecs(iov, 3), 3);
  EXPECT_EQ(iov[0].iov_len, 64u);
}

TEST(OutputBufferTest, ConsumeInRandomStepsKeepsOrder) {
  std::mt19937 rng(7);
  OutputBuffer out(64);
  std::string model;
  for (int round = 0; round < 2000; ++round) {
    if (rng() % 2 == 0) {
      std::string piece(rng() % 150, '\0');
      for (char& c : piece) c = static_cast<char>('a' + rng() % 26);
      out.Append(piece);
      model += piece;
    } else {
      const size_t n = model.empty() ? 0 : rng() % (model.size() + 1);
      out.Consume(n);
      model.erase(0, n);
    }
    ASSERT_EQ(out.size(), model.size());
    ASSERT_EQ(Gather(out, 1000), model) << round;
  }
}

TEST(OutputBufferTest, PendingBytesDoNotMoveWhileAppending) {
  OutputBuffer out(64);
  out.Append("hello");
  struct iovec iov[1];
  ASSERT_EQ(out.FillIovecs(iov, 1), 1);
  const char* sent = static_cast<const char*>(iov[0].iov_base);
  for (int i = 0; i < 100; ++i) out.Append("more bytes that need new chunks");
  EXPECT_EQ(std::string_view(sent, 5), "hello");
  out.Consume(5);
  EXPECT_EQ(out.size(), 100 * 31u);
}

TEST(OutputBufferTest, ConsumedChunksAreRecycled) {
  OutputBuffer out(64);
  for (int round = 0; round < 100; ++round) {
    out.Append(std::string(64 * 4, 'x'));
    out.Consume(out.size());
  }
  // At most the tail plus four spares, however many rounds ran.
  EXPECT_LE(out.allocated_bytes(), 64 * 5u);
  out.ReleaseIdleMemory();
  EXPECT_EQ(out.allocated_bytes(), 0u);
  out.Append("again");
  EXPECT_EQ(out.ToString(), "again");
}

TEST(OutputBufferTest, ReleaseIdleMemoryKeepsPendingBytes) {
  OutputBuffer out(64);
  out.Append("pending");
  out.ReleaseIdleMemory();
  EXPECT_EQ(out.ToString(), "pending");
  EXPECT_GT(out.allocated_bytes(), 0u);
}

TEST(OutputBufferTest, FullyConsumedTailIsReusedFromItsStart) {
  OutputBuffer out(64);
  out.Append(std::string(60, 'a'));
  out.Consume(60);
  out.Append(std::string(64, 'b'));  // fits in the reset tail: no second chunk
  EXPECT_EQ(out.allocated_bytes(), 64u);
  EXPECT_EQ(out.ToString(), std::string(64, 'b'));
}

TEST(OutputBufferTest, ClearDropsEverything) {
  OutputBuffer out(64);
  out.Append(std::string(500, 'z'));
  out.Clear();
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(out.ToString(), "");
  out.Append("x");
  EXPECT_EQ(out.ToString(), "x");
}

TEST(OutputBufferTest, MoveTransfersContents) {
  OutputBuffer a(64);
  a.Append(std::string(200, 'q'));
  OutputBuffer b(std::move(a));
  EXPECT_EQ(b.ToString(), std::string(200, 'q'));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is valid and empty
  a.Append("reuse");
  EXPECT_EQ(a.ToString(), "reuse");
  OutputBuffer c;
  c.Append("old");
  c = std::move(b);
  EXPECT_EQ(c.ToString(), std::string(200, 'q'));
  c.Append("!");
  EXPECT_EQ(c.size(), 201u);
}

}  // namespace
}  // namespace ringkv::protocol
