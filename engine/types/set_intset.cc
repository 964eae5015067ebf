// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/set_intset.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "engine/memory.h"

namespace ringkv::engine::detail {

namespace {

void Put(uint8_t* data, unsigned width, size_t index, int64_t v) {
  uint8_t* p = data + index * width;
  if (width == 2) {
    const auto x = static_cast<int16_t>(v);
    std::memcpy(p, &x, 2);
  } else if (width == 4) {
    const auto x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
  } else {
    std::memcpy(p, &v, 8);
  }
}

uint8_t* Realloc(uint8_t* data, size_t bytes, size_t* heap) {
  *heap -= AllocSize(data);
  auto* p = static_cast<uint8_t*>(std::realloc(data, bytes == 0 ? 1 : bytes));
  if (p == nullptr) std::abort();
  *heap += AllocSize(p);
  return p;
}

// A new array of the `count` values of `data` (at `from` width) at `to` width, with room for one
// more value at index `gap`; gap > count leaves no room.
uint8_t* Rewidth(const uint8_t* data, size_t count, unsigned from, unsigned to, size_t gap,
                 size_t* heap) {
  const size_t slots = gap <= count ? count + 1 : count;
  auto* out = static_cast<uint8_t*>(MustMalloc(slots * to));
  *heap += AllocSize(out);
  for (size_t i = 0; i < count; ++i) Put(out, to, i < gap ? i : i + 1, IntsetGet(data, from, i));
  return out;
}

}  // namespace

unsigned IntsetWidthFor(int64_t v) {
  if (v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max()) {
    return 2;
  }
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    return 4;
  }
  return 8;
}

int64_t IntsetGet(const uint8_t* data, unsigned width, size_t index) {
  const uint8_t* p = data + index * width;
  if (width == 2) {
    int16_t x;
    std::memcpy(&x, p, 2);
    return x;
  }
  if (width == 4) {
    int32_t x;
    std::memcpy(&x, p, 4);
    return x;
  }
  int64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

bool IntsetFind(const uint8_t* data, size_t count, unsigned width, int64_t v, size_t* pos) {
  size_t lo = 0;
  size_t hi = count;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (IntsetGet(data, width, mid) < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *pos = lo;
  return lo < count && IntsetGet(data, width, lo) == v;
}

uint8_t* IntsetInsert(uint8_t* data, size_t count, uint8_t* width, size_t pos, int64_t v,
                      size_t* heap) {
  const unsigned need = IntsetWidthFor(v);
  if (need > *width) {
    uint8_t* out = Rewidth(data, count, *width, need, pos, heap);
    if (data != nullptr) {
      *heap -= AllocSize(data);
      std::free(data);
    }
    *width = static_cast<uint8_t>(need);
    Put(out, need, pos, v);
    return out;
  }
  const unsigned w = *width;
  if (data == nullptr || (count + 1) * w > AllocSize(data))
    data = Realloc(data, (count + 1) * w, heap);
  std::memmove(data + (pos + 1) * w, data + pos * w, (count - pos) * w);
  Put(data, w, pos, v);
  return data;
}

uint8_t* IntsetErase(uint8_t* data, size_t count, uint8_t* width, size_t pos, size_t* heap) {
  if (count == 1) {
    *heap -= AllocSize(data);
    std::free(data);
    *width = 2;
    return nullptr;
  }
  const unsigned w = *width;
  std::memmove(data + pos * w, data + (pos + 1) * w, (count - pos - 1) * w);
  const size_t left = count - 1;
  const unsigned fit =
      std::max(IntsetWidthFor(IntsetGet(data, w, 0)), IntsetWidthFor(IntsetGet(data, w, left - 1)));
  if (fit < w) {
    uint8_t* out = Rewidth(data, left, w, fit, left + 1, heap);
    *heap -= AllocSize(data);
    std::free(data);
    *width = static_cast<uint8_t>(fit);
    return out;
  }
  const size_t cap = AllocSize(data);
  const size_t used = left * w;
  if (cap - used >= 16 && cap - used >= cap / 4) data = Realloc(data, used, heap);
  return data;
}

uint8_t* IntsetClone(const uint8_t* data, size_t count, unsigned width, size_t* heap) {
  if (data == nullptr) return nullptr;
  auto* out = static_cast<uint8_t*>(MustMalloc(count * width));
  std::memcpy(out, data, count * width);
  *heap += AllocSize(out);
  return out;
}

}  // namespace ringkv::engine::detail
