// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The struct library for scripts (see the header for the format language). Each function reads
// the format once, left to right, and raises the first error it meets, as Redis's does, so that
// which error a bad call gets is the same too.
#include "server/scripting/lua_struct.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringkv::server::scripting {

namespace {

constexpr int kMaxIntSize = 32;  // the largest i/I size

// The default of '!': the alignment of a double inside a struct, or of an int if larger.
struct DoubleAlignProbe {
  char c;
  double d;
};
constexpr int kMaxAlign = std::max<int>(offsetof(DoubleAlignProbe, d), sizeof(int));

enum class Endian { kBig, kLittle };
constexpr Endian kNativeEndian =
    std::endian::native == std::endian::little ? Endian::kLittle : Endian::kBig;

struct Options {
  Endian endian = kNativeEndian;
  size_t align = 1;
};

// The format is ASCII; bytes outside it are never digits or letters (Redis runs in the C locale).
bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsLower(int c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(int c) { return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z'); }

// Reads the decimal number at *fmt, if any, and moves past it.
int ReadNumber(lua_State* L, const char** fmt, int absent) {
  if (!IsDigit(**fmt)) return absent;
  int n = 0;
  do {
    const int digit = **fmt - '0';
    if (n > INT_MAX / 10 || n * 10 > INT_MAX - digit) luaL_error(L, "integral size overflow");
    n = n * 10 + digit;
    ++*fmt;
  } while (IsDigit(**fmt));
  return n;
}

// The size of one item of option `opt` (reading its count from *fmt where it takes one); 0 for
// options that are not items.
size_t ItemSize(lua_State* L, int opt, const char** fmt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'x':
      return 1;
    case 'h':
    case 'H':
      return sizeof(short);
    case 'l':
    case 'L':
      return sizeof(long);
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'c':
      return static_cast<size_t>(ReadNumber(L, fmt, 1));
    case 'i':
    case 'I': {
      const int size = ReadNumber(L, fmt, sizeof(int));
      if (size > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", size, kMaxIntSize);
      }
      return static_cast<size_t>(size);
    }
    default:
      return 0;
  }
}

// Zero bytes needed before an item of `size` at offset `pos`. Strings are never aligned. Sizes
// that are not powers of two (i3, say) give odd padding; that is the library's arithmetic, kept.
size_t Padding(size_t pos, const Options& opts, int opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  size = std::min(size, opts.align);
  return (size - (pos & (size - 1))) & (size - 1);
}

// The options that are not items: endianness, alignment, space. Anything else is an error.
void ApplyControl(lua_State* L, int opt, const char** fmt, Options* opts) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      opts->endian = Endian::kBig;
      return;
    case '<':
      opts->endian = Endian::kLittle;
      return;
    case '!': {
      const int align = ReadNumber(L, fmt, kMaxAlign);
      if (align <= 0 || (align & (align - 1)) != 0) {
        luaL_error(L, "alignment %d is not a power of 2", align);
      }
      opts->align = static_cast<size_t>(align);
      return;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
  }
}

// Redis converts Lua numbers (doubles) to C integers with plain casts, which C leaves undefined
// for NaN and values out of range. These return what its x86-64 build computes for them: the
// conversion instruction's 0x8000000000000000, and for unsigned targets GCC's sequence that
// subtracts 2^63 first (so 2^64 and above become 0, NaN becomes 2^63).
int64_t ToInt64AsX86(double d) {
  if (d >= -0x1p63 && d < 0x1p63) return static_cast<int64_t>(d);
  return INT64_MIN;
}

uint64_t ToUint64AsX86(double d) {
  if (d >= 0x1p63) return static_cast<uint64_t>(ToInt64AsX86(d - 0x1p63)) ^ (uint64_t{1} << 63);
  return static_cast<uint64_t>(ToInt64AsX86(d));
}

// Appends the low `size` bytes of `value` in `endian` order; bytes beyond the 8 of a uint64 are
// zero, even for negative numbers (the library's behaviour for i9..i32).
void AddBytes(luaL_Buffer* b, uint64_t value, Endian endian, size_t size) {
  char bytes[kMaxIntSize];
  for (size_t i = 0; i < size; ++i) {
    bytes[endian == Endian::kLittle ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  luaL_addlstring(b, bytes, size);
}

void PackInteger(lua_State* L, luaL_Buffer* b, int arg, Endian endian, size_t size) {
  const lua_Number n = luaL_checknumber(L, arg);
  const uint64_t value = n < 0 ? static_cast<uint64_t>(ToInt64AsX86(n)) : ToUint64AsX86(n);
  AddBytes(b, value, endian, size);
}

// Reads `size` bytes at `p` as an integer in `endian` order, keeping the last 8 that matter.
uint64_t ReadBytes(const char* p, Endian endian, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) {
    v = (v << 8) | static_cast<unsigned char>(p[endian == Endian::kBig ? i : size - 1 - i]);
  }
  return v;
}

lua_Number UnpackInteger(const char* p, Endian endian, bool is_signed, size_t size) {
  uint64_t v = ReadBytes(p, endian, size);
  if (!is_signed) return static_cast<lua_Number>(v);
  // The library sign-extends with a mask shifted by size*8-1, a count past the width of its
  // 64-bit type for i0 and i9..i32; x86 takes shift counts modulo 64, and so do we, which keeps
  // the numbers Redis returns for those sizes.
  const uint64_t mask = ~uint64_t{0} << ((size * 8 - 1) & 63);
  if ((v & mask) != 0) v |= mask;
  return static_cast<lua_Number>(static_cast<int64_t>(v));
}

bool IsIntegerOption(int opt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'h':
    case 'H':
    case 'l':
    case 'L':
    case 'T':
    case 'i':
    case 'I':
      return true;
    default:
      return false;
  }
}

// Packs one 'c' or 's' item from argument `arg`; returns the bytes it added.
size_t PackString(lua_State* L, luaL_Buffer* b, int opt, int arg, size_t size) {
  size_t len;
  const char* s = luaL_checklstring(L, arg, &len);
  if (size == 0) size = len;
  // The library checks after stepping to the next argument, so the message names that one.
  luaL_argcheck(L, len >= size, arg + 1, "string too short");
  luaL_addlstring(b, s, size);
  if (opt == 's') {
    luaL_addchar(b, '\0');
    ++size;
  }
  return size;
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);  // NUL-terminated: the format ends at a zero byte
  Options opts;
  int arg = 2;
  size_t total = 0;
  // The library pushes a nil between the arguments and the buffer, so a missing argument right
  // after the last one reads as nil ("got nil", not "got no value"); kept for the same messages.
  lua_pushnil(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const int opt = *fmt++;
    size_t size = ItemSize(L, opt, &fmt);
    const size_t padding = Padding(total, opts, opt, size);
    for (size_t i = 0; i < padding; ++i) luaL_addchar(&b, '\0');
    total += padding;
    if (IsIntegerOption(opt)) {
      PackInteger(L, &b, arg++, opts.endian, size);
    } else if (opt == 'x') {
      luaL_addchar(&b, '\0');
    } else if (opt == 'f') {
      const auto f = static_cast<float>(luaL_checknumber(L, arg++));  // IEEE narrowing
      AddBytes(&b, std::bit_cast<uint32_t>(f), opts.endian, size);
    } else if (opt == 'd') {
      AddBytes(&b, std::bit_cast<uint64_t>(luaL_checknumber(L, arg++)), opts.endian, size);
    } else if (opt == 'c' || opt == 's') {
      size = PackString(L, &b, opt, arg++, size);
    } else {
      ApplyControl(L, opt, &fmt, &opts);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

// Unpacks one item of `opt` and `size` at `p` (already checked to be inside the data) and
// returns how many values it pushed.
int UnpackItem(lua_State* L, int opt, const char* p, size_t size, Endian endian) {
  if (IsIntegerOption(opt)) {
    lua_pushnumber(L, UnpackInteger(p, endian, IsLower(opt), size));
  } else if (opt == 'f') {
    lua_pushnumber(L, std::bit_cast<float>(static_cast<uint32_t>(ReadBytes(p, endian, 4))));
  } else if (opt == 'd') {
    lua_pushnumber(L, std::bit_cast<double>(ReadBytes(p, endian, 8)));
  } else {  // 'c' with its size known
    lua_pushlstring(L, p, size);
  }
  return 1;
}

int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t len;
  const char* data = luaL_checklstring(L, 2, &len);
  // The library keeps the position in a size_t before testing it, so a negative one passes this
  // test and then fails as "data string too short" (or comes back as is when fmt reads nothing).
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
  --pos;
  Options opts;
  int n = 0;  // values pushed
  while (*fmt != '\0') {
    const int opt = *fmt++;
    size_t size = ItemSize(L, opt, &fmt);
    pos += Padding(pos, opts, opt, size);
    luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");  // the item and the final position
    if (opt == 'x') {
      // padding only
    } else if (opt == 'c' && size == 0) {  // the length is the number unpacked just before
      if (n == 0 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
      size = ToUint64AsX86(lua_tonumber(L, -1));
      lua_pop(L, 1);
      --n;
      luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
      n += UnpackItem(L, opt, data + pos, size, opts.endian);
    } else if (opt == 's') {
      const void* end = std::memchr(data + pos, '\0', len - pos);
      if (end == nullptr) luaL_error(L, "unfinished string in data");
      size = static_cast<size_t>(static_cast<const char*>(end) - (data + pos));
      lua_pushlstring(L, data + pos, size);
      ++n;
      ++size;  // and the terminating zero
    } else if (IsIntegerOption(opt) || opt == 'f' || opt == 'd' || opt == 'c') {
      n += UnpackItem(L, opt, data + pos, size, opts.endian);
    } else {
      ApplyControl(L, opt, &fmt, &opts);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return n + 1;
}

int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Options opts;
  size_t pos = 0;
  while (*fmt != '\0') {
    const int opt = *fmt++;
    const size_t size = ItemSize(L, opt, &fmt);
    pos += Padding(pos, opts, opt, size);
    if (opt == 's') {
      luaL_argerror(L, 1, "option 's' has no fixed size");
    } else if (opt == 'c' && size == 0) {
      luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    // Unknown letters and digits are not checked here, only other characters (the library's
    // behaviour): struct.size("z") is 0.
    if (!IsAlnum(opt)) ApplyControl(L, opt, &fmt, &opts);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

}  // namespace

int OpenStruct(lua_State* L) {
  luaL_checkstack(L, 2, "in function OpenStruct");
  lua_createtable(L, 0, 3);
  const luaL_Reg functions[] = {{"pack", Pack}, {"unpack", Unpack}, {"size", Size}};
  for (const luaL_Reg& f : functions) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  return 1;
}

}  // namespace ringkv::server::scripting
