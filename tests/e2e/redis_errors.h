// The error texts Redis 7.0 replies that tests of many command groups check, in one place.
#pragma once

namespace cairn::test {

inline constexpr char kNotInteger[] = "ERR value is not an integer or out of range";
inline constexpr char kNotFloat[] = "ERR value is not a valid float";
inline constexpr char kSyntax[] = "ERR syntax error";
inline constexpr char kWrongType[] =
    "WRONGTYPE Operation against a key holding the wrong kind of value";

}  // namespace cairn::test
