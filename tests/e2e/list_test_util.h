// The fixture of the list e2e tests (tests/e2e/list_*_test.cc): Run() for one command, and
// RawFirstLine() for reply shapes hiredis cannot tell apart (RESP2's null array "*-1" versus
// null bulk "$-1", RESP3's "_").
#pragma once

#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

class ListTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  // Sends `command` (an inline command) on a fresh connection, after HELLO 3 when resp3,
  // and returns the first line of its reply.
  std::string RawFirstLine(const std::string& command, bool resp3 = false) {
    RawConnection raw;
    EXPECT_TRUE(raw.Connect(server_.port()));
    if (resp3) {
      raw.Send("HELLO 3\r\n");
      Reply hello = raw.ReadReply();
      EXPECT_EQ(hello.type(), ReplyType::kMap) << hello;
    }
    raw.Send(command + "\r\n");
    return raw.ReadLine();
  }

  // A string and a collection of another type, to provoke WRONGTYPE.
  void MakeWrongTypes() {
    ASSERT_OK(Run({"SET", "str", "v"}));
    ASSERT_INTEGER(Run({"HSET", "hash", "f", "v"}), 1);
  }
};

}  // namespace cairn::test
