#include "raftsim/events.h"

#include <algorithm>

namespace raftsim {

namespace {
// std::push_heap builds a max-heap: "less" here means "later".
bool later(const Event& a, const Event& b) {
  return a.at != b.at ? a.at > b.at : a.seq > b.seq;
}
}  // namespace

void EventQueue::push(Micros at, EventBody body) {
  heap_.push_back(Event{at, next_seq_++, std::move(body)});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

Event EventQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  Event e = std::move(heap_.back());
  heap_.pop_back();
  return e;
}

}  // namespace raftsim
