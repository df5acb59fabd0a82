// Writing Redis's RDB serialization as Redis 7.0 writes it: lengths, strings (int-encoded
// where Redis would), values (listpack / intset / quicklist2 under the compact limits, the
// plain hash, set and zset2 encodings above them) and DUMP payloads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "encoding/rdb_value.h"

namespace cairn {

void AppendRdbLength(std::string* out, uint64_t length);
void AppendRdbString(std::string* out, std::string_view value);
// Appends the value's RDB type byte followed by its encoding.
void AppendRdbValue(std::string* out, const RdbValue& value, const RdbCompactLimits& limits);
// DUMP's payload: type byte, value, RDB version 10 (2 bytes LE), CRC64 of all that (8 bytes LE).
std::string CreateDumpPayload(const RdbValue& value, const RdbCompactLimits& limits);
// The text Redis 7.0 stores a score as inside a listpack (d2string).
std::string ScoreText(double score);

}  // namespace cairn
