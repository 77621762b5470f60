#include "raft/wal.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "raft/fail_stop.h"
#include "raft/planted_bugs_compiled.h"
#include "raft/wal_record.h"

namespace raft {

namespace {

/// Parses "<16 hex digits>.wal"; nullopt for any other file (LOCK, snapshots, ...).
std::optional<std::uint64_t> parse_segment_name(const std::string& name) {
  if (name.size() != 20 || name.substr(16) != ".wal") return std::nullopt;
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = name[i];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    seq = (seq << 4) | static_cast<std::uint64_t>(d);
  }
  return seq;
}

constexpr std::string_view kSnapshotTmp = "snapshot.tmp";

/// Parses "<16 hex digits>.snap".
std::optional<std::uint64_t> parse_snapshot_name(const std::string& name) {
  if (name.size() != 21 || name.substr(16) != ".snap") return std::nullopt;
  return parse_segment_name(name.substr(0, 16) + ".wal");
}

bool all_zero(std::string_view s) {
  return s.find_first_not_of('\0') == std::string_view::npos;
}

/// Only the last write can be torn (see wal.h): is the damage at `offset` that write?
bool is_torn_tail(std::string_view file, std::size_t offset, const wal::ReadResult& r) {
  switch (r.status) {
    case wal::ReadStatus::kTruncated: return true;
    case wal::ReadStatus::kBadBody: return all_zero(file.substr(r.end));
    case wal::ReadStatus::kBadHeader:
      // The length is unknown. A tear leaves nothing sound behind it; damage in the middle
      // of the log does.
      for (std::size_t o = offset + 1; o + wal::kHeaderBytes <= file.size(); ++o) {
        if (wal::read_record(file, o).status == wal::ReadStatus::kOk) return false;
      }
      return true;
    case wal::ReadStatus::kOk: return false;
  }
  return false;
}

const char* damage_name(wal::ReadStatus s) {
  switch (s) {
    case wal::ReadStatus::kTruncated: return "the file ends inside the record";
    case wal::ReadStatus::kBadHeader: return "record header checksum mismatch";
    case wal::ReadStatus::kBadBody: return "record checksum mismatch";
    case wal::ReadStatus::kOk: return "ok";
  }
  return "?";
}

}  // namespace

std::string Wal::segment_name(std::uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 ".wal", seq);
  return buf;
}

std::string Wal::snapshot_name(Index index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 ".snap", index.value());
  return buf;
}

Wal::Wal(FileSystem& fs, std::string dir, WalOptions options)
    : fs_(fs),
      dir_(std::move(dir)),
      options_(std::move(options)),
      logger_(options_.logger ? options_.logger : spdlog::default_logger()) {}

Wal::~Wal() = default;

Expected<std::unique_ptr<Wal>, std::string> Wal::open(FileSystem& fs, std::string dir,
                                                      WalOptions options) {
  std::unique_ptr<Wal> wal(new Wal(fs, std::move(dir), std::move(options)));
  try {
    fs.create_dirs(wal->dir_);
    wal->lock_ = fs.lock(wal->dir_);
    std::string error = wal->recover();
    if (!error.empty()) return Unexpected{std::move(error)};
  } catch (const IoError& e) {
    return Unexpected{std::string(e.what())};
  }
  return wal;
}

std::string Wal::recover_snapshot(std::uint64_t& first_segment) {
  std::optional<std::uint64_t> newest;
  for (const std::string& name : fs_.list(dir_)) {
    if (name == kSnapshotTmp) {
      fs_.remove(path_join(dir_, name));  // a crash before its rename: never counted
    } else if (auto i = parse_snapshot_name(name)) {
      newest = std::max(newest.value_or(0), *i);
    }
  }
  if (!newest) return {};
  const std::string path = path_join(dir_, snapshot_name(Index{*newest}));
  const std::string data = fs_.read(path);
  // The file was synced before its rename made it visible: any damage is bit rot, and
  // the segments it replaced may be gone, so refuse rather than start without it.
  wal::ReadResult r;
  r.status = wal::ReadStatus::kTruncated;
  if (!data.empty()) r = wal::read_record(data, 0);
  if (r.status != wal::ReadStatus::kOk || r.type != wal::RecordType::kSnapshot ||
      r.end != data.size()) {
    return "snapshot damaged: " + path + ": " + damage_name(r.status) +
           "; refusing to start without the state it holds";
  }
  auto f = wal::parse_snapshot(r.payload);
  if (!f) return "snapshot unreadable: " + path + ": " + f.error();
  log_.apply_snapshot(f->snapshot);
  log_.set_hard_state(f->hard_state);
  first_segment = f->first_segment;
  return {};
}

std::string Wal::recover() {
  std::uint64_t first_segment = 0;
  if (std::string error = recover_snapshot(first_segment); !error.empty()) return error;
  std::vector<std::pair<std::uint64_t, std::string>> segments;
  for (const std::string& name : fs_.list(dir_)) {
    auto seq = parse_segment_name(name);
    if (!seq) continue;
    if (*seq < first_segment) {
      fs_.remove(path_join(dir_, name));  // superseded by the snapshot (crash before removal)
      continue;
    }
    segments.emplace_back(*seq, name);
  }
  std::sort(segments.begin(), segments.end());
  remove_superseded(first_segment, log_.snapshot().meta.index);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const bool last = i + 1 == segments.size();
    std::string error = recover_segment(segments[i].second, segments[i].first, last);
    if (!error.empty()) return error;
  }
  recovery_.segments = segments.size();
  HardState hs = log_.hard_state();
  // A commit-only change rides with the next record, so the segments may end with an
  // older commit index than the snapshot file's. The snapshot proves its entries
  // committed (a snapshot is only ever of applied entries): never start below it.
  if (hs.commit < log_.snapshot().meta.index) {
    hs.commit = log_.snapshot().meta.index;
    log_.set_hard_state(hs);
  }
  if (hs.commit > log_.last_index()) {
    return "write-ahead log in " + dir_ + ": commit index " + std::to_string(hs.commit.value()) +
           " is beyond the last entry " + std::to_string(log_.last_index().value());
  }
  written_ = hs;
  if (segment_ == nullptr) {
    start_segment(segments.empty() ? std::max<std::uint64_t>(first_segment, 1)
                                   : segments.back().first + 1);
  }
  if (recovery_.records > 0) {
    logger_->info("wal {}: recovered {} records from {} segments: term {}, vote {}, commit {}, "
                  "entries up to {}",
                  dir_, recovery_.records, recovery_.segments, hs.term.value(), hs.vote.value(),
                  hs.commit.value(), log_.last_index().value());
  }
  return {};
}

std::string Wal::recover_segment(const std::string& name, std::uint64_t seq, bool last) {
  const std::string path = path_join(dir_, name);
  const std::string data = fs_.read(path);
  recovering_seq_ = seq;
  std::size_t offset = 0;
  while (offset < data.size()) {
    // Zeros where a record would start: preallocated space, the end of the data.
    if (data[offset] == '\0' && all_zero(std::string_view(data).substr(offset))) break;
    const wal::ReadResult r = wal::read_record(data, offset);
    if (r.status != wal::ReadStatus::kOk) {
      if (!last || !is_torn_tail(data, offset, r)) {
        return "write-ahead log damaged: " + path + " at offset " + std::to_string(offset) +
               ": " + damage_name(r.status) +
               (last ? "" : " (not in the last segment)") +
               "; refusing to start rather than lose entries that may be committed";
      }
      logger_->warn("wal: cutting a torn record off the end of {} at offset {} ({} bytes: {})",
                    path, offset, data.size() - offset, damage_name(r.status));
      recovery_.torn_bytes += data.size() - offset;
      break;
    }
    std::string error;
    if (offset == 0) {
      auto header = r.type == wal::RecordType::kSegmentHeader
                        ? wal::parse_segment_header(r.payload)
                        : Expected<std::uint64_t, std::string>(
                              Unexpected{std::string("no segment header")});
      if (!header) {
        error = header.error();
      } else if (*header != seq) {
        error = "segment header names sequence " + std::to_string(*header);
      }
    } else if (r.type == wal::RecordType::kBatch) {
      error = apply_record(r.payload);
    } else {
      error = "unexpected record type " + std::to_string(static_cast<int>(r.type));
    }
    if (!error.empty()) {
      return "write-ahead log unreadable: " + path + " at offset " + std::to_string(offset) +
             ": " + error;
    }
    ++recovery_.records;
    offset = r.end;
  }
  if (!last) return {};
  // Cut a torn record, or preallocated zeros: appends continue from the data's end.
  if (offset < data.size()) fs_.truncate(path, offset);
  if (offset == 0) {
    // Only a torn segment header: the crash came while the segment was being created.
    fs_.remove(path);
    fs_.sync_dir(dir_);
    return {};
  }
  segment_ = fs_.open_append(path);
  segment_->preallocate(options_.preallocate_bytes);
  segment_seq_ = seq;
  segment_has_hard_state_ = false;
  return {};
}

std::string Wal::apply_record(std::string_view payload) {
  auto batch = wal::parse_batch(payload);
  if (!batch) return batch.error();
  if (batch->hard_state) log_.set_hard_state(*batch->hard_state);
  // Entries the snapshot covers are in it already (a segment can straddle it).
  const Index covered = log_.snapshot().meta.index;
  std::erase_if(batch->entries, [&](const Entry& e) { return e.index <= covered; });
  if (!batch->entries.empty()) {
    Index& max = segment_max_index_[recovering_seq_];
    max = std::max(max, batch->entries.back().index);
    const Index first = batch->entries.front().index;
    if (first.value() == 0 || first > log_.last_index().next()) {
      return "entries start at " + std::to_string(first.value()) + " after last index " +
             std::to_string(log_.last_index().value());
    }
    log_.append(batch->entries);
  }
  return {};
}

void Wal::start_segment(std::uint64_t seq) {
  const std::string path = path_join(dir_, segment_name(seq));
  auto file = fs_.open_append(path);
  file->preallocate(options_.preallocate_bytes);
  std::string header;
  wal::append_segment_header(header, seq);
  file->append(header);
  file->sync();
  fs_.sync_dir(dir_);  // the new file's name must survive a crash too
  segment_ = std::move(file);
  segment_seq_ = seq;
  segment_has_hard_state_ = false;
  ++stats_.segments_created;
}

void Wal::persist(const std::optional<HardState>& hs, const std::vector<Entry>& entries) {
  if (hs) log_.set_hard_state(*hs);
  const HardState now = log_.hard_state();
  const bool term_or_vote = now.term != written_.term || now.vote != written_.vote;
  if (entries.empty() && !term_or_vote) return;  // a commit-only change rides later
  if (!entries.empty()) {
    const Index first = entries.front().index;
    if (first.value() == 0 || first > log_.last_index().next()) {
      fail_stop("wal: persist of entries from " + std::to_string(first.value()) +
                " would leave a gap after " + std::to_string(log_.last_index().value()));
    }
    log_.append(entries);
  }
  write_batch(now != written_, entries);
  written_ = now;
}

void Wal::write_batch(bool hard_state_changed, const std::vector<Entry>& entries) {
  try {
    if (unsynced_) {  // planted ack_before_sync: the previous write is synced only now
      segment_->sync();
      ++stats_.syncs;
      unsynced_ = false;
    }
    if (segment_->size() >= options_.segment_bytes) start_segment(segment_seq_ + 1);
    std::string record;
    // A new segment repeats the hard state, so it stands alone once older ones go.
    const bool with_hard_state = hard_state_changed || !segment_has_hard_state_;
    wal::append_batch(record, with_hard_state ? std::optional<HardState>(log_.hard_state())
                                              : std::nullopt,
                      entries);
    segment_->append(record);
    if (!entries.empty()) {
      Index& max = segment_max_index_[segment_seq_];
      max = std::max(max, entries.back().index);
    }
    bool sync = true;
    if constexpr (kPlantedBugsCompiled) {
      if (options_.planted_bugs.ack_before_sync) sync = false;
    }
    if (sync) {
      segment_->sync();
      ++stats_.syncs;
    } else {
      unsynced_ = true;
    }
    segment_has_hard_state_ = true;
    ++stats_.writes;
    stats_.entries += entries.size();
    stats_.bytes += record.size();
  } catch (const IoError& e) {
    fail_stop(std::string("wal: ") + e.what() + " (the node stops: it cannot promise what it "
              "was about to acknowledge)");
  }
}

// ---- snapshots --------------------------------------------------------------------

void Wal::write_snapshot_file(const Snapshot& snap, std::uint64_t first_segment) {
  std::string record;
  // The commit index is a hint (see persist); here it must not pass the snapshot, which
  // may be all the log there is after a crash.
  HardState hs = log_.hard_state();
  hs.commit = std::min(hs.commit, snap.meta.index);
  wal::append_snapshot(record, wal::SnapshotFile{snap, hs, first_segment});
  const std::string tmp = path_join(dir_, kSnapshotTmp);
  // Atomic: the snapshot appears under its name whole and synced, or not at all. (Recovery
  // removed any temporary file an earlier crash left.)
  auto file = fs_.open_append(tmp);
  file->append(record);
  file->sync();
  fs_.rename(tmp, path_join(dir_, snapshot_name(snap.meta.index)));
  fs_.sync_dir(dir_);
  ++stats_.snapshots;
  stats_.bytes += record.size();
}

void Wal::remove_superseded(std::uint64_t first_segment, Index keep) {
  bool removed = false;
  for (const std::string& name : fs_.list(dir_)) {
    const auto seq = parse_segment_name(name);
    const auto snap = parse_snapshot_name(name);
    if ((seq && *seq < first_segment) || (snap && *snap < keep.value())) {
      fs_.remove(path_join(dir_, name));
      removed = true;
    }
    if (seq && *seq < first_segment) segment_max_index_.erase(*seq);
  }
  if (removed) fs_.sync_dir(dir_);
}

void Wal::compact(const Snapshot& snap) {
  const Index i = snap.meta.index;
  if (i <= log_.snapshot().meta.index) return;
  if (i > log_.last_index() || log_.term(i) != snap.meta.term) {
    throw std::invalid_argument("Wal::compact: index " + std::to_string(i.value()) +
                                " is not a stored entry of term " +
                                std::to_string(snap.meta.term.value()));
  }
  try {
    if (segment_->size() >= options_.roll_on_compact_bytes) start_segment(segment_seq_ + 1);
    // Segments below the first one holding an entry after the snapshot are covered whole.
    std::uint64_t first_segment = segment_seq_;
    for (const auto& [seq, max] : segment_max_index_) {
      if (max > i) {
        first_segment = std::min(first_segment, seq);
        break;
      }
    }
    write_snapshot_file(snap, first_segment);
    log_.compact(snap);
    remove_superseded(first_segment, i);
  } catch (const IoError& e) {
    fail_stop(std::string("wal: snapshot: ") + e.what());
  }
}

void Wal::apply_snapshot(const Snapshot& snap) {
  try {
    // The snapshot replaces the whole log: a new segment starts after it and everything
    // before that segment goes.
    const std::uint64_t next = segment_seq_ + 1;
    write_snapshot_file(snap, next);
    log_.apply_snapshot(snap);
    start_segment(next);
    remove_superseded(next, snap.meta.index);
  } catch (const IoError& e) {
    fail_stop(std::string("wal: snapshot: ") + e.what());
  }
}

}  // namespace raft
