// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Replays a fuzz target's committed corpus (seeds and inputs of past crashes, in
// tests/fuzz/corpus/<target>/) through its LLVMFuzzerTestOneInput in every build, so the fuzz
// invariants are regression-tested without clang or libFuzzer. The target's source file is
// compiled into this test; RINGKV_CORPUS_DIR names its corpus.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

TEST(FuzzCorpusTest, EveryCorpusInputPassesTheTargetChecks) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(RINGKV_CORPUS_DIR)) {
    if (!entry.is_regular_file()) continue;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
              0);
    ++files;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
