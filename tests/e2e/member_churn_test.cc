// E2E tests of collections under churn, where the engine skips runs of deleted members
// (engine/dead_ranges.h): a leaderboard trimmed after every ZADD and a set drained by SPOP
// while popped members (and new ones past either end) are added back read exactly like an
// in-test model, before and after a restart.
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

class MemberChurnTest : public ServerTest {
 protected:
  Reply Run(const std::vector<std::string>& args) { return client_.Command(args); }

  // The model's top `keep` members, lowest score first (ties by member, as ZRANGE orders).
  static std::vector<std::string> Ranked(const std::map<std::string, int>& scores) {
    std::set<std::pair<int, std::string>> order;
    for (const auto& [member, score] : scores) order.emplace(score, member);
    std::vector<std::string> ranked;
    for (const auto& [score, member] : order) {
      ranked.push_back(member);
      ranked.push_back(std::to_string(score));
    }
    return ranked;
  }
};

TEST_F(MemberChurnTest, TrimmedLeaderboardReadsLikeTheModel) {
  constexpr int kKeep = 50;
  std::mt19937 random(11);
  std::map<std::string, int> model;
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 4000; ++i) {
    // Scores drift upwards, and now and then one lands far below the board, among the
    // members trimmed before.
    int score = i % 7 == 0 ? std::uniform_int_distribution<int>(0, i)(random) : i;
    std::string member = "p" + std::to_string(std::uniform_int_distribution<int>(0, 5000)(random));
    commands.push_back({"ZADD", "board", std::to_string(score), member});
    commands.push_back({"ZREMRANGEBYRANK", "board", "0", std::to_string(-kKeep - 1)});
    model[member] = score;
    std::set<std::pair<int, std::string>> order;
    for (const auto& [name, value] : model) order.emplace(value, name);
    while (order.size() > kKeep) {
      model.erase(order.begin()->second);
      order.erase(order.begin());
    }
    if (commands.size() == 200) {
      for (const Reply& reply : client_.Pipeline(commands)) ASSERT_FALSE(reply.is_error());
      commands.clear();
      std::vector<std::string> expected = Ranked(model);
      ASSERT_EQ(Run({"ZRANGE", "board", "0", "-1", "WITHSCORES"}).ElementTexts(), expected)
          << "after " << i + 1 << " ZADDs";
      ASSERT_INTEGER(Run({"ZCARD", "board"}), static_cast<long long>(model.size()));
      ASSERT_BULK(Run({"ZRANGE", "board", "0", "0"})[0], expected[0]);
    }
  }
  std::vector<std::string> expected = Ranked(model);
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_EQ(Run({"ZRANGE", "board", "0", "-1", "WITHSCORES"}).ElementTexts(), expected);
  EXPECT_EQ(Run({"ZREVRANGE", "board", "-1", "-1"}).ElementTexts(),
            std::vector<std::string>{expected[0]});
}

TEST_F(MemberChurnTest, SetDrainedBySpopWhileRefilledLosesAndRepeatsNothing) {
  std::set<std::string> model;
  std::vector<std::vector<std::string>> adds;
  for (int i = 0; i < 3000; ++i) {
    std::string member = "element:" + std::to_string(i);
    adds.push_back({"SADD", "pool", member});
    model.insert(member);
  }
  for (const Reply& reply : client_.Pipeline(adds)) ASSERT_FALSE(reply.is_error());
  std::mt19937 random(5);
  std::vector<std::string> popped;
  for (int round = 0; !model.empty(); ++round) {
    ASSERT_LT(round, 20000);
    Reply reply = Run({"SPOP", "pool"});
    ASSERT_EQ(reply.type(), ReplyType::kString) << reply.ToString();
    ASSERT_EQ(model.erase(reply.text()), 1u) << reply.text() << " popped but not in the set";
    popped.push_back(reply.text());
    // Every 10th pop puts an earlier popped member back, into the run of deleted ones.
    if (round % 10 == 9) {
      std::string back =
          popped[std::uniform_int_distribution<size_t>(0, popped.size() - 1)(random)];
      if (model.insert(back).second) {
        ASSERT_INTEGER(Run({"SADD", "pool", back}), 1);
      }
      ASSERT_INTEGER(Run({"SISMEMBER", "pool", back}), 1);
    }
    // Now and then a member beyond either end of what SPOP has seen so far.
    if (round % 700 == 350) {
      for (std::string outside : {"a" + std::to_string(round), "z" + std::to_string(round)}) {
        ASSERT_INTEGER(Run({"SADD", "pool", outside}), 1);
        model.insert(outside);
      }
    }
    if (round % 500 == 0) {
      ASSERT_INTEGER(Run({"SCARD", "pool"}), static_cast<long long>(model.size()));
    }
  }
  EXPECT_NIL(Run({"SPOP", "pool"}));
  EXPECT_INTEGER(Run({"EXISTS", "pool"}), 0);
}

}  // namespace
}  // namespace cairn::test
