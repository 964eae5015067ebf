// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Byte-level canonical Huffman coding, the second stage of list node compression (after
// engine/types/list_lz.h): LZ removes repeats, this removes the skew of what is left (the
// letters of random text use 5-6 bits of each byte, the high bytes of small integers almost
// none). One code per buffer, code lengths at most kHuffMaxBits so decoding is one table lookup
// per byte.
//
// Stream: the code lengths, then the codes, least significant bit first. The lengths are 4 bits
// each, two to a byte, the earlier symbol in the low nibble, in one of two forms chosen by the
// first byte: 0 = all 256 lengths (128 bytes); 1 = a 32-byte bitmap of the symbols present,
// then only their lengths (cheaper when few byte values occur, as in text). The decoder checks the
// lengths and every bound and fails cleanly on bad input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringkv::engine::detail {

inline constexpr unsigned kHuffMaxBits = 11;

// Encodes n bytes of src into dst (capacity cap). Returns the encoded size, or 0 if it would
// not fit in cap or n is 0.
size_t HuffCompress(const uint8_t* src, size_t n, uint8_t* dst, size_t cap);

// Decodes exactly out_n bytes. False if the input is malformed or too short.
bool HuffDecompress(const uint8_t* src, size_t n, uint8_t* dst, size_t out_n);

}  // namespace ringkv::engine::detail
