// RdbReader: buffered input with a running CRC, the record opcodes, and the walk through the
// value types Cairn skips (streams, module values); values come from the shared RdbDecoder.
#include "tools/backup/rdb_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "encoding/rdb_format.h"

namespace cairn::rdb {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;

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
  if (!Read(header, sizeof header)) return Fail("unexpected end of file");
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
  uint64_t computed;
  uint8_t bytes[8];
  if (!Skip(file_size_ - 8 - offset_)) return Fail("unexpected end of file");
  computed = crc_;
  if (!Read(bytes, sizeof bytes)) return Fail("unexpected end of file");
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

uint64_t RdbReader::Remaining() const { return file_size_ - std::min(offset_, file_size_); }

bool RdbReader::Read(void* out, size_t size) {
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
  if (size > Remaining()) return Fail("unexpected end of file");
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

uint64_t RdbReader::ReadLittleEndian(const uint8_t* bytes, size_t size) const {
  uint64_t value = 0;
  for (size_t i = size; i > 0; --i) value = (value << 8) | bytes[i - 1];
  return value;
}

bool RdbReader::SkipUnsupported(uint8_t type, std::string* module_name) {
  switch (type) {
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      return SkipStream(type);
    case kTypeModule2: {
      uint64_t module_id;
      if (!decoder_.ReadLength(&module_id)) return false;
      *module_name = ModuleTypeName(module_id);
      return SkipModuleOpcodes();
    }
    default:
      return Fail("value type " + std::to_string(type) + " is not known to this reader");
  }
}

bool RdbReader::SkipStream(uint8_t type) {
  uint64_t count, number;
  if (!decoder_.ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (!decoder_.SkipString() || !decoder_.SkipString())
      return false;  // master entry id, listpack
  }
  // Length and last id; version 2 adds first id, max deleted id and entries added.
  int numbers = type == kTypeStreamListpacks ? 3 : 8;
  for (int i = 0; i < numbers; ++i) {
    if (!decoder_.ReadLength(&number)) return false;
  }
  if (!decoder_.ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (!SkipStreamGroup(type)) return false;
  }
  return true;
}

bool RdbReader::SkipStreamGroup(uint8_t type) {
  uint64_t number, count;
  if (!decoder_.SkipString() || !decoder_.ReadLength(&number) || !decoder_.ReadLength(&number))
    return false;
  if (type != kTypeStreamListpacks && !decoder_.ReadLength(&number)) return false;  // entries read
  if (!decoder_.ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {  // pending entries: id, delivery time and count
    if (!Skip(16 + 8) || !decoder_.ReadLength(&number)) return false;
  }
  if (!decoder_.ReadLength(&count)) return false;
  for (uint64_t i = 0; i < count; ++i) {  // consumers: name, seen (and active) time, ids
    uint64_t times = type == kTypeStreamListpacks3 ? 16 : 8;
    uint64_t pending;
    if (!decoder_.SkipString() || !Skip(times) || !decoder_.ReadLength(&pending) ||
        !Skip(pending * 16)) {
      return false;
    }
  }
  return true;
}

bool RdbReader::SkipModuleOpcodes() {
  for (;;) {
    uint64_t opcode, number;
    if (!decoder_.ReadLength(&opcode)) return false;
    bool skipped = false;
    switch (opcode) {
      case kModuleEof:
        return true;
      case kModuleSInt:
      case kModuleUInt:
        skipped = decoder_.ReadLength(&number);
        break;
      case kModuleFloat:
        skipped = Skip(4);
        break;
      case kModuleDouble:
        skipped = Skip(8);
        break;
      case kModuleString:
        skipped = decoder_.SkipString();
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
  record->decoded = false;
  if (type == kTypeModulePreGa) return Fail("pre-release module values cannot be read");
  if (!decoder_.ReadString(&record->key)) return false;
  std::string_view family = TypeFamilyName(type);
  if (family == "streams" || family == "module values" || family.empty()) {
    record->object.Clear();
    return SkipUnsupported(type, &record->module_name);
  }
  record->decoded = true;
  return decoder_.ReadValue(type, &record->object);
}

bool RdbReader::CheckFooter() {
  if (version_ < kMinChecksumVersion) return true;
  uint64_t computed = crc_;
  uint8_t bytes[8];
  if (!Read(bytes, sizeof bytes)) return false;
  uint64_t stored = ReadLittleEndian(bytes, sizeof bytes);
  // Redis writes 0 when rdbchecksum is off.
  if (stored != 0 && stored != computed)
    return Fail("CRC64 checksum mismatch: the file is corrupt");
  return true;
}

bool RdbReader::Next(Record* record) {
  if (NextRecord(record)) return true;
  // The decoder reports what it found wrong; the offset says where.
  if (error_.empty()) Fail(decoder_.error().empty() ? "read error" : decoder_.error());
  return false;
}

bool RdbReader::NextRecord(Record* record) {
  int64_t expire_ms = -1;
  for (;;) {
    uint8_t type;
    uint8_t bytes[8];
    uint64_t number;
    if (!decoder_.ReadByte(&type)) return false;
    switch (type) {
      case kOpExpireTimeMs:
        if (!Read(bytes, 8)) return false;
        expire_ms = static_cast<int64_t>(ReadLittleEndian(bytes, 8));
        continue;
      case kOpExpireTime:
        if (!Read(bytes, 4)) return false;
        expire_ms = static_cast<int64_t>(ReadLittleEndian(bytes, 4)) * 1000;
        continue;
      case kOpIdle:
        if (!decoder_.ReadLength(&number)) return false;
        continue;
      case kOpFreq:
        if (!Skip(1)) return false;
        continue;
      case kOpResizeDb:
        if (!decoder_.ReadLength(&number) || !decoder_.ReadLength(&number)) return false;
        continue;
      case kOpSelectDb:
        record->kind = Record::Kind::kSelectDb;
        return decoder_.ReadLength(&record->db);
      case kOpAux:
        record->kind = Record::Kind::kAux;
        return decoder_.ReadString(&record->key) && decoder_.ReadString(&record->value);
      case kOpFunction2:
        record->kind = Record::Kind::kFunction;
        return decoder_.SkipString();
      case kOpFunctionPreGa:
        return Fail("functions in the pre-release format of Redis 7.0 RC cannot be read");
      case kOpModuleAux:
        record->kind = Record::Kind::kModuleAux;
        // Module id, then the "when" field as an opcode/value pair, then the payload.
        return decoder_.ReadLength(&number) && decoder_.ReadLength(&number) &&
               decoder_.ReadLength(&number) && SkipModuleOpcodes();
      case kOpEof:
        record->kind = Record::Kind::kEof;
        return CheckFooter();
      default:
        return ReadValueRecord(type, expire_ms, record);
    }
  }
}

}  // namespace cairn::rdb
