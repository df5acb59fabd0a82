// Transactions under concurrency, with clients spread over several workers: optimistic
// WATCH/INCR/EXEC loops that must never lose an increment, EXEC isolation seen by a reader,
// a long EXEC that leaves clients on other keys running, and kill -9 during a stream of
// transactions (each one on disk entirely or not at all).
#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/core_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class TransactionConcurrencyTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "3"}; }
};

struct RaceFigures {
  long long attempts = 0;
  long long successes = 0;
  bool failed = false;
};

// One client's optimistic increment loop: WATCH, read, MULTI, write read+1, EXEC.
RaceFigures IncrementLoop(int port, int wanted_successes) {
  RaceFigures figures;
  Client client;
  if (!client.Connect(port)) {
    figures.failed = true;
    return figures;
  }
  while (figures.successes < wanted_successes && figures.attempts < 200000) {
    figures.attempts++;
    Reply watched = client.Command({"WATCH", "counter"});
    Reply value = client.Command({"GET", "counter"});
    long long current = value.is_nil() ? 0 : std::stoll(value.text());
    client.Command({"MULTI"});
    client.Command({"SET", "counter", std::to_string(current + 1)});
    Reply exec = client.Command({"EXEC"});
    if (exec.type() == ReplyType::kArray) {
      figures.successes++;
    } else if (!exec.is_nil() || !IsOk(watched)) {
      figures.failed = true;
      return figures;
    }
  }
  return figures;
}

TEST_F(TransactionConcurrencyTest, WatchRaceNeverLosesAnIncrement) {
  constexpr int kClients = 6;
  constexpr int kSuccessesEach = 150;
  std::vector<RaceFigures> figures(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; i++) {
    threads.emplace_back([&, i] { figures[i] = IncrementLoop(server_.port(), kSuccessesEach); });
  }
  for (std::thread& thread : threads) thread.join();
  long long attempts = 0;
  long long successes = 0;
  for (const RaceFigures& f : figures) {
    EXPECT_FALSE(f.failed);
    attempts += f.attempts;
    successes += f.successes;
  }
  Reply final_value = client_.Command({"GET", "counter"});
  std::cout << "[ WATCH race ] clients=" << kClients << " attempts=" << attempts
            << " successes=" << successes << " final=" << final_value.text() << std::endl;
  RecordProperty("clients", kClients);
  RecordProperty("attempts", std::to_string(attempts));
  RecordProperty("successes", std::to_string(successes));
  EXPECT_EQ(successes, kClients * kSuccessesEach);
  EXPECT_BULK(final_value, std::to_string(successes));
}

TEST_F(TransactionConcurrencyTest, ReaderNeverSeesHalfATransaction) {
  constexpr int kTransactions = 400;
  std::atomic<bool> done{false};
  std::atomic<long long> mismatches{0};
  std::atomic<long long> reads{0};
  std::atomic<bool> reader_started{false};
  std::thread reader([&] {
    Client client;
    bool connected = client.Connect(server_.port());
    // The first read happens before any transaction starts, and reading goes on until the
    // writer is done, so the check never depends on how the threads are scheduled.
    do {
      if (!connected) break;
      Reply both = client.Command({"MGET", "x", "y"});
      reads++;
      if (both.type() != ReplyType::kArray || both.size() != 2 || !(both[0] == both[1])) {
        mismatches++;
      }
      reader_started = true;
    } while (!done.load());
    reader_started = true;
  });
  while (!reader_started.load()) std::this_thread::yield();
  for (int i = 0; i < kTransactions; i++) {
    client_.Append({"MULTI"});
    client_.Append({"INCR", "x"});
    client_.Append({"INCR", "y"});
    client_.Append({"EXEC"});
    for (int r = 0; r < 3; r++) client_.GetReply();
    Reply exec = client_.GetReply();
    ASSERT_EQ(exec.size(), 2u) << exec;
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_BULK(client_.Command({"GET", "x"}), std::to_string(kTransactions));
}

// DBSIZE at the start and at the end of a transaction that sleeps in between: another
// client's new keys appearing between the two prove it was served while EXEC ran.
TEST_F(TransactionConcurrencyTest, LongExecDoesNotStallOtherKeys) {
  ASSERT_OK(client_.Command({"SET", "mine", "0"}));
  bool overlapped = false;
  long long other_writes_total = 0;
  for (double sleep_seconds = 0.2; !overlapped && sleep_seconds < 4; sleep_seconds *= 2) {
    std::atomic<bool> exec_sent{false};
    std::atomic<bool> exec_done{false};
    std::atomic<long long> other_writes{0};
    std::atomic<bool> other_failed{false};
    std::thread other([&] {
      Client client;
      if (!client.Connect(server_.port())) return;
      while (!exec_sent.load()) std::this_thread::yield();
      while (!exec_done.load()) {
        long long n = other_writes.load();
        if (!IsOk(client.Command(
                {"SET", "other:" + std::to_string(sleep_seconds) + ":" + std::to_string(n),
                 "v"}))) {
          other_failed = true;
          return;
        }
        other_writes++;
      }
    });
    ASSERT_OK(client_.Command({"MULTI"}));
    client_.Command({"DBSIZE"});
    client_.Command({"INCR", "mine"});
    client_.Command({"DEBUG", "SLEEP", std::to_string(sleep_seconds)});
    client_.Command({"INCR", "mine"});
    client_.Command({"DBSIZE"});
    client_.Append({"EXEC"});
    client_.Flush();
    exec_sent = true;
    Reply exec = client_.GetReply();
    exec_done = true;
    other.join();
    ASSERT_FALSE(other_failed.load());
    ASSERT_EQ(exec.size(), 5u) << exec;
    other_writes_total += other_writes.load();
    overlapped = exec[4].integer() > exec[0].integer();
  }
  std::cout << "[ long EXEC ] other client's writes during the runs: " << other_writes_total
            << std::endl;
  EXPECT_TRUE(overlapped);
}

// Streams transactions of many keys each and kills the server while some are in flight.
// Transaction t writes t:<t>:0..kKeys-1 and sets "generation" to t; after the restart the
// database must hold exactly the transactions up to "generation".
class TransactionKill9Test : public TransactionConcurrencyTest {
 protected:
  static constexpr int kKeys = 200;

  void QueueTransaction(Client& client, int t) {
    client.Append({"MULTI"});
    for (int i = 0; i < kKeys; i++) {
      client.Append({"SET", std::to_string(t) + ":" + std::to_string(i), std::string(64, 'v')});
    }
    client.Append({"SET", "generation", std::to_string(t)});
    client.Append({"EXEC"});
  }

  // Sends acked + in_flight transactions in one pipeline, waits for the replies of the first
  // `acked` ones only, then kills the server while it works on the rest.
  void Run(int acked, int in_flight, bool acked_must_survive) {
    for (int t = 1; t <= acked + in_flight; t++) QueueTransaction(client_, t);
    ASSERT_TRUE(client_.Flush());
    for (int t = 1; t <= acked; t++) {
      for (int r = 0; r < kKeys + 2; r++) client_.GetReply();
      Reply exec = client_.GetReply();
      ASSERT_EQ(exec.size(), static_cast<size_t>(kKeys + 1)) << exec;
    }
    server_.Kill9();
    ASSERT_TRUE(server_.Restart());
    client_ = Connect();
    Reply generation = client_.Command({"GET", "generation"});
    ASSERT_TRUE(generation.is_nil() || generation.type() == ReplyType::kString) << generation;
    int survived = generation.is_nil() ? 0 : std::stoi(generation.text());
    std::cout << "[ kill -9 ] acknowledged=" << acked << " sent=" << acked + in_flight
              << " survived=" << survived << std::endl;
    if (acked_must_survive) {
      EXPECT_GE(survived, acked);
    }
    EXPECT_LE(survived, acked + in_flight);
    EXPECT_INTEGER(client_.Command({"DBSIZE"}),
                   static_cast<long long>(survived) * kKeys + (survived > 0 ? 1 : 0));
    std::vector<std::string> last = {"EXISTS"};
    std::vector<std::string> next = {"EXISTS"};
    for (int i = 0; i < kKeys; i++) {
      last.push_back(std::to_string(survived) + ":" + std::to_string(i));
      next.push_back(std::to_string(survived + 1) + ":" + std::to_string(i));
    }
    EXPECT_INTEGER(client_.Command(last), kKeys);
    EXPECT_INTEGER(client_.Command(next), 0);
  }
};

class TransactionKill9AlwaysTest : public TransactionKill9Test {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--workers", "2", "--appendfsync", "always"};
  }
};

class TransactionKill9EverySecTest : public TransactionKill9Test {
 protected:
  std::vector<std::string> ServerOptions() const override {
    return {"--workers", "2", "--appendfsync", "everysec"};
  }
};

TEST_F(TransactionKill9AlwaysTest, EachTransactionSurvivesWholeOrNotAtAll) {
  Run(/*acked=*/10, /*in_flight=*/30, /*acked_must_survive=*/true);
}

TEST_F(TransactionKill9EverySecTest, EachTransactionSurvivesWholeOrNotAtAll) {
  Run(/*acked=*/10, /*in_flight=*/30, /*acked_must_survive=*/false);
}

}  // namespace
}  // namespace cairn::test
