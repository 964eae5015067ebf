// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// StreamObject: the value of a Redis stream key, with its consumer groups. A plain data
// structure (no RESP, no error text): server/commands/streams.cc turns it into commands.
//
// Entries. A stream is an ordered map from a node's first ID to a node: one malloc'd buffer of
// packed entries, as Redis packs them in listpacks under a radix tree. A node starts with its
// "master fields" (the field names of its first entry); an entry whose names are the same, in
// the same order, stores only its values. Layout (varints are LEB128):
//   node:   nfields, then per master field: length, bytes; then the entries
//   entry:  u8 flags (kDeleted, kSameFields) | ms - master.ms | seq delta (seq - master.seq when
//           the ms are equal, else seq) | [nfields when not kSameFields] | per field (names only
//           when not kSameFields): name length, name, value
//   value:  a header h; h even: h / 2 bytes of text follow; h odd: the integer zigzag(h / 2),
//           standing for its canonical decimal text (as listpacks store integers)
// So a 3-field entry of small values costs about 8 to 12 bytes. A new node starts when the tail one
// holds stream-node-max-entries entries (deleted ones included), or its bytes plus the new
// entry's field bytes reach stream-node-max-bytes, as in Redis; only the tail node has spare
// capacity, and it is shrunk to fit when the next node starts. XDEL only flags an entry deleted
// (a node goes when its last live entry does) and trimming removes whole nodes first, with
// MAXLEN/MINID ~ removing only whole nodes, so `~` trims at the same points as Redis when the
// node sizes are decided by the entry count.
//
// Consumer groups follow Redis 7.0's t_stream.c: a group has a last-delivered ID, an
// entries-read counter (-1: unknown) and a pending-entries list (PEL) of Nacks, each owned by
// one consumer, whose own PEL lists the same IDs. The lag and entries-read rules (tombstones,
// first/last entry) are Redis's, so XINFO reports the same numbers.
//
// Memory: node buffers are counted with the allocator's sizes; the ordered maps (absl::btree)
// are counted as their values' bytes over the btree's typical 3/4 fill.
//
// Thread safety: none; the shard lock of the owning entry guards it.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "engine/object.h"

namespace ringkv::engine {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  friend auto operator<=>(const StreamId&, const StreamId&) = default;
  static constexpr StreamId Max() { return {UINT64_MAX, UINT64_MAX}; }
  bool IsZero() const { return ms == 0 && seq == 0; }
  // The next ID; false (and 0-0) past the maximum, as Redis's streamIncrID.
  bool Incr();
  // The previous ID; false (and the maximum) before 0-0, as Redis's streamDecrID.
  bool Decr();
  // "<ms>-<seq>".
  std::string ToString() const;
};

// Redis's streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missing_seq), "-" and "+"
// (the minimum and maximum; refused when strict), each number an unsigned 64-bit decimal. With
// seq_given non-null, "<ms>-*" is accepted too and sets *seq_given false (true otherwise).
bool ParseStreamId(std::string_view s, uint64_t missing_seq, bool strict, StreamId* id,
                   bool* seq_given = nullptr);

// XADD / XTRIM trimming (Redis's streamAddTrimArgs).
struct StreamTrim {
  enum class Strategy : uint8_t { kNone, kMaxLen, kMinId };
  Strategy strategy = Strategy::kNone;
  bool approx = false;  // `~`: remove whole nodes only
  int64_t limit = 0;    // at most this many entries removed; 0 = no limit
  uint64_t maxlen = 0;  // kMaxLen: leave at most this many entries
  StreamId minid;       // kMinId: remove entries below this ID
};

// Node size limits (stream-node-max-bytes / stream-node-max-entries); 0 = no limit.
struct StreamNodeLimits {
  size_t max_bytes = 4096;
  size_t max_entries = 100;
};

class StreamObject final : public ObjectOf<StreamObject> {
 public:
  struct Consumer;
  struct Nack {
    Consumer* consumer = nullptr;  // null only for an XCLAIM FORCE entry not yet assigned
    int64_t delivery_time = 0;     // Unix ms
    uint64_t delivery_count = 0;
  };
  struct Consumer {
    std::string name;
    int64_t seen_time = 0;  // Unix ms of the last read or claim
    absl::btree_set<StreamId> pel;
  };
  struct Group {
    StreamId last_id;
    int64_t entries_read = -1;  // -1: unknown (Redis's SCG_INVALID_ENTRIES_READ)
    absl::btree_map<StreamId, Nack> pel;
    absl::btree_map<std::string, std::unique_ptr<Consumer>, std::less<>> consumers;
  };
  using Groups = absl::btree_map<std::string, std::unique_ptr<Group>, std::less<>>;
  // An entry: its ID and its fields and values, alternating. The views live for the call.
  using EntryFn = absl::FunctionRef<void(StreamId, std::span<const std::string_view>)>;

  StreamObject() = default;
  ~StreamObject();
  StreamObject(const StreamObject&) = delete;
  StreamObject& operator=(const StreamObject&) = delete;

  size_t MemoryUsage() const;
  std::unique_ptr<Object> Clone() const;
  Encoding encoding() const { return Encoding::kStream; }
  size_t Size() const { return length_; }
  // A stream stays when its last entry goes (Redis deletes only emptied collections of the
  // other types).
  bool Empty() const { return false; }

  // ---- Entries. ------------------------------------------------------------------------------
  enum class AddStatus : uint8_t { kOk, kIdTooSmall, kTooLarge };
  // XADD: appends fields_values (field, value, ...; non-empty, even) with the next ID after
  // last_id() for now_ms, or with *id (seq_given false: the sequence is chosen as for "<ms>-*").
  // kIdTooSmall: the ID is not above last_id(). kTooLarge: over 1 GB of field bytes.
  AddStatus Add(std::span<const std::string_view> fields_values, int64_t now_ms, const StreamId* id,
                bool seq_given, const StreamNodeLimits& limits, StreamId* added);
  // XTRIM / XADD's trimming: the number of entries removed.
  int64_t Trim(const StreamTrim& trim);
  // Entries with start <= ID <= end, ascending (or descending when rev), at most count of them
  // (0: all). Returns how many fn received.
  size_t Range(StreamId start, StreamId end, size_t count, bool rev, EntryFn fn) const;
  // XDEL: removes the entries with these IDs; returns how many existed.
  size_t Delete(std::span<const StreamId> ids);
  bool Contains(StreamId id) const;
  // The ID of the last live entry (0-0 when there is none).
  StreamId LastEntryId() const;
  // The ID of the first entry, live (skip_deleted) or not; the maximum ID when there is none.
  StreamId FirstEntryId(bool skip_deleted) const;

  uint64_t entries_added() const { return entries_added_; }
  StreamId last_id() const { return last_id_; }
  StreamId first_id() const { return first_id_; }  // recorded-first-entry-id
  StreamId max_deleted_id() const { return max_deleted_id_; }
  size_t nodes() const { return nodes_.size(); }
  // XSETID: the caller has checked the arguments against the stream.
  void SetIds(StreamId last_id, std::optional<uint64_t> entries_added,
              std::optional<StreamId> max_deleted_id);

  // ---- Consumer groups. ----------------------------------------------------------------------
  const Groups& groups() const { return groups_; }
  Group* FindGroup(std::string_view name);
  const Group* FindGroup(std::string_view name) const;
  // Null when a group of that name exists.
  Group* CreateGroup(std::string_view name, StreamId last_id, int64_t entries_read);
  bool DestroyGroup(std::string_view name);
  // The consumer, its seen time set to now_ms when refresh; null if there is none.
  static Consumer* FindConsumer(Group& group, std::string_view name, int64_t now_ms, bool refresh);
  // Null when a consumer of that name exists.
  static Consumer* CreateConsumer(Group& group, std::string_view name, int64_t now_ms);
  // XGROUP DELCONSUMER: its pending entries leave the group too. Returns their number.
  static size_t DeleteConsumer(Group& group, Consumer* consumer);
  // Drops the PEL entry `id` (XACK, and claims of deleted entries). False if not pending.
  static bool Ack(Group& group, StreamId id);
  // Makes `consumer` the owner of the PEL entry of `id`, creating the entry (delivered once, at
  // now_ms) when absent. The reference lives until the group's PEL next changes.
  static Nack& Assign(Group& group, StreamId id, Consumer* consumer, int64_t now_ms);

  // XREADGROUP ">": the entries after the group's last ID (at most count, 0: all), advancing it
  // and its entries-read counter as Redis does; each is added to the PEL as delivered to
  // `consumer` now (taken from another consumer if already pending) unless noack.
  size_t DeliverNew(Group& group, Consumer& consumer, size_t count, bool noack, int64_t now_ms,
                    EntryFn fn);
  // XREADGROUP with an ID: the consumer's pending entries from `start` (at most count, 0: all),
  // each counted as delivered again now. fn gets null fields for an entry deleted meanwhile.
  size_t DeliverHistory(
      Consumer& consumer, Group& group, StreamId start, size_t count, int64_t now_ms,
      absl::FunctionRef<void(StreamId, const std::span<const std::string_view>*)> fn) const;
  // Redis's streamEstimateDistanceFromFirstEverEntry: the entries-read value of `id`, or -1
  // when it cannot be known.
  int64_t EstimateDistance(StreamId id) const;
  // XINFO's lag of a group; nullopt when it cannot be known.
  std::optional<int64_t> Lag(const Group& group) const;

  // ---- Snapshots. ----------------------------------------------------------------------------
  // Every entry, ID counter and group, in a self-describing byte string.
  void Serialize(std::string* out) const;
  // Null when `in` is not a well-formed Serialize output.
  static std::unique_ptr<StreamObject> Deserialize(std::string_view in);

 private:
  struct Node {
    Node() = default;
    Node(Node&& o) noexcept;
    Node& operator=(Node&& o) noexcept;
    ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    uint8_t* buf = nullptr;
    uint32_t size = 0;  // bytes used
    uint32_t cap = 0;
    uint32_t body = 0;  // offset of the first entry (after the master fields)
    uint32_t live = 0;
    uint32_t deleted = 0;

    void Reserve(size_t n);
    void ShrinkToFit();
  };
  using Nodes = absl::btree_map<StreamId, Node>;
  class Cursor;

  // True if some entry in [start, end] is a tombstone that matters to the counters (Redis's
  // streamRangeHasTombstones).
  bool RangeHasTombstones(StreamId start) const;
  // Marks the entry at `offset` of node `it` deleted; may remove the node (returns the next).
  Nodes::iterator MarkDeleted(Nodes::iterator it, size_t offset);
  // Deserialize: checks one node's bytes (every entry decodes, IDs ascend past *prev, counts
  // as recorded) and adopts a copy. False for a malformed node.
  bool LoadNode(StreamId master, uint64_t live, uint64_t deleted, uint64_t body,
                std::string_view bytes, StreamId* prev, bool* any);

  Nodes nodes_;
  size_t buffer_bytes_ = 0;  // allocator sizes of the node buffers
  uint64_t length_ = 0;
  uint64_t entries_added_ = 0;
  StreamId last_id_;
  StreamId first_id_;
  StreamId max_deleted_id_;
  Groups groups_;
};

}  // namespace ringkv::engine
