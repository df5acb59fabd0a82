// Version strings reported by INFO, HELLO and --version.
#pragma once

namespace cairn {

inline constexpr char kCairnVersion[] = "0.1.0";
// The Redis version whose behaviour Cairn follows; clients read it from INFO and HELLO.
inline constexpr char kRedisCompatibleVersion[] = "7.0.15";

}  // namespace cairn
