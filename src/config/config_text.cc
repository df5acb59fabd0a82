// Redis's configuration text rules; see config_text.h.
#include "src/config/config_text.h"

#include <cctype>
#include <charconv>
#include <limits>

#include "src/protocol/inline_args.h"

namespace cairn {

bool SplitConfigArgs(std::string_view line, std::vector<std::string>* args) {
  // Config lines and inline commands share Redis's sdssplitargs rules; like the C original
  // used for config files, a NUL byte ends the line.
  return SplitInlineArguments(line.substr(0, line.find('\0')), args);
}

std::string QuoteConfigValue(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : bytes) {
    switch (c) {
      case '\\':
      case '"':
        out.push_back('\\');
        out.push_back(c);
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
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (std::isprint(static_cast<unsigned char>(c))) {
          out.push_back(c);
        } else {
          unsigned char byte = static_cast<unsigned char>(c);
          out += "\\x";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xf]);
        }
    }
  }
  out.push_back('"');
  return out;
}

bool ParseConfigInteger(std::string_view text, int64_t* value) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (digits.empty() || !std::isdigit(static_cast<unsigned char>(digits[0]))) return false;
  if (digits[0] == '0' && text != "0") return false;  // "01", "-0": string2ll refuses them
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseMemorySize(std::string_view text, uint64_t* bytes) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  std::string_view unit = text.substr(digits);
  uint64_t multiplier;
  if (unit.empty() || EqualsNoCase(unit, "b")) {
    multiplier = 1;
  } else if (EqualsNoCase(unit, "k")) {
    multiplier = 1000;
  } else if (EqualsNoCase(unit, "kb")) {
    multiplier = 1024;
  } else if (EqualsNoCase(unit, "m")) {
    multiplier = 1000 * 1000;
  } else if (EqualsNoCase(unit, "mb")) {
    multiplier = 1024 * 1024;
  } else if (EqualsNoCase(unit, "g")) {
    multiplier = 1000ull * 1000 * 1000;
  } else if (EqualsNoCase(unit, "gb")) {
    multiplier = 1024ull * 1024 * 1024;
  } else {
    return false;
  }
  uint64_t number = 0;
  if (digits > 0) {
    auto [end, error] = std::from_chars(text.data(), text.data() + digits, number);
    if (error != std::errc() || end != text.data() + digits) return false;
  }
  if (number > std::numeric_limits<uint64_t>::max() / multiplier) return false;
  *bytes = number * multiplier;
  return true;
}

std::string FormatMemorySize(int64_t bytes) {
  constexpr int64_t kKb = 1024;
  constexpr int64_t kMb = 1024 * kKb;
  constexpr int64_t kGb = 1024 * kMb;
  if (bytes != 0 && bytes % kGb == 0) return std::to_string(bytes / kGb) + "gb";
  if (bytes != 0 && bytes % kMb == 0) return std::to_string(bytes / kMb) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string LowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> lines;
  if (text.empty()) return lines;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      return lines;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string_view TrimConfigLine(std::string_view line) {
  constexpr std::string_view kBlanks = " \t\r\n";
  size_t first = line.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  size_t last = line.find_last_not_of(kBlanks);
  return line.substr(first, last - first + 1);
}

}  // namespace cairn
