// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// A small, fast LZ77 byte compressor, the first stage of list node compression
// (engine/types/list_codec.h). It trades ratio for speed: greedy matching through one hash
// probe; the entropy coding is list_huff.h's job. Only ringkv's own node buffers are
// ever decompressed, but the decoder still checks every bound and fails cleanly on bad input.
//
// Stream: a sequence of [token][literal length extension][literals][offset][match length
// extension], where the token's high nibble is the literal count and its low nibble the match
// length minus 4 (15 in a nibble: extension bytes follow, each 255 adds 255, the first byte below
// 255 ends it); the offset is 2 bytes, little endian, 1..65535 back. The last sequence has only
// literals and ends the stream.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringkv::engine::detail {

// Compresses n bytes of src into dst (capacity cap). Returns the compressed size, or 0 if the
// result would not fit in cap (the caller then keeps the data uncompressed).
size_t LzCompress(const uint8_t* src, size_t n, uint8_t* dst, size_t cap);

// Decompresses exactly out_n bytes. Returns false if the input is malformed or does not decode
// to exactly out_n bytes.
bool LzDecompress(const uint8_t* src, size_t n, uint8_t* dst, size_t out_n);

}  // namespace ringkv::engine::detail
