// Reply values, their rendering for failure messages, the RESP2/RESP3 reader and the reply
// checks used by e2e tests.
#include "tests/e2e/reply.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cairn::test {

Reply Reply::String(std::string data) {
  Reply r;
  r.type_ = ReplyType::kString;
  r.text_ = std::move(data);
  return r;
}

Reply Reply::Status(std::string text) {
  Reply r = String(std::move(text));
  r.type_ = ReplyType::kStatus;
  return r;
}

Reply Reply::Error(std::string text) {
  Reply r = String(std::move(text));
  r.type_ = ReplyType::kError;
  return r;
}

Reply Reply::IoError(std::string description) {
  Reply r = String(std::move(description));
  r.type_ = ReplyType::kIoError;
  return r;
}

Reply Reply::BigNumber(std::string digits) {
  Reply r = String(std::move(digits));
  r.type_ = ReplyType::kBigNumber;
  return r;
}

Reply Reply::Verbatim(std::string format, std::string text) {
  Reply r = String(std::move(text));
  r.type_ = ReplyType::kVerbatim;
  r.format_ = std::move(format);
  return r;
}

Reply Reply::Integer(long long value) {
  Reply r;
  r.type_ = ReplyType::kInteger;
  r.integer_ = value;
  return r;
}

Reply Reply::Double(double value) {
  Reply r;
  r.type_ = ReplyType::kDouble;
  r.double_ = value;
  return r;
}

Reply Reply::Bool(bool value) {
  Reply r;
  r.type_ = ReplyType::kBool;
  r.integer_ = value ? 1 : 0;
  return r;
}

Reply Reply::Aggregate(ReplyType type, std::vector<Reply> elements) {
  Reply r;
  r.type_ = type;
  r.elements_ = std::move(elements);
  return r;
}

Reply Reply::Array(std::vector<Reply> elements) {
  return Aggregate(ReplyType::kArray, std::move(elements));
}
Reply Reply::Map(std::vector<Reply> keys_and_values) {
  return Aggregate(ReplyType::kMap, std::move(keys_and_values));
}
Reply Reply::Set(std::vector<Reply> elements) {
  return Aggregate(ReplyType::kSet, std::move(elements));
}
Reply Reply::Push(std::vector<Reply> elements) {
  return Aggregate(ReplyType::kPush, std::move(elements));
}

Reply Reply::Strings(const std::vector<std::string>& values) {
  std::vector<Reply> elements;
  elements.reserve(values.size());
  for (const auto& v : values) elements.push_back(String(v));
  return Array(std::move(elements));
}

bool Reply::is_aggregate() const {
  return type_ == ReplyType::kArray || type_ == ReplyType::kMap || type_ == ReplyType::kSet ||
         type_ == ReplyType::kPush;
}

static bool HasText(ReplyType type) {
  return type == ReplyType::kString || type == ReplyType::kStatus || type == ReplyType::kError ||
         type == ReplyType::kBigNumber || type == ReplyType::kVerbatim ||
         type == ReplyType::kIoError;
}

const Reply* Reply::Find(std::string_view key) const {
  if (type_ != ReplyType::kMap && type_ != ReplyType::kArray) return nullptr;
  for (size_t i = 0; i + 1 < elements_.size(); i += 2) {
    const Reply& k = elements_[i];
    if (HasText(k.type_) && k.text_ == key) return &elements_[i + 1];
  }
  return nullptr;
}

std::optional<std::vector<std::string>> Reply::ElementTexts() const {
  std::vector<std::string> texts;
  for (const auto& e : elements_) {
    if (!HasText(e.type_) || e.type_ == ReplyType::kError) return std::nullopt;
    texts.push_back(e.text_);
  }
  return texts;
}

bool operator==(const Reply& a, const Reply& b) {
  if (a.type_ != b.type_) return false;
  if (a.type_ == ReplyType::kDouble) {
    return a.double_ == b.double_ || (std::isnan(a.double_) && std::isnan(b.double_));
  }
  return a.text_ == b.text_ && a.format_ == b.format_ && a.integer_ == b.integer_ &&
         a.elements_ == b.elements_;
}

namespace {

constexpr size_t kMaxPrintedBytes = 200;

std::string Quote(std::string_view bytes) {
  std::string out = "\"";
  size_t shown = std::min(bytes.size(), kMaxPrintedBytes);
  for (size_t i = 0; i < shown; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out += hex;
        }
    }
  }
  out += "\"";
  if (shown < bytes.size()) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

std::string FormatDouble(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", value);
  return buf;
}

std::string JoinElements(const std::vector<Reply>& elements, bool as_pairs) {
  std::string out;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += (as_pairs && i % 2 == 1) ? " => " : ", ";
    out += elements[i].ToString();
  }
  return out;
}

}  // namespace

std::string Reply::ToString() const {
  switch (type_) {
    case ReplyType::kString:
      return Quote(text_);
    case ReplyType::kStatus:
      return "+" + text_;
    case ReplyType::kError:
      return "-" + text_;
    case ReplyType::kInteger:
      return "(integer) " + std::to_string(integer_);
    case ReplyType::kNil:
      return "(nil)";
    case ReplyType::kDouble:
      return "(double) " + FormatDouble(double_);
    case ReplyType::kBool:
      return integer_ ? "(true)" : "(false)";
    case ReplyType::kBigNumber:
      return "(big) " + text_;
    case ReplyType::kVerbatim:
      return "(" + format_ + ") " + Quote(text_);
    case ReplyType::kArray:
      return "[" + JoinElements(elements_, false) + "]";
    case ReplyType::kMap:
      return "{" + JoinElements(elements_, true) + "}";
    case ReplyType::kSet:
      return "~{" + JoinElements(elements_, false) + "}";
    case ReplyType::kPush:
      return ">[" + JoinElements(elements_, false) + "]";
    case ReplyType::kIoError:
      return "(I/O error: " + text_ + ")";
  }
  return "(unknown reply type)";
}

std::ostream& operator<<(std::ostream& os, const Reply& reply) { return os << reply.ToString(); }
void PrintTo(const Reply& reply, std::ostream* os) { *os << reply.ToString(); }

// ---------------------------------------------------------------------------------------------
// RESP decoding. Each call decodes from the start of the undecoded bytes; when the reply is
// incomplete nothing is consumed and the caller feeds more bytes and retries.

namespace {

constexpr int kMaxNesting = 64;

enum class Parse { kDone, kIncomplete, kError };

struct Cursor {
  std::string_view data;
  size_t pos = 0;
  std::string* error;

  Parse Fail(std::string message) {
    *error = std::move(message);
    return Parse::kError;
  }
};

// Reads the line after the type byte, without its CRLF.
Parse ReadLine(Cursor* c, std::string_view* line) {
  size_t end = c->data.find("\r\n", c->pos);
  if (end == std::string_view::npos) return Parse::kIncomplete;
  *line = c->data.substr(c->pos, end - c->pos);
  c->pos = end + 2;
  return Parse::kDone;
}

bool ToInteger(std::string_view text, long long* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ToDouble(std::string_view text, double* value) {
  if (text == "inf" || text == "+inf") {
    *value = HUGE_VAL;
  } else if (text == "-inf") {
    *value = -HUGE_VAL;
  } else if (text == "nan" || text == "-nan") {
    *value = std::nan("");
  } else {
    std::string copy(text);
    char* end = nullptr;
    *value = std::strtod(copy.c_str(), &end);
    return !copy.empty() && end == copy.c_str() + copy.size();
  }
  return true;
}

Parse ParseReply(Cursor* c, Reply* out, int depth);

Parse ParseBlob(Cursor* c, long long length, std::string* blob) {
  if (length < 0) return c->Fail("negative blob length");
  size_t n = static_cast<size_t>(length);
  if (c->data.size() - c->pos < n + 2) return Parse::kIncomplete;
  if (c->data.substr(c->pos + n, 2) != "\r\n") return c->Fail("blob not followed by CRLF");
  *blob = std::string(c->data.substr(c->pos, n));
  c->pos += n + 2;
  return Parse::kDone;
}

Parse ParseChildren(Cursor* c, long long count, int depth, std::vector<Reply>* out) {
  if (count < 0) return c->Fail("negative aggregate length");
  for (long long i = 0; i < count; ++i) {
    Reply child;
    Parse p = ParseReply(c, &child, depth + 1);
    if (p != Parse::kDone) return p;
    out->push_back(std::move(child));
  }
  return Parse::kDone;
}

Parse ParseBulkLike(Cursor* c, char type, long long length, Reply* out) {
  if (type == '$' && length == -1) {
    *out = Reply::Nil();
    return Parse::kDone;
  }
  std::string blob;
  Parse p = ParseBlob(c, length, &blob);
  if (p != Parse::kDone) return p;
  if (type == '$') {
    *out = Reply::String(std::move(blob));
  } else if (type == '!') {
    *out = Reply::Error(std::move(blob));
  } else {
    if (blob.size() < 4 || blob[3] != ':') return c->Fail("verbatim string without format");
    *out = Reply::Verbatim(blob.substr(0, 3), blob.substr(4));
  }
  return Parse::kDone;
}

Parse ParseAggregate(Cursor* c, char type, long long count, int depth, Reply* out) {
  if (type == '*' && count == -1) {
    *out = Reply::Nil();
    return Parse::kDone;
  }
  bool pairs = type == '%' || type == '|';
  if (pairs && count > 0) count *= 2;
  std::vector<Reply> children;
  Parse p = ParseChildren(c, count, depth, &children);
  if (p != Parse::kDone) return p;
  switch (type) {
    case '*':
      *out = Reply::Array(std::move(children));
      break;
    case '%':
      *out = Reply::Map(std::move(children));
      break;
    case '~':
      *out = Reply::Set(std::move(children));
      break;
    case '>':
      *out = Reply::Push(std::move(children));
      break;
    default: {  // '|': attributes decorate the reply that follows them.
      Parse next = ParseReply(c, out, depth + 1);
      if (next != Parse::kDone) return next;
      out->set_attributes(std::move(children));
    }
  }
  return Parse::kDone;
}

Parse ParseReply(Cursor* c, Reply* out, int depth) {
  if (depth > kMaxNesting) return c->Fail("replies nested too deeply");
  if (c->pos >= c->data.size()) return Parse::kIncomplete;
  char type = c->data[c->pos++];
  std::string_view line;
  Parse p = ReadLine(c, &line);
  if (p != Parse::kDone) return p;
  long long number = 0;
  double dbl = 0;
  switch (type) {
    case '+':
      *out = Reply::Status(std::string(line));
      return Parse::kDone;
    case '-':
      *out = Reply::Error(std::string(line));
      return Parse::kDone;
    case '(':
      *out = Reply::BigNumber(std::string(line));
      return Parse::kDone;
    case '_':
      if (!line.empty()) return c->Fail("null with payload");
      *out = Reply::Nil();
      return Parse::kDone;
    case '#':
      if (line != "t" && line != "f") return c->Fail("bad boolean '" + std::string(line) + "'");
      *out = Reply::Bool(line == "t");
      return Parse::kDone;
    case ',':
      if (!ToDouble(line, &dbl)) return c->Fail("bad double '" + std::string(line) + "'");
      *out = Reply::Double(dbl);
      return Parse::kDone;
    case ':':
    case '$':
    case '!':
    case '=':
    case '*':
    case '%':
    case '~':
    case '>':
    case '|':
      if (!ToInteger(line, &number)) {
        return c->Fail(std::string("bad number '") + std::string(line) + "' after '" + type + "'");
      }
      if (type == ':') {
        *out = Reply::Integer(number);
        return Parse::kDone;
      }
      if (type == '$' || type == '!' || type == '=') return ParseBulkLike(c, type, number, out);
      return ParseAggregate(c, type, number, depth, out);
    default:
      return c->Fail(std::string("unknown reply type byte ") + Quote(std::string_view(&type, 1)));
  }
}

}  // namespace

RespReader::Result RespReader::Next(Reply* reply) {
  if (!error_.empty()) return Result::kProtocolError;
  Cursor cursor{std::string_view(buffer_).substr(consumed_), 0, &error_};
  Reply decoded;
  switch (ParseReply(&cursor, &decoded, 0)) {
    case Parse::kIncomplete:
      return Result::kNeedMore;
    case Parse::kError:
      return Result::kProtocolError;
    case Parse::kDone:
      break;
  }
  consumed_ += cursor.pos;
  // Compact once the decoded prefix dominates, keeping appends amortised O(1).
  if (consumed_ > 4096 && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  *reply = std::move(decoded);
  return Result::kReply;
}

std::string RespReader::TakeBuffered() {
  std::string rest = buffer_.substr(consumed_);
  buffer_.clear();
  consumed_ = 0;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Checks.

namespace {

::testing::AssertionResult Mismatch(const Reply& reply, const std::string& expected) {
  return ::testing::AssertionFailure() << "expected " << expected << ", got " << reply;
}

}  // namespace

::testing::AssertionResult IsOk(const Reply& reply) { return IsStatus(reply, "OK"); }

::testing::AssertionResult IsStatus(const Reply& reply, std::string_view text) {
  if (reply.type() == ReplyType::kStatus && reply.text() == text) {
    return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, Reply::Status(std::string(text)).ToString());
}

::testing::AssertionResult IsInteger(const Reply& reply, long long value) {
  if (reply.type() == ReplyType::kInteger && reply.integer() == value) {
    return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, "(integer) " + std::to_string(value));
}

::testing::AssertionResult IsBulk(const Reply& reply, std::string_view data) {
  if (reply.type() == ReplyType::kString && reply.text() == data) {
    return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, Reply::String(std::string(data)).ToString());
}

::testing::AssertionResult IsNil(const Reply& reply) {
  if (reply.is_nil()) return ::testing::AssertionSuccess();
  return Mismatch(reply, "(nil)");
}

::testing::AssertionResult IsError(const Reply& reply, std::string_view message) {
  if (reply.is_error() && reply.text() == message) return ::testing::AssertionSuccess();
  return Mismatch(reply, Reply::Error(std::string(message)).ToString());
}

::testing::AssertionResult IsErrorPrefix(const Reply& reply, std::string_view prefix) {
  if (reply.is_error() && reply.text().starts_with(prefix)) {
    return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, "an error starting with \"" + std::string(prefix) + "\"");
}

static bool IsListLike(const Reply& reply) {
  return reply.type() == ReplyType::kArray || reply.type() == ReplyType::kSet ||
         reply.type() == ReplyType::kPush;
}

static bool AllBulk(const Reply& reply) {
  return std::all_of(reply.elements().begin(), reply.elements().end(),
                     [](const Reply& e) { return e.type() == ReplyType::kString; });
}

::testing::AssertionResult IsStrings(const Reply& reply, const std::vector<std::string>& values) {
  if (IsListLike(reply) && AllBulk(reply) && reply.ElementTexts() == values) {
    return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, Reply::Strings(values).ToString());
}

::testing::AssertionResult IsStringsUnordered(const Reply& reply, std::vector<std::string> values) {
  auto texts = reply.ElementTexts();
  if (IsListLike(reply) && AllBulk(reply) && texts) {
    std::sort(texts->begin(), texts->end());
    std::sort(values.begin(), values.end());
    if (*texts == values) return ::testing::AssertionSuccess();
  }
  return Mismatch(reply, "in any order " + Reply::Strings(values).ToString());
}

::testing::AssertionResult IsDouble(const Reply& reply, double value) {
  if (reply == Reply::Double(value)) return ::testing::AssertionSuccess();
  return Mismatch(reply, Reply::Double(value).ToString());
}

::testing::AssertionResult IsMap(const Reply& reply,
                                 const std::vector<std::pair<std::string, Reply>>& entries) {
  std::vector<Reply> flat;
  for (const auto& [key, value] : entries) {
    flat.push_back(Reply::String(key));
    flat.push_back(value);
  }
  Reply expected = Reply::Map(flat);
  bool same = reply.type() == ReplyType::kMap && reply.size() == flat.size();
  for (size_t i = 0; same && i < entries.size(); ++i) {
    const Reply* actual = reply.Find(entries[i].first);
    same = actual != nullptr && *actual == entries[i].second;
  }
  if (same) return ::testing::AssertionSuccess();
  return Mismatch(reply, "in any order " + expected.ToString());
}

}  // namespace cairn::test
