// Tests for encoding/coding.h: fixed-width and varint integers, length-prefixed strings,
// order-preserving doubles and prefix successors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "encoding/coding.h"

namespace cairn {
namespace {

TEST(CodingTest, FixedRoundTripAndBigEndian) {
  std::string out;
  PutFixed16(&out, 0x0102);
  PutFixed32(&out, 0x03040506);
  PutFixed64(&out, 0x0708090a0b0c0d0eULL);
  ASSERT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e", 14));
  std::string_view in(out);
  uint16_t a;
  uint32_t b;
  uint64_t c;
  ASSERT_TRUE(GetFixed16(&in, &a));
  ASSERT_TRUE(GetFixed32(&in, &b));
  ASSERT_TRUE(GetFixed64(&in, &c));
  EXPECT_EQ(a, 0x0102);
  EXPECT_EQ(b, 0x03040506u);
  EXPECT_EQ(c, 0x0708090a0b0c0d0eULL);
  EXPECT_TRUE(in.empty());
  EXPECT_FALSE(GetFixed16(&in, &a));
}

TEST(CodingTest, FixedShortInputFails) {
  std::string_view in("\x01\x02\x03", 3);
  uint32_t value;
  EXPECT_FALSE(GetFixed32(&in, &value));
  uint64_t wide;
  EXPECT_FALSE(GetFixed64(&in, &wide));
}

TEST(CodingTest, EncodedIntegersSortNumerically) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; i++) {
    uint64_t x = rng(), y = rng() >> (rng() % 64);
    std::string ex, ey;
    PutFixed64(&ex, x);
    PutFixed64(&ey, y);
    EXPECT_EQ(x < y, ex < ey) << x << " " << y;
  }
}

TEST(CodingTest, VarintRoundTrip) {
  std::vector<uint64_t> values = {
      0, 1, 127, 128, 255, 300, 16383, 16384, 1ULL << 32, std::numeric_limits<uint64_t>::max()};
  std::string out;
  for (uint64_t v : values) PutVarint64(&out, v);
  std::string_view in(out);
  for (uint64_t v : values) {
    uint64_t decoded;
    ASSERT_TRUE(GetVarint64(&in, &decoded));
    EXPECT_EQ(decoded, v);
  }
  EXPECT_TRUE(in.empty());
  std::string one;
  PutVarint64(&one, 300);
  EXPECT_EQ(VarintLength(300), one.size());
}

TEST(CodingTest, VarintMalformed) {
  uint64_t value;
  std::string_view truncated("\x80\x80", 2);
  EXPECT_FALSE(GetVarint64(&truncated, &value));
  std::string too_long(11, '\x80');
  too_long.push_back('\x01');
  std::string_view in(too_long);
  EXPECT_FALSE(GetVarint64(&in, &value));
  // 2^64 does not fit: ten bytes whose last carries bit 1.
  std::string overflow(9, '\x80');
  overflow.push_back('\x02');
  in = overflow;
  EXPECT_FALSE(GetVarint64(&in, &value));
  std::string big32;
  PutVarint64(&big32, 1ULL << 32);
  in = big32;
  uint32_t small;
  EXPECT_FALSE(GetVarint32(&in, &small));
}

TEST(CodingTest, LengthPrefixed) {
  std::string out;
  PutLengthPrefixed(&out, "hello");
  PutLengthPrefixed(&out, "");
  PutLengthPrefixed(&out, std::string(200, 'x'));
  std::string_view in(out), value;
  ASSERT_TRUE(GetLengthPrefixed(&in, &value));
  EXPECT_EQ(value, "hello");
  ASSERT_TRUE(GetLengthPrefixed(&in, &value));
  EXPECT_EQ(value, "");
  ASSERT_TRUE(GetLengthPrefixed(&in, &value));
  EXPECT_EQ(value, std::string(200, 'x'));
  std::string_view short_input(
      "\x05"
      "abc",
      4);
  EXPECT_FALSE(GetLengthPrefixed(&short_input, &value));
}

TEST(CodingTest, OrderedDoublesKnownOrder) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> ascending = {-inf,
                                   -1e308,
                                   -2.5,
                                   -1,
                                   -std::numeric_limits<double>::min(),
                                   -0.0,
                                   0.0,
                                   std::numeric_limits<double>::denorm_min(),
                                   1e-300,
                                   1,
                                   2.5,
                                   1e308,
                                   inf};
  for (size_t i = 0; i + 1 < ascending.size(); i++) {
    std::string a, b;
    PutOrderedDouble(&a, ascending[i]);
    PutOrderedDouble(&b, ascending[i + 1]);
    EXPECT_LT(a, b) << ascending[i] << " vs " << ascending[i + 1];
  }
  for (double v : ascending) {
    std::string encoded;
    PutOrderedDouble(&encoded, v);
    std::string_view in(encoded);
    double decoded;
    ASSERT_TRUE(GetOrderedDouble(&in, &decoded));
    EXPECT_EQ(std::signbit(decoded), std::signbit(v));
    EXPECT_EQ(decoded, v);
  }
}

TEST(CodingTest, OrderedDoublesRandomPairs) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> wide(-1e12, 1e12);
  for (int i = 0; i < 5000; i++) {
    double x = wide(rng), y = (i % 3 == 0) ? -x : wide(rng);
    std::string ex, ey;
    PutOrderedDouble(&ex, x);
    PutOrderedDouble(&ey, y);
    EXPECT_EQ(x < y, ex < ey) << x << " " << y;
    EXPECT_EQ(DoubleFromOrderedBits(OrderedDoubleBits(x)), x);
  }
}

TEST(CodingTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
  EXPECT_EQ(PrefixSuccessor(std::string("\x00", 1)), std::string("\x01", 1));
}

}  // namespace
}  // namespace cairn
