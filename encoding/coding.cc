// Fixed-width, varint, length-prefixed and order-preserving double encodings.
#include "encoding/coding.h"

#include <bit>
#include <cstring>

namespace cairn {

namespace {

template <typename T>
void PutBigEndian(std::string* dst, T value) {
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); i++) {
    buf[i] = static_cast<char>(value >> (8 * (sizeof(T) - 1 - i)));
  }
  dst->append(buf, sizeof(T));
}

template <typename T>
T DecodeBigEndian(const char* ptr) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); i++) {
    value = static_cast<T>((value << 8) | static_cast<uint8_t>(ptr[i]));
  }
  return value;
}

template <typename T>
bool GetBigEndian(std::string_view* input, T* value) {
  if (input->size() < sizeof(T)) return false;
  *value = DecodeBigEndian<T>(input->data());
  input->remove_prefix(sizeof(T));
  return true;
}

template <typename T>
bool GetVarint(std::string_view* input, T* value) {
  constexpr int kMaxShift = sizeof(T) * 8;
  T result = 0;
  for (size_t i = 0; i < input->size(); i++) {
    int shift = static_cast<int>(7 * i);
    if (shift >= kMaxShift) return false;
    uint8_t byte = static_cast<uint8_t>((*input)[i]);
    T bits = static_cast<T>(byte & 0x7f);
    // Bits that would fall off the top mean the varint does not fit in T.
    if (shift > 0 && (bits >> (kMaxShift - shift)) != 0) return false;
    result |= static_cast<T>(bits << shift);
    if ((byte & 0x80) == 0) {
      *value = result;
      input->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace

void PutFixed16(std::string* dst, uint16_t value) { PutBigEndian(dst, value); }
void PutFixed32(std::string* dst, uint32_t value) { PutBigEndian(dst, value); }
void PutFixed64(std::string* dst, uint64_t value) { PutBigEndian(dst, value); }

uint16_t DecodeFixed16(const char* ptr) { return DecodeBigEndian<uint16_t>(ptr); }
uint32_t DecodeFixed32(const char* ptr) { return DecodeBigEndian<uint32_t>(ptr); }
uint64_t DecodeFixed64(const char* ptr) { return DecodeBigEndian<uint64_t>(ptr); }

bool GetFixed16(std::string_view* input, uint16_t* value) { return GetBigEndian(input, value); }
bool GetFixed32(std::string_view* input, uint32_t* value) { return GetBigEndian(input, value); }
bool GetFixed64(std::string_view* input, uint64_t* value) { return GetBigEndian(input, value); }

void PutVarint64(std::string* dst, uint64_t value) {
  char buf[10];
  size_t n = 0;
  while (value >= 0x80) {
    buf[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  buf[n++] = static_cast<char>(value);
  dst->append(buf, n);
}

void PutVarint32(std::string* dst, uint32_t value) { PutVarint64(dst, value); }

bool GetVarint32(std::string_view* input, uint32_t* value) { return GetVarint(input, value); }
bool GetVarint64(std::string_view* input, uint64_t* value) { return GetVarint(input, value); }

size_t VarintLength(uint64_t value) {
  size_t length = 1;
  while (value >= 0x80) {
    value >>= 7;
    length++;
  }
  return length;
}

void PutLengthPrefixed(std::string* dst, std::string_view value) {
  PutVarint32(dst, static_cast<uint32_t>(value.size()));
  dst->append(value);
}

bool GetLengthPrefixed(std::string_view* input, std::string_view* value) {
  uint32_t length = 0;
  if (!GetVarint32(input, &length) || input->size() < length) return false;
  *value = input->substr(0, length);
  input->remove_prefix(length);
  return true;
}

uint64_t OrderedDoubleBits(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  constexpr uint64_t kSignBit = uint64_t{1} << 63;
  // Positive numbers sort above all negatives once the sign bit is set; negative numbers
  // sort in reverse magnitude once every bit is flipped.
  return (bits & kSignBit) ? ~bits : (bits | kSignBit);
}

double DoubleFromOrderedBits(uint64_t bits) {
  constexpr uint64_t kSignBit = uint64_t{1} << 63;
  uint64_t raw = (bits & kSignBit) ? (bits & ~kSignBit) : ~bits;
  return std::bit_cast<double>(raw);
}

void PutOrderedDouble(std::string* dst, double value) { PutFixed64(dst, OrderedDoubleBits(value)); }

bool GetOrderedDouble(std::string_view* input, double* value) {
  uint64_t bits = 0;
  if (!GetFixed64(input, &bits)) return false;
  *value = DoubleFromOrderedBits(bits);
  return true;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string result(prefix);
  while (!result.empty()) {
    unsigned char last = static_cast<unsigned char>(result.back());
    if (last != 0xff) {
      result.back() = static_cast<char>(last + 1);
      return result;
    }
    result.pop_back();
  }
  return result;
}

}  // namespace cairn
