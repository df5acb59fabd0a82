// RdbDecoder: Redis's rdbLoadLen / rdbGenericLoadStringObject / rdbLoadObject for the value
// types Cairn holds, and the DUMP payload footer check of RESTORE (verifyDumpPayload).
#include "encoding/rdb_decoder.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <unordered_set>

#include "encoding/rdb_format.h"
#include "encoding/rdb_packed.h"

namespace cairn {
namespace {

uint64_t LittleEndian(const uint8_t* bytes, size_t size) {
  uint64_t value = 0;
  for (size_t i = size; i > 0; --i) value = (value << 8) | bytes[i - 1];
  return value;
}

// strtod over the whole text, NaN refused: the scores of ziplist/listpack sorted sets.
bool ParseScore(const std::string& text, double* score) {
  if (text.empty()) return false;
  char* end = nullptr;
  *score = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && !std::isnan(*score);
}

bool HasDuplicates(const std::vector<std::string>& members) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(members.size());
  for (const std::string& member : members) {
    if (!seen.insert(member).second) return true;
  }
  return false;
}

template <typename Pair>
bool HasDuplicateFirsts(const std::vector<Pair>& pairs) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(pairs.size());
  for (const Pair& pair : pairs) {
    if (!seen.insert(pair.first).second) return true;
  }
  return false;
}

ValueType TypeOfCode(uint8_t type) {
  std::string_view family = rdb::TypeFamilyName(type);
  if (family == "lists") return ValueType::kList;
  if (family == "sets") return ValueType::kSet;
  if (family == "hashes") return ValueType::kHash;
  if (family == "sorted sets") return ValueType::kZSet;
  return ValueType::kString;
}

}  // namespace

bool MemoryRdbSource::Read(void* out, size_t size) {
  if (size > data_.size()) return false;
  std::memcpy(out, data_.data(), size);
  data_.remove_prefix(size);
  return true;
}

bool MemoryRdbSource::Skip(uint64_t size) {
  if (size > data_.size()) return false;
  data_.remove_prefix(size);
  return true;
}

bool RdbDecoder::Fail(std::string what) {
  if (error_.empty()) error_ = std::move(what);
  return false;
}

bool RdbDecoder::Read(void* out, size_t size) {
  return source_->Read(out, size) || Fail("unexpected end of data");
}

bool RdbDecoder::Skip(uint64_t size) {
  return source_->Skip(size) || Fail("unexpected end of data");
}

bool RdbDecoder::ReadByte(uint8_t* byte) { return Read(byte, 1); }

bool RdbDecoder::ReadLength(uint64_t* length, bool* encoded) {
  if (encoded != nullptr) *encoded = false;
  uint8_t first;
  if (!ReadByte(&first)) return false;
  uint8_t kind = first >> 6;
  if (kind == rdb::kLen6Bit) {
    *length = first & 0x3f;
  } else if (kind == rdb::kLen14Bit) {
    uint8_t second;
    if (!ReadByte(&second)) return false;
    *length = (uint64_t{first & 0x3fu} << 8) | second;
  } else if (kind == rdb::kLenEncoded) {
    if (encoded == nullptr) return Fail("an encoded string where a length belongs");
    *encoded = true;
    *length = first & 0x3f;
  } else if (first == rdb::kLen32Bit || first == rdb::kLen64Bit) {
    uint8_t bytes[8];
    size_t size = first == rdb::kLen32Bit ? 4 : 8;
    if (!Read(bytes, size)) return false;
    *length = 0;
    for (size_t i = 0; i < size; ++i) *length = (*length << 8) | bytes[i];  // big-endian
  } else {
    return Fail("unknown length encoding " + std::to_string(first));
  }
  return true;
}

bool RdbDecoder::ReadString(std::string* out) {
  bool encoded;
  uint64_t length;
  if (!ReadLength(&length, &encoded)) return false;
  if (!encoded) {
    if (length > source_->Remaining()) return Fail("unexpected end of data");
    out->resize(length);
    return Read(out->data(), length);
  }
  if (length == rdb::kEncLzf) {
    uint64_t compressed_size, size;
    if (!ReadLength(&compressed_size) || !ReadLength(&size)) return false;
    if (compressed_size > source_->Remaining()) return Fail("unexpected end of data");
    // LZF expands at most 88 times (a back reference of up to 264 bytes costs 3), so a larger
    // claim is corruption, not a reason to allocate.
    if (size > compressed_size * 88 + 64) return Fail("corrupt LZF-compressed string length");
    std::string compressed(compressed_size, '\0');
    if (!Read(compressed.data(), compressed_size)) return false;
    if (!rdb::LzfDecompress(compressed, size, out)) return Fail("corrupt LZF-compressed string");
    return true;
  }
  if (length > rdb::kEncInt32) return Fail("unknown string encoding " + std::to_string(length));
  uint8_t bytes[4];
  size_t size = size_t{1} << length;  // 1, 2 or 4 bytes, little-endian, signed
  if (!Read(bytes, size)) return false;
  uint64_t raw = LittleEndian(bytes, size);
  int64_t value = size == 1   ? static_cast<int8_t>(raw)
                  : size == 2 ? static_cast<int16_t>(raw)
                              : static_cast<int32_t>(raw);
  *out = std::to_string(value);
  return true;
}

bool RdbDecoder::SkipString() {
  bool encoded;
  uint64_t length;
  if (!ReadLength(&length, &encoded)) return false;
  if (!encoded) return Skip(length);
  if (length == rdb::kEncLzf) {
    uint64_t compressed_size, size;
    return ReadLength(&compressed_size) && ReadLength(&size) && Skip(compressed_size);
  }
  if (length > rdb::kEncInt32) return Fail("unknown string encoding " + std::to_string(length));
  return Skip(uint64_t{1} << length);
}

// A member count: a collection is never empty, and each member takes at least one byte.
bool RdbDecoder::ReadCount(uint64_t* count) {
  if (!ReadLength(count)) return false;
  if (*count == 0) return Fail("empty collection");
  if (*count > source_->Remaining()) return Fail("unexpected end of data");
  return true;
}

bool RdbDecoder::ReadStrings(uint64_t count, std::vector<std::string>* out) {
  out->reserve(out->size() + count);
  for (uint64_t i = 0; i < count; ++i) {
    out->emplace_back();
    if (!ReadString(&out->back())) return false;
  }
  return true;
}

bool RdbDecoder::ReadPairs(uint64_t count, std::vector<std::pair<std::string, std::string>>* out) {
  out->reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    out->emplace_back();
    if (!ReadString(&out->back().first) || !ReadString(&out->back().second)) return false;
  }
  return true;
}

// Scores of the old ZSET type: a length byte (253 NaN, 254 +inf, 255 -inf) and that many
// bytes of text.
bool RdbDecoder::ReadOldDouble(double* score) {
  uint8_t length;
  if (!ReadByte(&length)) return false;
  if (length == rdb::kOldDoublePosInf || length == rdb::kOldDoubleNegInf) {
    *score = length == rdb::kOldDoublePosInf ? INFINITY : -INFINITY;
    return true;
  }
  if (length == rdb::kOldDoubleNan) return Fail("sorted set score is NaN");
  std::string text(length, '\0');
  if (!Read(text.data(), length)) return false;
  return ParseScore(text, score) || Fail("bad sorted set score");
}

bool RdbDecoder::ReadScoredSet(uint8_t type, RdbValue* value) {
  uint64_t count;
  if (!ReadCount(&count)) return false;
  value->scored.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    value->scored.emplace_back();
    auto& [member, score] = value->scored.back();
    if (!ReadString(&member)) return false;
    if (type == rdb::kTypeZSet) {
      if (!ReadOldDouble(&score)) return false;
      continue;
    }
    uint8_t bytes[8];
    if (!Read(bytes, 8)) return false;
    uint64_t bits = LittleEndian(bytes, 8);
    std::memcpy(&score, &bits, sizeof score);
    if (std::isnan(score)) return Fail("sorted set score is NaN");
  }
  return true;
}

// quicklist (ziplist nodes) and quicklist2 (plain or listpack nodes); empty nodes are skipped
// as Redis skips them.
bool RdbDecoder::ReadQuicklist(uint8_t type, RdbValue* value) {
  uint64_t nodes;
  if (!ReadCount(&nodes)) return false;
  std::string blob;
  for (uint64_t i = 0; i < nodes; ++i) {
    uint64_t container = rdb::kQuicklistNodePacked;
    if (type == rdb::kTypeListQuicklist2) {
      if (!ReadLength(&container)) return false;
      if (container != rdb::kQuicklistNodePlain && container != rdb::kQuicklistNodePacked) {
        return Fail("unknown quicklist node container " + std::to_string(container));
      }
    }
    if (!ReadString(&blob)) return false;
    if (container == rdb::kQuicklistNodePlain) {
      value->elements.push_back(std::move(blob));
      continue;
    }
    bool parsed = type == rdb::kTypeListQuicklist2 ? ParseListpack(blob, &value->elements)
                                                   : ParseZiplist(blob, &value->elements);
    if (!parsed) return Fail("corrupt quicklist node");
  }
  return !value->elements.empty() || Fail("empty collection");
}

// The encodings that are one packed blob: ziplist, listpack, intset, zipmap.
bool RdbDecoder::ReadBlobValue(uint8_t type, RdbValue* value) {
  std::string blob;
  if (!ReadString(&blob)) return false;
  std::vector<std::string> entries;
  bool parsed = false;
  switch (type) {
    case rdb::kTypeHashZipmap:
      parsed = ParseZipmap(blob, &entries);
      break;
    case rdb::kTypeSetIntset:
      parsed = ParseIntset(blob, &entries);
      break;
    case rdb::kTypeListZiplist:
    case rdb::kTypeZSetZiplist:
    case rdb::kTypeHashZiplist:
      parsed = ParseZiplist(blob, &entries);
      break;
    default:  // listpacks
      parsed = ParseListpack(blob, &entries);
      break;
  }
  if (!parsed) return Fail("corrupt packed value");
  if (entries.empty()) return Fail("empty collection");
  if (value->type == ValueType::kList || value->type == ValueType::kSet) {
    value->elements = std::move(entries);
    return true;
  }
  if (entries.size() % 2 != 0) return Fail("odd number of entries in a packed pair list");
  for (size_t i = 0; i < entries.size(); i += 2) {
    if (value->type == ValueType::kHash) {
      value->fields.emplace_back(std::move(entries[i]), std::move(entries[i + 1]));
      continue;
    }
    double score = 0;
    if (!ParseScore(entries[i + 1], &score)) return Fail("bad sorted set score");
    value->scored.emplace_back(std::move(entries[i]), score);
  }
  return true;
}

bool RdbDecoder::ReadValue(uint8_t type, RdbValue* value) {
  value->Clear();
  value->type = TypeOfCode(type);
  uint64_t count = 0;
  bool read = false;
  switch (type) {
    case rdb::kTypeString:
      return ReadString(&value->string);
    case rdb::kTypeList:
    case rdb::kTypeSet:
      read = ReadCount(&count) && ReadStrings(count, &value->elements);
      break;
    case rdb::kTypeHash:
      read = ReadCount(&count) && ReadPairs(count, &value->fields);
      break;
    case rdb::kTypeZSet:
    case rdb::kTypeZSet2:
      read = ReadScoredSet(type, value);
      break;
    case rdb::kTypeListQuicklist:
    case rdb::kTypeListQuicklist2:
      read = ReadQuicklist(type, value);
      break;
    case rdb::kTypeHashZipmap:
    case rdb::kTypeListZiplist:
    case rdb::kTypeSetIntset:
    case rdb::kTypeZSetZiplist:
    case rdb::kTypeHashZiplist:
    case rdb::kTypeHashListpack:
    case rdb::kTypeZSetListpack:
    case rdb::kTypeSetListpack:
      read = ReadBlobValue(type, value);
      break;
    default:
      return Fail("value type " + std::to_string(type) + " is not supported");
  }
  if (!read) return false;
  bool duplicates = value->type == ValueType::kSet    ? HasDuplicates(value->elements)
                    : value->type == ValueType::kHash ? HasDuplicateFirsts(value->fields)
                    : value->type == ValueType::kZSet ? HasDuplicateFirsts(value->scored)
                                                      : false;
  return !duplicates || Fail("duplicate members");
}

DumpPayloadError ParseDumpPayload(std::string_view payload, RdbValue* value) {
  // type byte ... | RDB version (2 bytes LE) | CRC64 (8 bytes LE)
  if (payload.size() < 10) return DumpPayloadError::kVersionOrChecksum;
  const auto* footer = reinterpret_cast<const uint8_t*>(payload.data() + payload.size() - 10);
  uint64_t version = LittleEndian(footer, 2);
  if (version > static_cast<uint64_t>(rdb::kWriteVersion)) {
    return DumpPayloadError::kVersionOrChecksum;
  }
  uint64_t crc = rdb::Crc64(0, payload.data(), payload.size() - 8);
  if (crc != LittleEndian(footer + 2, 8)) return DumpPayloadError::kVersionOrChecksum;
  MemoryRdbSource source(payload.substr(0, payload.size() - 10));
  RdbDecoder decoder(&source);
  uint8_t type;
  if (!decoder.ReadByte(&type) || !decoder.ReadValue(type, value)) {
    return DumpPayloadError::kBadFormat;
  }
  return DumpPayloadError::kNone;
}

}  // namespace cairn
