#include "transport/tcp_transport.h"

#include <spdlog/spdlog.h>

#include <array>
#include <asio.hpp>
#include <atomic>
#include <charconv>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace transport {

using asio::ip::tcp;

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(std::string_view p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

std::string parse_endpoint(std::string_view text, Endpoint& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return "expected host:port, got '" + std::string(text) + "'";
  unsigned port = 0;
  const std::string_view p = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port > 65535) {
    return "bad port in '" + std::string(text) + "'";
  }
  out.host = std::string(text.substr(0, colon));
  out.port = static_cast<std::uint16_t>(port);
  return {};
}

void TcpTransport::append_frame(std::string& out, std::uint8_t type, std::string_view payload) {
  put_u32(out, static_cast<std::uint32_t>(payload.size() + 2));
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(type));
  out.append(payload);
}

// ---- FrameReader ------------------------------------------------------------------------

void FrameReader::feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ * 2 >= buf_.size()) {  // drop consumed bytes once they dominate
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes);
}

FrameReader::Status FrameReader::next(Frame& frame, std::string& error) {
  if (buffered() < 4) return Status::kNeedMore;
  const std::uint32_t len = get_u32(buf_.data() + pos_);
  if (len < 2) {
    error = "frame length " + std::to_string(len) + " is shorter than its header";
    return Status::kBad;
  }
  if (len - 2 > max_frame_bytes_) {
    error = "frame of " + std::to_string(len) + " bytes is over the limit of " +
            std::to_string(max_frame_bytes_);
    return Status::kBad;
  }
  if (buffered() < 4 + static_cast<std::size_t>(len)) return Status::kNeedMore;
  const auto version = static_cast<std::uint8_t>(buf_[pos_ + 4]);
  if (version != TcpTransport::kVersion) {
    error = "frame version " + std::to_string(version) + " (this build speaks " +
            std::to_string(TcpTransport::kVersion) + ")";
    return Status::kBad;
  }
  frame.type = static_cast<std::uint8_t>(buf_[pos_ + 5]);
  if (frame.type != TcpTransport::kHello && frame.type != TcpTransport::kMessage) {
    error = "unknown frame type " + std::to_string(frame.type);
    return Status::kBad;
  }
  frame.payload = std::string_view(buf_).substr(pos_ + 6, len - 2);
  pos_ += 4 + static_cast<std::size_t>(len);
  return Status::kFrame;
}

// ---- the transport ----------------------------------------------------------------------

class TcpTransport::Impl {
 public:
  Impl(raft::NodeId self, std::map<raft::NodeId, Endpoint> peers, Handler handler, TcpOptions options)
      : self_(self), peers_(std::move(peers)), handler_(std::move(handler)), options_(std::move(options)),
        log_(options_.logger ? options_.logger : spdlog::default_logger()), acceptor_(io_) {}

  std::string start();
  void stop();
  void send(raft::NodeId to, std::string payload);
  void isolate(bool isolated);
  std::uint16_t listen_port() const { return port_.load(); }
  TcpStats stats() const;

 private:
  class Outbound;
  class Inbound;
  struct Counters {
    std::atomic<std::uint64_t> frames_sent{0}, bytes_sent{0}, writes{0}, frames_received{0},
        dropped_full{0}, dropped_disconnected{0}, dropped_oversized{0}, bad_frames{0}, connects{0};
  };

  void accept();
  void drop_inbound(const std::shared_ptr<Inbound>& in);

  raft::NodeId self_;
  std::map<raft::NodeId, Endpoint> peers_;
  Handler handler_;
  TcpOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  Counters counters_;
  std::atomic<bool> isolated_{false};
  std::atomic<std::uint16_t> port_{0};

  // Declared before everything that holds asio objects: destroyed last.
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::map<raft::NodeId, std::unique_ptr<Outbound>> out_;
  std::set<std::shared_ptr<Inbound>> in_;  // I/O thread only
  std::thread thread_;
  bool started_ = false;
  bool stopped_ = false;
};

// One peer's outbound connection. Socket work happens on the I/O thread; the queue is
// shared with send() under `mu_`.
class TcpTransport::Impl::Outbound {
 public:
  Outbound(Impl& t, raft::NodeId peer, tcp::endpoint ep)
      : t_(t), peer_(peer), ep_(ep), sock_(t.io_), timer_(t.io_), backoff_(t.options_.reconnect_min) {}

  void connect() {
    if (t_.isolated_) return retry_later();
    sock_ = tcp::socket(t_.io_);
    const std::uint64_t gen = generation_;
    sock_.async_connect(ep_, [this, gen](const std::error_code& ec) {
      if (gen != generation_) return;
      if (ec || t_.isolated_) return fail(ec, false);
      on_connected();
    });
  }

  void enqueue(std::string frame) {
    std::lock_guard lock(mu_);
    if (!connected_) {
      ++t_.counters_.dropped_disconnected;
      return;
    }
    if (queued_bytes_ + frame.size() > t_.options_.max_queue_bytes) {
      if (t_.counters_.dropped_full++ % 1024 == 0) {
        t_.log_->warn("tcp: queue to node {} is full ({} bytes): dropping frames", peer_.value(),
                      queued_bytes_);
      }
      return;
    }
    queued_bytes_ += frame.size();
    queue_.push_back(std::move(frame));
    if (!writing_) {
      writing_ = true;
      asio::post(t_.io_, [this, gen = generation_] {
        if (gen == generation_) flush();
      });
    }
  }

  /// Closes the connection (isolation, stop). It is redialed unless the transport stops.
  void close() { fail({}, true); }
  void cancel_timer() { timer_.cancel(); }

 private:
  void on_connected() {
    std::error_code ignored;
    sock_.set_option(tcp::no_delay(true), ignored);
    ++t_.counters_.connects;
    backoff_ = t_.options_.reconnect_min;
    t_.log_->info("tcp: connected to node {} at {}:{}", peer_.value(), ep_.address().to_string(), ep_.port());
    std::string hello;
    put_u64(hello, t_.self_.value());
    put_u64(hello, peer_.value());
    std::string frame;
    append_frame(frame, kHello, hello);
    {
      std::lock_guard lock(mu_);
      connected_ = true;
      queued_bytes_ += frame.size();
      queue_.insert(queue_.begin(), std::move(frame));
      writing_ = true;
    }
    flush();
    watch_for_close();
  }

  // The peer never writes on this connection: any read completing means it closed it.
  void watch_for_close() {
    sock_.async_read_some(asio::buffer(probe_), [this, gen = generation_](const std::error_code& ec, std::size_t) {
      if (gen != generation_) return;
      fail(ec ? ec : asio::error::make_error_code(asio::error::connection_aborted), false);
    });
  }

  void flush() {
    auto batch = std::make_shared<std::vector<std::string>>();
    {
      std::lock_guard lock(mu_);
      if (queue_.empty() || !connected_) {
        writing_ = false;
        return;
      }
      batch->swap(queue_);
    }
    std::vector<asio::const_buffer> bufs;
    bufs.reserve(batch->size());
    std::size_t bytes = 0;
    for (const std::string& f : *batch) {
      bufs.emplace_back(asio::buffer(f));
      bytes += f.size();
    }
    // `batch` rides in the handler: the buffers live until the write is over, even if the
    // connection was replaced meanwhile.
    asio::async_write(sock_, bufs, [this, batch, bytes, gen = generation_](const std::error_code& ec, std::size_t) {
      if (gen != generation_) return;
      if (ec) return fail(ec, false);
      t_.counters_.frames_sent += batch->size();
      t_.counters_.bytes_sent += bytes;
      ++t_.counters_.writes;
      {
        std::lock_guard lock(mu_);
        queued_bytes_ -= bytes;
      }
      flush();
    });
  }

  void fail(const std::error_code& ec, bool deliberate) {
    std::error_code ignored;
    sock_.close(ignored);
    bool was_connected = false;
    {
      std::lock_guard lock(mu_);
      ++generation_;  // every pending handler of this connection now ignores its result
      was_connected = connected_;
      connected_ = false;
      writing_ = false;
      queue_.clear();
      queued_bytes_ = 0;
    }
    if (was_connected && !deliberate) {
      t_.log_->warn("tcp: connection to node {} lost ({}); redialing", peer_.value(), ec.message());
    }
    if (!t_.stopped_) retry_later();
  }

  void retry_later() {
    timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, t_.options_.reconnect_max);
    timer_.async_wait([this, gen = generation_](const std::error_code& ec) {
      if (!ec && gen == generation_ && !t_.stopped_) connect();
    });
  }

  Impl& t_;
  raft::NodeId peer_;
  tcp::endpoint ep_;
  tcp::socket sock_;
  asio::steady_timer timer_;
  std::chrono::milliseconds backoff_;
  // Written on the I/O thread under mu_: read there freely, elsewhere under mu_.
  std::uint64_t generation_ = 0;
  std::array<char, 1> probe_{};

  std::mutex mu_;
  std::vector<std::string> queue_;
  std::size_t queued_bytes_ = 0;  // queued and being written
  bool connected_ = false;
  bool writing_ = false;
};

// One accepted connection: reads frames, hands messages to the handler.
class TcpTransport::Impl::Inbound : public std::enable_shared_from_this<Inbound> {
 public:
  Inbound(Impl& t, tcp::socket sock) : t_(t), sock_(std::move(sock)), reader_(t.options_.max_frame_bytes) {}

  void start() {
    std::error_code ec;
    const auto remote = sock_.remote_endpoint(ec);
    remote_ = ec ? std::string("?") : remote.address().to_string() + ":" + std::to_string(remote.port());
    read();
  }
  void close() {
    std::error_code ignored;
    sock_.close(ignored);
  }

 private:
  void read() {
    sock_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
      if (ec) return self->t_.drop_inbound(self);
      self->reader_.feed(std::string_view(self->buf_.data(), n));
      if (self->drain()) self->read();
    });
  }

  // Handles every whole frame buffered; false once the connection is closed.
  bool drain() {
    FrameReader::Frame frame;
    std::string error;
    for (;;) {
      const auto status = reader_.next(frame, error);
      if (status == FrameReader::Status::kNeedMore) return true;
      if (status == FrameReader::Status::kBad) return refuse(error);
      if (from_.is_none()) {
        if (!accept_hello(frame, error)) return refuse(error);
        continue;
      }
      if (frame.type != kMessage) return refuse("a second hello");
      ++t_.counters_.frames_received;
      if (!t_.handler_(from_, frame.payload)) return refuse("a message the node cannot decode");
    }
  }

  bool accept_hello(const FrameReader::Frame& frame, std::string& error) {
    if (frame.type != kHello || frame.payload.size() != 16) {
      error = "the first frame is not a hello";
      return false;
    }
    const raft::NodeId from{get_u64(frame.payload)};
    const raft::NodeId to{get_u64(frame.payload.substr(8))};
    if (to != t_.self_ || from == t_.self_ || !t_.peers_.contains(from)) {
      error = "hello from node " + std::to_string(from.value()) + " to node " +
              std::to_string(to.value()) + ": not a peer of node " + std::to_string(t_.self_.value());
      return false;
    }
    from_ = from;
    return true;
  }

  bool refuse(const std::string& why) {
    ++t_.counters_.bad_frames;
    t_.log_->warn("tcp: closing the connection from {} (node {}): {}", remote_, from_.value(), why);
    t_.drop_inbound(shared_from_this());
    return false;
  }

  Impl& t_;
  tcp::socket sock_;
  FrameReader reader_;
  std::array<char, 64 << 10> buf_{};
  raft::NodeId from_;
  std::string remote_;
};

std::string TcpTransport::Impl::start() {
  const auto self = peers_.find(self_);
  if (self == peers_.end()) return "node " + std::to_string(self_.value()) + " is not in the peer list";
  try {
    tcp::resolver resolver(io_);
    const auto resolve = [&](const Endpoint& e) {
      return *resolver.resolve(tcp::v4(), e.host, std::to_string(e.port)).begin();
    };
    const tcp::endpoint listen = resolve(self->second).endpoint();
    acceptor_.open(listen.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(listen);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    for (const auto& [id, ep] : peers_) {
      if (id != self_) out_.emplace(id, std::make_unique<Outbound>(*this, id, resolve(ep).endpoint()));
    }
  } catch (const std::system_error& e) {
    return "cannot listen on " + self->second.host + ":" + std::to_string(self->second.port) + ": " + e.what();
  }
  accept();
  for (auto& [id, o] : out_) o->connect();
  started_ = true;
  thread_ = std::thread([this] { io_.run(); });
  return {};
}

void TcpTransport::Impl::accept() {
  acceptor_.async_accept([this](const std::error_code& ec, tcp::socket sock) {
    if (ec == asio::error::operation_aborted || stopped_) return;
    if (!ec && !isolated_) {
      std::error_code ignored;
      sock.set_option(tcp::no_delay(true), ignored);
      auto in = std::make_shared<Inbound>(*this, std::move(sock));
      in_.insert(in);
      in->start();
    }
    accept();
  });
}

void TcpTransport::Impl::drop_inbound(const std::shared_ptr<Inbound>& in) {
  in->close();
  in_.erase(in);
}

void TcpTransport::Impl::stop() {
  if (!started_ || stopped_) return;
  asio::post(io_, [this] {
    stopped_ = true;
    std::error_code ignored;
    acceptor_.close(ignored);
    for (auto& [id, o] : out_) {
      o->close();
      o->cancel_timer();
    }
    for (const auto& in : in_) in->close();
    in_.clear();
  });
  // Closing cancels every operation; the loop runs out of work once their handlers ran.
  thread_.join();
}

void TcpTransport::Impl::send(raft::NodeId to, std::string payload) {
  const auto it = out_.find(to);
  if (it == out_.end()) return;
  if (payload.size() > options_.max_frame_bytes) {
    ++counters_.dropped_oversized;
    log_->error("tcp: dropping a {}-byte message to node {}: over the frame limit", payload.size(), to.value());
    return;
  }
  if (isolated_) {
    ++counters_.dropped_disconnected;
    return;
  }
  std::string frame;
  frame.reserve(payload.size() + kHeaderBytes);
  append_frame(frame, kMessage, payload);
  it->second->enqueue(std::move(frame));
}

void TcpTransport::Impl::isolate(bool isolated) {
  isolated_ = isolated;
  if (!isolated) return;  // the reconnect timers redial
  asio::post(io_, [this] {
    for (auto& [id, o] : out_) o->close();
    for (const auto& in : in_) in->close();
    in_.clear();
  });
}

TcpStats TcpTransport::Impl::stats() const {
  TcpStats s;
  s.frames_sent = counters_.frames_sent;
  s.bytes_sent = counters_.bytes_sent;
  s.writes = counters_.writes;
  s.frames_received = counters_.frames_received;
  s.dropped_full = counters_.dropped_full;
  s.dropped_disconnected = counters_.dropped_disconnected;
  s.dropped_oversized = counters_.dropped_oversized;
  s.bad_frames = counters_.bad_frames;
  s.connects = counters_.connects;
  return s;
}

TcpTransport::TcpTransport(raft::NodeId self, std::map<raft::NodeId, Endpoint> peers, Handler handler,
                           TcpOptions options)
    : impl_(std::make_unique<Impl>(self, std::move(peers), std::move(handler), std::move(options))) {}
TcpTransport::~TcpTransport() { stop(); }
std::string TcpTransport::start() { return impl_->start(); }
void TcpTransport::stop() { impl_->stop(); }
void TcpTransport::send(raft::NodeId to, std::string payload) { impl_->send(to, std::move(payload)); }
void TcpTransport::isolate(bool isolated) { impl_->isolate(isolated); }
std::uint16_t TcpTransport::listen_port() const { return impl_->listen_port(); }
TcpStats TcpTransport::stats() const { return impl_->stats(); }

}  // namespace transport
