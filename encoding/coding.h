// Byte-level building blocks shared by every key and value layout: big-endian fixed-width
// integers (so byte order equals numeric order inside keys), varints, length-prefixed strings
// and an order-preserving encoding of doubles. Every Get* consumes from the front of its input
// and returns false, leaving the input unspecified, when the bytes are malformed or short.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

void PutFixed16(std::string* dst, uint16_t value);
void PutFixed32(std::string* dst, uint32_t value);
void PutFixed64(std::string* dst, uint64_t value);

// Decode from a buffer known to hold at least 2/4/8 bytes.
uint16_t DecodeFixed16(const char* ptr);
uint32_t DecodeFixed32(const char* ptr);
uint64_t DecodeFixed64(const char* ptr);

bool GetFixed16(std::string_view* input, uint16_t* value);
bool GetFixed32(std::string_view* input, uint32_t* value);
bool GetFixed64(std::string_view* input, uint64_t* value);

void PutVarint32(std::string* dst, uint32_t value);
void PutVarint64(std::string* dst, uint64_t value);
bool GetVarint32(std::string_view* input, uint32_t* value);
bool GetVarint64(std::string_view* input, uint64_t* value);
size_t VarintLength(uint64_t value);

// A varint32 length followed by the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view value);
bool GetLengthPrefixed(std::string_view* input, std::string_view* value);

// Doubles mapped to uint64 so that unsigned comparison matches numeric comparison
// (-inf < ... < -0.0 < 0.0 < ... < +inf); NaN has no meaningful place.
uint64_t OrderedDoubleBits(double value);
double DoubleFromOrderedBits(uint64_t bits);
void PutOrderedDouble(std::string* dst, double value);
bool GetOrderedDouble(std::string_view* input, double* value);

// The smallest string greater than every string starting with `prefix`, or "" when there is
// none (prefix empty or all 0xff bytes). Used as an exclusive iteration upper bound.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace cairn
