// cairn-loadgen: a pipelined load generator for the benchmarks that redis-benchmark cannot
// drive: skewed key choice (a hot set getting most requests), read/write mixes, bulk loads,
// and the queue / leaderboard churn workloads with throughput per slice of operations.
// Each connection runs on its own thread and keeps `pipeline` requests in flight; latency
// is measured per pipeline round trip (the time a request waits for its batch's replies).
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Settings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string mode = "read";  // load | read | mixed | queue | leaderboard
  uint64_t keys = 1000000;
  uint64_t value_size = 200;
  uint64_t ops = 1000000;
  uint64_t pipeline = 16;
  uint64_t connections = 8;
  double hot_fraction = 0.01;  // share of the keyspace that is hot
  double hot_share = 0.9;      // share of requests that go to the hot keys
  double write_share = 0.1;    // mixed: share of writes
  uint64_t report_every = 0;   // print throughput per this many operations (0: never)
  uint64_t queue_keys = 4;
  uint64_t leaderboard_keep = 1000;
};

void Usage() {
  std::fprintf(stderr,
               "usage: cairn-loadgen [--host H] [--port P] [--mode load|read|mixed|queue|"
               "leaderboard]\n  [--keys N] [--value-size B] [--ops N] [--pipeline P] "
               "[--connections C]\n  [--hot-fraction F] [--hot-share F] [--write-share F] "
               "[--report-every N]\n");
  std::exit(2);
}

Settings ParseSettings(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; i++) {
    std::string name = argv[i];
    if (i + 1 >= argc) Usage();
    const char* value = argv[++i];
    if (name == "--host")
      s.host = value;
    else if (name == "--port")
      s.port = std::atoi(value);
    else if (name == "--mode")
      s.mode = value;
    else if (name == "--keys")
      s.keys = std::strtoull(value, nullptr, 10);
    else if (name == "--value-size")
      s.value_size = std::strtoull(value, nullptr, 10);
    else if (name == "--ops")
      s.ops = std::strtoull(value, nullptr, 10);
    else if (name == "--pipeline")
      s.pipeline = std::max<uint64_t>(1, std::strtoull(value, nullptr, 10));
    else if (name == "--connections")
      s.connections = std::max<uint64_t>(1, std::strtoull(value, nullptr, 10));
    else if (name == "--hot-fraction")
      s.hot_fraction = std::atof(value);
    else if (name == "--hot-share")
      s.hot_share = std::atof(value);
    else if (name == "--write-share")
      s.write_share = std::atof(value);
    else if (name == "--report-every")
      s.report_every = std::strtoull(value, nullptr, 10);
    else
      Usage();
  }
  if (s.mode != "load" && s.mode != "read" && s.mode != "mixed" && s.mode != "queue" &&
      s.mode != "leaderboard") {
    Usage();
  }
  return s;
}

// Shared progress: operations done, latency samples, and slice timing for --report-every.
class Progress {
 public:
  explicit Progress(const Settings& settings)
      : settings_(settings), start_(Clock::now()), slice_start_(start_) {}

  // Claims up to `want` operations; returns how many (0: finished). *first is the number
  // of the first claimed operation (a load writes key <first> onwards).
  uint64_t Claim(uint64_t want, uint64_t* first) {
    uint64_t before = claimed_.fetch_add(want);
    *first = before;
    if (before >= settings_.ops) return 0;
    return std::min(want, settings_.ops - before);
  }

  void Done(uint64_t count, double batch_latency_us) {
    std::lock_guard<std::mutex> lock(mutex_);
    latencies_us_.push_back(batch_latency_us);
    done_ += count;
    if (settings_.report_every == 0) return;
    while (done_ >= next_report_ + settings_.report_every) {
      next_report_ += settings_.report_every;
      auto now = Clock::now();
      double seconds = std::chrono::duration<double>(now - slice_start_).count();
      slice_start_ = now;
      std::printf("slice %llu (ops %llu..%llu): %.0f ops/s\n",
                  static_cast<unsigned long long>(next_report_ / settings_.report_every),
                  static_cast<unsigned long long>(next_report_ - settings_.report_every),
                  static_cast<unsigned long long>(next_report_), settings_.report_every / seconds);
      std::fflush(stdout);
    }
  }

  void PrintSummary(uint64_t errors) {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto percentile = [&](double p) {
      if (latencies_us_.empty()) return 0.0;
      size_t index = static_cast<size_t>(p * static_cast<double>(latencies_us_.size() - 1));
      return latencies_us_[index] / 1000.0;
    };
    std::printf(
        "mode=%s ops=%llu seconds=%.2f ops_per_sec=%.0f p50_ms=%.3f p99_ms=%.3f errors=%llu\n",
        settings_.mode.c_str(), static_cast<unsigned long long>(done_), seconds,
        static_cast<double>(done_) / seconds, percentile(0.50), percentile(0.99),
        static_cast<unsigned long long>(errors));
  }

 private:
  using Clock = std::chrono::steady_clock;
  const Settings& settings_;
  std::atomic<uint64_t> claimed_{0};
  std::mutex mutex_;
  uint64_t done_ = 0;
  uint64_t next_report_ = 0;
  std::vector<double> latencies_us_;
  Clock::time_point start_;
  Clock::time_point slice_start_;
};

std::string KeyName(uint64_t index) { return "key:" + std::to_string(index); }

// Builds the next request of the workload into args.
class Workload {
 public:
  Workload(const Settings& settings, uint64_t seed) : settings_(settings), random_(seed) {
    hot_keys_ = std::max<uint64_t>(1, static_cast<uint64_t>(settings.keys * settings.hot_fraction));
    // Values are slices of random text, different per request: a constant value would
    // compress to nothing and flatter the bytes-on-disk figure. Alphanumeric text carries
    // about 6 bits per byte, so compression can win about a quarter, like ordinary data.
    static const char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    text_.resize(kRandomTextBytes + settings.value_size);
    for (char& c : text_) c = kAlphabet[random_() % (sizeof(kAlphabet) - 1)];
  }

  // `op` is the operation's number across all connections.
  void Next(uint64_t op, std::vector<std::string>* args) {
    args->clear();
    const std::string& mode = settings_.mode;
    if (mode == "load") {
      args->assign({"SET", KeyName(op), Value()});
    } else if (mode == "read" || (mode == "mixed" && Uniform() >= settings_.write_share)) {
      args->assign({"GET", KeyName(SkewedKey())});
    } else if (mode == "mixed") {
      args->assign({"SET", KeyName(SkewedKey()), Value()});
    } else if (mode == "queue") {
      std::string key = "queue:" + std::to_string(random_() % settings_.queue_keys);
      if (push_next_) {
        args->assign({"LPUSH", key, Value()});
      } else {
        args->assign({"RPOP", key});
      }
      push_next_ = !push_next_;
    } else {
      LeaderboardRequest(args);
    }
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(random_); }

  std::string Value() { return text_.substr(random_() % kRandomTextBytes, settings_.value_size); }

  uint64_t SkewedKey() {
    if (Uniform() < settings_.hot_share) return random_() % hot_keys_;
    return random_() % settings_.keys;
  }

  // ZADD of a random score, and every 10th request a trim to the top N.
  void LeaderboardRequest(std::vector<std::string>* args) {
    if (++leaderboard_count_ % 10 == 0) {
      args->assign({"ZREMRANGEBYRANK", "leaderboard", "0",
                    std::to_string(-static_cast<int64_t>(settings_.leaderboard_keep) - 1)});
      return;
    }
    args->assign({"ZADD", "leaderboard", std::to_string(random_() % 100000000),
                  "player:" + std::to_string(random_() % 10000000)});
  }

  const Settings& settings_;
  std::mt19937_64 random_;
  static constexpr uint64_t kRandomTextBytes = uint64_t{1} << 20;
  std::string text_;  // random text that values are cut from
  uint64_t hot_keys_;
  uint64_t leaderboard_count_ = 0;
  bool push_next_ = true;
};

void RunConnection(const Settings& settings, Progress* progress, uint64_t id,
                   std::atomic<uint64_t>* errors) {
  redisContext* context = redisConnect(settings.host.c_str(), settings.port);
  if (context == nullptr || context->err) {
    std::fprintf(stderr, "connect failed: %s\n", context ? context->errstr : "out of memory");
    std::exit(1);
  }
  Workload workload(settings, 0x9e3779b97f4a7c15ULL * (id + 1));
  std::vector<std::string> args;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (;;) {
    uint64_t first = 0;
    uint64_t batch = progress->Claim(settings.pipeline, &first);
    if (batch == 0) break;
    auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < batch; i++) {
      workload.Next(first + i, &args);
      argv.clear();
      lengths.clear();
      for (const std::string& arg : args) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
      }
      redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data());
    }
    for (uint64_t i = 0; i < batch; i++) {
      void* reply = nullptr;
      if (redisGetReply(context, &reply) != REDIS_OK) {
        std::fprintf(stderr, "connection error: %s\n", context->errstr);
        std::exit(1);
      }
      if (static_cast<redisReply*>(reply)->type == REDIS_REPLY_ERROR) errors->fetch_add(1);
      freeReplyObject(reply);
    }
    double micros =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    progress->Done(batch, micros);
  }
  redisFree(context);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = ParseSettings(argc, argv);
  if (settings.mode == "load") settings.ops = settings.keys;
  std::printf(
      "settings: host=%s port=%d mode=%s keys=%llu value_size=%llu ops=%llu pipeline=%llu "
      "connections=%llu hot_fraction=%.3f hot_share=%.2f write_share=%.2f\n",
      settings.host.c_str(), settings.port, settings.mode.c_str(),
      static_cast<unsigned long long>(settings.keys),
      static_cast<unsigned long long>(settings.value_size),
      static_cast<unsigned long long>(settings.ops),
      static_cast<unsigned long long>(settings.pipeline),
      static_cast<unsigned long long>(settings.connections), settings.hot_fraction,
      settings.hot_share, settings.write_share);
  Progress progress(settings);
  std::atomic<uint64_t> errors{0};
  std::vector<std::thread> threads;
  for (uint64_t i = 0; i < settings.connections; i++) {
    threads.emplace_back(RunConnection, std::cref(settings), &progress, i, &errors);
  }
  for (std::thread& thread : threads) thread.join();
  progress.PrintSummary(errors.load());
  return errors.load() == 0 ? 0 : 1;
}
