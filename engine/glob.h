// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Glob matching with the semantics of Redis's stringmatchlen (KEYS, SCAN MATCH, later PSUBSCRIBE):
// '*' any run, '?' any byte, '[abc]', '[^abc]', ranges '[a-z]' (reversed bounds allowed), '\x'
// for a literal x inside and outside brackets; an unclosed '[' extends to the end of the pattern.
// Runs in O(len(pattern) * len(string)) worst case, never exponential.
#pragma once

#include <string_view>

namespace ringkv::engine {

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase = false);

}  // namespace ringkv::engine
