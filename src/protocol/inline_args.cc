// sdssplitargs (Redis's inline command splitter), reproduced byte for byte in behaviour.
#include "src/protocol/inline_args.h"

namespace cairn {
namespace {

// Reads line as sdssplitargs reads a C string: past the end there is a NUL.
class LineCursor {
 public:
  explicit LineCursor(std::string_view line) : line_(line.substr(0, line.find('\0'))) {}

  char At(size_t offset = 0) const {
    size_t i = pos_ + offset;
    return i < line_.size() ? line_[i] : '\0';
  }
  void Skip(size_t count = 1) { pos_ += count; }

 private:
  std::string_view line_;
  size_t pos_ = 0;
};

// isspace() in the C locale.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// A closing quote ends the argument, so what follows it must be a blank or the end.
bool CloseQuote(LineCursor* cursor) {
  char next = cursor->At(1);
  if (next != '\0' && !IsBlank(next)) return false;
  cursor->Skip();
  return true;
}

// The cursor is just past an opening double quote; reads up to and past the closing one.
bool ReadDoubleQuoted(LineCursor* cursor, std::string* token) {
  while (true) {
    char c = cursor->At();
    if (c == '\\' && cursor->At(1) == 'x' && IsHexDigit(cursor->At(2)) &&
        IsHexDigit(cursor->At(3))) {
      token->push_back(static_cast<char>(HexValue(cursor->At(2)) * 16 + HexValue(cursor->At(3))));
      cursor->Skip(4);
    } else if (c == '\\' && cursor->At(1) != '\0') {
      token->push_back(Unescape(cursor->At(1)));
      cursor->Skip(2);
    } else if (c == '"') {
      return CloseQuote(cursor);
    } else if (c == '\0') {
      return false;
    } else {
      token->push_back(c);
      cursor->Skip();
    }
  }
}

// The cursor is just past an opening single quote; only \' is an escape in here.
bool ReadSingleQuoted(LineCursor* cursor, std::string* token) {
  while (true) {
    char c = cursor->At();
    if (c == '\\' && cursor->At(1) == '\'') {
      token->push_back('\'');
      cursor->Skip(2);
    } else if (c == '\'') {
      return CloseQuote(cursor);
    } else if (c == '\0') {
      return false;
    } else {
      token->push_back(c);
      cursor->Skip();
    }
  }
}

// Reads one argument starting at a non-blank character.
bool ReadArgument(LineCursor* cursor, std::string* token) {
  while (true) {
    char c = cursor->At();
    switch (c) {
      case ' ':
      case '\n':
      case '\r':
      case '\t':
      case '\0':
        return true;
      case '"':
        cursor->Skip();
        return ReadDoubleQuoted(cursor, token);
      case '\'':
        cursor->Skip();
        return ReadSingleQuoted(cursor, token);
      default:
        token->push_back(c);
        cursor->Skip();
    }
  }
}

}  // namespace

bool SplitInlineArguments(std::string_view line, std::vector<std::string>* args) {
  args->clear();
  LineCursor cursor(line);
  while (true) {
    while (cursor.At() != '\0' && IsBlank(cursor.At())) cursor.Skip();
    if (cursor.At() == '\0') return true;
    std::string token;
    if (!ReadArgument(&cursor, &token)) {
      args->clear();
      return false;
    }
    args->push_back(std::move(token));
  }
}

}  // namespace cairn
