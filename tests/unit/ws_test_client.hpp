// A blocking WebSocket client written with Beast, for the tests of the listen server and of the
// window's listener: connect with a target and an optional Origin, send text or binary frames,
// read one frame.
#pragma once
// Boost 1.74's asio/awaitable.hpp uses std::exchange without <utility>; C++20 needs it first.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <string>
#include <string_view>

namespace si::live::wstest {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Client {
  explicit Client(net::io_context& ioc) : ws(ioc) {}
  websocket::stream<tcp::socket> ws;

  bool open(uint16_t port, const std::string& target, const std::string& origin = "") {
    beast::error_code ec;
    ws.next_layer().connect(tcp::endpoint(net::ip::address_v4::loopback(), port), ec);
    if (ec) return false;
    if (!origin.empty()) {
      ws.set_option(websocket::stream_base::decorator(
          [origin](websocket::request_type& r) { r.set(http::field::origin, origin); }));
    }
    ws.handshake("127.0.0.1", target, ec);
    return !ec;
  }
  void send(std::string_view text, bool binary = false) {
    ws.binary(binary);
    ws.write(net::buffer(text.data(), text.size()));
  }
  std::string receive() {
    beast::flat_buffer b;
    ws.read(b);
    return beast::buffers_to_string(b.data());
  }
};

}  // namespace si::live::wstest
