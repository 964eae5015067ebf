// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The intset: a set of integers as one sorted array of 2-, 4- or 8-byte little-endian values,
// all of the width of the widest member (Redis's intset encoding, without its 8-byte header:
// SetObject keeps the count and the width). Lookups are binary searches; inserts and erases move
// the tail. Unlike Redis, the width also narrows again when an erase leaves only members that
// fit a smaller one (the extremes are at the ends of the sorted array, so that check is O(1)).
//
// The functions take the array and its count and width explicitly and return the (possibly
// moved) array; they keep the owner's byte count `heap` exact. Capacity is the allocator's usable
// size, as for buckets.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringkv::engine::detail {

// Narrowest intset width (2, 4 or 8) that holds v.
unsigned IntsetWidthFor(int64_t v);
int64_t IntsetGet(const uint8_t* data, unsigned width, size_t index);
// Binary search: true if v is present; *pos is its index, or where it would be inserted.
bool IntsetFind(const uint8_t* data, size_t count, unsigned width, int64_t v, size_t* pos);
// Inserts v at pos (from IntsetFind), widening the array when v needs it.
uint8_t* IntsetInsert(uint8_t* data, size_t count, uint8_t* width, size_t pos, int64_t v,
                      size_t* heap);
// Erases the value at pos; count is the size before the erase. Narrows when it can; returns
// nullptr (and frees the array) when nothing is left.
uint8_t* IntsetErase(uint8_t* data, size_t count, uint8_t* width, size_t pos, size_t* heap);
// A copy of the array (count values of width bytes).
uint8_t* IntsetClone(const uint8_t* data, size_t count, unsigned width, size_t* heap);

}  // namespace ringkv::engine::detail
