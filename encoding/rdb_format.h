// The fixed facts of Redis's RDB format, shared by the server (DUMP/RESTORE) and cairn-backup
// (RDB files): opcodes, value type codes, the length/string encoding markers, the CRC64 that
// guards files and DUMP payloads, LZF decompression (Redis compresses long strings with it)
// and module type ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::rdb {

inline constexpr int kWriteVersion = 10;  // what Redis 7.0 writes
inline constexpr int kMaxReadVersion = 11;
inline constexpr int kMinChecksumVersion = 5;  // older files end without a CRC

// Opcodes that may stand where a value type is expected.
enum Opcode : uint8_t {
  kOpFunction2 = 0xF5,
  kOpFunctionPreGa = 0xF6,
  kOpModuleAux = 0xF7,
  kOpIdle = 0xF8,
  kOpFreq = 0xF9,
  kOpAux = 0xFA,
  kOpResizeDb = 0xFB,
  kOpExpireTimeMs = 0xFC,
  kOpExpireTime = 0xFD,
  kOpSelectDb = 0xFE,
  kOpEof = 0xFF,
};

enum TypeCode : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZSet = 3,
  kTypeHash = 4,
  kTypeZSet2 = 5,
  kTypeModulePreGa = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZSetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZSetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
  kTypeSetListpack = 20,
  kTypeStreamListpacks3 = 21,
};

// The plural family name a type code belongs to ("lists", "hashes", ...) for reports; empty for
// codes that are not value types.
std::string_view TypeFamilyName(uint8_t type);

// Top two bits of a length's first byte.
inline constexpr uint8_t kLen6Bit = 0;
inline constexpr uint8_t kLen14Bit = 1;
inline constexpr uint8_t kLenEncoded = 3;
inline constexpr uint8_t kLen32Bit = 0x80;
inline constexpr uint8_t kLen64Bit = 0x81;
// Low six bits of an encoded string's marker.
inline constexpr uint8_t kEncInt8 = 0;
inline constexpr uint8_t kEncInt16 = 1;
inline constexpr uint8_t kEncInt32 = 2;
inline constexpr uint8_t kEncLzf = 3;

// The container of a quicklist2 node: one element as it is, or a listpack of elements.
inline constexpr uint64_t kQuicklistNodePlain = 1;
inline constexpr uint64_t kQuicklistNodePacked = 2;

// Length bytes of the old ZSET type's text-encoded scores that stand for special values.
inline constexpr uint8_t kOldDoubleNan = 253;
inline constexpr uint8_t kOldDoublePosInf = 254;
inline constexpr uint8_t kOldDoubleNegInf = 255;

// Module opcodes inside a module value or MODULE_AUX payload.
enum ModuleOpcode : uint8_t {
  kModuleEof = 0,
  kModuleSInt = 1,
  kModuleUInt = 2,
  kModuleFloat = 3,
  kModuleDouble = 4,
  kModuleString = 5,
};

// Redis's crc64 (Jones polynomial, reflected, initial value 0): folds `data` into `crc`.
uint64_t Crc64(uint64_t crc, const void* data, size_t size);

// Decompresses LZF `input` into exactly `output_size` bytes; false on malformed input.
bool LzfDecompress(std::string_view input, size_t output_size, std::string* output);

// A module type id holds a nine-character name and a ten-bit encoding version.
std::string ModuleTypeName(uint64_t module_id);

}  // namespace cairn::rdb
