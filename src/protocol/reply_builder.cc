// ReplyBuilder: the RESP2/RESP3 encodings of every reply type, and Redis 7.0's number
// formatting (addReplyDouble's "%.17g", ld2string's LD_STR_HUMAN "%.17Lf").
#include "src/protocol/reply_builder.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace cairn {
namespace {

// ld2string's buffer: Redis formats long doubles into MAX_LONG_DOUBLE_CHARS bytes. The
// largest finite long double needs ~4950 characters with "%.17Lf", so it always fits.
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// Appends text with CR and LF replaced by spaces: a status or error line cannot contain them.
void AppendLine(std::string* out, std::string_view text) {
  size_t start = out->size();
  out->append(text);
  for (size_t i = start; i < out->size(); ++i) {
    char& c = (*out)[i];
    if (c == '\r' || c == '\n') c = ' ';
  }
  out->append("\r\n");
}

template <typename Integer>
void AppendDecimal(std::string* out, Integer value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, result.ptr);
}

// True when message begins with an error code such as "ERR ", "WRONGTYPE " or "MOVED ".
bool HasErrorCode(std::string_view message) {
  size_t i = 0;
  while (i < message.size() && message[i] >= 'A' && message[i] <= 'Z') ++i;
  return i > 0 && i < message.size() && message[i] == ' ';
}

}  // namespace

void ReplyBuilder::SimpleString(std::string_view text) {
  out_->push_back('+');
  AppendLine(out_, text);
}

void ReplyBuilder::Error(std::string_view message) {
  out_->push_back('-');
  if (!HasErrorCode(message)) out_->append("ERR ");
  AppendLine(out_, message);
}

void ReplyBuilder::Integer(int64_t value) {
  out_->push_back(':');
  AppendDecimal(out_, value);
  out_->append("\r\n");
}

void ReplyBuilder::Bulk(std::string_view data) {
  out_->push_back('$');
  AppendDecimal(out_, data.size());
  out_->append("\r\n");
  out_->append(data);
  out_->append("\r\n");
}

void ReplyBuilder::Null() { out_->append(protocol_ == 3 ? "_\r\n" : "$-1\r\n"); }

void ReplyBuilder::NullArray() { out_->append(protocol_ == 3 ? "_\r\n" : "*-1\r\n"); }

void ReplyBuilder::ArrayHeader(size_t count) {
  out_->push_back('*');
  AppendDecimal(out_, count);
  out_->append("\r\n");
}

void ReplyBuilder::MapHeader(size_t pairs) {
  if (protocol_ != 3) return ArrayHeader(pairs * 2);
  out_->push_back('%');
  AppendDecimal(out_, pairs);
  out_->append("\r\n");
}

void ReplyBuilder::SetHeader(size_t count) {
  if (protocol_ != 3) return ArrayHeader(count);
  out_->push_back('~');
  AppendDecimal(out_, count);
  out_->append("\r\n");
}

void ReplyBuilder::PushHeader(size_t count) {
  if (protocol_ != 3) return ArrayHeader(count);
  out_->push_back('>');
  AppendDecimal(out_, count);
  out_->append("\r\n");
}

void ReplyBuilder::Double(double value) {
  std::string text = FormatDouble(value);
  if (protocol_ != 3) return Bulk(text);
  out_->push_back(',');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyBuilder::Bool(bool value) {
  if (protocol_ != 3) return Integer(value ? 1 : 0);
  out_->append(value ? "#t\r\n" : "#f\r\n");
}

void ReplyBuilder::Verbatim(std::string_view format, std::string_view text) {
  if (protocol_ != 3) return Bulk(text);
  out_->push_back('=');
  AppendDecimal(out_, format.size() + 1 + text.size());
  out_->append("\r\n");
  out_->append(format);
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyBuilder::BulkArray(const std::string* items, size_t count) {
  ArrayHeader(count);
  for (size_t i = 0; i < count; ++i) Bulk(items[i]);
}

void ReplyBuilder::Raw(std::string_view bytes) { out_->append(bytes); }

std::string FormatDouble(double value) {
  // Spelled out rather than left to printf, as Redis does, so every libc agrees.
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  int length = std::snprintf(text, sizeof(text), "%.17g", value);
  return std::string(text, static_cast<size_t>(length));
}

std::string FormatLongDouble(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text(kMaxLongDoubleChars, '\0');
  int printed = std::snprintf(text.data(), text.size(), "%.17Lf", value);
  // Like ld2string, a result that does not fit the buffer is an empty string.
  if (printed < 0 || static_cast<size_t>(printed) >= text.size()) return std::string();
  text.resize(static_cast<size_t>(printed));
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace cairn
