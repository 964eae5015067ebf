// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The packed small encoding of a sorted set; the layout is described in zset_listpack.h.
#include "engine/types/zset_listpack.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "engine/memory.h"
#include "engine/types/zset_codec.h"

namespace ringkv::engine {

namespace {

using zset_detail::GetVarint;
using zset_detail::PutVarint;
using zset_detail::VarintSize;

// Integral scores below this magnitude are stored as integers (zigzag needs one spare bit and the
// tag another, so 2^61 keeps every value inside 64 bits).
constexpr double kIntLimit = 2305843009213693952.0;  // 2^61

bool IntForm(double s, int64_t* v) {
  if (!(s > -kIntLimit && s < kIntLimit)) return false;
  const auto i = static_cast<int64_t>(s);
  if (static_cast<double>(i) != s) return false;
  *v = i;
  return true;
}

uint64_t ScoreTag(int64_t v) {
  const uint64_t zz = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  return zz << 1;
}

size_t ScoreSize(double s) {
  int64_t v;
  return IntForm(s, &v) ? VarintSize(ScoreTag(v)) : 1 + sizeof(double);
}

uint8_t* PutScore(uint8_t* p, double s) {
  int64_t v;
  if (IntForm(s, &v)) return PutVarint(p, ScoreTag(v));
  *p++ = 1;
  std::memcpy(p, &s, sizeof(s));
  return p + sizeof(s);
}

const uint8_t* GetScore(const uint8_t* p, double* s) {
  uint64_t tag;
  p = GetVarint(p, &tag);
  if (tag == 1) {
    std::memcpy(s, p, sizeof(*s));
    return p + sizeof(*s);
  }
  const uint64_t zz = tag >> 1;
  const auto v = static_cast<int64_t>((zz >> 1) ^ (0 - (zz & 1)));
  *s = static_cast<double>(v);
  return p;
}

uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

}  // namespace

ZListpack::~ZListpack() { std::free(buf_); }

ZListpack& ZListpack::operator=(ZListpack&& other) noexcept {
  if (this != &other) {
    std::free(buf_);
    buf_ = std::exchange(other.buf_, nullptr);
  }
  return *this;
}

ZListpack ZListpack::Clone() const {
  ZListpack out;
  if (buf_ != nullptr) {
    const uint32_t used = end();
    out.buf_ = static_cast<uint8_t*>(MustMalloc(used));
    std::memcpy(out.buf_, buf_, used);
  }
  return out;
}

void ZListpack::Clear() {
  std::free(buf_);
  buf_ = nullptr;
}

size_t ZListpack::size() const { return buf_ == nullptr ? 0 : Load32(buf_ + 4); }

size_t ZListpack::AllocatedBytes() const { return AllocSize(buf_); }

uint32_t ZListpack::end() const { return buf_ == nullptr ? kFirst : Load32(buf_); }

void ZListpack::SetHeader(uint32_t used, uint32_t count) {
  std::memcpy(buf_, &used, sizeof(used));
  std::memcpy(buf_ + 4, &count, sizeof(count));
}

ZEntry ZListpack::Read(uint32_t offset, uint32_t* next) const {
  const uint8_t* p = buf_ + offset;
  uint64_t len;
  p = GetVarint(p, &len);
  ZEntry e;
  e.member = std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(len));
  p = GetScore(p + len, &e.score);
  *next = static_cast<uint32_t>(p - buf_);
  return e;
}

void ZListpack::CollectOffsets(Offsets* out) const {
  out->clear();
  const uint32_t e = end();
  uint32_t off = kFirst;
  while (off < e) {
    out->push_back(off);
    Read(off, &off);
  }
  out->push_back(e);
}

bool ZListpack::Find(std::string_view member, size_t* index, double* score) const {
  const uint32_t e = end();
  size_t i = 0;
  for (uint32_t off = kFirst; off < e; ++i) {
    ZEntry entry = Read(off, &off);
    if (entry.member == member) {
      if (index != nullptr) *index = i;
      if (score != nullptr) *score = entry.score;
      return true;
    }
  }
  return false;
}

size_t ZListpack::EntrySize(std::string_view member, double score) {
  return VarintSize(member.size()) + member.size() + ScoreSize(score);
}

uint8_t* ZListpack::PutEntry(uint8_t* p, std::string_view member, double score) {
  p = PutVarint(p, member.size());
  if (!member.empty()) std::memcpy(p, member.data(), member.size());
  return PutScore(p + member.size(), score);
}

uint8_t* ZListpack::MakeRoom(uint32_t offset, size_t n) {
  const uint32_t used = end();
  const size_t new_used = used + n;
  auto* nb = static_cast<uint8_t*>(std::realloc(buf_, new_used));
  if (nb == nullptr) std::abort();
  if (buf_ == nullptr) {
    const uint32_t zero = 0;
    std::memcpy(nb + 4, &zero, sizeof(zero));
  }
  buf_ = nb;
  std::memmove(buf_ + offset + n, buf_ + offset, used - offset);
  SetHeader(static_cast<uint32_t>(new_used), Load32(buf_ + 4) + 1);
  return buf_ + offset;
}

void ZListpack::Insert(std::string_view member, double score) {
  score = Normalize(score);
  const uint32_t e = end();
  uint32_t off = kFirst;
  while (off < e) {
    uint32_t next;
    ZEntry entry = Read(off, &next);
    if (zset_detail::CompareEntries(entry.score, entry.member, score, member) > 0) break;
    off = next;
  }
  PutEntry(MakeRoom(off, EntrySize(member, score)), member, score);
}

void ZListpack::Append(std::string_view member, double score) {
  score = Normalize(score);
  PutEntry(MakeRoom(end(), EntrySize(member, score)), member, score);
}

void ZListpack::EraseRange(size_t first, size_t count) {
  if (count == 0) return;
  const uint32_t e = end();
  uint32_t from = kFirst;
  for (size_t i = 0; i < first; ++i) Read(from, &from);
  uint32_t to = from;
  for (size_t i = 0; i < count; ++i) Read(to, &to);
  const uint32_t n = static_cast<uint32_t>(size() - count);
  if (n == 0) {
    Clear();
    return;
  }
  std::memmove(buf_ + from, buf_ + to, e - to);
  const uint32_t used = e - (to - from);
  SetHeader(used, n);
  auto* nb = static_cast<uint8_t*>(std::realloc(buf_, used));
  if (nb != nullptr) buf_ = nb;
}

bool ZListpack::Erase(std::string_view member) {
  size_t index;
  if (!Find(member, &index, nullptr)) return false;
  EraseRange(index, 1);
  return true;
}

}  // namespace ringkv::engine
