// Lists operations (see list.h). Elements sit at consecutive indexes [head, tail); the ends
// move by point Puts/Deletes so a queue never iterates over the tombstones its pops leave.
// Removing from the middle (LINSERT, LREM) rewrites the shorter side, as Redis's O(N) does.
#include "engine/list.h"

#include <rocksdb/slice.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "encoding/collection_layout.h"
#include "encoding/metadata.h"
#include "engine/collection.h"
#include "engine/key_batch.h"
#include "engine/rocks_status.h"
#include "engine/storage.h"

namespace cairn {

namespace {

// Ranges longer than this are dropped with one range tombstone instead of one per element.
constexpr uint64_t kRangeDeleteThreshold = 64;

// One list key loaded for one operation: the collection handle and its [head, tail).
class ListKey {
 public:
  Status Load(Storage& storage, int db, std::string_view key,
              MemberReads reads = MemberReads::kDirect) {
    storage_ = &storage;
    Status s = key_.Load(storage, db, key, ValueType::kList, reads);
    if (!s.ok() || !key_.exists()) return s;
    if (!DecodeListPayload(key_.payload(), &bounds_) || bounds_.size() != key_.size()) {
      return Status::Corruption("malformed list metadata");
    }
    return Status::OK();
  }

  bool exists() const { return key_.exists(); }
  const CollectionKey& key() const { return key_; }
  Storage& storage() const { return *storage_; }
  uint64_t size() const { return bounds_.size(); }
  ListBounds& bounds() { return bounds_; }
  uint64_t head() const { return bounds_.head; }
  uint64_t tail() const { return bounds_.tail; }

  std::string ElementKey(uint64_t index) const { return key_.MemberKey(EncodeListIndex(index)); }

  Status Read(uint64_t index, std::string* element) const {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = key_.GetMember(storage_->sub_cf(), EncodeListIndex(index), &value);
    if (s.IsNotFound()) return Status::Corruption("list element missing");
    if (!s.ok()) return FromRocks(s);
    element->assign(value.data(), value.size());
    return Status::OK();
  }

  void Put(KeyBatch* batch, uint64_t index, std::string_view element) const {
    batch->batch()->Put(storage_->sub_cf(), ElementKey(index),
                        rocksdb::Slice(element.data(), element.size()));
  }

  // Drops the elements at [begin, end).
  void Erase(KeyBatch* batch, uint64_t begin, uint64_t end) const {
    if (begin >= end) return;
    if (end - begin > kRangeDeleteThreshold) {
      batch->batch()->DeleteRange(storage_->sub_cf(), ElementKey(begin), ElementKey(end));
      return;
    }
    for (uint64_t index = begin; index < end; ++index) {
      batch->batch()->Delete(storage_->sub_cf(), ElementKey(index));
    }
  }

  std::unique_ptr<MemberIterator> NewIterator() const {
    return std::make_unique<MemberIterator>(key_, storage_->sub_cf());
  }

  // Rewrites the metadata (or deletes the key when it became empty) into `batch`.
  void Update(KeyBatch* batch) { key_.Update(batch, bounds_.size(), EncodeListPayload(bounds_)); }

 private:
  Storage* storage_ = nullptr;
  CollectionKey key_;
  ListBounds bounds_;
};

// Walks elements from a starting index in one direction, checking they are contiguous.
class ElementCursor {
 public:
  ElementCursor(const ListKey& list, uint64_t start, bool forward)
      : iterator_(list.NewIterator()), index_(start), forward_(forward) {
    std::string part = EncodeListIndex(start);
    if (forward) {
      iterator_->Seek(part);
    } else {
      iterator_->SeekForPrev(part);
    }
  }

  // Reads the element at the current index; Corruption if it is not where it must be.
  Status Current(std::string_view* element) const {
    uint64_t found = 0;
    if (!iterator_->Valid()) {
      Status s = iterator_->status();
      return s.ok() ? Status::Corruption("list element missing") : s;
    }
    if (!DecodeListIndex(iterator_->member_part(), &found) || found != index_) {
      return Status::Corruption("list elements not contiguous");
    }
    *element = iterator_->value();
    return Status::OK();
  }

  uint64_t index() const { return index_; }

  void Advance() {
    if (forward_) {
      iterator_->Next();
      ++index_;
    } else {
      iterator_->Prev();
      --index_;
    }
  }

 private:
  std::unique_ptr<MemberIterator> iterator_;
  uint64_t index_;
  bool forward_;
};

// Reads `count` elements starting at absolute index `start`, walking forward or backward.
Status ReadElements(const ListKey& list, uint64_t start, uint64_t count, bool forward,
                    std::vector<std::string>* out) {
  if (count == 1) {
    out->emplace_back();
    return list.Read(start, &out->back());
  }
  ElementCursor cursor(list, start, forward);
  for (uint64_t i = 0; i < count; ++i, cursor.Advance()) {
    std::string_view element;
    Status s = cursor.Current(&element);
    if (!s.ok()) return s;
    out->emplace_back(element);
  }
  return Status::OK();
}

// Serves the elements at offsets [first, last] of a long list from the window of its head
// elements in the hot cache (member_cache.h), filled by reads of enough elements. False
// when the window is off, missing or too short: then RocksDB answers.
bool ReadFromWindow(const ListKey& list, uint64_t first, uint64_t last,
                    std::vector<std::string>* out) {
  if (list.size() <= kSnapshotMaxMembers || last >= kWindowMaxMembers) return false;
  bool may_fill = last - first + 1 >= kWindowMinFillRead;
  std::shared_ptr<const MemberSnapshot> window = LoadMemberWindow(
      list.storage(), list.storage().sub_cf(), list.key().member_prefix(), may_fill);
  // The window starts at the head and holds every index up to its last member.
  if (window == nullptr || window->size() <= last ||
      window->member_part(0) != EncodeListIndex(list.head()) ||
      window->member_part(last) != EncodeListIndex(list.head() + last)) {
    return false;
  }
  for (uint64_t offset = first; offset <= last; ++offset) out->emplace_back(window->value(offset));
  return true;
}

// Redis's index rule: negative counts from the tail. False when outside [0, size).
bool ResolveIndex(int64_t index, uint64_t size, uint64_t* offset) {
  if (index < 0) {
    uint64_t back = index == std::numeric_limits<int64_t>::min() ? uint64_t{1} << 63
                                                                 : static_cast<uint64_t>(-index);
    if (back > size) return false;
    *offset = size - back;
    return true;
  }
  if (static_cast<uint64_t>(index) >= size) return false;
  *offset = static_cast<uint64_t>(index);
  return true;
}

// LRANGE/LTRIM's rule for [start, stop]: false when the range is empty, else offsets
// [*first, *last] inside the list.
bool ResolveRange(int64_t start, int64_t stop, uint64_t size, uint64_t* first, uint64_t* last) {
  const int64_t length = static_cast<int64_t>(
      std::min<uint64_t>(size, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
  if (start < 0) start = start < -length ? 0 : start + length;
  if (stop < 0) stop = stop < -length ? -1 : stop + length;
  if (start > stop || start >= length) return false;
  if (stop >= length) stop = length - 1;
  *first = static_cast<uint64_t>(start);
  *last = static_cast<uint64_t>(stop);
  return true;
}

// Adds one element at an end of the list (its bounds move).
Status PushOne(const ListKey& list, ListBounds* bounds, ListEnd end, std::string_view element,
               KeyBatch* batch) {
  if (end == ListEnd::kLeft) {
    if (bounds->head == 0) return Status::Overflow("ERR list index space exhausted");
    list.Put(batch, --bounds->head, element);
  } else {
    if (bounds->tail == std::numeric_limits<uint64_t>::max()) {
      return Status::Overflow("ERR list index space exhausted");
    }
    list.Put(batch, bounds->tail++, element);
  }
  return Status::OK();
}

// Takes `count` (<= size) elements off an end into *popped, in pop order. When the list
// becomes empty and `key_goes` (it will be deleted), its members are left to the collector.
Status PopElements(ListKey& list, ListEnd end, uint64_t count, bool key_goes, KeyBatch* batch,
                   std::vector<std::string>* popped) {
  ListBounds& bounds = list.bounds();
  bool left = end == ListEnd::kLeft;
  Status s = ReadElements(list, left ? bounds.head : bounds.tail - 1, count, left, popped);
  if (!s.ok()) return s;
  bool emptied = key_goes && count == bounds.size();
  if (left) {
    if (!emptied) list.Erase(batch, bounds.head, bounds.head + count);
    bounds.head += count;
  } else {
    if (!emptied) list.Erase(batch, bounds.tail - count, bounds.tail);
    bounds.tail -= count;
  }
  return Status::OK();
}

// The offsets of the elements equal to `element`, in the order LREM meets them (from the
// head for count >= 0, from the tail otherwise), at most |count| of them (all for 0).
Status FindMatches(const ListKey& list, std::string_view element, int64_t count,
                   std::vector<uint64_t>* offsets) {
  bool forward = count >= 0;
  uint64_t limit = count == 0  ? std::numeric_limits<uint64_t>::max()
                   : count > 0 ? static_cast<uint64_t>(count)
                               : uint64_t{0} - static_cast<uint64_t>(count);
  ElementCursor cursor(list, forward ? list.head() : list.tail() - 1, forward);
  for (uint64_t seen = 0; seen < list.size() && offsets->size() < limit; ++seen) {
    std::string_view current;
    Status s = cursor.Current(&current);
    if (!s.ok()) return s;
    if (current == element) offsets->push_back(cursor.index() - list.head());
    cursor.Advance();
  }
  std::sort(offsets->begin(), offsets->end());
  return Status::OK();
}

// Closes the gaps left by removing the elements at the sorted `removed` offsets, moving the
// shorter side: the elements before the last removed one shift right, or those after the
// first removed one shift left.
Status CloseGaps(ListKey& list, const std::vector<uint64_t>& removed, KeyBatch* batch) {
  ListBounds& bounds = list.bounds();
  uint64_t left_cost = removed.back();
  uint64_t right_cost = bounds.size() - removed.front();
  bool shift_right = left_cost < right_cost;
  uint64_t start = bounds.head + (shift_right ? removed.back() : removed.front());
  ElementCursor cursor(list, start, !shift_right);
  uint64_t write = start;
  size_t next = shift_right ? removed.size() : 0;  // the next removed offset to meet
  uint64_t remaining = shift_right ? removed.back() + 1 : right_cost;
  for (uint64_t i = 0; i < remaining; ++i, cursor.Advance()) {
    uint64_t offset = cursor.index() - bounds.head;
    bool is_removed = shift_right ? (next > 0 && removed[next - 1] == offset)
                                  : (next < removed.size() && removed[next] == offset);
    if (is_removed) {
      if (shift_right) {
        --next;
      } else {
        ++next;
      }
      continue;
    }
    std::string_view element;
    Status s = cursor.Current(&element);
    if (!s.ok()) return s;
    if (write != cursor.index()) list.Put(batch, write, element);
    if (shift_right) {
      --write;
    } else {
      ++write;
    }
  }
  if (shift_right) {
    list.Erase(batch, bounds.head, write + 1);
    bounds.head = write + 1;
  } else {
    list.Erase(batch, write, bounds.tail);
    bounds.tail = write;
  }
  return Status::OK();
}

// Makes room for one element at `offset` (0..size) by moving the shorter side outward, then
// writes it there.
Status InsertAt(ListKey& list, uint64_t offset, std::string_view element, KeyBatch* batch) {
  ListBounds& bounds = list.bounds();
  bool shift_left = offset < bounds.size() - offset;
  if (shift_left && bounds.head == 0) return Status::Overflow("ERR list index space exhausted");
  if (!shift_left && bounds.tail == std::numeric_limits<uint64_t>::max()) {
    return Status::Overflow("ERR list index space exhausted");
  }
  uint64_t count = shift_left ? offset : bounds.size() - offset;
  if (count > 0) {
    ElementCursor cursor(list, shift_left ? bounds.head : bounds.tail - 1, shift_left);
    for (uint64_t i = 0; i < count; ++i, cursor.Advance()) {
      std::string_view current;
      Status s = cursor.Current(&current);
      if (!s.ok()) return s;
      list.Put(batch, shift_left ? cursor.index() - 1 : cursor.index() + 1, current);
    }
  }
  if (shift_left) {
    --bounds.head;
  } else {
    ++bounds.tail;
  }
  list.Put(batch, bounds.head + offset, element);
  return Status::OK();
}

}  // namespace

Status Lists::Push(int db, std::string_view key, ListEnd end, std::span<const std::string> elements,
                   bool only_if_exists, uint64_t* new_length) {
  *new_length = 0;
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (!s.ok() || (only_if_exists && !list.exists())) return s;
  KeyBatch batch(storage_);
  for (const std::string& element : elements) {
    s = PushOne(list, &list.bounds(), end, element, &batch);
    if (!s.ok()) return s;
  }
  list.Update(&batch);
  s = batch.Commit();
  if (s.ok()) *new_length = list.size();
  return s;
}

Status Lists::Pop(int db, std::string_view key, ListEnd end, uint64_t count,
                  std::vector<std::string>* popped, uint64_t* remaining) {
  popped->clear();
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (remaining != nullptr) *remaining = list.size();
  if (!s.ok() || !list.exists() || count == 0) return s;
  KeyBatch batch(storage_);
  s = PopElements(list, end, std::min(count, list.size()), /*key_goes=*/true, &batch, popped);
  if (!s.ok()) {
    popped->clear();
    return s;
  }
  list.Update(&batch);
  s = batch.Commit();
  if (!s.ok()) popped->clear();
  if (s.ok() && remaining != nullptr) *remaining = list.size();
  return s;
}

Status Lists::Move(int db, std::string_view source, std::string_view destination, ListEnd from,
                   ListEnd to, std::optional<std::string>* moved, uint64_t* source_remaining) {
  moved->reset();
  if (source_remaining != nullptr) *source_remaining = 0;
  ListKey from_list;
  Status s = from_list.Load(*storage_, db, source);
  if (!s.ok() || !from_list.exists()) return s;
  bool same_key = source == destination;
  ListKey to_storage;
  if (!same_key) {
    s = to_storage.Load(*storage_, db, destination);
    if (!s.ok()) return s;
  }
  ListKey& to_list = same_key ? from_list : to_storage;
  KeyBatch batch(storage_);
  std::vector<std::string> popped;
  s = PopElements(from_list, from, 1, /*key_goes=*/!same_key, &batch, &popped);
  if (!s.ok()) return s;
  s = PushOne(to_list, &to_list.bounds(), to, popped.front(), &batch);
  if (!s.ok()) return s;
  from_list.Update(&batch);
  if (!same_key) to_list.Update(&batch);
  s = batch.Commit();
  if (!s.ok()) return s;
  *moved = std::move(popped.front());
  if (source_remaining != nullptr) *source_remaining = from_list.size();
  return s;
}

Status Lists::Length(int db, std::string_view key, uint64_t* length) {
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  *length = s.ok() ? list.size() : 0;
  return s;
}

Status Lists::Index(int db, std::string_view key, int64_t index,
                    std::optional<std::string>* element) {
  element->reset();
  ListKey list;
  Status s = list.Load(*storage_, db, key, MemberReads::kCached);
  uint64_t offset = 0;
  if (!s.ok() || !ResolveIndex(index, list.size(), &offset)) return s;
  std::string value;
  s = list.Read(list.head() + offset, &value);
  if (s.ok()) *element = std::move(value);
  return s;
}

Status Lists::Range(int db, std::string_view key, int64_t start, int64_t stop,
                    std::vector<std::string>* elements) {
  elements->clear();
  ListKey list;
  Status s = list.Load(*storage_, db, key, MemberReads::kCached);
  uint64_t first = 0;
  uint64_t last = 0;
  if (!s.ok() || !ResolveRange(start, stop, list.size(), &first, &last)) return s;
  if (ReadFromWindow(list, first, last, elements)) return Status::OK();
  return ReadElements(list, list.head() + first, last - first + 1, /*forward=*/true, elements);
}

Status Lists::Positions(int db, std::string_view key, std::string_view element,
                        const ListPosOptions& options, std::vector<int64_t>* positions) {
  positions->clear();
  ListKey list;
  Status s = list.Load(*storage_, db, key, MemberReads::kCached);
  if (!s.ok() || !list.exists()) return s;
  bool forward = options.rank > 0;
  // Redis negates the rank; INT64_MIN stays negative there, so every match counts.
  uint64_t skip = forward                                               ? options.rank - 1
                  : options.rank == std::numeric_limits<int64_t>::min() ? 0
                                                                        : -options.rank - 1;
  uint64_t limit = options.max_len == 0 ? list.size() : std::min(options.max_len, list.size());
  ElementCursor cursor(list, forward ? list.head() : list.tail() - 1, forward);
  for (uint64_t seen = 0; seen < limit; ++seen, cursor.Advance()) {
    std::string_view current;
    s = cursor.Current(&current);
    if (!s.ok()) return s;
    if (current != element) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    positions->push_back(static_cast<int64_t>(cursor.index() - list.head()));
    if (options.count != 0 && positions->size() >= options.count) break;
  }
  return Status::OK();
}

Status Lists::Insert(int db, std::string_view key, bool after, std::string_view pivot,
                     std::string_view element, int64_t* new_length) {
  *new_length = 0;
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (!s.ok() || !list.exists()) return s;
  std::optional<uint64_t> found;
  ElementCursor cursor(list, list.head(), /*forward=*/true);
  for (uint64_t offset = 0; offset < list.size() && !found; ++offset, cursor.Advance()) {
    std::string_view current;
    s = cursor.Current(&current);
    if (!s.ok()) return s;
    if (current == pivot) found = offset;
  }
  if (!found) {
    *new_length = -1;
    return Status::OK();
  }
  KeyBatch batch(storage_);
  s = InsertAt(list, *found + (after ? 1 : 0), element, &batch);
  if (!s.ok()) return s;
  list.Update(&batch);
  s = batch.Commit();
  if (s.ok()) *new_length = static_cast<int64_t>(list.size());
  return s;
}

Status Lists::Set(int db, std::string_view key, int64_t index, std::string_view element) {
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (!s.ok()) return s;
  if (!list.exists()) return Status::NotFound("ERR no such key");
  uint64_t offset = 0;
  if (!ResolveIndex(index, list.size(), &offset)) {
    return Status::InvalidArgument("ERR index out of range");
  }
  KeyBatch batch(storage_);
  list.Put(&batch, list.head() + offset, element);
  list.Update(&batch);
  return batch.Commit();
}

Status Lists::Remove(int db, std::string_view key, int64_t count, std::string_view element,
                     uint64_t* removed, uint64_t* remaining) {
  *removed = 0;
  *remaining = 0;
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (!s.ok() || !list.exists()) return s;
  std::vector<uint64_t> offsets;
  s = FindMatches(list, element, count, &offsets);
  if (!s.ok()) return s;
  if (offsets.empty()) {
    *remaining = list.size();
    return Status::OK();
  }
  KeyBatch batch(storage_);
  if (offsets.size() == list.size()) {
    list.bounds().tail = list.head();  // emptied: the key goes, its members with it
  } else {
    s = CloseGaps(list, offsets, &batch);
    if (!s.ok()) return s;
  }
  list.Update(&batch);
  s = batch.Commit();
  if (!s.ok()) return s;
  *removed = offsets.size();
  *remaining = list.size();
  return Status::OK();
}

Status Lists::Trim(int db, std::string_view key, int64_t start, int64_t stop, uint64_t* remaining) {
  *remaining = 0;
  ListKey list;
  Status s = list.Load(*storage_, db, key);
  if (!s.ok()) return s;
  if (!list.exists()) return Status::NotFound("ERR no such key");
  ListBounds& bounds = list.bounds();
  uint64_t first = 0;
  uint64_t last = 0;
  KeyBatch batch(storage_);
  if (!ResolveRange(start, stop, list.size(), &first, &last)) {
    bounds.tail = bounds.head;
  } else {
    list.Erase(&batch, bounds.head, bounds.head + first);
    list.Erase(&batch, bounds.head + last + 1, bounds.tail);
    bounds.tail = bounds.head + last + 1;
    bounds.head += first;
  }
  list.Update(&batch);
  s = batch.Commit();
  if (s.ok()) *remaining = list.size();
  return s;
}

}  // namespace cairn
