// Redis's rules for numbers written as text: which strings are integers (string2ll), which
// are long doubles (string2ld), and how INCRBYFLOAT writes a long double back (ld2string in
// "human" mode). Shared by the engine (stored values) and the server (arguments).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

// Strict int64: optional '-', no '+', no spaces, no leading zeros ("0" alone is fine, "-0"
// is not), fewer than 21 bytes, within range.
bool ParseInt64(std::string_view text, int64_t* value);

// strtold over the whole text: no leading space, no trailing bytes, not NaN, no overflow
// to +-HUGE_VAL or underflow to zero; "inf" is accepted, as in Redis.
bool ParseLongDouble(std::string_view text, long double* value);

// "%.17Lf" with trailing zeros (and a bare '.') removed, "-0" written "0"; "inf"/"-inf".
std::string FormatLongDoubleHuman(long double value);

std::string FormatInt64(int64_t value);

}  // namespace cairn
