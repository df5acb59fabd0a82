// ReplyBuilder encodings in RESP2 and RESP3, and Redis 7.0's double/long double formatting
// (the expected strings were taken from a real redis-server 7.0).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

// Runs build against a fresh builder speaking protocol and returns what it wrote.
template <typename Build>
std::string Encode(int protocol, Build build) {
  std::string out;
  ReplyBuilder builder(&out, protocol);
  build(builder);
  return out;
}

TEST(ReplyBuilderTest, SimpleStringsAndOk) {
  for (int protocol : {2, 3}) {
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.SimpleString("PONG"); }), "+PONG\r\n");
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Ok(); }), "+OK\r\n");
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.SimpleString("a\r\nb\nc"); }),
              "+a  b c\r\n");
  }
}

TEST(ReplyBuilderTest, ErrorsKeepTheirCodeOrGetErr) {
  auto error = [](std::string_view message) {
    return Encode(2, [&](ReplyBuilder& b) { b.Error(message); });
  };
  EXPECT_EQ(error("ERR syntax error"), "-ERR syntax error\r\n");
  EXPECT_EQ(error("WRONGTYPE Operation against a key holding the wrong kind of value"),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(error("MOVED 3999 127.0.0.1:6381"), "-MOVED 3999 127.0.0.1:6381\r\n");
  EXPECT_EQ(error("Protocol error: invalid bulk length"),
            "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_EQ(error("value is not an integer or out of range"),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(error("NOAUTH"), "-ERR NOAUTH\r\n");
  EXPECT_EQ(error(""), "-ERR \r\n");
  EXPECT_EQ(error("ERR bad\r\ninput"), "-ERR bad  input\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Error("ERR x"); }), "-ERR x\r\n");
}

TEST(ReplyBuilderTest, Integers) {
  for (int protocol : {2, 3}) {
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Integer(0); }), ":0\r\n");
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Integer(-42); }), ":-42\r\n");
    EXPECT_EQ(
        Encode(protocol, [](ReplyBuilder& b) { b.Integer(std::numeric_limits<int64_t>::min()); }),
        ":-9223372036854775808\r\n");
    EXPECT_EQ(
        Encode(protocol, [](ReplyBuilder& b) { b.Integer(std::numeric_limits<int64_t>::max()); }),
        ":9223372036854775807\r\n");
  }
}

TEST(ReplyBuilderTest, BulkStringsAreBinarySafe) {
  for (int protocol : {2, 3}) {
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Bulk("hello"); }), "$5\r\nhello\r\n");
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Bulk(""); }), "$0\r\n\r\n");
    std::string binary("a\0\r\nb", 5);
    EXPECT_EQ(Encode(protocol, [&](ReplyBuilder& b) { b.Bulk(binary); }),
              std::string("$5\r\na\0\r\nb\r\n", 11));
  }
}

TEST(ReplyBuilderTest, NullsDependOnProtocol) {
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Null(); }), "$-1\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.NullArray(); }), "*-1\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Null(); }), "_\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.NullArray(); }), "_\r\n");
}

TEST(ReplyBuilderTest, AggregateHeaders) {
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.ArrayHeader(3); }), "*3\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.ArrayHeader(0); }), "*0\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.MapHeader(2); }), "*4\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.MapHeader(2); }), "%2\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.SetHeader(5); }), "*5\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.SetHeader(5); }), "~5\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.PushHeader(3); }), "*3\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.PushHeader(3); }), ">3\r\n");
}

TEST(ReplyBuilderTest, DoublesAreBulkInResp2AndNativeInResp3) {
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Double(1.5); }), "$3\r\n1.5\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Double(1.5); }), ",1.5\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Double(0.1); }), "$19\r\n0.10000000000000001\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Double(0.1); }), ",0.10000000000000001\r\n");
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Encode(2, [&](ReplyBuilder& b) { b.Double(inf); }), "$3\r\ninf\r\n");
  EXPECT_EQ(Encode(2, [&](ReplyBuilder& b) { b.Double(-inf); }), "$4\r\n-inf\r\n");
  EXPECT_EQ(Encode(3, [&](ReplyBuilder& b) { b.Double(inf); }), ",inf\r\n");
  EXPECT_EQ(Encode(3, [&](ReplyBuilder& b) { b.Double(-inf); }), ",-inf\r\n");
}

TEST(ReplyBuilderTest, Booleans) {
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Bool(true); }), ":1\r\n");
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Bool(false); }), ":0\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Bool(true); }), "#t\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Bool(false); }), "#f\r\n");
}

TEST(ReplyBuilderTest, Verbatim) {
  EXPECT_EQ(Encode(2, [](ReplyBuilder& b) { b.Verbatim("txt", "Some string"); }),
            "$11\r\nSome string\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Verbatim("txt", "Some string"); }),
            "=15\r\ntxt:Some string\r\n");
  EXPECT_EQ(Encode(3, [](ReplyBuilder& b) { b.Verbatim("txt", "a\r\nb"); }),
            "=8\r\ntxt:a\r\nb\r\n");
}

TEST(ReplyBuilderTest, BulkArrayAndRaw) {
  std::string items[] = {"a", "", "bc"};
  for (int protocol : {2, 3}) {
    EXPECT_EQ(Encode(protocol, [&](ReplyBuilder& b) { b.BulkArray(items, 3); }),
              "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n");
    EXPECT_EQ(Encode(protocol, [&](ReplyBuilder& b) { b.BulkArray(items, 0); }), "*0\r\n");
    EXPECT_EQ(Encode(protocol, [](ReplyBuilder& b) { b.Raw("+QUEUED\r\n"); }), "+QUEUED\r\n");
  }
}

TEST(ReplyBuilderTest, AppendsAndSwitchesProtocol) {
  std::string out = "existing";
  ReplyBuilder builder(&out);
  EXPECT_EQ(builder.protocol(), 2);
  EXPECT_EQ(builder.buffer(), &out);
  builder.MapHeader(1);
  builder.Bulk("k");
  builder.Null();
  builder.set_protocol(3);
  EXPECT_EQ(builder.protocol(), 3);
  builder.MapHeader(1);
  builder.Bulk("k");
  builder.Null();
  EXPECT_EQ(out, "existing*2\r\n$1\r\nk\r\n$-1\r\n%1\r\n$1\r\nk\r\n_\r\n");
}

TEST(FormatDoubleTest, MatchesRedisAddReplyDouble) {
  EXPECT_EQ(FormatDouble(1.5), "1.5");
  EXPECT_EQ(FormatDouble(3), "3");
  EXPECT_EQ(FormatDouble(0), "0");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(0.1), "0.10000000000000001");
  EXPECT_EQ(FormatDouble(1.0 / 3), "0.33333333333333331");
  EXPECT_EQ(FormatDouble(-2.5), "-2.5");
  EXPECT_EQ(FormatDouble(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(FormatDouble(1e-5), "1.0000000000000001e-05");
  EXPECT_EQ(FormatDouble(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatDouble(std::nan("")), "nan");
}

TEST(FormatLongDoubleTest, MatchesRedisIncrByFloat) {
  EXPECT_EQ(FormatLongDouble(10.5L), "10.5");
  EXPECT_EQ(FormatLongDouble(3.0e3L), "3000");
  EXPECT_EQ(FormatLongDouble(3010.0L), "3010");
  EXPECT_EQ(FormatLongDouble(1.0L / 3), "0.33333333333333333");
  EXPECT_EQ(FormatLongDouble(1.0L + 1.0L / 3), "1.33333333333333333");
  EXPECT_EQ(FormatLongDouble(0.1L), "0.1");
  EXPECT_EQ(FormatLongDouble(1e20L), "100000000000000000000");
  EXPECT_EQ(FormatLongDouble(1e-20L), "0");
  EXPECT_EQ(FormatLongDouble(-0.0L), "0");
  EXPECT_EQ(FormatLongDouble(0.0L), "0");
  EXPECT_EQ(FormatLongDouble(-1.25L), "-1.25");
  EXPECT_EQ(FormatLongDouble(std::numeric_limits<long double>::infinity()), "inf");
  EXPECT_EQ(FormatLongDouble(-std::numeric_limits<long double>::infinity()), "-inf");
}

TEST(FormatLongDoubleTest, HugeValuesPrintEveryDigit) {
  // redis-server 7.0: SET x 0; INCRBYFLOAT x 5e300 -> a 301-digit integer, no exponent.
  std::string text = FormatLongDouble(5e300L);
  EXPECT_EQ(text.size(), 301u);
  EXPECT_EQ(text.substr(0, 20), "49999999999999999999");
  EXPECT_EQ(text.find_first_not_of("0123456789"), std::string::npos);
  std::string largest = FormatLongDouble(std::numeric_limits<long double>::max());
  EXPECT_EQ(largest.size(), 4933u);
}

}  // namespace
}  // namespace cairn
