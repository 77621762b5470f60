// Helpers for driving a single Raft core by hand in unit tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "raft/raft.h"

namespace raft::test {

inline std::vector<NodeId> ids(std::initializer_list<std::uint64_t> v) {
  std::vector<NodeId> out;
  for (auto x : v) out.emplace_back(x);
  return out;
}

/// Config tweak for tests that drive elections by hand: plain §5.2 elections, no pre-vote
/// round, and a leader that never steps down on its own for lack of a quorum.
inline void manual(Config& c) {
  c.pre_vote = false;
  c.check_quorum = false;
}

/// One core on its own storage; the test plays every peer.
struct Solo {
  explicit Solo(std::uint64_t id = 1, std::vector<NodeId> voters = ids({1, 2, 3}),
                std::function<void(Config&)> tweak = {}) {
    config.id = NodeId{id};
    config.voters = std::move(voters);
    if (tweak) tweak(config);
    raft = std::make_unique<Raft>(config, storage);
  }
  /// Takes a Ready, persists it the way a correct caller does, advances; returns it.
  Ready persist() {
    Ready rd = raft->ready();
    if (rd.snapshot) storage.apply_snapshot(*rd.snapshot);
    if (rd.hard_state) storage.set_hard_state(*rd.hard_state);
    storage.append(rd.entries);
    raft->advance(rd);
    return rd;
  }
  /// All messages of a Ready (both kinds), after persisting it.
  std::vector<Message> outbox() {
    Ready rd = persist();
    std::vector<Message> all = rd.messages;
    all.insert(all.end(), rd.messages_after_persist.begin(), rd.messages_after_persist.end());
    return all;
  }
  Config config;
  MemoryStorage storage;
  std::unique_ptr<Raft> raft;
};

inline Message msg(std::uint64_t from, std::uint64_t to, std::uint64_t term, MessageBody body) {
  return Message{NodeId{from}, NodeId{to}, Term{term}, std::move(body)};
}

inline Entry entry(std::uint64_t index, std::uint64_t term, std::string data = "") {
  return Entry{Term{term}, Index{index}, EntryType::kNormal, std::move(data)};
}

template <class T>
std::vector<T> bodies_of(const std::vector<Message>& ms) {
  std::vector<T> out;
  for (const Message& m : ms) {
    if (const T* b = std::get_if<T>(&m.body)) out.push_back(*b);
  }
  return out;
}

template <class T>
std::size_t count_of(const std::vector<Message>& ms) {
  return bodies_of<T>(ms).size();
}

}  // namespace raft::test
