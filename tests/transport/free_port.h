// Loopback ports for tests that run side by side. A port is drawn at random from
// 20000-31999 -- below Linux's ephemeral range (32768+), so neither the kernel's port-0
// binds nor the source ports of outgoing connections take it between our check and the
// server's bind -- checked free by binding it, and never handed out twice by one process.
// (Servers bind without SO_REUSEPORT, so a collision that still happens is a loud start-up
// failure, never two servers silently sharing a port.)
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

namespace testing_ports {

inline bool can_bind(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

inline std::uint16_t free_port() {
  static std::mutex mu;
  static std::set<std::uint16_t> handed_out;
  static std::mt19937 rng(static_cast<unsigned>(::getpid()) * 2654435761u ^
                          static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::lock_guard lock(mu);
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const auto port = static_cast<std::uint16_t>(20000 + rng() % 12000);
    if (handed_out.contains(port) || !can_bind(port)) continue;
    handed_out.insert(port);
    return port;
  }
  throw std::runtime_error("no free loopback port found");
}

/// A connected loopback socket to `port` (-1 if the connection fails).
inline int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace testing_ports
