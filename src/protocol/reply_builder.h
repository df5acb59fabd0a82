// ReplyBuilder: appends RESP2 or RESP3 replies to an output string.
//
// Command handlers describe their reply in RESP3 terms (maps, sets, doubles, nulls) and the
// builder downgrades to RESP2 when the client speaks RESP2, the way Redis does:
// maps become flat arrays, sets become arrays, doubles become bulk strings, booleans become
// integers, every null becomes the null bulk string (or null array for NullArray()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

class ReplyBuilder {
 public:
  // Appends to *out, which must outlive the builder. protocol is 2 or 3.
  explicit ReplyBuilder(std::string* out, int protocol = 2) : out_(out), protocol_(protocol) {}

  int protocol() const { return protocol_; }
  void set_protocol(int protocol) { protocol_ = protocol; }
  std::string* buffer() { return out_; }

  void SimpleString(std::string_view text);  // "+text"; CR/LF in text become spaces.
  // "-message". message carries its own prefix ("ERR ...", "WRONGTYPE ..."); if it does not
  // start with an upper-case word followed by a space, "ERR " is added. CR/LF become spaces.
  void Error(std::string_view message);
  void Ok() { SimpleString("OK"); }
  void Integer(int64_t value);
  void Bulk(std::string_view data);
  void Null();       // RESP2 "$-1", RESP3 "_"
  void NullArray();  // RESP2 "*-1", RESP3 "_"
  void ArrayHeader(size_t count);
  void MapHeader(size_t pairs);   // RESP2: array of 2*pairs
  void SetHeader(size_t count);   // RESP2: array
  void PushHeader(size_t count);  // RESP2: array
  // A double as Redis 7.0 prints it (FormatDouble): RESP2 bulk string, RESP3 ",<double>".
  void Double(double value);
  void Bool(bool value);  // RESP2 ":1"/":0", RESP3 "#t"/"#f"
  // RESP3 "=<len>\r\n<format>:<text>", RESP2 a bulk string of text. format is 3 chars ("txt").
  void Verbatim(std::string_view format, std::string_view text);
  void BulkArray(const std::string* items, size_t count);  // array of bulk strings
  void Raw(std::string_view bytes);                        // already-encoded RESP

 private:
  std::string* out_;
  int protocol_;
};

// A double the way Redis 7.0's addReplyDouble prints it (scores): "inf", "-inf", otherwise
// "%.17g" (0.1 -> "0.10000000000000001", 1e300 -> "1.0000000000000001e+300", -0.0 -> "-0").
std::string FormatDouble(double value);
// A long double the way Redis 7.0 stores and replies INCRBYFLOAT results (ld2string with
// LD_STR_HUMAN): "%.17Lf" without trailing zeros or a trailing dot, never an exponent,
// "-0" becomes "0" (10.5 -> "10.5", 3e3 -> "3000", 1/3 -> "0.33333333333333333").
std::string FormatLongDouble(long double value);

}  // namespace cairn
