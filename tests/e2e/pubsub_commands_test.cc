// End-to-end tests of the pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH,
// SPUBLISH and PUBSUB with Redis 7.0's replies and errors, RESP2 subscriber mode and RESP3
// pushes, and the pub/sub state CLIENT LIST, CLIENT KILL and INFO show. The server runs
// several workers so that subscribers and publishers sit on different threads.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/core_test_util.h"

namespace cairn::test {
namespace {

constexpr char kSubscribedMode[] =
    "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

std::string SubscribedModeError(const std::string& command) {
  return "ERR Can't execute '" + command + kSubscribedMode;
}

// A subscription confirmation: [verb, name or nil, count], a RESP2 array or a RESP3 push.
::testing::AssertionResult IsConfirmation(const Reply& reply, const std::string& verb,
                                          const std::optional<std::string>& name, long long count) {
  bool shape = (reply.type() == ReplyType::kArray || reply.type() == ReplyType::kPush) &&
               reply.size() == 3 && reply[0].type() == ReplyType::kString &&
               reply[0].text() == verb && reply[2].type() == ReplyType::kInteger &&
               reply[2].integer() == count &&
               (!name ? reply[1].is_nil()
                      : reply[1].type() == ReplyType::kString && reply[1].text() == *name);
  if (shape) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected [" << verb << ", " << (name ? *name : "(nil)")
                                       << ", " << count << "], got " << reply;
}

#define EXPECT_CONFIRMATION(reply, verb, name, count) \
  EXPECT_TRUE(IsConfirmation((reply), (verb), (name), (count)))
#define EXPECT_NULL_CONFIRMATION(reply, verb, count) \
  EXPECT_TRUE(IsConfirmation((reply), (verb), std::nullopt, (count)))

class PubSubCommandsTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--workers", "3"}; }

  // Sends one command and reads `replies` replies (SUBSCRIBE a b answers twice).
  static std::vector<Reply> Send(Client& client, const std::vector<std::string>& args,
                                 size_t replies) {
    client.Append(args);
    std::vector<Reply> out;
    for (size_t i = 0; i < replies; ++i) out.push_back(client.GetReply());
    return out;
  }
};

TEST_F(PubSubCommandsTest, SubscribeConfirmsEachChannelWithTheCount) {
  std::vector<Reply> replies = Send(client_, {"SUBSCRIBE", "a", "b", "a"}, 3);
  EXPECT_CONFIRMATION(replies[0], "subscribe", "a", 1);
  EXPECT_CONFIRMATION(replies[1], "subscribe", "b", 2);
  EXPECT_CONFIRMATION(replies[2], "subscribe", "a", 2);  // already subscribed: same count
  // Patterns count together with channels, shard channels on their own.
  EXPECT_CONFIRMATION(Send(client_, {"PSUBSCRIBE", "n*"}, 1)[0], "psubscribe", "n*", 3);
  EXPECT_CONFIRMATION(Send(client_, {"SSUBSCRIBE", "s"}, 1)[0], "ssubscribe", "s", 1);
  // Unsubscribing from a channel one never had still confirms it.
  EXPECT_CONFIRMATION(Send(client_, {"UNSUBSCRIBE", "zz", "a"}, 2)[1], "unsubscribe", "a", 2);
  EXPECT_CONFIRMATION(Send(client_, {"UNSUBSCRIBE", "zz"}, 1)[0], "unsubscribe", "zz", 2);
  // Without arguments: one confirmation per subscription dropped.
  EXPECT_CONFIRMATION(Send(client_, {"UNSUBSCRIBE"}, 1)[0], "unsubscribe", "b", 1);
  EXPECT_CONFIRMATION(Send(client_, {"PUNSUBSCRIBE"}, 1)[0], "punsubscribe", "n*", 0);
  EXPECT_CONFIRMATION(Send(client_, {"SUNSUBSCRIBE"}, 1)[0], "sunsubscribe", "s", 0);
  // ... or a null name when there is nothing to drop.
  EXPECT_NULL_CONFIRMATION(Send(client_, {"UNSUBSCRIBE"}, 1)[0], "unsubscribe", 0);
  EXPECT_NULL_CONFIRMATION(Send(client_, {"PUNSUBSCRIBE"}, 1)[0], "punsubscribe", 0);
  EXPECT_NULL_CONFIRMATION(Send(client_, {"SUNSUBSCRIBE"}, 1)[0], "sunsubscribe", 0);
  // Out of subscriber mode again: ordinary commands run.
  EXPECT_NIL(client_.Command({"GET", "k"}));
}

TEST_F(PubSubCommandsTest, UnsubscribeAllDropsEveryChannel) {
  Send(client_, {"SUBSCRIBE", "x", "y", "z"}, 3);
  Send(client_, {"PSUBSCRIBE", "p*"}, 1);
  std::vector<Reply> replies = Send(client_, {"UNSUBSCRIBE"}, 3);
  std::vector<std::string> names;
  for (size_t i = 0; i < replies.size(); ++i) {
    ASSERT_EQ(replies[i].size(), 3u) << replies[i];
    names.push_back(replies[i][1].text());
    EXPECT_INTEGER(replies[i][2], static_cast<long long>(3 - i));  // the pattern stays
  }
  std::sort(names.begin(), names.end());  // Redis gives no order
  EXPECT_EQ(names, (std::vector<std::string>{"x", "y", "z"}));
  // Still subscribed to the pattern: RESP2 subscriber mode holds.
  EXPECT_ERROR(client_.Command({"GET", "k"}), SubscribedModeError("get"));
}

TEST_F(PubSubCommandsTest, PublishReachesSubscribersOnEveryWorker) {
  std::vector<Client> subscribers;
  for (int i = 0; i < 4; ++i) {  // consecutive connections land on every worker
    subscribers.push_back(Connect());
    EXPECT_CONFIRMATION(Send(subscribers.back(), {"SUBSCRIBE", "news"}, 1)[0], "subscribe", "news",
                        1);
  }
  Client publisher = Connect();
  EXPECT_INTEGER(publisher.Command({"PUBLISH", "news", "hello"}), 4);
  EXPECT_INTEGER(publisher.Command({"PUBLISH", "other", "nobody"}), 0);
  std::string binary("bin\0\r\n\xff", 7);
  EXPECT_INTEGER(publisher.Command({"PUBLISH", "news", binary}), 4);
  for (Client& subscriber : subscribers) {
    EXPECT_STRINGS(subscriber.GetReply(), {"message", "news", "hello"});
    EXPECT_STRINGS(subscriber.GetReply(), {"message", "news", binary});
  }
}

TEST_F(PubSubCommandsTest, PatternsUseRedisGlobMatching) {
  Client subscriber = Connect();
  std::vector<Reply> replies =
      Send(subscriber, {"PSUBSCRIBE", "news.*", "h?llo", "log[0-9]", "lit\\*"}, 4);
  EXPECT_CONFIRMATION(replies[3], "psubscribe", "lit\\*", 4);
  EXPECT_INTEGER(client_.Command({"PUBLISH", "news.tech", "m1"}), 1);
  EXPECT_STRINGS(subscriber.GetReply(), {"pmessage", "news.*", "news.tech", "m1"});
  EXPECT_INTEGER(client_.Command({"PUBLISH", "hallo", "m2"}), 1);
  EXPECT_STRINGS(subscriber.GetReply(), {"pmessage", "h?llo", "hallo", "m2"});
  EXPECT_INTEGER(client_.Command({"PUBLISH", "log7", "m3"}), 1);
  EXPECT_STRINGS(subscriber.GetReply(), {"pmessage", "log[0-9]", "log7", "m3"});
  for (const char* miss : {"news", "heello", "logx", "litx", "NEWS.tech"}) {
    EXPECT_INTEGER(client_.Command({"PUBLISH", miss, "x"}), 0) << miss;
  }
  EXPECT_INTEGER(client_.Command({"PUBLISH", "lit*", "m4"}), 1);
  EXPECT_STRINGS(subscriber.GetReply(), {"pmessage", "lit\\*", "lit*", "m4"});
  // Subscribed to a channel and a matching pattern: the message comes once each way,
  // the channel first, and both count as receivers.
  EXPECT_CONFIRMATION(Send(subscriber, {"SUBSCRIBE", "news.tech"}, 1)[0], "subscribe", "news.tech",
                      5);
  EXPECT_INTEGER(client_.Command({"PUBLISH", "news.tech", "m5"}), 2);
  EXPECT_STRINGS(subscriber.GetReply(), {"message", "news.tech", "m5"});
  EXPECT_STRINGS(subscriber.GetReply(), {"pmessage", "news.*", "news.tech", "m5"});
  // After PUNSUBSCRIBE the pattern no longer matches.
  EXPECT_CONFIRMATION(Send(subscriber, {"PUNSUBSCRIBE", "news.*"}, 1)[0], "punsubscribe", "news.*",
                      4);
  EXPECT_INTEGER(client_.Command({"PUBLISH", "news.tech", "m6"}), 1);
  EXPECT_STRINGS(subscriber.GetReply(), {"message", "news.tech", "m6"});
}

TEST_F(PubSubCommandsTest, ShardChannelsAreSeparateFromChannels) {
  Client shard = Connect();
  Client plain = Connect();
  EXPECT_CONFIRMATION(Send(shard, {"SSUBSCRIBE", "orders", "audit"}, 2)[1], "ssubscribe", "audit",
                      2);
  Send(plain, {"SUBSCRIBE", "orders"}, 1);
  Send(plain, {"PSUBSCRIBE", "*"}, 1);
  EXPECT_INTEGER(client_.Command({"SPUBLISH", "orders", "s1"}), 1);
  EXPECT_STRINGS(shard.GetReply(), {"smessage", "orders", "s1"});
  EXPECT_INTEGER(client_.Command({"PUBLISH", "orders", "p1"}), 2);
  EXPECT_STRINGS(plain.GetReply(), {"message", "orders", "p1"});
  EXPECT_STRINGS(plain.GetReply(), {"pmessage", "*", "orders", "p1"});
  // The shard subscriber got nothing from PUBLISH: its next message is the next SPUBLISH.
  EXPECT_INTEGER(client_.Command({"SPUBLISH", "audit", "s2"}), 1);
  EXPECT_STRINGS(shard.GetReply(), {"smessage", "audit", "s2"});
  EXPECT_INTEGER(client_.Command({"SPUBLISH", "nobody", "s3"}), 0);
  EXPECT_CONFIRMATION(Send(shard, {"SUNSUBSCRIBE", "orders"}, 1)[0], "sunsubscribe", "orders", 1);
  EXPECT_INTEGER(client_.Command({"SPUBLISH", "orders", "s4"}), 0);
}

TEST_F(PubSubCommandsTest, PubsubIntrospection) {
  Client first = Connect();
  Client second = Connect();
  Send(first, {"SUBSCRIBE", "news.tech", "news.art", "weather"}, 3);
  Send(second, {"SUBSCRIBE", "news.tech"}, 1);
  Send(first, {"PSUBSCRIBE", "a*", "b*"}, 2);
  Send(second, {"PSUBSCRIBE", "a*"}, 1);
  Send(second, {"SSUBSCRIBE", "shard1", "shard2"}, 2);
  EXPECT_STRINGS_UNORDERED(client_.Command({"PUBSUB", "CHANNELS"}),
                           {"news.tech", "news.art", "weather"});
  EXPECT_STRINGS_UNORDERED(client_.Command({"PUBSUB", "CHANNELS", "news.*"}),
                           {"news.tech", "news.art"});
  EXPECT_EQ(client_.Command({"pubsub", "channels", "none*"}), Reply::Array({}));
  EXPECT_EQ(client_.Command({"PUBSUB", "NUMSUB", "news.tech", "weather", "none", "shard1"}),
            Reply::Array({Reply::String("news.tech"), Reply::Integer(2), Reply::String("weather"),
                          Reply::Integer(1), Reply::String("none"), Reply::Integer(0),
                          Reply::String("shard1"), Reply::Integer(0)}));
  EXPECT_EQ(client_.Command({"PUBSUB", "NUMSUB"}), Reply::Array({}));
  EXPECT_INTEGER(client_.Command({"PUBSUB", "NUMPAT"}), 2);  // distinct patterns
  EXPECT_STRINGS_UNORDERED(client_.Command({"PUBSUB", "SHARDCHANNELS"}), {"shard1", "shard2"});
  EXPECT_STRINGS(client_.Command({"PUBSUB", "SHARDCHANNELS", "*2"}), {"shard2"});
  EXPECT_EQ(client_.Command({"PUBSUB", "SHARDNUMSUB", "shard1", "news.tech"}),
            Reply::Array({Reply::String("shard1"), Reply::Integer(1), Reply::String("news.tech"),
                          Reply::Integer(0)}));
  // RESP3 keeps the same shapes.
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  EXPECT_EQ(client_.Command({"PUBSUB", "NUMSUB", "weather"}),
            Reply::Array({Reply::String("weather"), Reply::Integer(1)}));
  // Channels without subscribers disappear.
  Send(second, {"UNSUBSCRIBE"}, 1);
  Send(second, {"PUNSUBSCRIBE"}, 1);
  EXPECT_INTEGER(client_.Command({"PUBSUB", "NUMPAT"}), 2);
  Send(first, {"PUNSUBSCRIBE", "a*"}, 1);
  EXPECT_INTEGER(client_.Command({"PUBSUB", "NUMPAT"}), 1);
  EXPECT_EQ(client_.Command({"PUBSUB", "NUMSUB", "news.tech"}),
            Reply::Array({Reply::String("news.tech"), Reply::Integer(1)}));
}

TEST_F(PubSubCommandsTest, PubsubHelpAndErrors) {
  Reply help = client_.Command({"PUBSUB", "HELP"});
  ASSERT_EQ(help.type(), ReplyType::kArray) << help;
  ASSERT_EQ(help.size(), 14u) << help;
  EXPECT_STATUS(help[0], "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_STATUS(help[1], "CHANNELS [<pattern>]");
  EXPECT_STATUS(help[11],
                "    Return the number of subscribers for the specified shard level "
                "channel(s)");
  EXPECT_STATUS(help[13], "    Prints this help.");
  EXPECT_ERROR(client_.Command({"PUBSUB", "FOO"}),
               "ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
  EXPECT_ERROR(client_.Command({"PUBSUB"}), "ERR wrong number of arguments for 'pubsub' command");
  EXPECT_ERROR(client_.Command({"PUBSUB", "CHANNELS", "a", "b"}),
               "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB "
               "HELP.");
  EXPECT_ERROR(client_.Command({"PUBSUB", "SHARDCHANNELS", "a", "b"}),
               "ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try "
               "PUBSUB HELP.");
  EXPECT_ERROR(client_.Command({"PUBSUB", "NUMPAT", "x"}),
               "ERR wrong number of arguments for 'pubsub|numpat' command");
  EXPECT_ERROR(client_.Command({"PUBSUB", "HELP", "x"}),
               "ERR wrong number of arguments for 'pubsub|help' command");
  for (const char* command : {"subscribe", "psubscribe", "ssubscribe", "publish", "spublish"}) {
    EXPECT_ERROR(client_.Command({command}),
                 std::string("ERR wrong number of arguments for '") + command + "' command");
  }
  EXPECT_ERROR(client_.Command({"PUBLISH", "a"}),
               "ERR wrong number of arguments for 'publish' command");
  EXPECT_ERROR(client_.Command({"PUBLISH", "a", "b", "c"}),
               "ERR wrong number of arguments for 'publish' command");
  EXPECT_ERROR(client_.Command({"SPUBLISH", "a", "b", "c"}),
               "ERR wrong number of arguments for 'spublish' command");
}

TEST_F(PubSubCommandsTest, Resp2SubscriberModeAllowsOnlyPubSubCommands) {
  Send(client_, {"SUBSCRIBE", "a"}, 1);
  EXPECT_ERROR(client_.Command({"GET", "k"}), SubscribedModeError("get"));
  EXPECT_ERROR(client_.Command({"PUBLISH", "a", "m"}), SubscribedModeError("publish"));
  EXPECT_ERROR(client_.Command({"CLIENT", "LIST"}), SubscribedModeError("client|list"));
  EXPECT_ERROR(client_.Command({"HELLO", "3"}), SubscribedModeError("hello"));
  // Arity and unknown commands are checked first.
  EXPECT_ERROR(client_.Command({"GET"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_ERROR_PREFIX(client_.Command({"NOSUCH"}), "ERR unknown command 'NOSUCH'");
  // PING answers with an array so that a subscriber can tell it from a message.
  EXPECT_STRINGS(client_.Command({"PING"}), {"pong", ""});
  EXPECT_STRINGS(client_.Command({"PING", "hi"}), {"pong", "hi"});
  // Shard subscriptions keep the mode after the last channel is gone.
  Send(client_, {"SSUBSCRIBE", "s"}, 1);
  Send(client_, {"UNSUBSCRIBE", "a"}, 1);
  EXPECT_ERROR(client_.Command({"GET", "k"}), SubscribedModeError("get"));
  Send(client_, {"SUNSUBSCRIBE"}, 1);
  EXPECT_NIL(client_.Command({"GET", "k"}));
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  // The rejections count as failed commands, like Redis's rejected calls.
  Client other = Connect();
  std::optional<std::string> get_stats = InfoField(InfoText(other, "commandstats"), "cmdstat_get");
  ASSERT_TRUE(get_stats.has_value());
  EXPECT_EQ(get_stats->rfind("calls=1,", 0), 0u) << *get_stats;
  EXPECT_NE(get_stats->find(",rejected_calls=3,failed_calls=0"), std::string::npos) << *get_stats;
}

TEST_F(PubSubCommandsTest, ResetAndQuitLeaveSubscriberMode) {
  Send(client_, {"SUBSCRIBE", "a", "b"}, 2);
  Send(client_, {"PSUBSCRIBE", "p*"}, 1);
  Send(client_, {"SSUBSCRIBE", "s"}, 1);
  EXPECT_STATUS(client_.Command({"RESET"}), "RESET");
  EXPECT_NIL(client_.Command({"GET", "k"}));
  EXPECT_EQ(client_.Command({"PUBSUB", "NUMSUB", "a"}),
            Reply::Array({Reply::String("a"), Reply::Integer(0)}));
  EXPECT_INTEGER(client_.Command({"PUBSUB", "NUMPAT"}), 0);
  EXPECT_INTEGER(client_.Command({"PUBLISH", "a", "m"}), 0);
  Client quitter = Connect();
  Send(quitter, {"SUBSCRIBE", "q"}, 1);
  EXPECT_OK(quitter.Command({"QUIT"}));
  // The server drops the subscriptions of a closed connection.
  EXPECT_TRUE(EventuallyTrue([&] {
    return IntegerOf(client_.Command({"PUBLISH", "q", "m"})) == 0;
  }));
}

TEST_F(PubSubCommandsTest, Resp3ClientsGetPushesAndKeepRunningCommands) {
  ASSERT_EQ(client_.Command({"HELLO", "3"}).type(), ReplyType::kMap);
  std::vector<Reply> replies = Send(client_, {"SUBSCRIBE", "a", "b"}, 2);
  EXPECT_EQ(replies[0].type(), ReplyType::kPush) << replies[0];
  EXPECT_CONFIRMATION(replies[1], "subscribe", "b", 2);
  Reply pattern = Send(client_, {"PSUBSCRIBE", "a*"}, 1)[0];
  EXPECT_EQ(pattern.type(), ReplyType::kPush) << pattern;
  // Ordinary commands run on the subscribed connection.
  EXPECT_OK(client_.Command({"SET", "k", "v"}));
  EXPECT_BULK(client_.Command({"GET", "k"}), "v");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
  Client publisher = Connect();
  EXPECT_INTEGER(publisher.Command({"PUBLISH", "a", "hello"}), 2);
  Reply message = client_.GetReply();
  EXPECT_EQ(message,
            Reply::Push({Reply::String("message"), Reply::String("a"), Reply::String("hello")}));
  EXPECT_EQ(client_.GetReply(), Reply::Push({Reply::String("pmessage"), Reply::String("a*"),
                                             Reply::String("a"), Reply::String("hello")}));
  // A RESP3 client can publish to itself: the reply, then its own message.
  EXPECT_INTEGER(client_.Command({"PUBLISH", "b", "self"}), 1);
  EXPECT_EQ(client_.GetReply(),
            Reply::Push({Reply::String("message"), Reply::String("b"), Reply::String("self")}));
  Send(client_, {"UNSUBSCRIBE"}, 2);
  Send(client_, {"PUNSUBSCRIBE"}, 1);
  Reply none = Send(client_, {"UNSUBSCRIBE"}, 1)[0];
  EXPECT_EQ(none.type(), ReplyType::kPush) << none;
  EXPECT_NULL_CONFIRMATION(none, "unsubscribe", 0);
  // A RESP2 subscriber and a RESP3 subscriber of the same channel get their own shapes.
  Client resp2 = Connect();
  Send(resp2, {"SUBSCRIBE", "both"}, 1);
  Send(client_, {"SUBSCRIBE", "both"}, 1);
  EXPECT_INTEGER(publisher.Command({"PUBLISH", "both", "x"}), 2);
  EXPECT_EQ(resp2.GetReply(), Reply::Strings({"message", "both", "x"}));
  EXPECT_EQ(client_.GetReply(),
            Reply::Push({Reply::String("message"), Reply::String("both"), Reply::String("x")}));
}

TEST_F(PubSubCommandsTest, ClientListKillAndInfoShowSubscribers) {
  Client subscriber = Connect();
  ASSERT_OK(subscriber.Command({"CLIENT", "SETNAME", "sub"}));
  Send(subscriber, {"SUBSCRIBE", "a", "b"}, 2);
  Send(subscriber, {"PSUBSCRIBE", "p*"}, 1);
  Send(subscriber, {"SSUBSCRIBE", "s1", "s2", "s3"}, 3);
  Client pattern_only = Connect();
  Send(pattern_only, {"PSUBSCRIBE", "p*", "q*"}, 2);
  std::vector<std::map<std::string, std::string>> subscribers =
      ClientList(client_, {"TYPE", "pubsub"});
  ASSERT_EQ(subscribers.size(), 2u);
  for (auto& fields : subscribers) {
    if (fields["name"] != "sub") continue;
    EXPECT_EQ(fields["flags"], "P");
    EXPECT_EQ(fields["sub"], "2");
    EXPECT_EQ(fields["psub"], "1");
    EXPECT_EQ(fields["ssub"], "3");
  }
  for (auto& fields : ClientList(client_, {"TYPE", "normal"})) {
    EXPECT_NE(fields["name"], "sub");
    EXPECT_EQ(fields["flags"], "N");
  }
  std::string info = InfoText(client_, "stats");
  EXPECT_EQ(InfoField(info, "pubsub_channels"), "2");
  EXPECT_EQ(InfoField(info, "pubsub_patterns"), "2");
  EXPECT_EQ(InfoField(info, "pubsubshard_channels"), "3");
  // CLIENT KILL TYPE pubsub closes the subscribers only.
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "TYPE", "pubsub"}), 2);
  EXPECT_TRUE(EventuallyTrue([&] { return ClientList(client_, {"TYPE", "pubsub"}).empty(); }));
  EXPECT_INTEGER(client_.Command({"CLIENT", "KILL", "TYPE", "pubsub"}), 0);
  EXPECT_TRUE(subscriber.GetReply().is_io_error());
  std::string after = InfoText(client_, "stats");
  EXPECT_EQ(InfoField(after, "pubsub_channels"), "0");
  EXPECT_EQ(InfoField(after, "pubsub_patterns"), "0");
  EXPECT_EQ(InfoField(after, "pubsubshard_channels"), "0");
  EXPECT_STATUS(client_.Command({"PING"}), "PONG");
}

}  // namespace
}  // namespace cairn::test

namespace cairn::test {
namespace {

// Redis 7.0 refuses SSUBSCRIBE while EXEC runs the queue; SUBSCRIBE is allowed there.
TEST_F(PubSubCommandsTest, SsubscribeInsideExecIsRefused) {
  EXPECT_OK(client_.Command({"MULTI"}));
  EXPECT_STATUS(client_.Command({"SSUBSCRIBE", "shard"}), "QUEUED");
  Reply exec = client_.Command({"EXEC"});
  ASSERT_EQ(exec.type(), ReplyType::kArray) << exec;
  ASSERT_EQ(exec.size(), 1u) << exec;
  EXPECT_ERROR(exec[0], "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  EXPECT_BULK(client_.Command({"PING", "still-normal"}), "still-normal");
}

}  // namespace
}  // namespace cairn::test
