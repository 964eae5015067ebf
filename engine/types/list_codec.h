// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Compression of one list node (the interior nodes of a long list; see engine/types/list.h).
// Three steps, each undone in reverse by DecompressNode:
//
//   1. Split: the element headers go first, all payloads after them, and the back lengths are
//      dropped (they follow from the headers). Headers of similar elements are then runs of equal
//      bytes, and payloads sit next to payloads.
//   2. LZ (engine/types/list_lz.h) removes repeats.
//   3. Huffman (engine/types/list_huff.h) removes the skew of the bytes left, when that pays.
//
// Stream: [method: 1 = LZ, 2 = LZ + Huffman][split length, u32][method 2: LZ length, u32][data].
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringkv::engine::detail {

// Compresses a plain node of `count` elements and `size` bytes into dst. Returns the compressed
// size, or 0 when it would not fit in cap (the node then stays plain).
size_t CompressNode(const uint8_t* plain, size_t size, size_t count, uint8_t* dst, size_t cap);

// Restores exactly `size` plain bytes of `count` elements. False on malformed input.
bool DecompressNode(const uint8_t* src, size_t n, size_t count, uint8_t* dst, size_t size);

}  // namespace ringkv::engine::detail
