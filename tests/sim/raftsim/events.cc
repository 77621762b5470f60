#include "raftsim/events.h"

#include <algorithm>

namespace raftsim {

namespace {
template <class K>
bool earlier(const K& a, const K& b) {
  return a.at != b.at ? a.at < b.at : a.seq < b.seq;
}
// A 4-ary min-heap: half the depth of a binary heap, and the four children of a node
// share a cache line or two -- popping is most of the queue's cost.
constexpr std::size_t kArity = 4;
}  // namespace

std::uint32_t EventQueue::take_slot() {
  if (free_slots_.empty()) {
    if ((slots_ >> kChunkBits) == chunks_.size()) {
      chunks_.push_back(std::make_unique<EventBody[]>(std::size_t{1} << kChunkBits));
    }
    return slots_++;
  }
  const std::uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void EventQueue::push_key(Micros at, std::uint32_t slot) {
  const Key k{at, next_seq_++, slot};
  std::size_t hole = heap_.size();
  heap_.push_back(k);
  while (hole > 0) {  // sift up: most new events are later than most queued ones
    const std::size_t parent = (hole - 1) / kArity;
    if (!earlier(k, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = k;
}

EventQueue::Key EventQueue::pop_key() {
  const Key top = heap_.front();
  const Key last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  std::size_t hole = 0;
  while (n > 0) {  // sift `last` down from the root
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (earlier(heap_[c], heap_[best])) best = c;
    }
    if (!earlier(heap_[best], last)) break;
    heap_[hole] = heap_[best];
    hole = best;
  }
  if (n > 0) heap_[hole] = last;
  return top;
}

Event EventQueue::pop() {
  const Key k = pop_key();
  free_slots_.push_back(k.slot);
  return Event{k.at, k.seq, std::move(slot_body(k.slot))};
}

}  // namespace raftsim
