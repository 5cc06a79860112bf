// One connection of the listen server (internal to server.cpp; the only other file that sees
// Boost): the HTTP upgrade checked by checkUpgrade, then WebSocket messages read piece by
// piece so a message over 1 MiB is skipped (never held) and answered with an error frame
// while the connection stays open.
#pragma once
// Boost 1.74's asio/awaitable.hpp uses std::exchange without <utility>; C++20 needs it first.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "access.hpp"
#include "server.hpp"

namespace si::live::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session;

// What sessions share with the server: the rules, and where they report.
struct Host {
  Access access;
  ServerOptions options;
  std::vector<ServerEvent> events;
  std::map<uint64_t, ConnectionStats> stats;
  ServerCounters counters;
  std::unordered_map<uint64_t, std::shared_ptr<Session>> open;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, uint64_t id, Host& host);
  void start();
  void close();  // a WebSocket close "going away" (or the socket, before the upgrade)
  void abort();  // the socket, at once

 private:
  void onRequest(beast::error_code ec);
  void refuse(unsigned status);
  void onUpgraded(beast::error_code ec);
  void readMore();
  void onRead(beast::error_code ec, size_t bytes);
  void finishMessage();
  void sendError(std::string text);
  void writeNext();
  void end(const std::string& why);

  Host& host_;
  const uint64_t id_;
  beast::tcp_stream stream_;  // until the upgrade
  std::optional<websocket::stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
  std::deque<std::string> queue_;  // error frames to send
  size_t messageBytes_ = 0;
  bool oversize_ = false;
  bool writing_ = false;
  bool connected_ = false;
  bool ended_ = false;
};

}  // namespace si::live::detail
