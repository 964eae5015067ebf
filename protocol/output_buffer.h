// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// OutputBuffer: an append-only chain of fixed-size chunks that replies are encoded into and that a
// connection sends from with one gathered write. Appending never moves bytes already written, so
// an in-flight send can point at them while more replies are appended. Chunks are recycled after
// they are consumed, so a steady connection allocates nothing per reply.
//
// Thread safety: owned by one connection; not safe for concurrent use.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ringkv::protocol {

class OutputBuffer {
 public:
  // Default: 16 KiB chunks (at least 64 bytes); a larger append spans several chunks.
  explicit OutputBuffer(size_t chunk_size = 16 * 1024);
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;
  OutputBuffer(OutputBuffer&&) noexcept;
  OutputBuffer& operator=(OutputBuffer&&) noexcept;
  ~OutputBuffer();

  void Append(std::string_view bytes) {
    if (bytes.size() <= static_cast<size_t>(write_end_ - write_ptr_)) {
      if (!bytes.empty()) std::memcpy(write_ptr_, bytes.data(), bytes.size());
      Commit(bytes.size());
    } else {
      AppendSlow(bytes);
    }
  }
  void Append(char c) {
    if (write_ptr_ == write_end_) AddChunk();
    *write_ptr_++ = c;
    ++size_;
  }

  // Returns a pointer to at least `n` contiguous writable bytes (n <= chunk size); the caller
  // writes some prefix of them and then calls Commit with the number written. The fast path is
  // inline because every reply goes through it.
  char* Reserve(size_t n) {
    if (n <= static_cast<size_t>(write_end_ - write_ptr_)) return write_ptr_;
    return ReserveSlow(n);
  }
  // REQUIRES: n <= the size passed to the last Reserve().
  void Commit(size_t n) {
    write_ptr_ += n;
    size_ += n;
  }

  // The largest n Reserve() accepts.
  size_t chunk_size() const { return chunk_size_; }

  // Bytes appended and not yet consumed.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Fills up to `max` iovecs with the unconsumed bytes, in order, and returns how many it filled.
  // The pointers stay valid until Consume() releases those bytes or the buffer is destroyed.
  int FillIovecs(struct iovec* iov, int max) const;

  // Releases the first `n` bytes (they were sent). REQUIRES: n <= size().
  void Consume(size_t n);

  // Drops everything (keeps one chunk for reuse).
  void Clear();

  // If nothing is pending, frees every chunk, so an idle connection holds no output memory.
  // The next append allocates again.
  void ReleaseIdleMemory();

  // Bytes held in chunks, sent or not (for client-output-buffer accounting).
  size_t allocated_bytes() const;

  // Copies the unconsumed bytes into one string (tests and small users only).
  std::string ToString() const;

 private:
  struct Chunk;
  static constexpr size_t kMaxSpareChunks = 4;

  void AppendSlow(std::string_view bytes);
  char* ReserveSlow(size_t n);
  // Seals the tail chunk and starts a new one (recycled if possible).
  void AddChunk();
  // Bytes written into chunks_[i]; the tail's count lives in write_ptr_.
  size_t ChunkUsed(size_t i) const;
  const char* ChunkData(size_t i) const;
  void Recycle(std::unique_ptr<Chunk> chunk);

  size_t chunk_size_;
  std::vector<std::unique_ptr<Chunk>> chunks_;  // chunks_[0] holds the oldest unconsumed byte
  // Consumed chunks kept for reuse, at most kMaxSpareChunks, so a steady pipeline whose replies
  // span a few chunks allocates nothing.
  std::vector<std::unique_ptr<Chunk>> spares_;
  size_t head_offset_ = 0;  // consumed bytes in chunks_[0]
  size_t size_ = 0;
  // Free space of the tail chunk (both null when there is no chunk).
  char* write_ptr_ = nullptr;
  char* write_end_ = nullptr;
};

}  // namespace ringkv::protocol
