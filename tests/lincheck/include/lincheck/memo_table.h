// The memo of the search: the configurations (linearized set, model state) already visited.
//
// Lowe (2017) and Porcupine skip a configuration seen before: its sub-search can only repeat
// the first one's. This memo also skips a configuration *dominated* by one seen before: same
// returned ops linearized, same state, and a subset of the never-returned (info) ops used.
// The one with fewer info ops used can make every move the other can (info ops have no
// return events, so they constrain nothing), so it has every completion the other has.
// That holds even when the dominating configuration is still being searched (an ancestor on
// the stack): by induction on the length of the shortest completion, a configuration that
// is given up while it has a completion always has an ancestor with a shorter one, so the
// root is given up only if it has none. Without this, histories with many timed-out ops
// revisit the same configuration once per subset of those ops.
//
// Layout: buckets keyed by (ok part, state), found through an open-addressing index of
// 16-byte slots; each bucket lists the info sets seen with it, kept an antichain (a new set
// drops the listed supersets). Encodings live in one arena; every byte allocated is first
// reserved from a MemoryBudget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lincheck/linearized_set.h"
#include "lincheck/memory_budget.h"

namespace lincheck {

template <class State>
class MemoTable {
 public:
  enum class Insert : std::uint8_t { Added, Present, OutOfMemory };

  explicit MemoTable(MemoryBudget& budget) : budget_(budget) {}
  MemoTable(const MemoTable&) = delete;
  MemoTable& operator=(const MemoTable&) = delete;
  ~MemoTable() { budget_.release(reserved_); }

  // Adds (set, state, tag), whose ok part, state and tag hash to `hash`, unless it is already
  // there or dominated (Present). The tag is a bit of search state that restricts the moves
  // (the search's "last op was an info op"); configurations compare only with equal tags.
  Insert insert(const LinearizedSet& set, std::uint64_t hash, const State& state, bool tag) {
    if ((buckets_.size() + 1) * 2 > slots_.size() && !grow_slots()) return Insert::OutOfMemory;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (; slots_[i].bucket != 0; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.hash != hash) continue;
      Bucket& b = buckets_[s.bucket - 1];
      if (tags_[s.bucket - 1] == tag && states_[s.bucket - 1] == state && set.ok_equals(&arena_[b.ok_offset])) {
        return add_info(b, set);
      }
    }
    if (!fits(buckets_, buckets_.size() + 1) || !fits(states_, states_.size() + 1) || !fits(tags_, tags_.size() + 1) ||
        !fits(arena_, arena_.size() + set.ok_encoded_size())) {
      return Insert::OutOfMemory;
    }
    buckets_.push_back(Bucket{arena_.size(), kNone});
    arena_.resize(arena_.size() + set.ok_encoded_size());
    set.encode_ok(&arena_[buckets_.back().ok_offset]);
    states_.push_back(state);
    tags_.push_back(tag ? 1 : 0);
    slots_[i] = Slot{hash, static_cast<std::uint32_t>(buckets_.size())};
    return add_info(buckets_.back(), set);
  }

  std::size_t entries() const { return infos_.size(); }
  std::size_t bytes() const { return reserved_; }

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t bucket = 0;  // 1-based bucket id; 0 = empty
  };
  struct Bucket {
    std::size_t ok_offset;  // arena offset of the ok-part encoding
    std::uint32_t first;    // first info entry, or kNone
  };
  struct Info {
    std::size_t offset;  // arena offset of the info words
    std::uint32_t size;  // number of info words
    std::uint32_t next;  // next info entry of the same bucket, or kNone
  };

  Insert add_info(Bucket& b, const LinearizedSet& set) {
    for (std::uint32_t* link = &b.first; *link != kNone;) {
      const Info& e = infos_[*link];
      if (set.info_includes(&arena_[e.offset], e.size)) return Insert::Present;
      // A listed superset of the new set is dominated by it from now on.
      if (set.info_included_in(&arena_[e.offset], e.size)) *link = e.next;
      else link = &infos_[*link].next;
    }
    const std::size_t bucket_index = static_cast<std::size_t>(&b - buckets_.data());
    if (!fits(infos_, infos_.size() + 1) || !fits(arena_, arena_.size() + set.info_size())) return Insert::OutOfMemory;
    Bucket& bucket = buckets_[bucket_index];  // fits() may not move buckets_, but be explicit
    infos_.push_back(Info{arena_.size(), static_cast<std::uint32_t>(set.info_size()), bucket.first});
    arena_.resize(arena_.size() + set.info_size());
    set.encode_info(&arena_[infos_.back().offset]);
    bucket.first = static_cast<std::uint32_t>(infos_.size() - 1);
    return Insert::Added;
  }

  bool reserve_bytes(std::size_t bytes) {
    if (!budget_.try_reserve(bytes)) return false;
    reserved_ += bytes;
    return true;
  }

  // Makes room for `size` elements in v, reserving the growth from the budget first.
  template <class T>
  bool fits(std::vector<T>& v, std::size_t size) {
    if (size <= v.capacity()) return true;
    const std::size_t cap = std::max<std::size_t>({size, v.capacity() * 2, 16});
    if (!reserve_bytes((cap - v.capacity()) * sizeof(T))) return false;
    v.reserve(cap);
    return true;
  }

  bool grow_slots() {
    if (buckets_.size() >= 0x7fffffffu) return false;
    const std::size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
    if (!reserve_bytes(n * sizeof(Slot))) return false;
    std::vector<Slot> bigger(n);
    for (const Slot& s : slots_) {
      if (s.bucket == 0) continue;
      std::size_t i = s.hash & (n - 1);
      while (bigger[i].bucket != 0) i = (i + 1) & (n - 1);
      bigger[i] = s;
    }
    budget_.release(slots_.size() * sizeof(Slot));
    reserved_ -= slots_.size() * sizeof(Slot);
    slots_.swap(bigger);
    return true;
  }

  MemoryBudget& budget_;
  std::size_t reserved_ = 0;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  std::vector<State> states_;  // bucket → model state
  std::vector<std::uint8_t> tags_;  // bucket → tag
  std::vector<Info> infos_;
  std::vector<std::uint64_t> arena_;
};

}  // namespace lincheck
