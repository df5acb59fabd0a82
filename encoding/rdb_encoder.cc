// RDB encodings of values as Redis 7.0's rdbSaveObject writes them.
#include "encoding/rdb_encoder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "encoding/number_text.h"
#include "encoding/rdb_format.h"
#include "encoding/rdb_packed.h"

namespace cairn {
namespace {

// Redis's list-max-listpack-size default (-2): quicklist nodes of up to 8 KB.
constexpr size_t kQuicklistNodeBytes = 8192;

void PutLittleEndian(std::string* out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

// rdbTryIntegerEncoding: the canonical text of a number that fits in 32 bits.
bool CanonicalInt32(std::string_view text, int32_t* value) {
  int64_t parsed = 0;
  if (text.size() > 11 || !ParseInt64(text, &parsed)) return false;
  if (parsed < std::numeric_limits<int32_t>::min() ||
      parsed > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *value = static_cast<int32_t>(parsed);
  return true;
}

void AppendList(std::string* out, const RdbValue& value) {
  out->push_back(static_cast<char>(rdb::kTypeListQuicklist2));
  std::vector<std::string> nodes;
  ListpackBuilder builder;
  for (const std::string& element : value.elements) {
    if (builder.count() > 0 && builder.bytes() + element.size() > kQuicklistNodeBytes) {
      nodes.push_back(builder.Finish());
    }
    builder.Append(element);
  }
  if (builder.count() > 0) nodes.push_back(builder.Finish());
  AppendRdbLength(out, nodes.size());
  for (const std::string& node : nodes) {
    AppendRdbLength(out, rdb::kQuicklistNodePacked);
    AppendRdbString(out, node);
  }
}

void AppendSet(std::string* out, const RdbValue& value, const RdbCompactLimits& limits) {
  if (!NeedsLargeEncoding(value, limits)) {
    std::vector<int64_t> numbers(value.elements.size());
    for (size_t i = 0; i < numbers.size(); ++i) IsIntsetMember(value.elements[i], &numbers[i]);
    out->push_back(static_cast<char>(rdb::kTypeSetIntset));
    AppendRdbString(out, BuildIntset(std::move(numbers)));
    return;
  }
  out->push_back(static_cast<char>(rdb::kTypeSet));
  AppendRdbLength(out, value.elements.size());
  for (const std::string& member : value.elements) AppendRdbString(out, member);
}

void AppendHash(std::string* out, const RdbValue& value, const RdbCompactLimits& limits) {
  if (!NeedsLargeEncoding(value, limits)) {
    ListpackBuilder builder;
    for (const auto& [field, text] : value.fields) {
      builder.Append(field);
      builder.Append(text);
    }
    out->push_back(static_cast<char>(rdb::kTypeHashListpack));
    AppendRdbString(out, builder.Finish());
    return;
  }
  out->push_back(static_cast<char>(rdb::kTypeHash));
  AppendRdbLength(out, value.fields.size());
  for (const auto& [field, text] : value.fields) {
    AppendRdbString(out, field);
    AppendRdbString(out, text);
  }
}

bool ScoreOrder(const std::pair<std::string, double>& a, const std::pair<std::string, double>& b) {
  return a.second < b.second || (a.second == b.second && a.first < b.first);
}

void AppendZSet(std::string* out, const RdbValue& value, const RdbCompactLimits& limits) {
  if (!NeedsLargeEncoding(value, limits)) {
    // A listpack sorted set is kept in score order; Redis relies on it without checking.
    const auto* ordered = &value.scored;
    std::vector<std::pair<std::string, double>> sorted;
    if (!std::is_sorted(value.scored.begin(), value.scored.end(), ScoreOrder)) {
      sorted = value.scored;
      std::sort(sorted.begin(), sorted.end(), ScoreOrder);
      ordered = &sorted;
    }
    ListpackBuilder builder;
    for (const auto& [member, score] : *ordered) {
      builder.Append(member);
      builder.Append(ScoreText(score));
    }
    out->push_back(static_cast<char>(rdb::kTypeZSetListpack));
    AppendRdbString(out, builder.Finish());
    return;
  }
  out->push_back(static_cast<char>(rdb::kTypeZSet2));
  AppendRdbLength(out, value.scored.size());
  for (const auto& [member, score] : value.scored) {
    AppendRdbString(out, member);
    uint64_t bits;
    std::memcpy(&bits, &score, sizeof bits);
    PutLittleEndian(out, bits, 8);
  }
}

}  // namespace

void AppendRdbLength(std::string* out, uint64_t length) {
  if (length < 64) {
    out->push_back(static_cast<char>(length));
  } else if (length < 16384) {
    out->push_back(static_cast<char>((rdb::kLen14Bit << 6) | (length >> 8)));
    out->push_back(static_cast<char>(length & 0xff));
  } else {
    size_t width = length <= std::numeric_limits<uint32_t>::max() ? 4 : 8;
    out->push_back(static_cast<char>(width == 4 ? rdb::kLen32Bit : rdb::kLen64Bit));
    for (size_t i = 0; i < width; ++i) {
      out->push_back(static_cast<char>(length >> (8 * (width - 1 - i))));  // big-endian
    }
  }
}

void AppendRdbString(std::string* out, std::string_view value) {
  int32_t number;
  if (CanonicalInt32(value, &number)) {
    size_t width = number >= -128 && number <= 127       ? 1
                   : number >= -32768 && number <= 32767 ? 2
                                                         : 4;
    uint8_t encoding = width == 1 ? rdb::kEncInt8 : width == 2 ? rdb::kEncInt16 : rdb::kEncInt32;
    out->push_back(static_cast<char>((rdb::kLenEncoded << 6) | encoding));
    PutLittleEndian(out, static_cast<uint32_t>(number), width);
    return;
  }
  AppendRdbLength(out, value.size());
  out->append(value);
}

void AppendRdbValue(std::string* out, const RdbValue& value, const RdbCompactLimits& limits) {
  switch (value.type) {
    case ValueType::kString:
    case ValueType::kStream:  // never decoded into an RdbValue
      out->push_back(static_cast<char>(rdb::kTypeString));
      AppendRdbString(out, value.string);
      return;
    case ValueType::kList:
      AppendList(out, value);
      return;
    case ValueType::kSet:
      AppendSet(out, value, limits);
      return;
    case ValueType::kHash:
      AppendHash(out, value, limits);
      return;
    case ValueType::kZSet:
      AppendZSet(out, value, limits);
      return;
  }
}

std::string CreateDumpPayload(const RdbValue& value, const RdbCompactLimits& limits) {
  std::string payload;
  AppendRdbValue(&payload, value, limits);
  PutLittleEndian(&payload, rdb::kWriteVersion, 2);
  PutLittleEndian(&payload, rdb::Crc64(0, payload.data(), payload.size()), 8);
  return payload;
}

std::string ScoreText(double score) {
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  if (score == 0) return std::signbit(score) ? "-0" : "0";
  // Integral values of up to 52 bits are written as integers (listpacks then store them
  // int-encoded), the rest with 17 significant digits.
  constexpr double kMin = -4503599627370495.0, kMax = 4503599627370496.0;
  if (score > kMin && score < kMax && score == static_cast<double>(static_cast<int64_t>(score))) {
    return std::to_string(static_cast<int64_t>(score));
  }
  char buffer[32];
  int length = std::snprintf(buffer, sizeof buffer, "%.17g", score);
  return std::string(buffer, length);
}

}  // namespace cairn
