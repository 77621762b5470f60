// The memo of Lowe's algorithm: the (linearized set, model state) configurations already
// visited. Reaching a configuration twice means the second visit can only repeat the first
// one's failed search (Lowe 2017, §3; Porcupine's "cache"), so the search skips it.
//
// Open addressing with linear probing over 16-byte slots (hash, entry id); entries keep the
// set's compact encoding in one arena and states in a parallel vector, so the table holds no
// per-entry heap allocation. Every byte it allocates is first reserved from a MemoryBudget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lincheck/linearized_set.hpp"
#include "lincheck/memory_budget.hpp"

namespace lincheck {

template <class State>
class MemoTable {
 public:
  enum class Insert : std::uint8_t { Added, Present, OutOfMemory };

  explicit MemoTable(MemoryBudget& budget) : budget_(budget) {}
  MemoTable(const MemoTable&) = delete;
  MemoTable& operator=(const MemoTable&) = delete;
  ~MemoTable() { budget_.release(reserved_); }

  // Adds (set, state) keyed by `hash` unless it is already there.
  Insert insert(const LinearizedSet& set, std::uint64_t hash, const State& state) {
    if ((entries() + 1) * 2 > slots_.size() && !grow_slots()) return Insert::OutOfMemory;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (; slots_[i].entry != 0; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.hash == hash && states_[s.entry - 1] == state && set.equals(&arena_[offsets_[s.entry - 1]])) {
        return Insert::Present;
      }
    }
    const std::size_t need = set.encoded_size();
    if (!fits(arena_, arena_.size() + need) || !fits(offsets_, offsets_.size() + 1) ||
        !fits(states_, states_.size() + 1)) {
      return Insert::OutOfMemory;
    }
    offsets_.push_back(arena_.size());
    arena_.resize(arena_.size() + need);
    set.encode(&arena_[offsets_.back()]);
    states_.push_back(state);
    slots_[i] = Slot{hash, static_cast<std::uint32_t>(states_.size())};
    return Insert::Added;
  }

  std::size_t entries() const { return states_.size(); }
  std::size_t bytes() const { return reserved_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry = 0;  // 1-based entry id; 0 = empty
  };

  bool reserve_bytes(std::size_t bytes) {
    if (!budget_.try_reserve(bytes)) return false;
    reserved_ += bytes;
    return true;
  }

  // Makes room for `size` elements in v, reserving the growth from the budget first.
  template <class T>
  bool fits(std::vector<T>& v, std::size_t size) {
    if (size <= v.capacity()) return true;
    const std::size_t cap = std::max<std::size_t>(size, v.capacity() * 2);
    if (!reserve_bytes((cap - v.capacity()) * sizeof(T))) return false;
    v.reserve(cap);
    return true;
  }

  bool grow_slots() {
    if (entries() >= 0xffffffffu / 2) return false;
    const std::size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
    if (!reserve_bytes(n * sizeof(Slot))) return false;
    std::vector<Slot> bigger(n);
    for (const Slot& s : slots_) {
      if (s.entry == 0) continue;
      std::size_t i = s.hash & (n - 1);
      while (bigger[i].entry != 0) i = (i + 1) & (n - 1);
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
  std::vector<std::uint64_t> arena_;
  std::vector<std::uint64_t> offsets_;  // entry → arena offset of its encoded set
  std::vector<State> states_;           // entry → model state
};

}  // namespace lincheck
