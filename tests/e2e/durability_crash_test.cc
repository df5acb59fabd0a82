// Crash tests with the real binary: clients pipeline writes (SETs of unique keys, INCRs of a
// counter, MSETs of three keys with one value) while the server is killed with SIGKILL at a
// random point; after each restart every acknowledged write must be there, each counter must
// lie between its acknowledged and its sent increments, and no MSET may be torn. Runs with
// appendfsync always and everysec (a process crash loses nothing either way: the WAL is
// handed to the OS before the reply). Prints the figures for the closing note.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

constexpr int kRoundsPerPolicy = 10;
constexpr int kWriters = 3;
constexpr int kCommandsPerBatch = 3 * 40;  // 40 steps of SET, INCR, MSET

// What one writer sent and what the server acknowledged, in one round.
struct WriterLog {
  int steps_sent = 0;
  std::vector<bool> set_acked;  // per step
  long long incr_sent = 0;
  long long incr_acked = 0;
  long long last_mset_acked = -1;  // step of the newest acknowledged MSET
  long long last_mset_sent = -1;
};

std::string Name(const char* kind, int round, int writer, long long step = -1) {
  std::string name = std::string(kind) + ":" + std::to_string(round) + ":" + std::to_string(writer);
  return step < 0 ? name : name + ":" + std::to_string(step);
}

// Pipelines batches of steps until the connection breaks (the server was killed).
void RunWriter(int port, int round, int writer, const std::atomic<bool>& stop, WriterLog* log) {
  Client client;
  if (!client.Connect(port)) return;
  client.SetTimeout(std::chrono::seconds(30));
  std::string mset_keys[3] = {Name("m", round, writer) + ":a", Name("m", round, writer) + ":b",
                              Name("m", round, writer) + ":c"};
  while (!stop.load()) {
    int first = log->steps_sent;
    for (int i = 0; i < kCommandsPerBatch / 3; i++) {
      long long step = first + i;
      std::string value = std::to_string(step);
      client.Append({"SET", Name("k", round, writer, step), value});
      client.Append({"INCR", Name("c", round, writer)});
      client.Append({"MSET", mset_keys[0], value, mset_keys[1], value, mset_keys[2], value});
      log->set_acked.push_back(false);
    }
    log->steps_sent += kCommandsPerBatch / 3;
    log->incr_sent += kCommandsPerBatch / 3;
    log->last_mset_sent = log->steps_sent - 1;
    if (!client.Flush()) return;
    for (int i = 0; i < kCommandsPerBatch / 3; i++) {
      long long step = first + i;
      if (!IsOk(client.GetReply())) return;
      log->set_acked[static_cast<size_t>(step)] = true;
      Reply incr = client.GetReply();
      if (incr.type() != ReplyType::kInteger) return;
      log->incr_acked = incr.integer();
      if (!IsOk(client.GetReply())) return;
      log->last_mset_acked = step;
    }
  }
}

struct Figures {
  long long rounds = 0;
  long long writes_sent = 0;
  long long writes_acked = 0;
  long long writes_found = 0;
  long long acked_missing = 0;
};

// Checks one writer's keys after the restart and adds them to the figures.
void CheckWriter(Client& client, int round, int writer, const WriterLog& log, Figures* figures) {
  for (int step = 0; step < log.steps_sent; step++) {
    bool acked = log.set_acked[static_cast<size_t>(step)];
    figures->writes_acked += acked ? 1 : 0;
    Reply value = client.Command({"GET", Name("k", round, writer, step)});
    bool found = value.type() == ReplyType::kString && value.text() == std::to_string(step);
    if (found) figures->writes_found += 1;
    if (acked && !found) figures->acked_missing++;
    EXPECT_TRUE(found || !acked) << "acknowledged SET lost: " << Name("k", round, writer, step);
  }
  // Every step is three writes: SET, INCR and MSET.
  figures->writes_sent += 3LL * log.steps_sent;
  figures->writes_acked += log.incr_acked + log.last_mset_acked + 1;
  Reply counter = client.Command({"GET", Name("c", round, writer)});
  long long count = counter.is_nil() ? 0 : std::stoll(counter.text());
  figures->writes_found += count;
  EXPECT_GE(count, log.incr_acked) << Name("c", round, writer);
  EXPECT_LE(count, log.incr_sent) << Name("c", round, writer);
  std::string prefix = Name("m", round, writer);
  Reply mset = client.Command({"MGET", prefix + ":a", prefix + ":b", prefix + ":c"});
  ASSERT_EQ(mset.size(), 3u) << mset;
  EXPECT_EQ(mset[0].ToString(), mset[1].ToString()) << "torn MSET " << prefix;
  EXPECT_EQ(mset[0].ToString(), mset[2].ToString()) << "torn MSET " << prefix;
  long long last = mset[0].is_nil() ? -1 : std::stoll(mset[0].text());
  figures->writes_found += last + 1;
  EXPECT_GE(last, log.last_mset_acked) << prefix;
  EXPECT_LE(last, log.last_mset_sent) << prefix;
}

void RunCrashRounds(const std::string& policy) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--appendfsync", policy, "--save", ""}));
  std::mt19937 random(static_cast<unsigned>(std::random_device{}()));
  std::uniform_int_distribution<int> kill_after_ms(20, 400);
  Figures figures;
  for (int round = 0; round < kRoundsPerPolicy; round++) {
    std::atomic<bool> stop{false};
    std::vector<WriterLog> logs(kWriters);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; w++) {
      writers.emplace_back(RunWriter, server.port(), round, w, std::cref(stop), &logs[w]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    server.Kill9();
    stop.store(true);
    for (std::thread& writer : writers) writer.join();
    ASSERT_TRUE(server.Restart()) << "round " << round;
    Client client;
    ASSERT_TRUE(client.Connect(server.port()));
    for (int w = 0; w < kWriters; w++) {
      ASSERT_NO_FATAL_FAILURE(CheckWriter(client, round, w, logs[w], &figures));
    }
    figures.rounds++;
  }
  std::printf(
      "crash test appendfsync=%s: rounds=%lld writes_sent=%lld writes_acknowledged=%lld "
      "writes_found=%lld acknowledged_missing=%lld\n",
      policy.c_str(), figures.rounds, figures.writes_sent, figures.writes_acked,
      figures.writes_found, figures.acked_missing);
  std::fflush(stdout);
  EXPECT_EQ(figures.acked_missing, 0);
  EXPECT_GE(figures.writes_found, figures.writes_acked);
}

TEST(DurabilityCrashTest, KillNineWithAppendfsyncAlways) { RunCrashRounds("always"); }

TEST(DurabilityCrashTest, KillNineWithAppendfsyncEverysec) { RunCrashRounds("everysec"); }

}  // namespace
}  // namespace cairn::test
