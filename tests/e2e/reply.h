// Reply: one decoded server reply (RESP2 or RESP3) as a plain value tree, the RESP reader that
// produces it from raw bytes, and the GoogleTest checks e2e tests use on replies.
//
// Debian 12 ships hiredis 0.14, whose reader knows only RESP2 types, so replies are held in
// our own tree rather than in redisReply: the Client converts hiredis's RESP2 replies into it
// and parses RESP3 (after HELLO 3) with RespReader.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::test {

enum class ReplyType {
  kString,     // bulk string ($)
  kStatus,     // simple string (+)
  kError,      // simple or blob error (- or !)
  kInteger,    // :
  kNil,        // $-1, *-1 or RESP3 _
  kArray,      // *
  kDouble,     // RESP3 ,
  kBool,       // RESP3 #
  kBigNumber,  // RESP3 ( ; text() holds the digits
  kVerbatim,   // RESP3 = ; text() holds the content, format() the three-letter format
  kMap,        // RESP3 % ; elements() holds key, value, key, value, ...
  kSet,        // RESP3 ~
  kPush,       // RESP3 >
  kIoError,    // not from the server: the connection failed, timed out or broke protocol
};

class Reply {
 public:
  Reply() = default;  // nil

  static Reply String(std::string data);
  static Reply Status(std::string text);
  static Reply Error(std::string text);
  static Reply Integer(long long value);
  static Reply Nil() { return Reply(); }
  static Reply Double(double value);
  static Reply Bool(bool value);
  static Reply BigNumber(std::string digits);
  static Reply Verbatim(std::string format, std::string text);
  static Reply Array(std::vector<Reply> elements);
  static Reply Map(std::vector<Reply> keys_and_values);
  static Reply Set(std::vector<Reply> elements);
  static Reply Push(std::vector<Reply> elements);
  static Reply IoError(std::string description);
  // An array of bulk strings, the most common multi-value reply.
  static Reply Strings(const std::vector<std::string>& values);

  ReplyType type() const { return type_; }
  bool is_nil() const { return type_ == ReplyType::kNil; }
  bool is_error() const { return type_ == ReplyType::kError; }
  bool is_io_error() const { return type_ == ReplyType::kIoError; }
  bool is_aggregate() const;

  // Bytes of a string, status, error, verbatim, big number or I/O error description.
  const std::string& text() const { return text_; }
  const std::string& format() const { return format_; }  // verbatim only
  long long integer() const { return integer_; }
  double dbl() const { return double_; }
  bool boolean() const { return integer_ != 0; }
  // Children of an array, set, push or map (maps flattened as key, value, ...).
  const std::vector<Reply>& elements() const { return elements_; }
  size_t size() const { return elements_.size(); }
  const Reply& operator[](size_t index) const { return elements_.at(index); }
  // RESP3 attributes (|) that preceded this reply, flattened like a map.
  const std::vector<Reply>& attributes() const { return attributes_; }
  void set_attributes(std::vector<Reply> attributes) { attributes_ = std::move(attributes); }

  // The value of a map entry (or, in a RESP2 flat key/value array, of the element after
  // `key`) whose key is a string equal to `key`; nullptr when absent.
  const Reply* Find(std::string_view key) const;
  // The texts of an aggregate's children; nullopt if any child has no text (e.g. nil).
  std::optional<std::vector<std::string>> ElementTexts() const;

  // A compact one-line rendering for failure messages: "bulk", +status, -error, (integer) 1,
  // (nil), [a, b], {k => v}, ~{set}, >[push], (double) 1.5, (true), (big) 1, (txt) text.
  std::string ToString() const;

  friend bool operator==(const Reply& a, const Reply& b);

 private:
  static Reply Aggregate(ReplyType type, std::vector<Reply> elements);

  ReplyType type_ = ReplyType::kNil;
  std::string text_;
  std::string format_;
  long long integer_ = 0;
  double double_ = 0;
  std::vector<Reply> elements_;
  std::vector<Reply> attributes_;
};

std::ostream& operator<<(std::ostream& os, const Reply& reply);
void PrintTo(const Reply& reply, std::ostream* os);  // for GoogleTest's failure messages

// Incremental RESP2/RESP3 decoder. Feed() bytes as they arrive; Next() returns a complete
// reply once one is buffered. Redis 7.0 never sends streamed (`$?`, `*?`) types, so those are
// protocol errors here.
class RespReader {
 public:
  enum class Result { kReply, kNeedMore, kProtocolError };

  void Feed(std::string_view bytes) { buffer_.append(bytes); }
  Result Next(Reply* reply);
  const std::string& error() const { return error_; }
  size_t buffered() const { return buffer_.size() - consumed_; }
  // Takes the bytes not yet decoded (used when handing a stream over to a raw reader).
  std::string TakeBuffered();

 private:
  std::string buffer_;
  size_t consumed_ = 0;
  std::string error_;
};

// Checks for EXPECT_TRUE/ASSERT_TRUE; each failure message shows the actual reply.
::testing::AssertionResult IsOk(const Reply& reply);
::testing::AssertionResult IsStatus(const Reply& reply, std::string_view text);
::testing::AssertionResult IsInteger(const Reply& reply, long long value);
::testing::AssertionResult IsBulk(const Reply& reply, std::string_view data);
::testing::AssertionResult IsNil(const Reply& reply);
::testing::AssertionResult IsError(const Reply& reply, std::string_view message);
::testing::AssertionResult IsErrorPrefix(const Reply& reply, std::string_view prefix);
// An array (or RESP3 set/push) of bulk strings equal to `values`, in order.
::testing::AssertionResult IsStrings(const Reply& reply, const std::vector<std::string>& values);
// Same, order ignored (SMEMBERS, HKEYS, KEYS...).
::testing::AssertionResult IsStringsUnordered(const Reply& reply, std::vector<std::string> values);
::testing::AssertionResult IsDouble(const Reply& reply, double value);  // RESP3 double
// A RESP3 map with exactly these entries (string keys), order ignored.
::testing::AssertionResult IsMap(const Reply& reply,
                                 const std::vector<std::pair<std::string, Reply>>& entries);

}  // namespace cairn::test

#define EXPECT_OK(reply) EXPECT_TRUE(::cairn::test::IsOk(reply))
#define ASSERT_OK(reply) ASSERT_TRUE(::cairn::test::IsOk(reply))
#define EXPECT_STATUS(reply, text) EXPECT_TRUE(::cairn::test::IsStatus((reply), (text)))
#define EXPECT_INTEGER(reply, value) EXPECT_TRUE(::cairn::test::IsInteger((reply), (value)))
#define ASSERT_INTEGER(reply, value) ASSERT_TRUE(::cairn::test::IsInteger((reply), (value)))
#define EXPECT_BULK(reply, data) EXPECT_TRUE(::cairn::test::IsBulk((reply), (data)))
#define ASSERT_BULK(reply, data) ASSERT_TRUE(::cairn::test::IsBulk((reply), (data)))
#define EXPECT_NIL(reply) EXPECT_TRUE(::cairn::test::IsNil(reply))
#define EXPECT_ERROR(reply, message) EXPECT_TRUE(::cairn::test::IsError((reply), (message)))
#define EXPECT_ERROR_PREFIX(reply, prefix) \
  EXPECT_TRUE(::cairn::test::IsErrorPrefix((reply), (prefix)))
#define EXPECT_STRINGS(reply, ...) \
  EXPECT_TRUE(::cairn::test::IsStrings((reply), std::vector<std::string>(__VA_ARGS__)))
#define EXPECT_STRINGS_UNORDERED(reply, ...) \
  EXPECT_TRUE(::cairn::test::IsStringsUnordered((reply), std::vector<std::string>(__VA_ARGS__)))
#define EXPECT_DOUBLE_REPLY(reply, value) EXPECT_TRUE(::cairn::test::IsDouble((reply), (value)))
#define EXPECT_MAP(reply, ...)      \
  EXPECT_TRUE(::cairn::test::IsMap( \
      (reply), std::vector<std::pair<std::string, ::cairn::test::Reply>>(__VA_ARGS__)))
