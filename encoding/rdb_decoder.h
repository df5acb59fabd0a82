// Reading Redis's RDB serialization: RdbSource (where the bytes come from: a DUMP payload in
// memory, or cairn-backup's buffered file), RdbDecoder (lengths, strings in their int and LZF
// encodings, and whole values in every encoding Redis 7.0 writes or older versions wrote), and
// ParseDumpPayload, RESTORE's check of a DUMP payload's footer followed by its value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "encoding/rdb_value.h"

namespace cairn {

class RdbSource {
 public:
  virtual ~RdbSource() = default;
  // Copies exactly `size` bytes to `out`; false at the end of the input or on a read error.
  virtual bool Read(void* out, size_t size) = 0;
  virtual bool Skip(uint64_t size) = 0;
  // Bytes left (an upper bound), so a corrupt length is refused before anything is allocated.
  virtual uint64_t Remaining() const = 0;
};

class MemoryRdbSource : public RdbSource {
 public:
  explicit MemoryRdbSource(std::string_view data) : data_(data) {}
  bool Read(void* out, size_t size) override;
  bool Skip(uint64_t size) override;
  uint64_t Remaining() const override { return data_.size(); }

 private:
  std::string_view data_;
};

class RdbDecoder {
 public:
  explicit RdbDecoder(RdbSource* source) : source_(source) {}

  bool ReadByte(uint8_t* byte);
  bool Read(void* out, size_t size);
  bool Skip(uint64_t size);
  // A length; with `encoded`, a string's special-encoding marker is accepted too (*encoded
  // true, *length the encoding number).
  bool ReadLength(uint64_t* length, bool* encoded = nullptr);
  // A string in any of its encodings (plain, int8/16/32, LZF).
  bool ReadString(std::string* out);
  bool SkipString();
  // The value of RDB type `type`: strings and every list, set, hash and sorted set encoding.
  // Empty collections, duplicate members and NaN scores are refused (as Redis refuses them);
  // streams and module values are not values Cairn holds: refused too.
  bool ReadValue(uint8_t type, RdbValue* value);

  // Records the first error and returns false.
  bool Fail(std::string what);
  const std::string& error() const { return error_; }

 private:
  bool ReadStrings(uint64_t count, std::vector<std::string>* out);
  bool ReadPairs(uint64_t count, std::vector<std::pair<std::string, std::string>>* out);
  bool ReadScoredSet(uint8_t type, RdbValue* value);
  bool ReadOldDouble(double* score);
  bool ReadQuicklist(uint8_t type, RdbValue* value);
  bool ReadBlobValue(uint8_t type, RdbValue* value);
  bool ReadCount(uint64_t* count);

  RdbSource* source_;
  std::string error_;
};

enum class DumpPayloadError {
  kNone,
  kVersionOrChecksum,  // "ERR DUMP payload version or checksum are wrong"
  kBadFormat,          // "ERR Bad data format"
};

// Checks the footer (RDB version <= 10, CRC64) and decodes the value.
DumpPayloadError ParseDumpPayload(std::string_view payload, RdbValue* value);

}  // namespace cairn
