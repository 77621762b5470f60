#include "raft/wal_record.h"

#include <zlib.h>

#include <cstring>

namespace raft::wal {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.append(b, 4);
}

void put_u64(std::string& out, std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.append(b, 8);
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

/// Reserves the header, lets `fill` append the body, then writes the header.
template <class Fill>
void append_record(std::string& out, RecordType type, Fill&& fill) {
  const std::size_t start = out.size();
  out.append(kHeaderBytes, '\0');
  out.push_back(static_cast<char>(type));
  fill(out);
  const std::string_view body(out.data() + start + kHeaderBytes, out.size() - start - kHeaderBytes);
  std::string header;
  put_u32(header, static_cast<std::uint32_t>(body.size()));
  put_u32(header, crc32(body));
  put_u32(header, crc32(header));
  std::memcpy(out.data() + start, header.data(), kHeaderBytes);
}

/// Reads fixed-size fields off a payload, remembering whether it ran out.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool ok() const { return ok_; }
  bool done() const { return s_.empty(); }
  std::uint8_t u8() { return need(1) ? static_cast<std::uint8_t>(take(1)[0]) : 0; }
  std::uint32_t u32() { return need(4) ? get_u32(take(4)) : 0; }
  std::uint64_t u64() { return need(8) ? get_u64(take(8)) : 0; }
  std::string_view bytes(std::size_t n) {
    if (!need(n)) return {};
    std::string_view v = s_.substr(0, n);
    s_.remove_prefix(n);
    return v;
  }

 private:
  bool need(std::size_t n) {
    if (s_.size() < n) ok_ = false;
    return ok_;
  }
  const char* take(std::size_t n) {
    const char* p = s_.data();
    s_.remove_prefix(n);
    return p;
  }
  std::string_view s_;
  bool ok_ = true;
};

}  // namespace

std::uint32_t crc32(std::string_view data) {
  uLong c = ::crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length; feed huge buffers in pieces.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 1u << 30);
    c = ::crc32(c, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
    data.remove_prefix(n);
  }
  return static_cast<std::uint32_t>(c);
}

void append_segment_header(std::string& out, std::uint64_t seq) {
  append_record(out, RecordType::kSegmentHeader, [&](std::string& o) {
    o.append(kMagic);
    put_u64(o, seq);
  });
}

void append_batch(std::string& out, const std::optional<HardState>& hs,
                  const std::vector<Entry>& entries) {
  append_record(out, RecordType::kBatch, [&](std::string& o) {
    std::size_t bytes = 1 + 3 * 8 + 4;  // grown once, not field by field
    for (const Entry& e : entries) bytes += 8 + 8 + 1 + 4 + e.data.size();
    o.reserve(o.size() + bytes);
    o.push_back(hs ? 1 : 0);
    if (hs) {
      put_u64(o, hs->term.value());
      put_u64(o, hs->vote.value());
      put_u64(o, hs->commit.value());
    }
    put_u32(o, static_cast<std::uint32_t>(entries.size()));
    for (const Entry& e : entries) {
      put_u64(o, e.term.value());
      put_u64(o, e.index.value());
      o.push_back(static_cast<char>(e.type));
      put_u32(o, static_cast<std::uint32_t>(e.data.size()));
      o.append(e.data.view());
    }
  });
}

void append_snapshot(std::string& out, const SnapshotFile& f) {
  append_record(out, RecordType::kSnapshot, [&](std::string& o) {
    const SnapshotMeta& m = f.snapshot.meta;
    o.reserve(o.size() + 8 * (7 + m.voters.size()) + 4 + f.snapshot.data.size());
    put_u64(o, m.index.value());
    put_u64(o, m.term.value());
    put_u32(o, static_cast<std::uint32_t>(m.voters.size()));
    for (NodeId v : m.voters) put_u64(o, v.value());
    put_u64(o, f.hard_state.term.value());
    put_u64(o, f.hard_state.vote.value());
    put_u64(o, f.hard_state.commit.value());
    put_u64(o, f.first_segment);
    put_u64(o, f.snapshot.data.size());
    o.append(f.snapshot.data.view());
    // Written only when there is something to say, so a snapshot without learners or a
    // joint configuration is byte-for-byte what older versions wrote and read.
    if (!m.voters_outgoing.empty() || !m.learners.empty()) {
      for (const std::vector<NodeId>* list : {&m.voters_outgoing, &m.learners}) {
        put_u32(o, static_cast<std::uint32_t>(list->size()));
        for (NodeId v : *list) put_u64(o, v.value());
      }
    }
  });
}

Expected<SnapshotFile, std::string> parse_snapshot(std::string_view payload) {
  Reader rd(payload);
  SnapshotFile f;
  SnapshotMeta& m = f.snapshot.meta;
  m.index = Index{rd.u64()};
  m.term = Term{rd.u64()};
  const std::uint32_t voters = rd.u32();
  if (!rd.ok() || voters > payload.size() / 8) return Unexpected{std::string("bad voter count")};
  for (std::uint32_t i = 0; i < voters; ++i) m.voters.emplace_back(rd.u64());
  f.hard_state.term = Term{rd.u64()};
  f.hard_state.vote = NodeId{rd.u64()};
  f.hard_state.commit = Index{rd.u64()};
  f.first_segment = rd.u64();
  const std::uint64_t len = rd.u64();
  if (!rd.ok() || len > payload.size()) return Unexpected{std::string("bad snapshot length")};
  f.snapshot.data = Bytes(rd.bytes(len));
  if (rd.ok() && !rd.done()) {
    for (std::vector<NodeId>* list : {&m.voters_outgoing, &m.learners}) {
      const std::uint32_t n = rd.u32();
      if (!rd.ok() || n > payload.size() / 8) return Unexpected{std::string("bad member count")};
      for (std::uint32_t i = 0; i < n; ++i) list->emplace_back(rd.u64());
    }
  }
  if (!rd.ok() || !rd.done()) return Unexpected{std::string("snapshot of the wrong size")};
  return f;
}

ReadResult read_record(std::string_view file, std::size_t offset) {
  ReadResult r;
  if (file.size() - offset < kHeaderBytes) {
    r.status = ReadStatus::kTruncated;
    return r;
  }
  const char* h = file.data() + offset;
  if (crc32(std::string_view(h, 8)) != get_u32(h + 8)) {
    r.status = ReadStatus::kBadHeader;
    return r;
  }
  const std::uint32_t len = get_u32(h);
  if (len == 0 || len > kMaxBodyBytes) {
    r.status = ReadStatus::kBadHeader;  // a sound checksum over a length we never write
    return r;
  }
  if (file.size() - offset - kHeaderBytes < len) {
    r.status = ReadStatus::kTruncated;
    return r;
  }
  const std::string_view body = file.substr(offset + kHeaderBytes, len);
  r.end = offset + kHeaderBytes + len;
  if (crc32(body) != get_u32(h + 4)) {
    r.status = ReadStatus::kBadBody;
    return r;
  }
  r.type = static_cast<RecordType>(body[0]);
  r.payload = body.substr(1);
  return r;
}

Expected<std::uint64_t, std::string> parse_segment_header(std::string_view payload) {
  Reader rd(payload);
  const std::string_view magic = rd.bytes(kMagic.size());
  const std::uint64_t seq = rd.u64();
  if (!rd.ok() || !rd.done()) return Unexpected{std::string("segment header of the wrong size")};
  if (magic != kMagic) return Unexpected{"unknown segment format \"" + std::string(magic) + "\""};
  return seq;
}

Expected<Batch, std::string> parse_batch(std::string_view payload) {
  Reader rd(payload);
  Batch b;
  const std::uint8_t flags = rd.u8();
  if (flags > 1) return Unexpected{"unknown batch flags " + std::to_string(flags)};
  if (flags & 1) {
    HardState hs;
    hs.term = Term{rd.u64()};
    hs.vote = NodeId{rd.u64()};
    hs.commit = Index{rd.u64()};
    b.hard_state = hs;
  }
  const std::uint32_t count = rd.u32();
  // Each entry takes at least 21 bytes: a count beyond that is not ours.
  if (!rd.ok() || count > payload.size() / 21) return Unexpected{std::string("bad entry count")};
  b.entries.reserve(count);
  for (std::uint32_t i = 0; i < count && rd.ok(); ++i) {
    Entry e;
    e.term = Term{rd.u64()};
    e.index = Index{rd.u64()};
    const std::uint8_t type = rd.u8();
    if (type > static_cast<std::uint8_t>(EntryType::kConfig)) {
      return Unexpected{"unknown entry type " + std::to_string(type)};
    }
    e.type = static_cast<EntryType>(type);
    const std::uint32_t len = rd.u32();
    e.data = Bytes(rd.bytes(len));
    b.entries.push_back(std::move(e));
  }
  if (!rd.ok() || !rd.done()) return Unexpected{std::string("batch payload of the wrong size")};
  for (std::size_t i = 1; i < b.entries.size(); ++i) {
    if (b.entries[i].index != b.entries[i - 1].index.next()) {
      return Unexpected{std::string("entries in a batch are not contiguous")};
    }
  }
  return b;
}

}  // namespace raft::wal
