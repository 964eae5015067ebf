// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/cluster/topology.h"

#include <array>
#include <cctype>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace ringkv::server::cluster {

namespace {

// CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection), table-driven.
constexpr std::array<uint16_t, 256> MakeCrcTable() {
  std::array<uint16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    uint16_t crc = static_cast<uint16_t>(i << 8);
    for (int b = 0; b < 8; ++b) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
    t[static_cast<size_t>(i)] = crc;
  }
  return t;
}
constexpr std::array<uint16_t, 256> kCrcTable = MakeCrcTable();

uint16_t Crc16(std::string_view s) {
  uint16_t crc = 0;
  for (char c : s) {
    crc = static_cast<uint16_t>((crc << 8) ^
                                kCrcTable[((crc >> 8) ^ static_cast<uint8_t>(c)) & 0xff]);
  }
  return crc;
}

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool ParseInt(std::string_view s, int64_t* out) {
  return !s.empty() && absl::SimpleAtoi(Sv(s), out);
}

bool ParseSlot(std::string_view s, int* slot) {
  int64_t v = 0;
  if (!ParseInt(s, &v) || v < 0 || v >= kSlots) return false;
  *slot = static_cast<int>(v);
  return true;
}

}  // namespace

int KeySlot(std::string_view key) {
  const size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) & (kSlots - 1);
}

bool ValidNodeId(std::string_view id) {
  if (id.size() != 40) return false;
  for (char c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string RandomNodeId() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  for (char& c : id) c = kHex[rng() & 15];
  return id;
}

int Topology::FindNode(std::string_view id) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (absl::EqualsIgnoreCase(Sv(nodes[i].id), Sv(id))) return static_cast<int>(i);
  }
  return -1;
}

int Topology::SlotsAssigned() const {
  if (assigned >= 0) return assigned;
  int n = 0;
  for (int16_t o : owner) n += o >= 0 ? 1 : 0;
  return n;
}

std::vector<std::pair<int, int>> Topology::Ranges(int index) const {
  std::vector<std::pair<int, int>> out;
  for (int s = 0; s < kSlots; ++s) {
    if (owner[static_cast<size_t>(s)] != index) continue;
    if (!out.empty() && out.back().second == s - 1) {
      out.back().second = s;
    } else {
      out.emplace_back(s, s);
    }
  }
  return out;
}

int Topology::Size() const {
  std::vector<bool> owns(nodes.size(), false);
  for (int16_t o : owner) {
    if (o >= 0) owns[static_cast<size_t>(o)] = true;
  }
  int n = 0;
  for (bool b : owns) n += b ? 1 : 0;
  return n;
}

Topology SingleNode(std::string id, std::string ip, int port, int bus_port) {
  Topology t;
  t.nodes.push_back(Node{.id = std::move(id),
                         .ip = std::move(ip),
                         .port = port,
                         .bus_port = bus_port,
                         .config_epoch = 0});
  t.self = 0;
  t.owner.assign(kSlots, 0);
  return t;
}

std::string FormatNodes(const Topology& t, bool vars) {
  std::string out;
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const Node& n = t.nodes[i];
    const bool me = static_cast<int>(i) == t.self;
    absl::StrAppend(&out, n.id, " ", n.ip, ":", n.port, "@", n.bus_port, " ",
                    me ? "myself,master" : "master", " - 0 0 ", n.config_epoch, " connected");
    for (const auto& [first, last] : t.Ranges(static_cast<int>(i))) {
      if (first == last) {
        absl::StrAppend(&out, " ", first);
      } else {
        absl::StrAppend(&out, " ", first, "-", last);
      }
    }
    if (me) {
      for (const auto& [slot, to] : t.migrating) {
        absl::StrAppend(&out, " [", slot, "->-", t.nodes[static_cast<size_t>(to)].id, "]");
      }
      for (const auto& [slot, from] : t.importing) {
        absl::StrAppend(&out, " [", slot, "-<-", t.nodes[static_cast<size_t>(from)].id, "]");
      }
    }
    out += "\n";
  }
  if (vars) absl::StrAppend(&out, "vars currentEpoch ", t.current_epoch, " lastVoteEpoch 0\n");
  return out;
}

absl::StatusOr<Topology> ParseNodes(std::string_view text, std::string_view self_id,
                                    bool use_myself_flag, std::string_view self_ip, int self_port) {
  Topology t;
  t.owner.assign(kSlots, -1);
  struct Pending {
    int slot;
    bool migrating;
    std::string other;
    int line_node;
  };
  std::vector<Pending> open_slots;
  int by_id = -1;
  int by_flag = -1;
  int by_addr = -1;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(Sv(text), '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": ", why));
    };
    if (f[0] == "vars") {
      for (size_t i = 1; i + 1 < f.size(); i += 2) {
        if (f[i] == "currentEpoch" && !absl::SimpleAtoi(f[i + 1], &t.current_epoch)) {
          return bad("currentEpoch is not a number");
        }
      }
      continue;
    }
    if (f.size() < 8) return bad("a node line has at least 8 fields");
    Node n;
    if (!ValidNodeId(std::string_view(f[0].data(), f[0].size()))) {
      return bad("the node id must be 40 hex digits");
    }
    n.id = absl::AsciiStrToLower(f[0]);
    if (t.FindNode(n.id) >= 0) return bad("node id listed twice");
    // ip:port[@bus-port][,hostname]; the ip may be IPv6 (colons), so split at the last ':'.
    absl::string_view addr = f[1];
    if (size_t comma = addr.find(','); comma != absl::string_view::npos)
      addr = addr.substr(0, comma);
    absl::string_view bus;
    if (size_t at = addr.find('@'); at != absl::string_view::npos) {
      bus = addr.substr(at + 1);
      addr = addr.substr(0, at);
    }
    const size_t colon = addr.rfind(':');
    int64_t port = 0;
    if (colon == absl::string_view::npos || colon == 0 ||
        !absl::SimpleAtoi(addr.substr(colon + 1), &port) || port <= 0 || port > 65535) {
      return bad("the address must be ip:port[@bus-port]");
    }
    n.ip = std::string(addr.substr(0, colon));
    n.port = static_cast<int>(port);
    int64_t bus_port = port + 10000;
    if (!bus.empty() && (!absl::SimpleAtoi(bus, &bus_port) || bus_port < 0 || bus_port > 65535)) {
      return bad("the bus port is not a port number");
    }
    n.bus_port = static_cast<int>(bus_port);
    bool myself = false;
    for (absl::string_view flag : absl::StrSplit(f[2], ',')) {
      if (flag == "myself") {
        myself = true;
      } else if (flag == "slave" || flag == "replica") {
        return bad("replica nodes are not supported: ringkv clusters have masters only");
      } else if (flag != "master" && flag != "noflags") {
        return bad(absl::StrCat("unsupported node flag '", flag, "'"));
      }
    }
    if (!absl::SimpleAtoi(f[6], &n.config_epoch)) return bad("the config epoch is not a number");
    const int index = static_cast<int>(t.nodes.size());
    for (size_t i = 8; i < f.size(); ++i) {
      absl::string_view s = f[i];
      if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
        absl::string_view inner = s.substr(1, s.size() - 2);
        size_t mig = inner.find("->-");
        size_t imp = inner.find("-<-");
        Pending p{};
        if (mig != absl::string_view::npos) {
          p.migrating = true;
          p.other = std::string(inner.substr(mig + 3));
          inner = inner.substr(0, mig);
        } else if (imp != absl::string_view::npos) {
          p.migrating = false;
          p.other = std::string(inner.substr(imp + 3));
          inner = inner.substr(0, imp);
        } else {
          return bad(absl::StrCat("bad open slot '", s, "'"));
        }
        if (!ParseSlot(std::string_view(inner.data(), inner.size()), &p.slot)) {
          return bad(absl::StrCat("bad slot in '", s, "'"));
        }
        p.line_node = index;
        open_slots.push_back(std::move(p));
        continue;
      }
      int first = 0;
      int last = 0;
      if (size_t dash = s.find('-'); dash != absl::string_view::npos) {
        if (!ParseSlot(std::string_view(s.data(), dash), &first) ||
            !ParseSlot(std::string_view(s.data() + dash + 1, s.size() - dash - 1), &last) ||
            first > last) {
          return bad(absl::StrCat("bad slot range '", s, "'"));
        }
      } else if (!ParseSlot(std::string_view(s.data(), s.size()), &first)) {
        return bad(absl::StrCat("bad slot '", s, "'"));
      } else {
        last = first;
      }
      for (int slot = first; slot <= last; ++slot) {
        int16_t& o = t.owner[static_cast<size_t>(slot)];
        if (o >= 0 && o != index) {
          return bad(absl::StrCat("slot ", slot, " is already owned by ",
                                  t.nodes[static_cast<size_t>(o)].id));
        }
        o = static_cast<int16_t>(index);
      }
    }
    if (!self_id.empty() && absl::EqualsIgnoreCase(Sv(self_id), n.id)) by_id = index;
    if (myself && use_myself_flag) {
      if (by_flag >= 0) return bad("two nodes are flagged myself");
      by_flag = index;
    }
    if (n.ip == self_ip && n.port == self_port) by_addr = index;
    t.nodes.push_back(std::move(n));
  }
  if (t.nodes.size() > 32767) return absl::InvalidArgumentError("too many nodes");
  t.self = by_id >= 0 ? by_id : by_flag >= 0 ? by_flag : by_addr;
  if (t.self < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("this node (", Sv(self_ip), ":", self_port,
                     (self_id.empty() ? std::string() : absl::StrCat(", id ", Sv(self_id))),
                     ") is not in the node list"));
  }
  for (const Pending& p : open_slots) {
    const int other = t.FindNode(p.other);
    if (other < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("slot ", p.slot, " is open towards unknown node ", p.other));
    }
    // Only this node's own migrating/importing marks matter (they are per node in Redis too).
    if (p.line_node != t.self) continue;
    if (p.migrating) {
      if (t.owner[static_cast<size_t>(p.slot)] != t.self) {
        return absl::InvalidArgumentError(
            absl::StrCat("slot ", p.slot, " is migrating but this node does not own it"));
      }
      t.migrating[p.slot] = other;
    } else {
      t.importing[p.slot] = other;
    }
  }
  return t;
}

}  // namespace ringkv::server::cluster
