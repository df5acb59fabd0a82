// RdbWriter: an RDB file around the shared value encoder.
#include "tools/backup/rdb_writer.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>

#include "encoding/rdb_encoder.h"
#include "encoding/rdb_format.h"

namespace cairn::rdb {
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
  record_.clear();
  AppendRdbLength(&record_, length);
  Write(record_.data(), record_.size());
}

void RdbWriter::WriteString(std::string_view value) {
  record_.clear();
  AppendRdbString(&record_, value);
  Write(record_.data(), record_.size());
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

void RdbWriter::WriteKey(std::string_view key, const RdbValue& value, int64_t expire_ms,
                         const RdbCompactLimits& limits) {
  record_.clear();
  if (expire_ms >= 0) {
    record_.push_back(static_cast<char>(kOpExpireTimeMs));
    for (size_t i = 0; i < 8; ++i) {
      record_.push_back(static_cast<char>(static_cast<uint64_t>(expire_ms) >> (8 * i)));
    }
  }
  // The type byte leads the value's encoding but precedes the key in the file.
  std::string encoded;
  AppendRdbValue(&encoded, value, limits);
  record_.push_back(encoded[0]);
  AppendRdbString(&record_, key);
  Write(record_.data(), record_.size());
  Write(encoded.data() + 1, encoded.size() - 1);
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
