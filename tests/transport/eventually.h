// Waiting for a condition in tests of real threads, sockets and processes: the verdict
// never depends on how fast this machine is, only on whether the condition comes true
// within a generous limit.
#pragma once

#include <chrono>
#include <thread>

namespace raftkv::test {

/// Polls `pred` every `poll` until it holds or `limit` passes; returns the last answer.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(60),
                std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(poll);
  }
  return pred();
}

}  // namespace raftkv::test
