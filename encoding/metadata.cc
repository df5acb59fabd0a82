// Encoding of `meta` column family values and the value type names.
#include "encoding/metadata.h"

#include <array>

#include "encoding/coding.h"

namespace cairn {

namespace {

constexpr std::array<std::string_view, 6> kTypeNames = {"string", "hash", "list",
                                                        "set",    "zset", "stream"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  size_t index = static_cast<size_t>(type);
  return index < kTypeNames.size() ? kTypeNames[index] : std::string_view("unknown");
}

std::optional<ValueType> ValueTypeFromName(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); i++) {
    if (EqualsIgnoreCase(name, kTypeNames[i])) return static_cast<ValueType>(i);
  }
  return std::nullopt;
}

void EncodeMetadataHeader(const Metadata& meta, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(meta.type));
  out->push_back(static_cast<char>(meta.flags));
  PutFixed64(out, meta.expire_ms);
  PutVarint64(out, meta.version);
  PutVarint64(out, meta.size);
}

void EncodeMetadata(const Metadata& meta, std::string_view payload, std::string* out) {
  out->reserve(kMetadataFixedSize + 20 + payload.size());
  EncodeMetadataHeader(meta, out);
  out->append(payload);
}

std::string EncodeMetadata(const Metadata& meta, std::string_view payload) {
  std::string out;
  EncodeMetadata(meta, payload, &out);
  return out;
}

bool DecodeMetadata(std::string_view input, Metadata* meta, std::string_view* payload) {
  if (input.size() < kMetadataFixedSize) return false;
  uint8_t type = static_cast<uint8_t>(input[0]);
  if (type > static_cast<uint8_t>(kLastValueType)) return false;
  meta->type = static_cast<ValueType>(type);
  meta->flags = static_cast<uint8_t>(input[1]);
  meta->expire_ms = DecodeFixed64(input.data() + 2);
  input.remove_prefix(kMetadataFixedSize);
  if (!GetVarint64(&input, &meta->version) || !GetVarint64(&input, &meta->size)) return false;
  if (meta->type == ValueType::kString && meta->size != input.size()) return false;
  *payload = input;
  return true;
}

bool DecodeMetadataExpire(std::string_view input, uint64_t* expire_ms) {
  if (input.size() < kMetadataFixedSize) return false;
  *expire_ms = DecodeFixed64(input.data() + 2);
  return true;
}

}  // namespace cairn
