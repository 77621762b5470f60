// A node's stable storage in the simulator, with a crash point inside persist().
//
// Crash model. The kv::Service persists synchronously: inside one call it sends
// Ready.messages, persists, then sends Ready.messages_after_persist and applies. A crash
// between two Service calls is a plain crash (Simulator::crash). This wrapper adds the
// other interesting moment: dying *inside* persist, after the early messages left but
// before anything of the write was durable. When armed, the next qualifying persist is
// dropped whole (the write-ahead record never made it to disk; we do not model torn
// records) and the storage reports crashed(). The Service runs on to the end of its
// current call, but the node is dead from that point: the simulator discards everything
// it sends or answers afterwards and then destroys it.
//
// Because the dead Service may keep reading its log after the dropped persist (it already
// marked those entries stable), reads and later persists go to a volatile copy -- the
// "ghost" -- that includes the lost write. restart() throws the ghost away: only what was
// durable comes back.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "raft/storage.h"
#include "raftsim/schedule.h"

namespace raftsim {

class SimStorage final : public raft::LogStorage {
 public:
  [[nodiscard]] raft::HardState hard_state() const override { return view().hard_state(); }
  [[nodiscard]] std::vector<raft::Entry> entries(raft::Index lo, raft::Index hi,
                                                 std::size_t max_bytes) const override {
    return view().entries(lo, hi, max_bytes);
  }
  [[nodiscard]] std::optional<raft::Term> term(raft::Index i) const override { return view().term(i); }
  [[nodiscard]] raft::Index first_index() const override { return view().first_index(); }
  [[nodiscard]] raft::Index last_index() const override { return view().last_index(); }

  void persist(const std::optional<raft::HardState>& hs,
               const std::vector<raft::Entry>& entries) override;

  /// The next persist matching `point` crashes the node.
  void arm(PersistPoint point) { armed_ = point; }
  void arm_cancel() { armed_.reset(); }
  /// True from the dropped persist until restart().
  [[nodiscard]] bool crashed() const { return ghost_ != nullptr; }
  /// The node comes back: forget the ghost and any armed crash.
  void restart() {
    ghost_.reset();
    armed_.reset();
  }
  /// What survives a crash.
  [[nodiscard]] const raft::MemoryStorage& durable() const { return durable_; }
  /// Persist calls that reached durable storage.
  [[nodiscard]] std::uint64_t persists() const { return persists_; }

 private:
  [[nodiscard]] const raft::MemoryStorage& view() const { return ghost_ ? *ghost_ : durable_; }
  [[nodiscard]] bool qualifies(const std::optional<raft::HardState>& hs,
                               const std::vector<raft::Entry>& entries) const;

  raft::MemoryStorage durable_;
  std::unique_ptr<raft::MemoryStorage> ghost_;
  std::optional<PersistPoint> armed_;
  std::uint64_t persists_ = 0;
};

}  // namespace raftsim
