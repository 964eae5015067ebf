// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// libFuzzer target for HashObject::FromPacked, the loader of a small hash's packed snapshot
// record (a snapshot file or a RESTORE payload is input the server did not write in this run).
// The first byte is the entry count, the rest the packed bytes. It checks that:
//  * checking the bytes never reads out of bounds, overflows or loops, whatever they are;
//  * a hash it accepts is consistent: its invariants hold, it has `count` entries, a small one
//    packs back to exactly the input, and every field it lists is found by a lookup and
//    replaced (not added again) by a write;
//  * the accepted hash survives the commands' writes (a new field, deleting every field).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/types/hash.h"
#include "tests/fuzz/fuzz_check.h"

using ringkv::engine::HashObject;
using ringkv::engine::Object;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint64_t count = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::unique_ptr<HashObject> h = HashObject::FromPacked(count, bytes);
  if (h == nullptr) return 0;
  FUZZ_CHECK(h->CheckInvariants().empty());
  FUZZ_CHECK(h->Size() == count);
  std::string packed;
  if (h->AppendPacked(&packed)) FUZZ_CHECK(packed == bytes);
  std::vector<std::pair<std::string, std::string>> entries;
  h->ForEach([&](std::string_view f, std::string_view v) { entries.emplace_back(f, v); });
  FUZZ_CHECK(entries.size() == count);
  for (const auto& [f, v] : entries) {
    HashObject::ValueBuf buf;
    const auto got = h->Get(f, &buf);
    FUZZ_CHECK(got.has_value() && *got == v);
  }
  std::unique_ptr<Object> owner(std::move(h));
  for (const auto& [f, v] : entries) FUZZ_CHECK(!HashObject::Set(owner, f, v));
  FUZZ_CHECK(owner->Size() == count);
  FUZZ_CHECK(HashObject::Set(owner, std::string(70, 'n'), "new"));  // converts when small
  FUZZ_CHECK(static_cast<HashObject&>(*owner).CheckInvariants().empty());
  for (const auto& [f, v] : entries) FUZZ_CHECK(HashObject::Delete(owner, f));
  const auto& hash = static_cast<const HashObject&>(*owner);
  FUZZ_CHECK(hash.Size() == 1);
  FUZZ_CHECK(hash.CheckInvariants().empty());
  (void)hash.MemoryUsage();
  return 0;
}
