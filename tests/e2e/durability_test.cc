// End-to-end durability tests: every write the server acknowledged survives kill -9 and a
// restart, with appendfsync always, everysec and no (a process crash, not a power cut: the
// write-ahead log is in the OS either way), including writes cut off mid-stream.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

constexpr int kKeys = 3000;
constexpr int kCounters = 5;
constexpr int kIncrementsPerCounter = 400;

class DurabilityTest : public ServerTest, public ::testing::WithParamInterface<const char*> {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--appendfsync", GetParam()}; }

  static std::string KeyName(int i) { return "durable:" + std::to_string(i); }
  static std::string ValueOf(int i) {
    return std::string(static_cast<size_t>(i % 97), 'x') + std::to_string(i);
  }

  // Writes kKeys keys (pipelined, every reply checked) and bumps counters one by one.
  void WriteAndAcknowledge() {
    for (int i = 0; i < kKeys; ++i) client_.Append({"SET", KeyName(i), ValueOf(i)});
    for (int i = 0; i < kKeys; ++i) ASSERT_OK(client_.GetReply()) << i;
    for (int round = 1; round <= kIncrementsPerCounter; ++round) {
      for (int c = 0; c < kCounters; ++c) {
        ASSERT_INTEGER(client_.Command({"INCR", "counter:" + std::to_string(c)}), round);
      }
    }
    ASSERT_OK(client_.Command({"SELECT", "7"}));
    ASSERT_OK(client_.Command({"SET", "in-db7", "seven"}));
    ASSERT_OK(client_.Command({"SET", "with-ttl", "t", "EX", "100000"}));
    ASSERT_OK(client_.Command({"SELECT", "0"}));
    ASSERT_INTEGER(client_.Command({"DEL", KeyName(0)}), 1);
  }

  void ExpectEverythingBack() {
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), kKeys - 1 + kCounters);
    EXPECT_NIL(client_.Command({"GET", KeyName(0)}));
    int wrong = 0;
    for (int i = 1; i < kKeys; ++i) client_.Append({"GET", KeyName(i)});
    for (int i = 1; i < kKeys; ++i) {
      Reply reply = client_.GetReply();
      if (!IsBulk(reply, ValueOf(i)) && ++wrong <= 5) ADD_FAILURE() << KeyName(i) << ": " << reply;
    }
    EXPECT_EQ(wrong, 0);
    for (int c = 0; c < kCounters; ++c) {
      EXPECT_BULK(client_.Command({"GET", "counter:" + std::to_string(c)}),
                  std::to_string(kIncrementsPerCounter));
    }
    ASSERT_OK(client_.Command({"SELECT", "7"}));
    EXPECT_INTEGER(client_.Command({"DBSIZE"}), 2);
    EXPECT_BULK(client_.Command({"GET", "in-db7"}), "seven");
    Reply ttl = client_.Command({"TTL", "with-ttl"});
    ASSERT_EQ(ttl.type(), ReplyType::kInteger) << ttl;
    EXPECT_GT(ttl.integer(), 0);
    EXPECT_LE(ttl.integer(), 100000);
    ASSERT_OK(client_.Command({"SELECT", "0"}));
  }

  void KillAndRestart() {
    server_.Kill9();
    ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  }
};

TEST_P(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  ASSERT_NO_FATAL_FAILURE(WriteAndAcknowledge());
  ASSERT_NO_FATAL_FAILURE(KillAndRestart());
  ExpectEverythingBack();
  // And again: writes after a crash recovery are as durable.
  for (int c = 0; c < kCounters; ++c) {
    ASSERT_INTEGER(client_.Command({"INCRBY", "counter:" + std::to_string(c), "1000"}),
                   kIncrementsPerCounter + 1000);
  }
  ASSERT_NO_FATAL_FAILURE(KillAndRestart());
  for (int c = 0; c < kCounters; ++c) {
    EXPECT_BULK(client_.Command({"GET", "counter:" + std::to_string(c)}),
                std::to_string(kIncrementsPerCounter + 1000));
  }
  EXPECT_INTEGER(client_.Command({"DBSIZE"}), kKeys - 1 + kCounters);
}

TEST_P(DurabilityTest, CleanRestartKeepsEverything) {
  ASSERT_NO_FATAL_FAILURE(WriteAndAcknowledge());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  ExpectEverythingBack();
}

TEST_P(DurabilityTest, WritesCutOffByKill9) {
  // Several clients increment their own counters until the server dies under them; each
  // counter must come back at least at its last acknowledged value, and at most one above
  // (the increment in flight may or may not have been applied).
  constexpr int kWriters = 4;
  std::vector<std::atomic<long long>> acknowledged(kWriters);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    acknowledged[w] = 0;
    writers.emplace_back([&, w] {
      Client writer;
      if (!writer.Connect(server_.port())) return;
      while (!stop) {
        Reply reply = writer.Command({"INCR", "racing:" + std::to_string(w)});
        if (reply.type() != ReplyType::kInteger) return;  // the server is gone
        acknowledged[w] = reply.integer();
      }
    });
  }
  bool enough = EventuallyTrue([&] {
    for (const auto& count : acknowledged) {
      if (count < 200) return false;
    }
    return true;
  });
  server_.Kill9();
  stop = true;
  for (std::thread& writer : writers) writer.join();
  ASSERT_TRUE(enough);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  for (int w = 0; w < kWriters; ++w) {
    Reply value = client_.Command({"GET", "racing:" + std::to_string(w)});
    ASSERT_EQ(value.type(), ReplyType::kString) << value;
    long long stored = std::stoll(value.text());
    EXPECT_GE(stored, acknowledged[w].load()) << "writer " << w;
    EXPECT_LE(stored, acknowledged[w].load() + 1) << "writer " << w;
  }
}

INSTANTIATE_TEST_SUITE_P(Appendfsync, DurabilityTest, ::testing::Values("always", "everysec", "no"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace cairn::test
