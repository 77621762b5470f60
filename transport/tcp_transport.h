// TCP transport between Raft peers: frames of opaque bytes (transport/peer_codec.h gives
// them meaning) over one outbound connection per peer.
//
// Connections. Each node dials every peer once and sends on that connection only; it reads
// what peers send on the connections they dialed (accepted here). Two one-way streams per
// pair keep each side's writer simple: no request/response matching, no race between two
// simultaneous dials. The dialer's first frame is a hello naming itself and the node it
// thinks it dialed, so a misconfigured address is refused with a log line.
//
// Frames:  length u32 (little-endian, counts everything after it) | version u8 | type u8 |
//          payload.   type 0: hello (from u64 LE, to u64 LE); type 1: one message.
// A frame with a length over max_frame_bytes, another version, an unknown type, a
// message before the hello, or a payload the handler refuses closes that connection with
// a log line; the node goes on serving (the peer reconnects). Nothing on this path trusts
// the bytes it reads.
//
// Sending never blocks and never grows without limit: send() queues the frame for its
// peer; frames queued while a write is in flight leave together in the next write
// (coalescing: one gather-write, TCP_NODELAY, no Nagle delay). Past max_queue_bytes per
// peer new frames are dropped, as are frames for a peer not connected: Raft tolerates
// loss and retransmits (§5.3: AppendEntries are retried; heartbeats repeat). A dropped
// connection is redialed with exponential backoff (reconnect_min .. reconnect_max).
//
// Threading: the transport runs its own I/O thread (asio). send(), stats(), isolate() are
// safe from any thread. The handler runs on the I/O thread: it must be quick (decode and
// hand over to the core's thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "raft/types.h"

namespace spdlog {
class logger;
}

namespace transport {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};

/// Parses "host:port" (IPv4 address or name); an error message on failure.
[[nodiscard]] std::string parse_endpoint(std::string_view text, Endpoint& out);

struct TcpOptions {
  /// Largest frame accepted or sent (a larger message is dropped with a log line).
  std::size_t max_frame_bytes = 64u << 20;
  /// Bytes queued per peer, written or not yet, beyond which new frames are dropped.
  std::size_t max_queue_bytes = 32u << 20;
  std::chrono::milliseconds reconnect_min{20};
  std::chrono::milliseconds reconnect_max{1000};
  /// Null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger;
};

struct TcpStats {
  std::uint64_t frames_sent = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t writes = 0;           // gather-writes (frames_sent / writes = coalescing)
  std::uint64_t frames_received = 0;
  std::uint64_t dropped_full = 0;     // frames dropped: the peer's queue was full
  std::uint64_t dropped_disconnected = 0;
  std::uint64_t dropped_oversized = 0;
  std::uint64_t bad_frames = 0;       // connections closed for a bad frame
  std::uint64_t connects = 0;         // outbound connections established
};

class TcpTransport {
 public:
  /// Called on the I/O thread for each message frame from a peer. Returning false means
  /// "not a message I accept": the connection is closed and logged.
  using Handler = std::function<bool(raft::NodeId from, std::string_view payload)>;

  /// `peers` lists every member, this node included (its entry is the listen address).
  TcpTransport(raft::NodeId self, std::map<raft::NodeId, Endpoint> peers, Handler handler,
               TcpOptions options = {});
  ~TcpTransport();
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  /// Binds the listen address (port 0: any free port, see listen_port()), starts the I/O
  /// thread and dials every peer. Returns an error message if the address cannot be bound.
  [[nodiscard]] std::string start();
  /// Closes every connection and joins the I/O thread. Idempotent.
  void stop();

  /// Queues one message for `to` (thread-safe, never blocks; may drop, see above).
  void send(raft::NodeId to, std::string payload);

  /// Test and operator hook: while isolated, every connection is closed, none is accepted
  /// or dialed, and every frame is dropped -- the node is partitioned from all peers.
  void isolate(bool isolated);

  [[nodiscard]] std::uint16_t listen_port() const;
  [[nodiscard]] TcpStats stats() const;

  /// Frame layout, shared with tests and the fuzzer.
  static constexpr std::uint8_t kVersion = 1;
  static constexpr std::uint8_t kHello = 0;
  static constexpr std::uint8_t kMessage = 1;
  static constexpr std::size_t kHeaderBytes = 6;  // length u32, version u8, type u8
  /// Appends a frame around `payload` to `out`.
  static void append_frame(std::string& out, std::uint8_t type, std::string_view payload);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Incremental frame parser for one inbound connection: feed bytes, take whole frames.
/// Exposed for the fuzzer and the unit tests; the transport uses it on every connection.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  enum class Status { kFrame, kNeedMore, kBad };
  struct Frame {
    std::uint8_t type = 0;
    std::string_view payload;  // valid until the next feed()/next()
  };
  void feed(std::string_view bytes);
  /// The next whole frame, kNeedMore, or kBad (then `error` says why; the stream is dead).
  Status next(Frame& frame, std::string& error);
  [[nodiscard]] std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::size_t max_frame_bytes_;
  std::string buf_;
  std::size_t pos_ = 0;
};

}  // namespace transport
