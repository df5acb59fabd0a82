// RdbReader: reads a Redis RDB file (versions 1-11; Redis 6.x/7.0 write 9 and 10) one record at a
// time. Strings, lists, sets, hashes and sorted sets come out decoded in whichever encoding the
// file holds them (encoding/rdb_decoder.h); streams and module values are parsed through to
// their end and skipped, so the caller can count them. The CRC64 footer is checked when the file
// carries one (non-zero).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "encoding/rdb_decoder.h"
#include "encoding/rdb_value.h"

namespace cairn::rdb {

struct Record {
  enum class Kind { kAux, kSelectDb, kKey, kFunction, kModuleAux, kEof };
  Kind kind = Kind::kEof;
  uint64_t db = 0;          // kSelectDb
  uint8_t type = 0;         // kKey: the RDB value type code
  std::string key;          // kKey; kAux: the field name
  std::string value;        // kAux: the field value
  RdbValue object;          // kKey of a type Cairn holds (decoded is true)
  bool decoded = false;     // kKey: false for streams and module values (skipped)
  int64_t expire_ms = -1;   // kKey: absolute unix ms, -1 for none
  std::string module_name;  // kKey of a module type
};

// The file is the decoder's byte source; reads keep a running CRC64.
class RdbReader : private RdbSource {
 public:
  RdbReader() = default;
  ~RdbReader();
  RdbReader(const RdbReader&) = delete;
  RdbReader& operator=(const RdbReader&) = delete;

  // Opens the file and reads its "REDIS00nn" header.
  bool Open(const std::string& path);
  // Reads the whole file once to compare its CRC64 footer with its contents (true when the file
  // carries no checksum), so a damaged file is refused before anything is imported. Call right
  // after Open; the reader then starts again after the header.
  bool VerifyChecksum();
  // The next record; false on error (see error()). After kEof there is nothing more.
  bool Next(Record* record);

  int version() const { return version_; }
  uint64_t offset() const { return offset_; }
  uint64_t file_size() const { return file_size_; }
  // What went wrong, with the file offset where it was noticed.
  const std::string& error() const { return error_; }

 private:
  // RdbSource
  bool Read(void* out, size_t size) override;
  bool Skip(uint64_t size) override;
  uint64_t Remaining() const override;

  bool Fail(const std::string& what);
  bool Fill();
  uint64_t ReadLittleEndian(const uint8_t* bytes, size_t size) const;
  bool NextRecord(Record* record);
  bool SkipUnsupported(uint8_t type, std::string* module_name);
  bool SkipStream(uint8_t type);
  bool SkipStreamGroup(uint8_t type);
  bool SkipModuleOpcodes();
  bool ReadValueRecord(uint8_t type, int64_t expire_ms, Record* record);
  bool CheckFooter();

  RdbDecoder decoder_{this};
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t buffer_pos_ = 0;
  size_t buffer_end_ = 0;
  uint64_t offset_ = 0;
  uint64_t file_size_ = 0;
  uint64_t crc_ = 0;
  int version_ = 0;
  std::string error_;
};

}  // namespace cairn::rdb
