// Shared fixture of the set e2e tests (tests/e2e/set_*_test.cc): a started server, a client,
// and the set-specific error texts (the common ones are in tests/e2e/redis_errors.h).
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

inline constexpr char kSetNotPositive[] = "ERR value is out of range, must be positive";

inline std::string SetArityError(const std::string& command) {
  return "ERR wrong number of arguments for '" + command + "' command";
}

class SetCommandTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  // Keys of other types, for WRONGTYPE checks: "string" and the collection "hash".
  void MakeOtherTypes() {
    ASSERT_OK(Run({"SET", "string", "v"}));
    ASSERT_INTEGER(Run({"HSET", "hash", "f", "v"}), 1);
  }

  long long InfoStat(const std::string& name) {
    Reply info = Run({"INFO", "stats"});
    std::string text = info.text();
    size_t at = text.find(name + ":");
    if (at == std::string::npos) return -1;
    return std::stoll(text.substr(at + name.size() + 1));
  }

  void Resp3() {
    Reply hello = Run({"HELLO", "3"});
    ASSERT_EQ(hello.type(), ReplyType::kMap) << hello;
  }
};

}  // namespace cairn::test
