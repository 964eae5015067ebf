// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The Lua 5.1 C API (Debian's liblua5.1, the C build: errors unwind with longjmp). Every file
// that calls Lua includes it through here, inside extern "C".
//
// Because a Lua error longjmps over C++ frames, code that may raise one (any lua_* call that
// allocates, luaL_check*, lua_error) must not have a C++ object with a non-trivial destructor
// alive in the frames it jumps over.
#pragma once

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}
