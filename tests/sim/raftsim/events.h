// The simulator's event queue: a min-heap on (time, sequence number). The sequence number
// is the order of scheduling, so events at the same virtual time run in a deterministic
// order -- the one thing a priority queue alone would not give.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <variant>
#include <vector>

#include "raft/service.h"
#include "raftsim/time.h"

namespace raftsim {

struct TickEvent {
  int node;
};
struct DeliverEvent {  // a peer message reaches its destination
  int from;
  int to;
  raft::PeerMessage message;
};
struct RequestEvent {  // a client request reaches its node
  std::size_t op;
};
struct ResponseEvent {  // an answer reaches its client
  std::size_t op;
  raft::Outcome outcome;
};
struct ClientEvent {  // a client issues its next operation
  int client;
};
struct TimeoutEvent {  // a client's deadline (see Simulator::client_timeout)
  int client;
};
struct FaultEvent {  // index into the time-ordered schedule
  std::size_t fault;
};
struct FaultsEndEvent {};
struct SummaryEvent {};  // a timeline summary line
struct MembershipEvent {  // a configuration change or transfer (sim_membership.cc)
  bool recurring = true;  // schedules the next one; false: a one-off after an election
};

using EventBody = std::variant<TickEvent, DeliverEvent, RequestEvent, ResponseEvent,
                               ClientEvent, TimeoutEvent, FaultEvent, FaultsEndEvent,
                               SummaryEvent, MembershipEvent>;

struct Event {
  Micros at;
  std::uint64_t seq;
  EventBody body;
};

class EventQueue {
 public:
  /// Schedules `body` (an EventBody or any one of its alternatives) at `at`.
  template <class Body>
  void push(Micros at, Body&& body) {
    const std::uint32_t slot = take_slot();
    slot_body(slot) = std::forward<Body>(body);  // straight into the slab: one move
    push_key(at, slot);
  }
  /// Schedules a `Body` built from `args` where it will lie (no temporary to move).
  template <class Body, class... Args>
  void emplace(Micros at, Args&&... args) {
    const std::uint32_t slot = take_slot();
    slot_body(slot).emplace<Body>(std::forward<Args>(args)...);  // C++20: aggregates too
    push_key(at, slot);
  }
  /// Removes and returns the earliest event. Requires !empty().
  Event pop();
  /// Removes the earliest event and calls handle(time, body) on it where it lies -- no
  /// copy or move of the body; `handle` may move from it and may push more events.
  /// Requires !empty().
  template <class Handle>
  void pop_and_handle(Handle&& handle) {
    const Key k = pop_key();
    handle(k.at, slot_body(k.slot));
    free_slots_.push_back(k.slot);
  }
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
  std::uint32_t take_slot();
  void push_key(Micros at, std::uint32_t slot);
  Key pop_key();

  std::vector<Key> heap_;
  // The slab: fixed-size chunks, so a body stays put while new ones are pushed (a handler
  // may push events while its own body is in use) and finding one is a shift and a mask.
  static constexpr std::uint32_t kChunkBits = 8;
  EventBody& slot_body(std::uint32_t slot) {
    return chunks_[slot >> kChunkBits][slot & ((1u << kChunkBits) - 1)];
  }
  std::vector<std::unique_ptr<EventBody[]>> chunks_;
  std::uint32_t slots_ = 0;  // slots handed out so far (free or in use)
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace raftsim
