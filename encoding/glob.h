// Glob-style pattern matching with exactly Redis 7.0's stringmatchlen semantics (KEYS, SCAN
// MATCH, and later PSUBSCRIBE / HSCAN ...): '*', '?', '[abc]', '[^a]', '[a-z]', '\x' escapes,
// an unterminated '[' handled as Redis does, and Redis's guards against exponential
// backtracking (skip-longer-matches and a nesting limit of 1000).
#pragma once

#include <string>
#include <string_view>

namespace cairn {

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

// The literal bytes every case-sensitive match of `pattern` starts with: the pattern up to
// its first '*', '?' or '[', with '\x' escapes resolved. "" when the pattern starts with a
// wildcard.
std::string GlobLiteralPrefix(std::string_view pattern);

}  // namespace cairn
