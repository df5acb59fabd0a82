// Shared fixture of the string e2e tests: a started server, a client, and the small
// helpers (PTTL, the server's clock) several of them use.
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

class StringTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  long long Pttl(const std::string& key) {
    Reply reply = Run({"PTTL", key});
    EXPECT_EQ(reply.type(), ReplyType::kInteger) << reply;
    return reply.integer();
  }

  // Unix time in ms as the server sees it (TIME), so deadlines do not depend on our clock.
  long long ServerNowMs() {
    Reply time = Run({"TIME"});
    EXPECT_EQ(time.size(), 2u) << time;
    if (time.size() != 2) return 0;
    return std::stoll(time[0].text()) * 1000 + std::stoll(time[1].text()) / 1000;
  }
};

}  // namespace cairn::test
