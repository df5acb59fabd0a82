// The value of a `meta` entry: type(1) | flags(1) | expire_ms(8, big-endian; 0 = none) |
// varint version | varint size | payload. A string keeps its bytes inline as the payload
// (size = its length), so GET is one lookup; a collection keeps its element count in size
// and its own small header (list head/tail, ...) in the payload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

enum class ValueType : uint8_t { kString = 0, kHash, kList, kSet, kZSet, kStream };
inline constexpr ValueType kLastValueType = ValueType::kStream;

// The names Redis's TYPE command prints: "string", "hash", "list", "set", "zset", "stream".
std::string_view ValueTypeName(ValueType type);
// Inverse of ValueTypeName, ASCII case-insensitive (SCAN ... TYPE accepts any case).
std::optional<ValueType> ValueTypeFromName(std::string_view name);

struct Metadata {
  ValueType type = ValueType::kString;
  uint8_t flags = 0;
  uint64_t expire_ms = 0;  // absolute unix time in ms; 0 = no expiry
  uint64_t version = 0;
  uint64_t size = 0;

  bool HasExpire() const { return expire_ms != 0; }
  // A key whose deadline has come is logically gone, like in Redis (deadline <= now).
  bool IsExpired(uint64_t now_ms) const { return expire_ms != 0 && expire_ms <= now_ms; }
  bool operator==(const Metadata&) const = default;
};

inline constexpr size_t kMetadataFixedSize = 10;  // type + flags + expire_ms

void EncodeMetadata(const Metadata& meta, std::string_view payload, std::string* out);
// Everything but the payload, for writers that append the payload themselves (no copy).
void EncodeMetadataHeader(const Metadata& meta, std::string* out);
std::string EncodeMetadata(const Metadata& meta, std::string_view payload);

// Rejects (returns false) short input, unknown types, bad varints, and strings whose size
// does not match their payload. *payload points into `input`.
bool DecodeMetadata(std::string_view input, Metadata* meta, std::string_view* payload);

// Reads only the deadline; false if the input is too short.
bool DecodeMetadataExpire(std::string_view input, uint64_t* expire_ms);

}  // namespace cairn
