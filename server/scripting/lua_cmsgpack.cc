// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The cmsgpack library for scripts (see the header for what it does). The encoder walks Lua
// values straight into a byte buffer; the decoder pushes Lua values straight from the input.
// Both are written against the behaviour of the lua-cmsgpack build in Redis 7.0, including
// where that build runs out of Lua stack, because scripts can observe those errors.
#include "server/scripting/lua_cmsgpack.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringkv::server::scripting {

namespace {

// A table this deep is written as nil, as Redis's LUACMSGPACK_MAX_NESTING does; it is what makes
// packing a table that contains itself terminate.
constexpr int kMaxNesting = 16;

// Lua 5.1 refuses a C function more than LUAI_MAXCSTACK stack slots. Every level of nested input
// keeps at least its table on the stack while its elements decode, and each value asks for a slot
// first, so this limit is also the bound on the decoder's recursion (a few hundred KB of C stack
// at most). A Lua allowing far more slots would need an explicit depth limit here.
static_assert(LUAI_MAXCSTACK <= 8000, "decoder recursion is bounded by the Lua stack limit");

constexpr char kBufferMetatable[] = "ringkv.cmsgpack.buffer";

// Redis's messages when the stack runs out; they name the functions of its implementation.
constexpr char kTooManyValues[] =
    "too many return values at once; use unpack_one or unpack_limit instead.";

// ---------------------------------------------------------------------------------------------
// Output buffer. It lives in a full userdata that stays on the Lua stack for the whole pack call;
// its bytes come from Lua's allocator and the userdata's __gc returns them, so a Lua error in the
// middle of packing (stack overflow, out of memory) leaks nothing. Growing it does not use the
// Lua stack, which keeps the stack exactly as Redis's encoder has it (see Encoder).

struct PackBuffer {
  unsigned char* data;
  size_t len;
  size_t cap;
};

void FreeBytes(lua_State* L, PackBuffer* b) {
  void* alloc_ud;
  lua_Alloc alloc = lua_getallocf(L, &alloc_ud);
  if (b->data != nullptr) alloc(alloc_ud, b->data, b->cap, 0);
  b->data = nullptr;
  b->len = 0;
  b->cap = 0;
}

int BufferGc(lua_State* L) {
  // Only buffers made by Pack carry this metatable; scripts cannot reach it (no debug library).
  if (lua_type(L, 1) == LUA_TUSERDATA && lua_objlen(L, 1) == sizeof(PackBuffer)) {
    FreeBytes(L, static_cast<PackBuffer*>(lua_touserdata(L, 1)));
  }
  return 0;
}

void Reserve(lua_State* L, PackBuffer* b, size_t extra) {
  if (b->cap - b->len >= extra) return;
  // No Lua string comes near this; it only keeps the size arithmetic from wrapping.
  if (extra > SIZE_MAX / 4 - b->len) luaL_error(L, "MessagePack output too large");
  const size_t cap = std::max<size_t>(2 * (b->len + extra), 64);
  void* alloc_ud;
  lua_Alloc alloc = lua_getallocf(L, &alloc_ud);
  void* grown = alloc(alloc_ud, b->data, b->cap, cap);
  if (grown == nullptr) luaL_error(L, "not enough memory");  // the old block is still owned
  b->data = static_cast<unsigned char*>(grown);
  b->cap = cap;
}

void Append(lua_State* L, PackBuffer* b, const void* bytes, size_t n) {
  if (n == 0) return;
  Reserve(L, b, n);
  std::memcpy(b->data + b->len, bytes, n);
  b->len += n;
}

// Appends `tag` and then the low `width` bytes of `value`, most significant first: MessagePack
// lengths, integers and float bits are all big-endian.
void AppendTagged(lua_State* L, PackBuffer* b, uint8_t tag, uint64_t value, int width) {
  unsigned char bytes[9];
  bytes[0] = tag;
  for (int i = 0; i < width; ++i) {
    bytes[1 + i] = static_cast<unsigned char>(value >> (8 * (width - 1 - i)));
  }
  Append(L, b, bytes, 1 + static_cast<size_t>(width));
}

// ---------------------------------------------------------------------------------------------
// Encoding.

// Redis's encoder keeps the encoding of each finished argument on the Lua stack as a string until
// the end and encodes a copy of the current argument; this one keeps a single buffer and reads the
// argument in place, so while argument i is encoded its stack is i-1 slots lower. Each stack check
// asks for that many more slots, so a "stack overflow" error (only reachable with about 4000
// arguments) happens exactly where Redis raises it; asking for more than is used is harmless.
struct Encoder {
  lua_State* L;
  PackBuffer* out;
  int phantom_slots;
};

void CheckStack(const Encoder& e, int slots, const char* where) {
  luaL_checkstack(e.L, slots + e.phantom_slots, where);
}

void EncodeValue(const Encoder& e, int idx, int level);

void EncodeInteger(const Encoder& e, int64_t n) {
  const auto u = static_cast<uint64_t>(n);
  if (n >= 0) {
    if (n <= 0x7f) return AppendTagged(e.L, e.out, static_cast<uint8_t>(n), 0, 0);
    if (n <= 0xff) return AppendTagged(e.L, e.out, 0xcc, u, 1);
    if (n <= 0xffff) return AppendTagged(e.L, e.out, 0xcd, u, 2);
    if (n <= 0xffffffff) return AppendTagged(e.L, e.out, 0xce, u, 4);
    return AppendTagged(e.L, e.out, 0xcf, u, 8);
  }
  if (n >= -32) return AppendTagged(e.L, e.out, static_cast<uint8_t>(u), 0, 0);
  if (n >= INT8_MIN) return AppendTagged(e.L, e.out, 0xd0, u, 1);
  if (n >= INT16_MIN) return AppendTagged(e.L, e.out, 0xd1, u, 2);
  if (n >= INT32_MIN) return AppendTagged(e.L, e.out, 0xd2, u, 4);
  AppendTagged(e.L, e.out, 0xd3, u, 8);
}

void EncodeFloat(const Encoder& e, double d) {
  // float32 when narrowing loses nothing. The range test keeps the narrowing defined; NaN fails it
  // and goes out as float64 with its bits unchanged, as in Redis.
  if (std::isinf(d) || std::fabs(d) <= FLT_MAX) {
    const auto f = static_cast<float>(d);
    if (static_cast<double>(f) == d) {
      return AppendTagged(e.L, e.out, 0xca, std::bit_cast<uint32_t>(f), 4);
    }
  }
  AppendTagged(e.L, e.out, 0xcb, std::bit_cast<uint64_t>(d), 8);
}

void EncodeNumber(const Encoder& e, int idx) {
  // Lua 5.1 numbers are doubles. Redis writes one as an integer when it survives a round trip
  // through int64_t, which is: integral and inside [-2^63, 2^63). -0.0 therefore becomes 0.
  const lua_Number n = lua_tonumber(e.L, idx);
  if (n >= -0x1p63 && n < 0x1p63 && std::trunc(n) == n) {
    EncodeInteger(e, static_cast<int64_t>(n));
  } else {
    EncodeFloat(e, n);
  }
}

void EncodeString(const Encoder& e, int idx) {
  size_t len;
  const char* s = lua_tolstring(e.L, idx, &len);
  // Redis writes the MessagePack "str" family (fixstr, str8, str16, str32), never "bin".
  if (len < 32) {
    AppendTagged(e.L, e.out, static_cast<uint8_t>(0xa0 | len), 0, 0);
  } else if (len <= 0xff) {
    AppendTagged(e.L, e.out, 0xd9, len, 1);
  } else if (len <= 0xffff) {
    AppendTagged(e.L, e.out, 0xda, len, 2);
  } else if (len <= 0xffffffff) {
    AppendTagged(e.L, e.out, 0xdb, len, 4);
  } else {
    luaL_error(e.L, "string too long for MessagePack");  // Redis would write a wrong length
  }
  Append(e.L, e.out, s, len);
}

// Array and map headers: fix form up to 15 elements, then 16-bit, then 32-bit counts.
void EncodeContainerHeader(const Encoder& e, uint8_t fix, uint8_t tag16, uint8_t tag32, size_t n) {
  if (n <= 15) {
    AppendTagged(e.L, e.out, static_cast<uint8_t>(fix | n), 0, 0);
  } else if (n <= 0xffff) {
    AppendTagged(e.L, e.out, tag16, n, 2);
  } else if (n <= 0xffffffff) {
    AppendTagged(e.L, e.out, tag32, n, 4);
  } else {
    luaL_error(e.L, "table too large for MessagePack");  // needs 2^32 entries; unreachable
  }
}

// Whether the table at `idx` has exactly the keys 1..n (Redis's test: every key a number that is
// a positive int, and the largest equal to the count). Sets *n to the count when it does.
bool IsArray(const Encoder& e, int idx, size_t* n) {
  lua_State* L = e.L;
  CheckStack(e, 2, "in function table_is_an_array");
  size_t count = 0;
  lua_Number max = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    const lua_Number key = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
    // Redis converts the key to int and back; out of int range that never compares equal.
    if (!(key > 0 && key <= INT_MAX && std::trunc(key) == key)) {
      lua_pop(L, 1);
      return false;
    }
    max = std::max(max, key);
    ++count;
  }
  *n = count;
  return max == static_cast<lua_Number>(count);
}

void EncodeArray(const Encoder& e, int idx, size_t n, int level) {
  EncodeContainerHeader(e, 0x90, 0xdc, 0xdd, n);
  CheckStack(e, 1, "in function mp_encode_lua_table_as_array");
  for (size_t i = 1; i <= n; ++i) {
    lua_rawgeti(e.L, idx, static_cast<int>(i));  // i <= INT_MAX: IsArray checked the keys
    EncodeValue(e, lua_gettop(e.L), level + 1);
    lua_pop(e.L, 1);
  }
}

void EncodeMap(const Encoder& e, int idx, int level) {
  lua_State* L = e.L;
  CheckStack(e, 3, "in function mp_encode_lua_table_as_map");
  size_t pairs = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    ++pairs;
  }
  EncodeContainerHeader(e, 0x80, 0xde, 0xdf, pairs);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {  // ... key value
    lua_pushvalue(L, -2);          // ... key value key: Redis encodes a copy, so do we
    EncodeValue(e, lua_gettop(L), level + 1);
    lua_pop(L, 1);
    EncodeValue(e, lua_gettop(L), level + 1);
    lua_pop(L, 1);
  }
}

// Appends the encoding of the value at absolute index `idx`; leaves the stack as it found it.
void EncodeValue(const Encoder& e, int idx, int level) {
  int type = lua_type(e.L, idx);
  if (type == LUA_TTABLE && level == kMaxNesting) type = LUA_TNIL;
  switch (type) {
    case LUA_TSTRING:
      EncodeString(e, idx);
      break;
    case LUA_TBOOLEAN:
      AppendTagged(e.L, e.out, lua_toboolean(e.L, idx) ? 0xc3 : 0xc2, 0, 0);
      break;
    case LUA_TNUMBER:
      EncodeNumber(e, idx);
      break;
    case LUA_TTABLE: {
      size_t n;
      if (IsArray(e, idx, &n)) {
        EncodeArray(e, idx, n, level);
      } else {
        EncodeMap(e, idx, level);
      }
      break;
    }
    default:  // nil, functions, userdata, threads
      AppendTagged(e.L, e.out, 0xc0, 0, 0);
      break;
  }
}

int Pack(lua_State* L) {
  const int nargs = lua_gettop(L);
  if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  // Redis reserves a slot per argument for the per-argument strings it concatenates at the end,
  // which turns away more than 4000 arguments.
  if (!lua_checkstack(L, nargs)) {
    return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
  }
  luaL_checkstack(L, 2, "in function pack");  // buffer + metatable; cannot fail after the above
  auto* out = static_cast<PackBuffer*>(lua_newuserdata(L, sizeof(PackBuffer)));
  *out = PackBuffer{nullptr, 0, 0};
  luaL_getmetatable(L, kBufferMetatable);
  lua_setmetatable(L, -2);
  for (int i = 1; i <= nargs; ++i) EncodeValue(Encoder{L, out, i - 1}, i, 0);
  lua_pushlstring(L, out->len == 0 ? "" : reinterpret_cast<const char*>(out->data), out->len);
  FreeBytes(L, out);  // now, rather than at the next collection
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Decoding. Errors are raised where they are found; Redis records them and raises on the way
// out, which gives the same message because luaL_error names the script's line either way.

struct Cursor {
  const unsigned char* p;
  size_t left;
};

void Need(lua_State* L, const Cursor& c, size_t n) {
  if (c.left < n) luaL_error(L, "Missing bytes in input.");
}

void Consume(Cursor* c, size_t n) {
  c->p += n;
  c->left -= n;
}

uint64_t ReadBigEndian(const unsigned char* p, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | p[i];
  return v;
}

void DecodeValue(lua_State* L, Cursor* c);

// Redis builds tables with plain assignments into a fresh table, key after key; doing the same
// gives the same table layout, and so the same `#t` when the array held nils.
void DecodeArray(lua_State* L, Cursor* c, size_t n) {
  lua_newtable(L);
  luaL_checkstack(L, 1, "in function mp_decode_to_lua_array");
  for (size_t i = 1; i <= n; ++i) {
    lua_pushnumber(L, static_cast<lua_Number>(i));
    DecodeValue(L, c);
    lua_rawset(L, -3);
  }
}

// A nil or NaN key raises Lua's own "table index is nil/NaN", as in Redis.
void DecodeMap(lua_State* L, Cursor* c, size_t n) {
  lua_newtable(L);
  for (size_t i = 0; i < n; ++i) {
    DecodeValue(L, c);  // key
    DecodeValue(L, c);  // value
    lua_rawset(L, -3);
  }
}

// `header` bytes of tag and length, then `len` bytes of string.
void DecodeString(lua_State* L, Cursor* c, size_t header, size_t len) {
  Need(L, *c, header + len);  // len < 2^32, no overflow
  lua_pushlstring(L, reinterpret_cast<const char*>(c->p + header), len);
  Consume(c, header + len);
}

// Reads the big-endian count of `width` bytes after the tag, consumes both.
size_t TakeCount(lua_State* L, Cursor* c, int width) {
  Need(L, *c, 1 + static_cast<size_t>(width));
  const auto n = static_cast<size_t>(ReadBigEndian(c->p + 1, width));
  Consume(c, 1 + static_cast<size_t>(width));
  return n;
}

// The fixed-size scalars: tag byte plus `width` big-endian bytes.
uint64_t TakeScalar(lua_State* L, Cursor* c, int width) {
  Need(L, *c, 1 + static_cast<size_t>(width));
  const uint64_t v = ReadBigEndian(c->p + 1, width);
  Consume(c, 1 + static_cast<size_t>(width));
  return v;
}

void DecodeTagged(lua_State* L, Cursor* c, uint8_t tag) {
  switch (tag) {
    case 0xc0:
      Consume(c, 1);
      return lua_pushnil(L);
    case 0xc2:
    case 0xc3:
      Consume(c, 1);
      return lua_pushboolean(L, tag == 0xc3);
    case 0xca:
      return lua_pushnumber(L, std::bit_cast<float>(static_cast<uint32_t>(TakeScalar(L, c, 4))));
    case 0xcb:
      return lua_pushnumber(L, std::bit_cast<double>(TakeScalar(L, c, 8)));
    case 0xcc:
      return lua_pushinteger(L, static_cast<lua_Integer>(TakeScalar(L, c, 1)));
    case 0xcd:
      return lua_pushinteger(L, static_cast<lua_Integer>(TakeScalar(L, c, 2)));
    case 0xce:
      return lua_pushinteger(L, static_cast<lua_Integer>(TakeScalar(L, c, 4)));
    case 0xcf:  // Redis pushes it as a 64-bit lua_Integer: 2^63 and above come out negative
      return lua_pushinteger(L, static_cast<lua_Integer>(TakeScalar(L, c, 8)));
    case 0xd0:
      return lua_pushinteger(L, static_cast<int8_t>(TakeScalar(L, c, 1)));
    case 0xd1:
      return lua_pushinteger(L, static_cast<int16_t>(TakeScalar(L, c, 2)));
    case 0xd2:
      return lua_pushinteger(L, static_cast<int32_t>(TakeScalar(L, c, 4)));
    case 0xd3:
      return lua_pushnumber(L, static_cast<lua_Number>(static_cast<int64_t>(TakeScalar(L, c, 8))));
    case 0xd9:
      Need(L, *c, 2);
      return DecodeString(L, c, 2, c->p[1]);
    case 0xda:
      Need(L, *c, 3);
      return DecodeString(L, c, 3, ReadBigEndian(c->p + 1, 2));
    case 0xdb:
      Need(L, *c, 5);
      return DecodeString(L, c, 5, ReadBigEndian(c->p + 1, 4));
    case 0xdc:
      return DecodeArray(L, c, TakeCount(L, c, 2));
    case 0xdd:
      return DecodeArray(L, c, TakeCount(L, c, 4));
    case 0xde:
      return DecodeMap(L, c, TakeCount(L, c, 2));
    case 0xdf:
      return DecodeMap(L, c, TakeCount(L, c, 4));
    default:  // 0xc1, bin 8/16/32, ext and fixext: Redis does not decode them
      luaL_error(L, "Bad data format in input.");
  }
}

// Pushes the value at the cursor and moves past it.
void DecodeValue(lua_State* L, Cursor* c) {
  Need(L, *c, 1);
  // Redis asks for a slot per value, nested or not; see the static_assert for why it matters.
  luaL_checkstack(L, 1, kTooManyValues);
  const uint8_t tag = c->p[0];
  if (tag <= 0x7f || tag >= 0xe0) {  // positive and negative fixint
    Consume(c, 1);
    return lua_pushinteger(L, static_cast<int8_t>(tag));
  }
  if (tag <= 0x8f) {  // fixmap
    Consume(c, 1);
    return DecodeMap(L, c, tag & 0x0f);
  }
  if (tag <= 0x9f) {  // fixarray
    Consume(c, 1);
    return DecodeArray(L, c, tag & 0x0f);
  }
  if (tag <= 0xbf) return DecodeString(L, c, 1, tag & 0x1f);  // fixstr
  DecodeTagged(L, c, tag);
}

// Decodes up to `limit` values starting at byte `offset` of argument 1. With limit and offset both
// 0 (plain unpack, but also unpack_limit(s, 0)) it returns every value and no offset; otherwise
// the next offset (-1 at the end of the input) comes first, then the values.
int UnpackFrom(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  const bool all = limit == 0 && offset == 0;
  // Redis prints the input length where the message says limit; kept for identical text. The
  // narrowing to int is also Redis's.
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  if (all) limit = INT_MAX;
  Cursor c{reinterpret_cast<const unsigned char*>(s) + offset, len - static_cast<size_t>(offset)};
  int count = 0;
  for (; c.left > 0 && count < limit; ++count) DecodeValue(L, &c);
  if (all) return count;
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushinteger(L, c.left == 0 ? -1 : static_cast<lua_Integer>(len - c.left));
  lua_insert(L, 2);  // right after the input string, before the values
  return count + 1;
}

// unpack_one and unpack_limit drop arguments after the string (keeping "no value" if there is
// none, which shows in the error for a missing string).
void KeepOnlyFirstArgument(lua_State* L) {
  if (lua_gettop(L) > 1) lua_settop(L, 1);
}

int Unpack(lua_State* L) { return UnpackFrom(L, 0, 0); }

int UnpackOne(lua_State* L) {
  const lua_Integer offset = luaL_optinteger(L, 2, 0);
  KeepOnlyFirstArgument(L);
  return UnpackFrom(L, 1, offset);
}

int UnpackLimit(lua_State* L) {
  const lua_Integer limit = luaL_checkinteger(L, 2);
  const lua_Integer offset = luaL_optinteger(L, 3, 0);
  KeepOnlyFirstArgument(L);
  return UnpackFrom(L, limit, offset);
}

}  // namespace

int OpenCmsgpack(lua_State* L) {
  luaL_checkstack(L, 3, "in function OpenCmsgpack");
  if (luaL_newmetatable(L, kBufferMetatable) != 0) {
    lua_pushcfunction(L, BufferGc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 6);
  const luaL_Reg functions[] = {
      {"pack", Pack}, {"unpack", Unpack}, {"unpack_one", UnpackOne}, {"unpack_limit", UnpackLimit}};
  for (const luaL_Reg& f : functions) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  lua_pushliteral(L, "cmsgpack");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, "lua-cmsgpack 0.4.0");  // the version Redis 7.0 reports
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

}  // namespace ringkv::server::scripting
