// Helpers shared by the generic (keyspace) command e2e tests (tests/e2e/generic_*_test.cc).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

// Polls `condition` until it holds or a generous deadline passes; the deadline only bounds
// the wait, a test asserts on the condition itself.
inline bool EventuallyTrue(const std::function<bool()>& condition,
                           std::chrono::seconds deadline = std::chrono::seconds(60)) {
  auto stop = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < stop) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// The integer of an integer reply, or a value no test expects (with a test failure).
inline long long IntegerOf(const Reply& reply) {
  EXPECT_EQ(reply.type(), ReplyType::kInteger) << reply;
  return reply.type() == ReplyType::kInteger ? reply.integer() : -12345678;
}

}  // namespace cairn::test
