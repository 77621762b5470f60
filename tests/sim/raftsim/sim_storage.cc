#include "raftsim/sim_storage.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "raft/wal_record.h"

namespace raftsim {

namespace {

constexpr const char* kDir = "/node";

std::shared_ptr<spdlog::logger> quiet_logger() {
  static const auto logger =
      std::make_shared<spdlog::logger>("sim-wal", std::make_shared<spdlog::sinks::null_sink_mt>());
  return logger;
}

}  // namespace

SimStorage::SimStorage(raft::PlantedBugs bugs) {
  options_.logger = quiet_logger();
  options_.planted_bugs = bugs;
  if (std::string error = restart(); !error.empty()) {
    throw std::runtime_error("SimStorage: cannot create an empty log: " + error);
  }
}

SimStorage::~SimStorage() = default;

bool SimStorage::qualifies(const std::optional<raft::HardState>& hs,
                           const std::vector<raft::Entry>& entries) const {
  if (!armed_ || *armed_ == PersistPoint::kSnapshot) return false;
  const raft::HardState old = wal_->hard_state();
  if (*armed_ == PersistPoint::kAny) {
    return !entries.empty() || (hs && (hs->term != old.term || hs->vote != old.vote));
  }
  return hs && (hs->term != old.term || hs->vote != old.vote);
}

void SimStorage::persist(const std::optional<raft::HardState>& hs,
                         const std::vector<raft::Entry>& entries) {
  if (!crashed() && qualifies(hs, entries)) {
    fs_.freeze();  // this write reaches the page cache; the process dies in its sync
    armed_.reset();
  }
  const bool was_alive = !crashed();
  wal_->persist(hs, entries);
  if (was_alive) ++persists_;
}

void SimStorage::maybe_die_in_snapshot() {
  if (crashed() || armed_ != PersistPoint::kSnapshot) return;
  // A compaction syncs up to five times (segment roll-over, snapshot file, rename,
  // deletions); an install as many. Which one varies from run to run.
  fs_.die_at_sync(1 + persists_ % 5);
  armed_.reset();
}

void SimStorage::compact(const raft::Snapshot& snap) {
  maybe_die_in_snapshot();
  wal_->compact(snap);
}

void SimStorage::apply_snapshot(const raft::Snapshot& snap) {
  maybe_die_in_snapshot();
  wal_->apply_snapshot(snap);
}

void SimStorage::crash(const raft::testing::MemoryFileSystem::Pick& pick) {
  wal_.reset();
  armed_.reset();
  fs_.crash(pick);
}

std::string SimStorage::restart() {
  wal_.reset();
  armed_.reset();
  auto wal = raft::Wal::open(fs_, kDir, options_);
  if (!wal) return wal.error();
  wal_ = std::move(*wal);
  return {};
}

std::string SimStorage::corrupt(const raft::testing::MemoryFileSystem::Pick& pick) {
  struct Span {
    std::string path;
    std::size_t begin, end;
  };
  std::vector<Span> records;
  for (const std::string& path : fs_.paths()) {
    if (!path.ends_with(".wal")) continue;
    const std::string& data = fs_.contents(path);
    for (std::size_t off = 0; off < data.size();) {
      const raft::wal::ReadResult r = raft::wal::read_record(data, off);
      if (r.status != raft::wal::ReadStatus::kOk) break;
      records.push_back({path, off, r.end});
      off = r.end;
    }
  }
  if (records.size() < 2) return {};
  records.pop_back();  // the last record: indistinguishable from a torn write
  const Span& s = records[pick(records.size() - 1)];
  const std::uint64_t offset = s.begin + pick(s.end - s.begin - 1);
  const int bit = static_cast<int>(pick(7));
  fs_.flip_bit(s.path, offset, bit);
  return s.path + " byte " + std::to_string(offset) + " bit " + std::to_string(bit);
}

}  // namespace raftsim
