// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The packed element format of a list node: elements one after another in a byte buffer, each
// readable from its start (forwards) and from its end (backwards), so both ends of a node are
// O(1) and the middle is a walk. Integers that read back as the same text are stored as binary.
// This file only encodes and decodes single elements; engine/types/list.h owns the nodes.
//
// One element is [header][payload][backlen]:
//
//   header 0xxxxxxx             integer 0..127 (no payload)
//          10LLLLLL             string of 0..63 bytes
//          110LLLLL LLLLLLLL    string of 64..8191 bytes (13-bit length, high bits first)
//          11100000 + 4 bytes   string of any length (u32, little endian)
//          1110nnnn, n = 1..8   integer in n bytes, little endian two's complement
//   backlen                     header+payload size in 7-bit groups, written so that reading
//                               backwards from the element's end finds the low group first; a
//                               set top bit means another group precedes (1 byte below 128).
//
// A string is stored as an integer only when it is the canonical text of an int64 (what Redis's
// string2ll accepts: no '+', no leading zeros, no "-0"), so every element reads back as the exact
// bytes that were pushed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringkv::engine::detail {

// Room for the text of any int64.
inline constexpr size_t kLpIntBufSize = 24;

// An element ready to be written (also used as the query of a comparison).
struct LpValue {
  bool is_int = false;
  int64_t i = 0;
  std::string_view s;  // the original bytes (both forms)
  size_t body = 0;     // header + payload
  size_t total = 0;    // body + backlen
};

// A decoded element. `s` points into the buffer it was read from.
struct LpElem {
  bool is_int = false;
  int64_t i = 0;
  std::string_view s;
  size_t total = 0;  // bytes the element occupies, backlen included
};

// True if `s` is the canonical decimal text of an int64 (string2ll's rules); sets *out.
bool LpParseCanonicalInt(std::string_view s, int64_t* out);

LpValue LpPrepare(std::string_view v);
// Writes the element at dst. REQUIRES: dst has v.total bytes.
void LpWrite(const LpValue& v, uint8_t* dst);
// Decodes the element that starts at p. REQUIRES: p is an element start in a valid buffer.
LpElem LpRead(const uint8_t* p);
// Header and payload lengths of the element that starts at p (its body is their sum).
void LpParts(const uint8_t* p, size_t* header, size_t* payload);
// Writes the backlen of a `body`-byte element at dst; returns its size (1..5).
size_t LpWriteBacklen(size_t body, uint8_t* dst);
// Size (backlen included) of the element that starts at p, from its header alone.
size_t LpTotal(const uint8_t* p);
// Size (backlen included) of the element that ends just before `end`.
size_t LpPrevTotal(const uint8_t* end);
// The element's bytes; integers are formatted into buf (kLpIntBufSize bytes).
std::string_view LpView(const LpElem& e, char* buf);
// Element equals the query (as byte strings).
inline bool LpEquals(const LpElem& e, const LpValue& q) {
  return e.is_int == q.is_int && (e.is_int ? e.i == q.i : e.s == q.s);
}

}  // namespace ringkv::engine::detail
