#include "raftsim/sim_storage.h"

namespace raftsim {

bool SimStorage::qualifies(const std::optional<raft::HardState>& hs,
                           const std::vector<raft::Entry>& entries) const {
  if (!armed_) return false;
  if (*armed_ == PersistPoint::kAny) return hs.has_value() || !entries.empty();
  const raft::HardState old = durable_.hard_state();
  return hs && (hs->term != old.term || hs->vote != old.vote);
}

void SimStorage::persist(const std::optional<raft::HardState>& hs,
                         const std::vector<raft::Entry>& entries) {
  if (ghost_) {  // already dead: nothing reaches the disk any more
    ghost_->persist(hs, entries);
    return;
  }
  if (qualifies(hs, entries)) {
    ghost_ = std::make_unique<raft::MemoryStorage>(durable_);
    ghost_->persist(hs, entries);
    armed_.reset();
    return;
  }
  durable_.persist(hs, entries);
  ++persists_;
}

}  // namespace raftsim
