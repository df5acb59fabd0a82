// RdbWriter: writes an RDB version 10 file (what Redis 7.0 writes): header, aux fields,
// SELECTDB/RESIZEDB per db, keys of every type with EXPIRETIME_MS, and the CRC64 footer. Values are
// encoded by the shared encoder (encoding/rdb_encoder.h), as DUMP encodes them. The file is written
// under a temporary name and renamed into place by Finish, so a failed export leaves nothing
// behind.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "encoding/rdb_value.h"

namespace cairn::rdb {

class RdbWriter {
 public:
  RdbWriter() = default;
  ~RdbWriter();  // removes the temporary file unless Finish succeeded
  RdbWriter(const RdbWriter&) = delete;
  RdbWriter& operator=(const RdbWriter&) = delete;

  // Creates the temporary file and writes the header.
  bool Open(const std::string& path);
  void WriteAux(std::string_view name, std::string_view value);
  void SelectDb(uint64_t db, uint64_t keys, uint64_t keys_with_expire);
  // expire_ms: absolute unix ms, or -1 for none.
  void WriteKey(std::string_view key, const RdbValue& value, int64_t expire_ms,
                const RdbCompactLimits& limits);
  // Writes EOF and the checksum, syncs and renames the file into place.
  bool Finish();

  uint64_t bytes_written() const { return bytes_written_; }
  const std::string& error() const { return error_; }

 private:
  void Write(const void* data, size_t size);
  void WriteByte(uint8_t byte) { Write(&byte, 1); }
  void WriteLength(uint64_t length);
  void WriteString(std::string_view value);

  std::string record_;  // one key's bytes, reused

  std::FILE* file_ = nullptr;
  std::string path_;
  std::string temp_path_;
  uint64_t crc_ = 0;
  uint64_t bytes_written_ = 0;
  bool finished_ = false;
  std::string error_;
};

}  // namespace cairn::rdb
