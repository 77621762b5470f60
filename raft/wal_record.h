// The write-ahead log's on-disk record format: how bytes on disk become hard states and
// entries, and how a damaged record is told apart from a good one.
//
// A segment file is a sequence of records. Every record is
//
//   length u32 | body crc32 u32 | header crc32 u32 | body (length bytes: type u8, payload)
//
// all integers little-endian; crc32 is zlib's (CRC-32/ISO-HDLC). The header checksum covers
// the first 8 bytes, so a damaged length is caught before it is trusted: without it a
// flipped bit in a length could make a good record look like a torn tail and be cut off.
//
// Record types:
//   segment header  magic "RKVWAL01", segment sequence number u64. First in every segment.
//   batch           flags u8 (bit 0: a hard state follows), [term u64, vote u64,
//                   commit u64], entry count u32, then per entry: term u64, index u64,
//                   type u8, data length u32, data.
//
//   snapshot        (alone in a snapshot file <16 hex index>.snap) index u64, term u64,
//                   voter count u32, voters u64..., hard state term u64, vote u64,
//                   commit u64, first segment u64 (segments numbered below it are
//                   superseded by the snapshot), data length u64, data, and only if
//                   the configuration has outgoing voters or learners: outgoing count
//                   u32, outgoing u64..., learner count u32, learners u64....
//
// One persist() call writes exactly one batch record with one write and syncs it before
// the next write begins, so at most the last record of the last segment can be torn by a
// crash. See Wal::open for how recovery uses that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/entry.h"
#include "raft/expected.h"
#include "raft/snapshot.h"

namespace raft::wal {

inline constexpr std::size_t kHeaderBytes = 12;
/// A larger length is damage, never a record (the core bounds a Ready far below this).
inline constexpr std::uint32_t kMaxBodyBytes = 1u << 30;
inline constexpr std::string_view kMagic = "RKVWAL01";

enum class RecordType : std::uint8_t { kSegmentHeader = 1, kBatch = 2, kSnapshot = 3 };

struct Batch {
  std::optional<HardState> hard_state;
  std::vector<Entry> entries;
};

/// The content of a snapshot file.
struct SnapshotFile {
  Snapshot snapshot;
  HardState hard_state;  // as of the snapshot's writing (segments after it may be newer)
  std::uint64_t first_segment = 0;
};

std::uint32_t crc32(std::string_view data);
void append_snapshot(std::string& out, const SnapshotFile& f);
Expected<SnapshotFile, std::string> parse_snapshot(std::string_view payload);

/// Appends an encoded record to `out`.
void append_segment_header(std::string& out, std::uint64_t seq);
void append_batch(std::string& out, const std::optional<HardState>& hs,
                  const std::vector<Entry>& entries);

/// What is at an offset of a segment file.
enum class ReadStatus {
  kOk,         // a whole record whose checksums match
  kTruncated,  // the file ends inside the record (its header or its body)
  kBadHeader,  // the header checksum does not match: the length cannot be trusted
  kBadBody,    // the header is sound, the body checksum does not match
};

struct ReadResult {
  ReadStatus status = ReadStatus::kOk;
  RecordType type = RecordType::kBatch;  // kOk only
  std::string_view payload;              // kOk only: the body after the type byte
  std::size_t end = 0;  // kOk, kBadBody: offset just past the record
};

/// Reads the record at `offset` (< file.size()) of `file`.
ReadResult read_record(std::string_view file, std::size_t offset);

/// Decoders for checksummed payloads; an error means the payload is well-checksummed but
/// does not parse (a bug or a format from the future), which is as fatal as damage.
Expected<std::uint64_t, std::string> parse_segment_header(std::string_view payload);
Expected<Batch, std::string> parse_batch(std::string_view payload);

}  // namespace raft::wal
