// Fuzz target: the write-ahead log's recovery (raft::Wal::open) from an arbitrary snapshot
// file (<index>.snap) and the segment after it -- what a damaged or hostile disk hands it.
//
// Input: two bytes (little-endian) give the snapshot file's length; that many bytes are
// the snapshot file, the rest the last segment. The seeds are a real log compacted by a
// snapshot (corpus/wal_snapshot, written by the Wal itself).
// Properties: recovery never crashes, hangs or allocates without bound; when it accepts
// the files, the log starts right after the snapshot, is contiguous, and its commit index
// lies between the snapshot and the last entry; and it keeps working: an entry persisted
// and a newer snapshot taken after it survive a reopen, with everything recovered.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"

namespace {

const std::string kSnapDir = "/wal";

raft::WalOptions quiet_options() {
  raft::WalOptions o;
  static const auto logger = std::make_shared<spdlog::logger>(
      "fuzz-wal-snapshot", std::make_shared<spdlog::sinks::null_sink_mt>());
  o.logger = logger;
  return o;
}

std::vector<raft::Entry> stored_entries(const raft::Storage& s) {
  if (s.last_index() < s.first_index()) return {};
  return s.entries(s.first_index(), s.last_index().next(), SIZE_MAX);
}

void check_shape(const raft::Wal& w) {
  const raft::Snapshot snap = w.snapshot();
  fuzz::check(w.first_index() == snap.meta.index.next(), "the log does not start after the snapshot");
  const std::vector<raft::Entry> entries = stored_entries(w);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    fuzz::check(entries[i].index == w.first_index() + i, "recovered entries are not contiguous");
  }
  fuzz::check(w.hard_state().commit <= w.last_index(), "commit index beyond the recovered log");
  fuzz::check(snap.empty() || snap.meta.index <= w.hard_state().commit,
              "a snapshot of entries that were never committed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t snap_bytes = std::min<std::size_t>(bytes.size(), data[0] | (data[1] << 8));
  raft::testing::MemoryFileSystem fs;
  fs.create_dirs(kSnapDir);
  fs.open_append(kSnapDir + "/" + raft::Wal::snapshot_name(raft::Index{3}))
      ->append(bytes.substr(0, snap_bytes));
  fs.open_append(kSnapDir + "/" + raft::Wal::segment_name(1))->append(bytes.substr(snap_bytes));

  std::vector<raft::Entry> expected;
  raft::Snapshot taken;
  {
    auto wal = raft::Wal::open(fs, kSnapDir, quiet_options());
    if (!wal) return 0;  // refused with a reason: fine
    raft::Wal& w = **wal;
    check_shape(w);
    const raft::Term term = std::max(w.hard_state().term, w.term(w.last_index()).value_or(raft::Term{}));
    const raft::Entry extra{term, w.last_index().next(), raft::EntryType::kNormal, "fuzz"};
    w.persist(raft::HardState{term, w.hard_state().vote, extra.index}, {extra});
    // A newer snapshot at the entry just persisted (committed by the hard state above).
    taken = raft::Snapshot{raft::SnapshotMeta{extra.index, extra.term, {raft::NodeId{1}}},
                           raft::Bytes(std::string("fuzz-state"))};
    w.compact(taken);
    check_shape(w);
    expected = stored_entries(w);
  }
  auto again = raft::Wal::open(fs, kSnapDir, quiet_options());
  fuzz::check(again.has_value(), "a log the WAL accepted, appended to and compacted is refused on reopen");
  check_shape(**again);
  fuzz::check((*again)->snapshot().meta.index == taken.meta.index &&
                  (*again)->snapshot().data == taken.data,
              "the snapshot taken is not the one recovered");
  fuzz::check(stored_entries(**again) == expected, "the reopened log differs from what was served");
  return 0;
}
