// RdbReader: buffered input with a running CRC, the length and string encodings, and the walk
// through every value type that Cairn skips.
#include "tools/backup/rdb_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tools/backup/rdb_format.h"

namespace cairn::rdb {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;

bool IsBlobType(uint8_t type) {
  switch (type) {
    case kTypeHashZipmap:
    case kTypeListZiplist:
    case kTypeSetIntset:
    case kTypeZSetZiplist:
    case kTypeHashZiplist:
    case kTypeHashListpack:
    case kTypeZSetListpack:
    case kTypeSetListpack:
      return true;
    default:
      return false;
  }
}

}  // namespace

RdbReader::~RdbReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool RdbReader::Fail(const std::string& what) {
  if (error_.empty()) error_ = what + " (at byte " + std::to_string(offset_) + ")";
  return false;
}

bool RdbReader::Open(const std::string& path) {
  std::error_code ec;
  file_size_ = std::filesystem::file_size(path, ec);
  file_ = ec ? nullptr : std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    error_ = "cannot open " + path + ": " + (ec ? ec.message() : std::strerror(errno));
    return false;
  }
  buffer_.resize(kBufferSize);
  char header[9];
  if (!ReadRaw(header, sizeof header)) return false;
  if (std::memcmp(header, "REDIS", 5) != 0) return Fail("not an RDB file (no REDIS header)");
  version_ = 0;
  for (int i = 5; i < 9; ++i) {
    if (header[i] < '0' || header[i] > '9') return Fail("not an RDB file (bad version)");
    version_ = version_ * 10 + (header[i] - '0');
  }
  if (version_ < 1 || version_ > kMaxReadVersion) {
    return Fail("RDB version " + std::to_string(version_) + " is not supported (1 to " +
                std::to_string(kMaxReadVersion) + ")");
  }
  return true;
}

bool RdbReader::VerifyChecksum() {
  if (version_ < kMinChecksumVersion) return true;
  if (file_size_ < 9 + 8) return Fail("unexpected end of file");
  uint64_t header_offset = offset_;
  uint64_t header_crc = crc_;
  if (!Skip(file_size_ - 8 - offset_)) return false;
  uint64_t computed = crc_;
  uint8_t bytes[8];
  if (!ReadRaw(bytes, sizeof bytes)) return false;
  uint64_t stored = ReadLittleEndian(bytes, sizeof bytes);
  // Redis writes 0 when rdbchecksum is off.
  if (stored != 0 && stored != computed)
    return Fail("CRC64 checksum mismatch: the file is corrupt");
  if (std::fseek(file_, static_cast<long>(header_offset), SEEK_SET) != 0) {
    return Fail(std::string("cannot seek: ") + std::strerror(errno));
  }
  offset_ = header_offset;
  crc_ = header_crc;
  buffer_pos_ = buffer_end_ = 0;
  return true;
}

bool RdbReader::Fill() {
  buffer_pos_ = 0;
  buffer_end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (buffer_end_ == 0) return Fail(std::ferror(file_) ? "read error" : "unexpected end of file");
  return true;
}

bool RdbReader::ReadRaw(void* out, size_t size) {
  auto* dst = static_cast<char*>(out);
  while (size > 0) {
    if (buffer_pos_ == buffer_end_ && !Fill()) return false;
    size_t chunk = std::min(size, buffer_end_ - buffer_pos_);
    std::memcpy(dst, buffer_.data() + buffer_pos_, chunk);
    crc_ = Crc64(crc_, buffer_.data() + buffer_pos_, chunk);
    buffer_pos_ += chunk;
    offset_ += chunk;
    dst += chunk;
    size -= chunk;
  }
  return true;
}

bool RdbReader::Skip(uint64_t size) {
  if (size > file_size_ - std::min(offset_, file_size_)) return Fail("unexpected end of file");
  while (size > 0) {
    if (buffer_pos_ == buffer_end_ && !Fill()) return false;
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(size, buffer_end_ - buffer_pos_));
    crc_ = Crc64(crc_, buffer_.data() + buffer_pos_, chunk);
    buffer_pos_ += chunk;
    offset_ += chunk;
    size -= chunk;
  }
  return true;
}

bool RdbReader::ReadByte(uint8_t* byte) { return ReadRaw(byte, 1); }

uint64_t RdbReader::ReadLittleEndian(const uint8_t* bytes, size_t size) const {
  uint64_t value = 0;
  for (size_t i = size; i > 0; --i) value = (value << 8) | bytes[i - 1];
  return value;
}

bool RdbReader::ReadLength(uint64_t* length, bool* encoded) {
  if (encoded != nullptr) *encoded = false;
  uint8_t first;
  if (!ReadByte(&first)) return false;
  uint8_t kind = first >> 6;
  if (kind == kLen6Bit) {
    *length = first & 0x3f;
  } else if (kind == kLen14Bit) {
    uint8_t second;
    if (!ReadByte(&second)) return false;
    *length = (uint64_t{first & 0x3fu} << 8) | second;
  } else if (kind == kLenEncoded) {
    if (encoded == nullptr) return Fail("an encoded string where a length belongs");
    *encoded = true;
    *length = first & 0x3f;
  } else if (first == kLen32Bit || first == kLen64Bit) {
    uint8_t bytes[8];
    size_t size = first == kLen32Bit ? 4 : 8;
    if (!ReadRaw(bytes, size)) return false;
    *length = 0;
    for (size_t i = 0; i < size; ++i) *length = (*length << 8) | bytes[i];  // big-endian
  } else {
    return Fail("unknown length encoding " + std::to_string(first));
  }
  return true;
}

bool RdbReader::ReadString(std::string* out) {
  bool encoded;
  uint64_t length;
  if (!ReadLength(&length, &encoded)) return false;
  if (!encoded) {
    if (length > file_size_ - std::min(offset_, file_size_)) return Fail("unexpected end of file");
    out->resize(length);
    return ReadRaw(out->data(), length);
  }
  if (length == kEncLzf) {
    uint64_t compressed_size, size;
    if (!ReadLength(&compressed_size) || !ReadLength(&size)) return false;
    if (compressed_size > file_size_ - std::min(offset_, file_size_)) {
      return Fail("unexpected end of file");
    }
    // LZF expands at most 88 times (a back reference of up to 264 bytes costs 3), so a larger
    // claim is corruption, not a reason to allocate.
    if (size > compressed_size * 88 + 64) return Fail("corrupt LZF-compressed string length");
    std::string compressed(compressed_size, '\0');
    if (!ReadRaw(compressed.data(), compressed_size)) return false;
    if (!LzfDecompress(compressed, size, out)) return Fail("corrupt LZF-compressed string");
    return true;
  }
  if (length > kEncInt32) return Fail("unknown string encoding " + std::to_string(length));
  uint8_t bytes[4];
  size_t size = size_t{1} << length;  // 1, 2 or 4 bytes, little-endian, signed
  if (!ReadRaw(bytes, size)) return false;
  uint64_t raw = ReadLittleEndian(bytes, size);
  int64_t value = size == 1   ? static_cast<int8_t>(raw)
                  : size == 2 ? static_cast<int16_t>(raw)
                              : static_cast<int32_t>(raw);
  *out = std::to_string(value);
  return true;
}

bool RdbReader::SkipString() {
  bool encoded;
  uint64_t length;
  if (!ReadLength(&length, &encoded)) return false;
  if (!encoded) return Skip(length);
  if (length == kEncLzf) {
    uint64_t compressed_size, size;
    return ReadLength(&compressed_size) && ReadLength(&size) && Skip(compressed_size);
  }
  if (length > kEncInt32) return Fail("unknown string encoding " + std::to_string(length));
  return Skip(uint64_t{1} << length);
}

bool RdbReader::SkipStrings(uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) {
    if (!SkipString()) return false;
  }
  return true;
}

// Scores of the old ZSET type: a length byte (253 NaN, 254 +inf, 255 -inf) and that many bytes of
// text.
bool RdbReader::SkipOldDouble() {
  uint8_t length;
  if (!ReadByte(&length)) return false;
  return length >= 253 || Skip(length);
}

bool RdbReader::SkipValue(uint8_t type, std::string* module_name) {
  if (IsBlobType(type)) return SkipString();
  uint64_t count;
  switch (type) {
    case kTypeList:
    case kTypeSet:
    case kTypeListQuicklist:
      return ReadLength(&count) && SkipStrings(count);
    case kTypeHash:
      return ReadLength(&count) && SkipStrings(count) && SkipStrings(count);
    case kTypeZSet:
    case kTypeZSet2:
      if (!ReadLength(&count)) return false;
      for (uint64_t i = 0; i < count; ++i) {
        bool skipped = SkipString() && (type == kTypeZSet ? SkipOldDouble() : Skip(8));
        if (!skipped) return false;
      }
      return true;
    case kTypeListQuicklist2:
      if (!ReadLength(&count)) return false;
      for (uint64_t i = 0; i < count; ++i) {
        uint64_t container;  // plain node or packed listpack
        if (!ReadLength(&container) || !SkipString()) return false;
      }
      return true;
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      return SkipStream(type);
    case kTypeModule2: {
      uint64_t module_id;
      if (!ReadLength(&module_id)) return false;
      *module_name = ModuleTypeName(module_id);
      return SkipModuleOpcodes();
    }
    default:
      return Fail("value type " + std::to_string(type) + " is not known to this reader");
  }
}

bool RdbReader::SkipStream(uint8_t type) {
  uint64_t count, number;
  if (!ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (!SkipString() || !SkipString()) return false;  // master entry id, listpack
  }
  // Length and last id; version 2 adds first id, max deleted id and entries added.
  int numbers = type == kTypeStreamListpacks ? 3 : 8;
  for (int i = 0; i < numbers; ++i) {
    if (!ReadLength(&number)) return false;
  }
  if (!ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (!SkipStreamGroup(type)) return false;
  }
  return true;
}

bool RdbReader::SkipStreamGroup(uint8_t type) {
  uint64_t number, count;
  if (!SkipString() || !ReadLength(&number) || !ReadLength(&number)) return false;
  if (type != kTypeStreamListpacks && !ReadLength(&number)) return false;  // entries read
  if (!ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {  // pending entries: id, delivery time and count
    if (!Skip(16 + 8) || !ReadLength(&number)) return false;
  }
  if (!ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {  // consumers: name, seen (and active) time, ids
    uint64_t times = type == kTypeStreamListpacks3 ? 16 : 8;
    uint64_t pending;
    if (!SkipString() || !Skip(times) || !ReadLength(&pending) || !Skip(pending * 16)) {
      return false;
    }
  }
  return true;
}

bool RdbReader::SkipModuleOpcodes() {
  for (;;) {
    uint64_t opcode, number;
    if (!ReadLength(&opcode)) return false;
    bool skipped = false;
    switch (opcode) {
      case kModuleEof:
        return true;
      case kModuleSInt:
      case kModuleUInt:
        skipped = ReadLength(&number);
        break;
      case kModuleFloat:
        skipped = Skip(4);
        break;
      case kModuleDouble:
        skipped = Skip(8);
        break;
      case kModuleString:
        skipped = SkipString();
        break;
      default:
        return Fail("unknown module opcode " + std::to_string(opcode) +
                    " (a module value saved without the opcode format cannot be "
                    "skipped)");
    }
    if (!skipped) return false;
  }
}

bool RdbReader::ReadValueRecord(uint8_t type, int64_t expire_ms, Record* record) {
  record->kind = Record::Kind::kKey;
  record->type = type;
  record->expire_ms = expire_ms;
  record->value.clear();
  record->module_name.clear();
  if (type == kTypeModulePreGa) return Fail("pre-release module values cannot be read");
  if (!ReadString(&record->key)) return false;
  if (type == kTypeString) return ReadString(&record->value);
  return SkipValue(type, &record->module_name);
}

bool RdbReader::CheckFooter() {
  if (version_ < kMinChecksumVersion) return true;
  uint64_t computed = crc_;
  uint8_t bytes[8];
  if (!ReadRaw(bytes, sizeof bytes)) return false;
  uint64_t stored = ReadLittleEndian(bytes, sizeof bytes);
  // Redis writes 0 when rdbchecksum is off.
  if (stored != 0 && stored != computed)
    return Fail("CRC64 checksum mismatch: the file is corrupt");
  return true;
}

bool RdbReader::Next(Record* record) {
  int64_t expire_ms = -1;
  for (;;) {
    uint8_t type;
    uint8_t bytes[8];
    uint64_t number;
    if (!ReadByte(&type)) return false;
    switch (type) {
      case kOpExpireTimeMs:
        if (!ReadRaw(bytes, 8)) return false;
        expire_ms = static_cast<int64_t>(ReadLittleEndian(bytes, 8));
        continue;
      case kOpExpireTime:
        if (!ReadRaw(bytes, 4)) return false;
        expire_ms = static_cast<int64_t>(ReadLittleEndian(bytes, 4)) * 1000;
        continue;
      case kOpIdle:
        if (!ReadLength(&number)) return false;
        continue;
      case kOpFreq:
        if (!Skip(1)) return false;
        continue;
      case kOpResizeDb:
        if (!ReadLength(&number) || !ReadLength(&number)) return false;
        continue;
      case kOpSelectDb:
        record->kind = Record::Kind::kSelectDb;
        return ReadLength(&record->db);
      case kOpAux:
        record->kind = Record::Kind::kAux;
        return ReadString(&record->key) && ReadString(&record->value);
      case kOpFunction2:
        record->kind = Record::Kind::kFunction;
        return SkipString();
      case kOpFunctionPreGa:
        return Fail("functions in the pre-release format of Redis 7.0 RC cannot be read");
      case kOpModuleAux:
        record->kind = Record::Kind::kModuleAux;
        // Module id, then the "when" field as an opcode/value pair, then the payload.
        return ReadLength(&number) && ReadLength(&number) && ReadLength(&number) &&
               SkipModuleOpcodes();
      case kOpEof:
        record->kind = Record::Kind::kEof;
        return CheckFooter();
      default:
        return ReadValueRecord(type, expire_ms, record);
    }
  }
}

}  // namespace cairn::rdb
