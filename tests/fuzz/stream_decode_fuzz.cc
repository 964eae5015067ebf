// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// libFuzzer target for StreamObject::Deserialize, the decoder of a stream's snapshot record (a
// snapshot file is input the server did not write in this run). It checks that:
//  * decoding never reads out of bounds, overflows or loops, whatever the bytes;
//  * a stream it accepts is consistent: a full walk forwards and backwards yields Size()
//    entries in ascending / descending ID order, and every pending entry's owner lists it;
//  * an accepted stream re-encodes to bytes that decode again and re-encode identically;
//  * an accepted stream survives the writes the commands make (XADD, XDEL, XTRIM, a group read).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types/stream.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using ringkv::engine::StreamId;
using ringkv::engine::StreamObject;
using ringkv::engine::StreamTrim;

void CheckConsistent(const StreamObject& s) {
  std::vector<StreamId> fwd;
  s.Range({0, 0}, StreamId::Max(), 0, false,
          [&](StreamId id, std::span<const std::string_view> fv) {
            FUZZ_CHECK(fv.size() % 2 == 0 && !fv.empty());
            fwd.push_back(id);
          });
  FUZZ_CHECK(fwd.size() == s.Size());
  for (size_t i = 1; i < fwd.size(); ++i) FUZZ_CHECK(fwd[i - 1] < fwd[i]);
  size_t back = 0;
  s.Range({0, 0}, StreamId::Max(), 0, true, [&](StreamId id, std::span<const std::string_view>) {
    FUZZ_CHECK(back < fwd.size() && fwd[fwd.size() - 1 - back] == id);
    ++back;
  });
  FUZZ_CHECK(back == fwd.size());
  for (const auto& [name, g] : s.groups()) {
    size_t owned = 0;
    for (const auto& [cname, c] : g->consumers) {
      FUZZ_CHECK(c->name == cname);
      for (StreamId id : c->pel) {
        auto it = g->pel.find(id);
        FUZZ_CHECK(it != g->pel.end() && it->second.consumer == c.get());
      }
      owned += c->pel.size();
    }
    size_t with_owner = 0;
    for (const auto& [id, nack] : g->pel) with_owner += nack.consumer != nullptr ? 1 : 0;
    FUZZ_CHECK(owned == with_owner);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<StreamObject> s = StreamObject::Deserialize(in);
  if (s == nullptr) return 0;
  CheckConsistent(*s);
  std::string again;
  s->Serialize(&again);
  std::unique_ptr<StreamObject> t = StreamObject::Deserialize(again);
  FUZZ_CHECK(t != nullptr);
  std::string third;
  t->Serialize(&third);
  FUZZ_CHECK(third == again);
  // The commands' writes on what was loaded.
  const std::string_view fv[] = {"a", "1", "b", "text"};
  StreamId added;
  s->Add(fv, 1, nullptr, true, {}, &added);
  if (s->Size() > 0) {
    const StreamId first = s->FirstEntryId(true);
    s->Delete(std::span<const StreamId>(&first, 1));
  }
  if (!s->groups().empty()) {
    StreamObject::Group& g = *s->FindGroup(s->groups().begin()->first);
    StreamObject::Consumer* c = StreamObject::FindConsumer(g, "fuzz", 2, true);
    if (c == nullptr) c = StreamObject::CreateConsumer(g, "fuzz", 2);
    s->DeliverNew(g, *c, 3, false, 2, [](StreamId, std::span<const std::string_view>) {});
    (void)s->Lag(g);
  }
  StreamTrim trim;
  trim.strategy = StreamTrim::Strategy::kMaxLen;
  trim.maxlen = s->Size() / 2;
  s->Trim(trim);
  CheckConsistent(*s);
  (void)s->MemoryUsage();
  return 0;
}
