// The strict JSON reader: a recursive descent parser over a string_view with a depth limit,
// so hostile input cannot exhaust the stack.
#include "src/command_table/json.h"

#include <algorithm>
#include <charconv>

namespace cairn {

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const JsonMember& member : object) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

namespace {

constexpr int kMaxDepth = 256;

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  bool ParseDocument(JsonValue* out, std::string* error) {
    SkipWhitespace();
    bool ok = ParseValue(out, 0);
    if (ok) {
      SkipWhitespace();
      if (pos_ != text_.size()) ok = Fail("unexpected trailing characters");
    }
    if (!ok) *error = "JSON error at offset " + std::to_string(pos_) + ": " + message_;
    return ok;
  }

 private:
  bool Fail(const char* message) {
    message_ = message;
    return false;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool ConsumeLiteral(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return Fail("invalid literal");
    pos_ += literal.size();
    return true;
  }

  bool ParseValue(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    if (AtEnd()) return Fail("unexpected end of input");
    switch (Peek()) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"':
        out->type = JsonValue::Type::kString;
        return ParseString(&out->string);
      case 't':
        out->type = JsonValue::Type::kBool;
        out->boolean = true;
        return ConsumeLiteral("true");
      case 'f':
        out->type = JsonValue::Type::kBool;
        out->boolean = false;
        return ConsumeLiteral("false");
      case 'n':
        out->type = JsonValue::Type::kNull;
        return ConsumeLiteral("null");
      default:
        return ParseNumber(out);
    }
  }

  bool ParseObject(JsonValue* out, int depth) {
    out->type = JsonValue::Type::kObject;
    ++pos_;  // '{'
    SkipWhitespace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (AtEnd() || Peek() != '"') return Fail("expected a string key");
      JsonMember member;
      if (!ParseString(&member.key)) return false;
      SkipWhitespace();
      if (AtEnd() || Peek() != ':') return Fail("expected ':'");
      ++pos_;
      SkipWhitespace();
      if (!ParseValue(&member.value, depth + 1)) return false;
      out->object.push_back(std::move(member));
      SkipWhitespace();
      if (AtEnd()) return Fail("unterminated object");
      if (Peek() == '}') {
        ++pos_;
        return CheckUniqueKeys(*out);
      }
      if (Peek() != ',') return Fail("expected ',' or '}'");
      ++pos_;
    }
  }

  // Duplicate keys would make Find() silently pick one of them.
  bool CheckUniqueKeys(const JsonValue& object) {
    std::vector<std::string_view> keys;
    keys.reserve(object.object.size());
    for (const JsonMember& member : object.object) keys.push_back(member.key);
    std::sort(keys.begin(), keys.end());
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
      return Fail("duplicate object key");
    }
    return true;
  }

  bool ParseArray(JsonValue* out, int depth) {
    out->type = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipWhitespace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      out->array.emplace_back();
      if (!ParseValue(&out->array.back(), depth + 1)) return false;
      SkipWhitespace();
      if (AtEnd()) return Fail("unterminated array");
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Fail("expected ',' or ']'");
      ++pos_;
    }
  }

  bool ParseHex4(uint32_t* code) {
    if (text_.size() - pos_ < 4) return Fail("truncated \\u escape");
    *code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Fail("invalid hex digit in \\u escape");
      }
      *code = (*code << 4) | digit;
    }
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string* out) {
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // After "\u": one code point, joining a UTF-16 surrogate pair when there is one.
  bool ParseUnicodeEscape(std::string* out) {
    uint32_t code;
    if (!ParseHex4(&code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return Fail("unpaired low surrogate");
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return Fail("unpaired high surrogate");
      pos_ += 2;
      uint32_t low;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("invalid low surrogate");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code, out);
    return true;
  }

  bool ParseEscape(std::string* out) {
    if (AtEnd()) return Fail("unterminated string");
    char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out->push_back(c);
        return true;
      case 'b':
        out->push_back('\b');
        return true;
      case 'f':
        out->push_back('\f');
        return true;
      case 'n':
        out->push_back('\n');
        return true;
      case 'r':
        out->push_back('\r');
        return true;
      case 't':
        out->push_back('\t');
        return true;
      case 'u':
        return ParseUnicodeEscape(out);
      default:
        --pos_;
        return Fail("invalid escape");
    }
  }

  bool ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (AtEnd()) return Fail("unterminated string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      ++pos_;
      if (c == '\\') {
        if (!ParseEscape(out)) return false;
      } else {
        out->push_back(c);
      }
    }
  }

  size_t SkipDigits() {
    size_t start = pos_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    return pos_ - start;
  }

  bool ParseNumber(JsonValue* out) {
    size_t start = pos_;
    if (!AtEnd() && Peek() == '-') ++pos_;
    if (AtEnd() || Peek() < '0' || Peek() > '9') return Fail("invalid value");
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && Peek() >= '0' && Peek() <= '9') return Fail("leading zero in number");
    } else {
      SkipDigits();
    }
    bool integral = true;
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      integral = false;
      if (SkipDigits() == 0) return Fail("expected digits after '.'");
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      integral = false;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (SkipDigits() == 0) return Fail("expected digits in exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    out->type = JsonValue::Type::kNumber;
    auto parsed = std::from_chars(first, last, out->number);
    if (parsed.ec != std::errc()) return Fail("number out of range");
    out->integral = integral && std::from_chars(first, last, out->integer).ec == std::errc();
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  const char* message_ = "";
};

}  // namespace

bool ParseJson(std::string_view text, JsonValue* out, std::string* error) {
  *out = JsonValue();
  return JsonParser(text).ParseDocument(out, error);
}

}  // namespace cairn
