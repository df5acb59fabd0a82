// Shared fixture of the hash e2e tests (tests/e2e/hash_*_test.cc): a started server and a
// client (Redis's error texts are in tests/e2e/redis_errors.h).
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

class HashTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  // A hash `key` with fields f0..f<n-1> holding v0..v<n-1>, written in one HSET.
  void MakeHash(const std::string& key, int n) {
    std::vector<std::string> args{"HSET", key};
    for (int i = 0; i < n; ++i) {
      args.push_back("f" + std::to_string(i));
      args.push_back("v" + std::to_string(i));
    }
    ASSERT_INTEGER(Run(args), n);
  }

  // Keys of other types, for WRONGTYPE checks: "string" and "list".
  void MakeOtherTypes() {
    ASSERT_OK(Run({"SET", "string", "v"}));
    ASSERT_INTEGER(Run({"LPUSH", "list", "a"}), 1);
  }

  long long InfoStat(const std::string& name) {
    Reply info = Run({"INFO", "stats"});
    std::string text = info.text();
    size_t at = text.find(name + ":");
    if (at == std::string::npos) return -1;
    return std::stoll(text.substr(at + name.size() + 1));
  }
};

}  // namespace cairn::test
