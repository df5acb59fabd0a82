// A small strict JSON reader (RFC 8259): enough to load the embedded Redis command facts.
// Objects keep their members in document order; numbers written as integers that fit an
// int64 are also available exactly as integers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct JsonMember;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  bool integral = false;  // the number had no fraction or exponent and fits an int64
  int64_t integer = 0;    // valid when integral
  std::string string;
  std::vector<JsonValue> array;
  std::vector<JsonMember> object;

  bool is_null() const { return type == Type::kNull; }
  bool is_bool() const { return type == Type::kBool; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_integer() const { return type == Type::kNumber && integral; }
  bool is_string() const { return type == Type::kString; }
  bool is_array() const { return type == Type::kArray; }
  bool is_object() const { return type == Type::kObject; }

  // The value of member `key` of an object; nullptr when absent or when this is no object.
  // A linear scan: objects in the facts are small, and the big top-level one is indexed by
  // its user.
  const JsonValue* Find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// Parses exactly one JSON value spanning all of `text` (surrounding whitespace allowed).
// On failure returns false and sets *error to a message naming the byte offset.
bool ParseJson(std::string_view text, JsonValue* out, std::string* error);

}  // namespace cairn
