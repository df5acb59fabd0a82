// E2E tests of the byte-range string commands: APPEND, SETRANGE, GETRANGE, SUBSTR, STRLEN,
// and the proto-max-bulk-len limit on the strings they build (refused before allocating).
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/string_test_util.h"

namespace cairn::test {
namespace {

constexpr char kTooLarge[] = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

class StringRangeTest : public StringTest {
 protected:
  // The server's peak resident memory in KiB (VmHWM), -1 if unreadable.
  long long PeakRssKb() {
    std::ifstream status("/proc/" + std::to_string(server_.pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
    }
    return -1;
  }
};

TEST_F(StringRangeTest, Append) {
  EXPECT_INTEGER(Run({"APPEND", "k", "hello"}), 5);
  EXPECT_INTEGER(Run({"APPEND", "k", " world"}), 11);
  EXPECT_BULK(Run({"GET", "k"}), "hello world");
  EXPECT_INTEGER(Run({"APPEND", "k", ""}), 11);
  EXPECT_INTEGER(Run({"APPEND", "empty", ""}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "empty"}), 1);
  std::string binary("\0\r\n", 3);
  EXPECT_INTEGER(Run({"APPEND", "k", binary}), 14);
  EXPECT_BULK(Run({"GET", "k"}), "hello world" + binary);
  // APPEND keeps the deadline.
  EXPECT_OK(Run({"SET", "t", "v", "EX", "100"}));
  EXPECT_INTEGER(Run({"APPEND", "t", "w"}), 2);
  EXPECT_GT(Pttl("t"), 0);
  EXPECT_ERROR(Run({"APPEND", "k"}), "ERR wrong number of arguments for 'append' command");
}

TEST_F(StringRangeTest, SetRange) {
  EXPECT_INTEGER(Run({"SETRANGE", "k", "0", "hello"}), 5);
  EXPECT_INTEGER(Run({"SETRANGE", "k", "1", "EL"}), 5);
  EXPECT_BULK(Run({"GET", "k"}), "hELlo");
  EXPECT_INTEGER(Run({"SETRANGE", "k", "7", "!"}), 8);
  EXPECT_BULK(Run({"GET", "k"}), std::string("hELlo\0\0!", 8));
  EXPECT_INTEGER(Run({"SETRANGE", "pad", "3", "x"}), 4);
  EXPECT_BULK(Run({"GET", "pad"}), std::string("\0\0\0x", 4));
  // An empty value changes nothing and never creates the key, whatever the offset.
  EXPECT_INTEGER(Run({"SETRANGE", "k", "100", ""}), 8);
  EXPECT_INTEGER(Run({"SETRANGE", "none", "0", ""}), 0);
  EXPECT_INTEGER(Run({"SETRANGE", "none", "9223372036854775807", ""}), 0);
  EXPECT_INTEGER(Run({"EXISTS", "none"}), 0);
  // SETRANGE keeps the deadline.
  EXPECT_OK(Run({"SET", "t", "value", "EX", "100"}));
  EXPECT_INTEGER(Run({"SETRANGE", "t", "0", "V"}), 5);
  EXPECT_BULK(Run({"GET", "t"}), "Value");
  EXPECT_GT(Pttl("t"), 0);
}

TEST_F(StringRangeTest, SetRangeErrors) {
  EXPECT_OK(Run({"SET", "k", "abc"}));
  EXPECT_ERROR(Run({"SETRANGE", "k", "-1", "x"}), "ERR offset is out of range");
  EXPECT_ERROR(Run({"SETRANGE", "k", "-1", ""}), "ERR offset is out of range");
  EXPECT_ERROR(Run({"SETRANGE", "k", "abc", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"SETRANGE", "k", "1.0", "x"}), kNotInteger);
  EXPECT_ERROR(Run({"SETRANGE", "k", "99999999999999999999", "x"}), kNotInteger);
  EXPECT_BULK(Run({"GET", "k"}), "abc");
  EXPECT_ERROR(Run({"SETRANGE", "k", "0"}), "ERR wrong number of arguments for 'setrange' command");
}

// A 512 MB + 1 byte string asked for with a large offset is refused before anything is
// allocated: the server's peak memory stays far below the size requested.
TEST_F(StringRangeTest, SetRangeBeyondMaxSizeIsRefusedWithoutAllocating) {
  EXPECT_ERROR(Run({"SETRANGE", "huge", "536870912", "x"}), kTooLarge);
  EXPECT_ERROR(Run({"SETRANGE", "huge", "536870911", "xx"}), kTooLarge);
  EXPECT_ERROR(Run({"SETRANGE", "huge", "4294967296", "x"}), kTooLarge);
  EXPECT_ERROR(Run({"SETRANGE", "huge", "9223372036854775807", "x"}), kTooLarge);
  EXPECT_OK(Run({"SET", "small", "abc"}));
  EXPECT_ERROR(Run({"SETRANGE", "small", "536870912", "x"}), kTooLarge);
  EXPECT_INTEGER(Run({"EXISTS", "huge"}), 0);
  EXPECT_BULK(Run({"GET", "small"}), "abc");
  long long peak_kb = PeakRssKb();
  ASSERT_GT(peak_kb, 0);
  EXPECT_LT(peak_kb, 256 * 1024) << "the server allocated for a refused string";
  EXPECT_STATUS(Run({"PING"}), "PONG");
}

TEST_F(StringRangeTest, LimitFollowsProtoMaxBulkLen) {
  ASSERT_OK(Run({"CONFIG", "SET", "proto-max-bulk-len", "1mb"}));
  const long long limit = 1024 * 1024;
  EXPECT_ERROR(Run({"SETRANGE", "k", std::to_string(limit), "x"}), kTooLarge);
  EXPECT_INTEGER(Run({"SETRANGE", "k", std::to_string(limit - 1), "x"}), limit);
  EXPECT_ERROR(Run({"APPEND", "k", "y"}), kTooLarge);
  EXPECT_INTEGER(Run({"STRLEN", "k"}), limit);
  std::string half(600 * 1024, 'a');
  EXPECT_INTEGER(Run({"APPEND", "a", half}), static_cast<long long>(half.size()));
  EXPECT_ERROR(Run({"APPEND", "a", half}), kTooLarge);
  EXPECT_INTEGER(Run({"STRLEN", "a"}), static_cast<long long>(half.size()));
}

TEST_F(StringRangeTest, GetRange) {
  EXPECT_OK(Run({"SET", "k", "Hello World"}));
  EXPECT_BULK(Run({"GETRANGE", "k", "0", "4"}), "Hello");
  EXPECT_BULK(Run({"GETRANGE", "k", "-5", "-1"}), "World");
  EXPECT_BULK(Run({"GETRANGE", "k", "0", "-1"}), "Hello World");
  EXPECT_BULK(Run({"GETRANGE", "k", "6", "100"}), "World");
  EXPECT_BULK(Run({"GETRANGE", "k", "5", "2"}), "");
  EXPECT_BULK(Run({"GETRANGE", "k", "-1", "-5"}), "");
  EXPECT_BULK(Run({"GETRANGE", "k", "20", "30"}), "");
  // Both ends before the start clamp to the first byte, as in Redis 7.0.
  EXPECT_BULK(Run({"GETRANGE", "k", "-100", "-99"}), "H");
  EXPECT_BULK(Run({"GETRANGE", "k", "0", "9223372036854775807"}), "Hello World");
  EXPECT_BULK(Run({"GETRANGE", "k", "-9223372036854775808", "2"}), "Hel");
  EXPECT_BULK(Run({"GETRANGE", "missing", "0", "-1"}), "");
  EXPECT_OK(Run({"SET", "empty", ""}));
  EXPECT_BULK(Run({"GETRANGE", "empty", "0", "-1"}), "");
  EXPECT_ERROR(Run({"GETRANGE", "k", "a", "1"}), kNotInteger);
  EXPECT_ERROR(Run({"GETRANGE", "k", "0", "1.5"}), kNotInteger);
  EXPECT_ERROR(Run({"GETRANGE", "k", "0"}), "ERR wrong number of arguments for 'getrange' command");
}

TEST_F(StringRangeTest, SubstrIsGetRange) {
  EXPECT_OK(Run({"SET", "k", "Hello World"}));
  EXPECT_BULK(Run({"SUBSTR", "k", "0", "4"}), "Hello");
  EXPECT_BULK(Run({"SUBSTR", "k", "-5", "-1"}), "World");
  EXPECT_BULK(Run({"SUBSTR", "missing", "0", "10"}), "");
  EXPECT_ERROR(Run({"SUBSTR", "k", "x", "1"}), kNotInteger);
  EXPECT_ERROR(Run({"SUBSTR", "k", "0"}), "ERR wrong number of arguments for 'substr' command");
}

TEST_F(StringRangeTest, Strlen) {
  EXPECT_INTEGER(Run({"STRLEN", "missing"}), 0);
  EXPECT_OK(Run({"SET", "k", "hello"}));
  EXPECT_INTEGER(Run({"STRLEN", "k"}), 5);
  EXPECT_OK(Run({"SET", "n", "12345"}));
  EXPECT_INTEGER(Run({"STRLEN", "n"}), 5);
  EXPECT_OK(Run({"SET", "e", ""}));
  EXPECT_INTEGER(Run({"STRLEN", "e"}), 0);
  EXPECT_ERROR(Run({"STRLEN"}), "ERR wrong number of arguments for 'strlen' command");
}

TEST_F(StringRangeTest, LargeValuesRoundTrip) {
  std::string big(8 * 1024 * 1024, 'z');
  big[12345] = '\0';
  EXPECT_OK(Run({"SET", "big", big}));
  EXPECT_BULK(Run({"GET", "big"}), big);
  EXPECT_INTEGER(Run({"APPEND", "big", "tail"}), static_cast<long long>(big.size() + 4));
  EXPECT_BULK(Run({"GETRANGE", "big", "-4", "-1"}), "tail");
  EXPECT_INTEGER(Run({"SETRANGE", "big", "12345", "A"}), static_cast<long long>(big.size() + 4));
  EXPECT_BULK(Run({"GETRANGE", "big", "12344", "12346"}), "zAz");
}

}  // namespace
}  // namespace cairn::test
