// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// OutputBuffer keeps replies in fixed-size chunks. The tail chunk's fill level is not stored in
// the chunk but in write_ptr_, so the inline Reserve/Commit fast path touches two pointers and a
// counter only; a chunk's `used` is written when it stops being the tail.

#include "protocol/output_buffer.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace ringkv::protocol {

struct OutputBuffer::Chunk {
  explicit Chunk(size_t capacity) : data(std::make_unique_for_overwrite<char[]>(capacity)) {}
  std::unique_ptr<char[]> data;
  size_t used = 0;  // valid once the chunk is no longer the tail
};

OutputBuffer::OutputBuffer(size_t chunk_size) : chunk_size_(std::max<size_t>(chunk_size, 64)) {}

OutputBuffer::OutputBuffer(OutputBuffer&& other) noexcept
    : chunk_size_(other.chunk_size_),
      chunks_(std::move(other.chunks_)),
      spares_(std::move(other.spares_)),
      head_offset_(std::exchange(other.head_offset_, 0)),
      size_(std::exchange(other.size_, 0)),
      write_ptr_(std::exchange(other.write_ptr_, nullptr)),
      write_end_(std::exchange(other.write_end_, nullptr)) {
  other.chunks_.clear();
  other.spares_.clear();
}

OutputBuffer& OutputBuffer::operator=(OutputBuffer&& other) noexcept {
  if (this != &other) {
    chunk_size_ = other.chunk_size_;
    chunks_ = std::move(other.chunks_);
    other.chunks_.clear();
    spares_ = std::move(other.spares_);
    other.spares_.clear();
    head_offset_ = std::exchange(other.head_offset_, 0);
    size_ = std::exchange(other.size_, 0);
    write_ptr_ = std::exchange(other.write_ptr_, nullptr);
    write_end_ = std::exchange(other.write_end_, nullptr);
  }
  return *this;
}

OutputBuffer::~OutputBuffer() = default;

size_t OutputBuffer::ChunkUsed(size_t i) const {
  if (i + 1 == chunks_.size()) return static_cast<size_t>(write_ptr_ - chunks_[i]->data.get());
  return chunks_[i]->used;
}

const char* OutputBuffer::ChunkData(size_t i) const { return chunks_[i]->data.get(); }

void OutputBuffer::AddChunk() {
  if (!chunks_.empty()) chunks_.back()->used = ChunkUsed(chunks_.size() - 1);
  std::unique_ptr<Chunk> chunk;
  if (spares_.empty()) {
    chunk = std::make_unique<Chunk>(chunk_size_);
  } else {
    chunk = std::move(spares_.back());
    spares_.pop_back();
  }
  chunk->used = 0;
  write_ptr_ = chunk->data.get();
  write_end_ = write_ptr_ + chunk_size_;
  chunks_.push_back(std::move(chunk));
}

void OutputBuffer::Recycle(std::unique_ptr<Chunk> chunk) {
  if (spares_.size() < kMaxSpareChunks) spares_.push_back(std::move(chunk));
}

char* OutputBuffer::ReserveSlow(size_t n) {
  assert(n <= chunk_size_);
  (void)n;
  AddChunk();
  return write_ptr_;
}

void OutputBuffer::AppendSlow(std::string_view bytes) {
  while (!bytes.empty()) {
    if (write_ptr_ == write_end_) AddChunk();
    const size_t n = std::min(bytes.size(), static_cast<size_t>(write_end_ - write_ptr_));
    std::memcpy(write_ptr_, bytes.data(), n);
    Commit(n);
    bytes.remove_prefix(n);
  }
}

int OutputBuffer::FillIovecs(struct iovec* iov, int max) const {
  int filled = 0;
  size_t offset = head_offset_;
  for (size_t i = 0; i < chunks_.size() && filled < max; ++i, offset = 0) {
    const size_t used = ChunkUsed(i);
    if (used == offset) continue;
    iov[filled].iov_base = const_cast<char*>(ChunkData(i) + offset);
    iov[filled].iov_len = used - offset;
    ++filled;
  }
  return filled;
}

void OutputBuffer::Consume(size_t n) {
  assert(n <= size_);
  size_ -= n;
  while (!chunks_.empty()) {
    const size_t avail = ChunkUsed(0) - head_offset_;
    if (n < avail || chunks_.size() == 1) {
      head_offset_ += n;
      break;
    }
    n -= avail;
    Recycle(std::move(chunks_.front()));
    chunks_.erase(chunks_.begin());
    head_offset_ = 0;
  }
  // With nothing pending, the tail chunk starts over so its whole capacity is usable again.
  if (size_ == 0 && !chunks_.empty()) {
    head_offset_ = 0;
    write_ptr_ = chunks_.back()->data.get();
  }
}

void OutputBuffer::Clear() { Consume(size_); }

void OutputBuffer::ReleaseIdleMemory() {
  if (size_ != 0) return;
  chunks_.clear();
  spares_.clear();
  head_offset_ = 0;
  write_ptr_ = write_end_ = nullptr;
}

size_t OutputBuffer::allocated_bytes() const {
  return (chunks_.size() + spares_.size()) * chunk_size_;
}

std::string OutputBuffer::ToString() const {
  std::string out;
  out.reserve(size_);
  size_t offset = head_offset_;
  for (size_t i = 0; i < chunks_.size(); ++i, offset = 0) {
    out.append(ChunkData(i) + offset, ChunkUsed(i) - offset);
  }
  return out;
}

}  // namespace ringkv::protocol
