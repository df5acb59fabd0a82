// RdbWriter: the RDB encodings Redis 7.0 uses when it saves strings.
#include "tools/backup/rdb_writer.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>

#include "tools/backup/rdb_format.h"

namespace cairn::rdb {
namespace {

// Redis stores a string as an integer when it is the canonical text of a number that fits in 32
// bits (rdbTryIntegerEncoding); texts longer than 11 bytes never qualify.
bool CanonicalInt32(std::string_view text, int32_t* value) {
  if (text.empty() || text.size() > 11) return false;
  int64_t parsed;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  if (std::to_string(parsed) != text) return false;  // "007", "-0" stay strings
  if (parsed < std::numeric_limits<int32_t>::min() ||
      parsed > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *value = static_cast<int32_t>(parsed);
  return true;
}

}  // namespace

RdbWriter::~RdbWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!finished_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

bool RdbWriter::Open(const std::string& path) {
  path_ = path;
  temp_path_ = path + ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) {
    error_ = "cannot create " + temp_path_ + ": " + std::strerror(errno);
    temp_path_.clear();
    return false;
  }
  std::string header = "REDIS00" + std::to_string(kWriteVersion);
  Write(header.data(), header.size());
  return error_.empty();
}

void RdbWriter::Write(const void* data, size_t size) {
  if (!error_.empty()) return;
  if (std::fwrite(data, 1, size, file_) != size) {
    error_ = "cannot write " + temp_path_ + ": " + std::strerror(errno);
    return;
  }
  crc_ = Crc64(crc_, data, size);
  bytes_written_ += size;
}

void RdbWriter::WriteLength(uint64_t length) {
  uint8_t bytes[9];
  size_t size;
  if (length < 64) {
    bytes[0] = static_cast<uint8_t>(length);
    size = 1;
  } else if (length < 16384) {
    bytes[0] = static_cast<uint8_t>((kLen14Bit << 6) | (length >> 8));
    bytes[1] = static_cast<uint8_t>(length);
    size = 2;
  } else {
    size_t width = length <= std::numeric_limits<uint32_t>::max() ? 4 : 8;
    bytes[0] = width == 4 ? kLen32Bit : kLen64Bit;
    for (size_t i = 0; i < width; ++i)
      bytes[1 + i] = static_cast<uint8_t>(length >> (8 * (width - 1 - i)));
    size = 1 + width;
  }
  Write(bytes, size);
}

void RdbWriter::WriteString(std::string_view value) {
  int32_t number;
  if (CanonicalInt32(value, &number)) {
    uint8_t bytes[5];
    size_t width = number >= -128 && number <= 127       ? 1
                   : number >= -32768 && number <= 32767 ? 2
                                                         : 4;
    uint8_t encoding = width == 1 ? kEncInt8 : width == 2 ? kEncInt16 : kEncInt32;
    bytes[0] = static_cast<uint8_t>((kLenEncoded << 6) | encoding);
    auto bits = static_cast<uint32_t>(number);
    for (size_t i = 0; i < width; ++i) bytes[1 + i] = static_cast<uint8_t>(bits >> (8 * i));
    Write(bytes, 1 + width);
    return;
  }
  WriteLength(value.size());
  Write(value.data(), value.size());
}

void RdbWriter::WriteAux(std::string_view name, std::string_view value) {
  WriteByte(kOpAux);
  WriteString(name);
  WriteString(value);
}

void RdbWriter::SelectDb(uint64_t db, uint64_t keys, uint64_t keys_with_expire) {
  WriteByte(kOpSelectDb);
  WriteLength(db);
  WriteByte(kOpResizeDb);
  WriteLength(keys);
  WriteLength(keys_with_expire);
}

void RdbWriter::WriteStringKey(std::string_view key, std::string_view value, int64_t expire_ms) {
  if (expire_ms >= 0) {
    uint8_t bytes[8];
    for (size_t i = 0; i < 8; ++i)
      bytes[i] = static_cast<uint8_t>(static_cast<uint64_t>(expire_ms) >> (8 * i));
    WriteByte(kOpExpireTimeMs);
    Write(bytes, sizeof bytes);
  }
  WriteByte(kTypeString);
  WriteString(key);
  WriteString(value);
}

bool RdbWriter::Finish() {
  WriteByte(kOpEof);
  uint64_t crc = crc_;
  uint8_t bytes[8];
  for (size_t i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(crc >> (8 * i));
  Write(bytes, sizeof bytes);
  if (!error_.empty()) return false;
  bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    error_ = "cannot write " + temp_path_ + ": " + std::strerror(errno);
    return false;
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    error_ = "cannot rename " + temp_path_ + " to " + path_ + ": " + std::strerror(errno);
    return false;
  }
  finished_ = true;
  return true;
}

}  // namespace cairn::rdb
