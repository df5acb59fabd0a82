// CRC64, LZF decompression and name tables of the RDB format.
#include "encoding/rdb_format.h"

#include <array>

namespace cairn::rdb {
namespace {

// 0xad93d23594c935a9 bit-reversed: Redis's crc64 works on reflected input and output.
constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ULL;

constexpr std::array<uint64_t, 256> MakeCrcTable() {
  std::array<uint64_t, 256> table{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
    table[i] = crc;
  }
  return table;
}

constexpr std::array<uint64_t, 256> kCrcTable = MakeCrcTable();

}  // namespace

std::string_view TypeFamilyName(uint8_t type) {
  switch (type) {
    case kTypeString:
      return "strings";
    case kTypeList:
    case kTypeListZiplist:
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      return "lists";
    case kTypeSet:
    case kTypeSetIntset:
    case kTypeSetListpack:
      return "sets";
    case kTypeZSet:
    case kTypeZSet2:
    case kTypeZSetZiplist:
    case kTypeZSetListpack:
      return "sorted sets";
    case kTypeHash:
    case kTypeHashZipmap:
    case kTypeHashZiplist:
    case kTypeHashListpack:
      return "hashes";
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      return "streams";
    case kTypeModule2:
      return "module values";
    default:
      return {};
  }
}

uint64_t Crc64(uint64_t crc, const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) crc = kCrcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

bool LzfDecompress(std::string_view input, size_t output_size, std::string* output) {
  output->clear();
  output->reserve(output_size);
  size_t in = 0;
  while (in < input.size()) {
    size_t control = static_cast<uint8_t>(input[in++]);
    if (control < 32) {  // a literal run of control + 1 bytes
      size_t run = control + 1;
      if (in + run > input.size() || output->size() + run > output_size) return false;
      output->append(input.substr(in, run));
      in += run;
      continue;
    }
    // A back reference: length in the top three bits (7 means "plus the next byte").
    size_t length = control >> 5;
    size_t distance = (control & 0x1f) << 8;
    if (length == 7) {
      if (in >= input.size()) return false;
      length += static_cast<uint8_t>(input[in++]);
    }
    if (in >= input.size()) return false;
    distance += static_cast<uint8_t>(input[in++]) + 1;
    length += 2;
    if (distance > output->size() || output->size() + length > output_size) return false;
    size_t from = output->size() - distance;
    // Byte by byte: the source may overlap what is being written (runs).
    for (size_t i = 0; i < length; ++i) output->push_back((*output)[from + i]);
  }
  return output->size() == output_size;
}

std::string ModuleTypeName(uint64_t module_id) {
  static constexpr char kCharset[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string name(9, ' ');
  uint64_t bits = module_id >> 10;
  for (int i = 8; i >= 0; --i) {
    name[i] = kCharset[bits & 63];
    bits >>= 6;
  }
  return name;
}

}  // namespace cairn::rdb
