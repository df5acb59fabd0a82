// Tests for encoding/number_text.h against Redis's string2ll / string2ld / ld2string rules.
#include <gtest/gtest.h>

#include <limits>

#include "encoding/number_text.h"

namespace cairn {
namespace {

TEST(NumberTextTest, ParseInt64Accepts) {
  int64_t v = -1;
  EXPECT_TRUE(ParseInt64("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(ParseInt64("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(ParseInt64("-17", &v));
  EXPECT_EQ(v, -17);
  EXPECT_TRUE(ParseInt64("9223372036854775807", &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(ParseInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::min());
}

TEST(NumberTextTest, ParseInt64Rejects) {
  int64_t v;
  for (const char* text :
       {"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1.0", "0x10", "abc", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999", "1e3"}) {
    EXPECT_FALSE(ParseInt64(text, &v)) << text;
  }
  EXPECT_FALSE(ParseInt64(std::string("1\0", 2), &v));
}

TEST(NumberTextTest, ParseLongDouble) {
  long double v = 0;
  EXPECT_TRUE(ParseLongDouble("1.5", &v));
  EXPECT_EQ(v, 1.5L);
  EXPECT_TRUE(ParseLongDouble("-3", &v));
  EXPECT_EQ(v, -3.0L);
  EXPECT_TRUE(ParseLongDouble("0x10", &v));  // strtold accepts hex, so does Redis
  EXPECT_EQ(v, 16.0L);
  EXPECT_TRUE(ParseLongDouble("1e3", &v));
  EXPECT_EQ(v, 1000.0L);
  EXPECT_TRUE(ParseLongDouble("inf", &v));
  EXPECT_TRUE(ParseLongDouble("+5", &v));
  for (const char* text : {"", " 1.5", "1.5 ", "abc", "nan", "1e99999", "1.5x"}) {
    EXPECT_FALSE(ParseLongDouble(text, &v)) << text;
  }
  EXPECT_FALSE(ParseLongDouble(std::string("1\0", 2), &v));
}

TEST(NumberTextTest, FormatLongDoubleHuman) {
  EXPECT_EQ(FormatLongDoubleHuman(10.1L), "10.1");
  EXPECT_EQ(FormatLongDoubleHuman(1001.5L), "1001.5");
  EXPECT_EQ(FormatLongDoubleHuman(3.0L), "3");
  EXPECT_EQ(FormatLongDoubleHuman(0.0L), "0");
  EXPECT_EQ(FormatLongDoubleHuman(-0.0L), "0");
  EXPECT_EQ(FormatLongDoubleHuman(-1e-30L), "0");
  EXPECT_EQ(FormatLongDoubleHuman(-2.5L), "-2.5");
  EXPECT_EQ(FormatLongDoubleHuman(1.0L + 1e-20L), "1");
  // Redis writes large values in full, without an exponent.
  EXPECT_EQ(FormatLongDoubleHuman(1e20L), "100000000000000000000");
  EXPECT_EQ(FormatLongDoubleHuman(5.0e3L), "5000");
}

TEST(NumberTextTest, FormatInt64) {
  EXPECT_EQ(FormatInt64(0), "0");
  EXPECT_EQ(FormatInt64(-12), "-12");
  EXPECT_EQ(FormatInt64(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
}

}  // namespace
}  // namespace cairn
