// The simulator's event queue: a min-heap on (time, sequence number). The sequence number
// is the order of scheduling, so events at the same virtual time run in a deterministic
// order -- the one thing a priority queue alone would not give.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "kv/service.h"
#include "raftsim/time.h"

namespace raftsim {

struct TickEvent {
  int node;
};
struct DeliverEvent {  // a peer message reaches its destination
  int from;
  int to;
  kv::PeerMessage message;
};
struct RequestEvent {  // a client request reaches its node
  std::size_t op;
};
struct ResponseEvent {  // an answer reaches its client
  std::size_t op;
  kv::Result result;
};
struct ClientEvent {  // a client issues its next operation
  int client;
};
struct TimeoutEvent {  // a client stops waiting
  std::size_t op;
};
struct FaultEvent {  // index into the time-ordered schedule
  std::size_t fault;
};
struct FaultsEndEvent {};
struct SummaryEvent {};  // a timeline summary line

using EventBody = std::variant<TickEvent, DeliverEvent, RequestEvent, ResponseEvent,
                               ClientEvent, TimeoutEvent, FaultEvent, FaultsEndEvent,
                               SummaryEvent>;

struct Event {
  Micros at;
  std::uint64_t seq;
  EventBody body;
};

class EventQueue {
 public:
  void push(Micros at, EventBody body);
  /// Removes and returns the earliest event. Requires !empty().
  Event pop();
  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] Micros next_time() const { return heap_.front().at; }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }

 private:
  // The heap orders small keys; bodies (a message can be large) stay put in a slab, so
  // sifting moves 24 bytes instead of a variant.
  struct Key {
    Micros at;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  std::vector<Key> heap_;
  std::vector<EventBody> slab_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace raftsim
