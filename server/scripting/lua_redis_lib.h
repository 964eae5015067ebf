// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The C functions behind the `redis` table scripts see (redis.call, redis.pcall, ...), Redis's
// deterministic math.random, and redis.register_function for FUNCTION LOAD. They find the
// LuaRuntime (and through it the ScriptHost of the run in progress) in the Lua registry.
#pragma once

#include <cstdint>

#include "server/scripting/lua_headers.h"

namespace ringkv::server::scripting {

class LuaRuntime;

// Stores `runtime` in L's registry, where the functions below look it up.
void SetRuntime(lua_State* L, LuaRuntime* runtime);
LuaRuntime* GetRuntime(lua_State* L);

// Pushes the full `redis` table (for scripts and functions being run).
void PushRedisApi(lua_State* L);
// Pushes the `redis` table of FUNCTION LOAD: register_function, log, LOG_* and version fields.
void PushLibraryLoadApi(lua_State* L);
// Replaces math.random and math.randomseed with rand48-based ones; ReseedRandom(0) before each
// script makes every run draw the same sequence.
void InstallRandom(lua_State* L);
// Replaces pcall with Redis 7.0's, which returns a caught error table's `err` string.
void InstallPcall(lua_State* L);
void ReseedRandom(lua_State* L, int64_t seed);

}  // namespace ringkv::server::scripting
