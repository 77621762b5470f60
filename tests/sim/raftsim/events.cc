#include "raftsim/events.h"

#include <algorithm>

namespace raftsim {

namespace {
// std::push_heap builds a max-heap: "less" here means "later".
template <class K>
bool later(const K& a, const K& b) {
  return a.at != b.at ? a.at > b.at : a.seq > b.seq;
}
}  // namespace

void EventQueue::push(Micros at, EventBody body) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slab_.size());
    slab_.push_back(std::move(body));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slab_[slot] = std::move(body);
  }
  heap_.push_back(Key{at, next_seq_++, slot});
  std::push_heap(heap_.begin(), heap_.end(), later<Key>);
}

Event EventQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later<Key>);
  const Key k = heap_.back();
  heap_.pop_back();
  free_slots_.push_back(k.slot);
  return Event{k.at, k.seq, std::move(slab_[k.slot])};
}

}  // namespace raftsim
