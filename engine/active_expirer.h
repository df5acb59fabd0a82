// ActiveExpirer: the background thread that reclaims keys whose deadline has passed, so they
// disappear from disk and from the counts within about 100 ms of their deadline even if no
// one reads them. It walks the `expire` column family in deadline order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>

#include "encoding/expire_key.h"
#include "engine/status.h"

namespace cairn {

class Storage;

class ActiveExpirer {
 public:
  static constexpr size_t kKeysPerPass = 256;

  explicit ActiveExpirer(Storage* storage) : storage_(storage) {}
  ~ActiveExpirer() { Stop(); }

  void Start();
  void Stop();

  // Reclaims up to kKeysPerPass due keys (and drops stale index entries on the way);
  // returns the number of keys reclaimed.
  size_t RunPass();

 private:
  void Loop();
  // Examines one due index entry; *reclaimed says whether a key was deleted.
  Status ProcessEntry(std::string_view raw_key, const ExpireKeyParts& parts, uint64_t now_ms,
                      bool* reclaimed);

  Storage* storage_;
  std::mutex pass_mutex_;
  // Where the next pass starts reading (ms); entries below it were handled already, except
  // ones that arrived late, which the periodic full sweep picks up.
  uint64_t resume_ms_ = 0;
  uint64_t last_full_sweep_ms_ = 0;

  std::mutex lifecycle_mutex_;  // serializes Start and Stop
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cairn
