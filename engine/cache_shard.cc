// S3-FIFO eviction, the ghost of dropped keys and the stamps that keep fills from going
// stale (see cache_shard.h).
#include "engine/cache_shard.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace cairn {

namespace {

constexpr size_t kMinGhostEntries = 64;

// Allocates what allocate_shared asks for (object and reference count) plus `extra` bytes
// right behind it, and tells where those start through *trailing (only allocate() uses it,
// once, while the caller's pointer is alive).
template <typename T>
class TrailingBytesAllocator {
 public:
  using value_type = T;

  TrailingBytesAllocator(size_t extra, char** trailing) : extra_(extra), trailing_(trailing) {}
  template <typename U>
  TrailingBytesAllocator(const TrailingBytesAllocator<U>& other)  // NOLINT: rebinding
      : extra_(other.extra_), trailing_(other.trailing_) {}

  T* allocate(size_t n) {
    char* block = static_cast<char*>(::operator new(n * sizeof(T) + extra_));
    *trailing_ = block + n * sizeof(T);
    return reinterpret_cast<T*>(block);
  }
  void deallocate(T* pointer, size_t) { ::operator delete(pointer); }

  template <typename U>
  bool operator==(const TrailingBytesAllocator<U>& other) const {
    return extra_ == other.extra_;
  }

 private:
  template <typename U>
  friend class TrailingBytesAllocator;
  size_t extra_;
  char** trailing_;
};

}  // namespace

std::shared_ptr<const CachedMeta> CachedMeta::Decode(std::string_view raw) {
  char* trailing = nullptr;
  auto value =
      std::allocate_shared<CachedMeta>(TrailingBytesAllocator<CachedMeta>(raw.size(), &trailing));
  if (!raw.empty()) std::memcpy(trailing, raw.data(), raw.size());
  value->raw = std::string_view(trailing, raw.size());
  std::string_view payload;
  if (!DecodeMetadata(value->raw, &value->meta, &payload)) return nullptr;
  value->payload_offset = static_cast<size_t>(payload.data() - value->raw.data());
  return value;
}

std::shared_ptr<const CachedMeta> CachedMeta::Absent() {
  static const std::shared_ptr<const CachedMeta> absent = [] {
    auto value = std::make_shared<CachedMeta>();
    value->absent = true;
    return value;
  }();
  return absent;
}

void CacheShard::Fifo::PushBack(Entry* entry) {
  entry->prev = tail;
  entry->next = nullptr;
  if (tail != nullptr) {
    tail->next = entry;
  } else {
    head = entry;
  }
  tail = entry;
}

void CacheShard::Fifo::Remove(Entry* entry) {
  if (entry->prev != nullptr) {
    entry->prev->next = entry->next;
  } else {
    head = entry->next;
  }
  if (entry->next != nullptr) {
    entry->next->prev = entry->prev;
  } else {
    tail = entry->prev;
  }
  entry->prev = entry->next = nullptr;
}

void CacheShard::Ghost::Add(uint64_t hash, size_t limit) {
  if (limit == 0) return;
  order_.push_back(hash);
  counts_[hash]++;
  Shrink(limit);
}

void CacheShard::Ghost::Shrink(size_t limit) {
  while (order_.size() > limit) {
    auto it = counts_.find(order_.front());
    // A hash taken back early has no count left: its old slot just goes.
    if (it != counts_.end() && --it->second == 0) counts_.erase(it);
    order_.pop_front();
  }
}

bool CacheShard::Ghost::Take(uint64_t hash) { return counts_.erase(hash) > 0; }

CacheShard::Entry* CacheShard::Entry::New(const HashedKey& key) {
  void* memory = ::operator new(sizeof(Entry) + key.bytes.size());
  Entry* entry = new (memory) Entry();
  entry->hash = key.hash;
  entry->key_size = static_cast<uint32_t>(key.bytes.size());
  std::memcpy(reinterpret_cast<char*>(entry + 1), key.bytes.data(), key.bytes.size());
  return entry;
}

void CacheShard::Entry::Delete(Entry* entry) {
  entry->~Entry();
  ::operator delete(entry);
}

CacheShard::~CacheShard() {
  for (Fifo* fifo : {&small_, &main_}) {
    while (Entry* entry = fifo->head) {
      fifo->Remove(entry);
      Entry::Delete(entry);
    }
  }
}

std::shared_ptr<const CachedValue> CacheShard::Lookup(const HashedKey& key, uint64_t* stamp) {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  Entry* entry = index_.Find(key.hash, key.bytes);
  if (entry == nullptr) {
    *stamp = StampOf(key.hash);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  // Racing readers may lose an increment: the frequency is a hint, not a count.
  uint8_t frequency = entry->frequency.load(std::memory_order_relaxed);
  if (frequency < kMaxFrequency) {
    entry->frequency.store(static_cast<uint8_t>(frequency + 1), std::memory_order_relaxed);
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return entry->value;
}

void CacheShard::PrefetchEntry(uint64_t hash) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (const Entry* entry = index_.FirstWithHash(hash)) {
    // The entry and its key, which follows it and may start on the next cache line.
    __builtin_prefetch(entry);
    __builtin_prefetch(reinterpret_cast<const char*>(entry) + sizeof(Entry));
  }
}

bool CacheShard::Fill(const HashedKey& key, uint64_t stamp,
                      std::shared_ptr<const CachedValue> value) {
  size_t charge = ChargeOf(key.bytes, *value);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  if (StampOf(key.hash) != stamp || charge > max_charge() ||
      index_.Find(key.hash, key.bytes) != nullptr) {
    return false;
  }
  Insert(key, std::move(value), charge);
  return true;
}

void CacheShard::Put(const HashedKey& key, std::shared_ptr<const CachedValue> value) {
  size_t charge = ChargeOf(key.bytes, *value);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  StampOf(key.hash)++;
  Entry* entry = index_.Find(key.hash, key.bytes);
  if (charge > max_charge()) {
    if (entry != nullptr) Drop(entry);
    return;
  }
  if (entry != nullptr) {
    Replace(entry, std::move(value), charge);
  } else {
    Insert(key, std::move(value), charge);
  }
}

void CacheShard::Erase(const HashedKey& key) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  StampOf(key.hash)++;
  if (Entry* entry = index_.Find(key.hash, key.bytes)) Drop(entry);
}

std::vector<KeyRange> MergeKeyRanges(std::vector<KeyRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const KeyRange& a, const KeyRange& b) { return a.begin < b.begin; });
  std::vector<KeyRange> merged;
  for (KeyRange& range : ranges) {
    if (range.begin >= range.end) continue;
    if (!merged.empty() && range.begin <= merged.back().end) {
      if (range.end > merged.back().end) merged.back().end = std::move(range.end);
    } else {
      merged.push_back(std::move(range));
    }
  }
  return merged;
}

namespace {

bool InRanges(const std::vector<KeyRange>& ranges, std::string_view key) {
  // The last range starting at or before the key is the only one that can hold it.
  auto after = std::upper_bound(
      ranges.begin(), ranges.end(), key,
      [](std::string_view k, const KeyRange& range) { return k < std::string_view(range.begin); });
  return after != ranges.begin() && key < std::string_view(std::prev(after)->end);
}

}  // namespace

size_t CacheShard::EraseRanges(const std::vector<KeyRange>& ranges) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  // Any fill in flight may have read a key of a range before it went.
  for (uint64_t& stamp : stamps_) stamp++;
  std::vector<Entry*> doomed;
  for (const Fifo* fifo : {&small_, &main_}) {
    for (Entry* entry = fifo->head; entry != nullptr; entry = entry->next) {
      if (InRanges(ranges, entry->key())) doomed.push_back(entry);
    }
  }
  for (Entry* entry : doomed) Drop(entry);
  return doomed.size();
}

void CacheShard::Insert(const HashedKey& key, std::shared_ptr<const CachedValue> value,
                        size_t charge) {
  Entry* raw = Entry::New(key);
  raw->value = std::move(value);
  raw->charge = charge;
  index_.Insert(raw);
  // A key dropped from the small FIFO not long ago is evidently not a one-off.
  if (ghost_.Take(key.hash)) {
    raw->queue = Queue::kMain;
    main_.PushBack(raw);
    main_entries_++;
  } else {
    raw->queue = Queue::kSmall;
    small_.PushBack(raw);
    small_usage_ += charge;
  }
  usage_ += charge;
  EvictToCapacity();
}

void CacheShard::Replace(Entry* entry, std::shared_ptr<const CachedValue> value, size_t charge) {
  entry->value = std::move(value);
  usage_ = usage_ - entry->charge + charge;
  if (entry->queue == Queue::kSmall) small_usage_ = small_usage_ - entry->charge + charge;
  entry->charge = charge;
  EvictToCapacity();
}

void CacheShard::Unlink(Entry* entry) {
  if (entry->queue == Queue::kSmall) {
    small_.Remove(entry);
    small_usage_ -= entry->charge;
  } else {
    main_.Remove(entry);
    main_entries_--;
  }
}

void CacheShard::Drop(Entry* entry) {
  index_.Erase(entry);
  Unlink(entry);
  usage_ -= entry->charge;
  Entry::Delete(entry);
}

void CacheShard::EvictToCapacity() {
  while (usage_ > entry_capacity() && !(small_.empty() && main_.empty())) {
    if (main_.empty() || (!small_.empty() && small_usage_ > small_target())) {
      EvictFromSmall();
    } else {
      EvictFromMain();
    }
  }
}

void CacheShard::EvictFromSmall() {
  Entry* entry = small_.head;
  if (entry->frequency.load(std::memory_order_relaxed) > 0) {
    Unlink(entry);
    entry->frequency.store(0, std::memory_order_relaxed);
    entry->queue = Queue::kMain;
    main_.PushBack(entry);
    main_entries_++;
    return;
  }
  uint64_t hash = entry->hash;
  Drop(entry);
  ghost_.Add(hash, ghost_limit());
  evictions_.fetch_add(1, std::memory_order_relaxed);
}

void CacheShard::EvictFromMain() {
  Entry* entry = main_.head;
  uint8_t frequency = entry->frequency.load(std::memory_order_relaxed);
  if (frequency > 0) {
    // A second chance per recorded read: back to the tail, one read fewer.
    entry->frequency.store(static_cast<uint8_t>(frequency - 1), std::memory_order_relaxed);
    main_.Remove(entry);
    main_.PushBack(entry);
    return;
  }
  Drop(entry);
  evictions_.fetch_add(1, std::memory_order_relaxed);
}

void CacheShard::SetCapacity(size_t bytes) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  capacity_ = bytes;
  EvictToCapacity();
  ghost_.Shrink(ghost_limit());
}

size_t CacheShard::capacity() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return capacity_;
}

size_t CacheShard::usage() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return usage_ + ghost_.size() * kGhostOverhead;
}

size_t CacheShard::entries() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return index_.size();
}

size_t CacheShard::ghost_limit() const {
  size_t budget = capacity_ - entry_capacity();
  return std::min(std::max(index_.size(), kMinGhostEntries), budget / kGhostOverhead);
}

void CacheShard::ResetStats() {
  hits_.store(0, std::memory_order_relaxed);
  misses_.store(0, std::memory_order_relaxed);
  evictions_.store(0, std::memory_order_relaxed);
}

bool CacheShard::InMainForTest(const HashedKey& key) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const Entry* entry = index_.Find(key.hash, key.bytes);
  return entry != nullptr && entry->queue == Queue::kMain;
}

}  // namespace cairn
