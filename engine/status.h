// Status: the result of every fallible engine call (no exceptions cross the engine API).
// For the codes Redis has a fixed error for, message() is that error's full text, ready for
// a reply ("WRONGTYPE ...", "ERR value is not an integer or out of range", ...).
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace cairn {

class Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound,
    kWrongType,
    kNotInteger,
    kNotFloat,
    kOverflow,
    kInvalidArgument,
    kIOError,
    kCorruption,
    kNoSpace,
    kBusy,
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string message = "not found") {
    return Status(Code::kNotFound, std::move(message));
  }
  static Status WrongType() {
    return Status(Code::kWrongType,
                  "WRONGTYPE Operation against a key holding the wrong kind of value");
  }
  static Status NotInteger() {
    return Status(Code::kNotInteger, "ERR value is not an integer or out of range");
  }
  static Status NotFloat() { return Status(Code::kNotFloat, "ERR value is not a valid float"); }
  static Status Overflow(std::string message = "ERR increment or decrement would overflow") {
    return Status(Code::kOverflow, std::move(message));
  }
  static Status InvalidArgument(std::string message) {
    return Status(Code::kInvalidArgument, std::move(message));
  }
  static Status IOError(std::string message) { return Status(Code::kIOError, std::move(message)); }
  static Status Corruption(std::string message) {
    return Status(Code::kCorruption, std::move(message));
  }
  static Status NoSpace(std::string message) { return Status(Code::kNoSpace, std::move(message)); }
  static Status Busy(std::string message) { return Status(Code::kBusy, std::move(message)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsWrongType() const { return code_ == Code::kWrongType; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const { return ok() ? std::string("OK") : message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace cairn
