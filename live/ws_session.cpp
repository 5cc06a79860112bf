// A listen connection: upgrade, read messages with a size cap, answer bad ones.
#include "ws_session.hpp"

#include <utility>

namespace si::live::detail {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 8 * 1024;

std::string_view bufferText(const beast::flat_buffer& b) {
  return {static_cast<const char*>(b.data().data()), b.size()};
}

}  // namespace

Session::Session(tcp::socket socket, uint64_t id, Host& host)
    : host_(host), id_(id), stream_(std::move(socket)) {
  parser_.header_limit(kMaxHeaderBytes);
  parser_.body_limit(0);
}

void Session::start() {
  stream_.expires_after(host_.options.handshakeTimeout);
  http::async_read(stream_, buffer_, parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->onRequest(ec); });
}

void Session::onRequest(beast::error_code ec) {
  if (ec) {
    ++host_.counters.refusedOther;
    return end(ec.message());
  }
  const auto& req = parser_.get();
  std::optional<std::string_view> origin;
  if (auto it = req.find(http::field::origin); it != req.end()) origin = it->value();
  const unsigned status = checkUpgrade(req.target(), origin, websocket::is_upgrade(req), host_.access);
  if (status != 101) return refuse(status);
  ws_.emplace(std::move(stream_));
  beast::get_lowest_layer(*ws_).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = host_.options.handshakeTimeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws_->set_option(timeouts);
  ws_->read_message_max(0);  // no limit of Beast's: the 1 MiB cap is ours, and keeps the connection
  host_.stats[id_].origin = origin ? std::string(*origin) : std::string();
  ws_->async_accept(req, [self = shared_from_this()](beast::error_code e) { self->onUpgraded(e); });
}

void Session::refuse(unsigned status) {
  if (status == 401) ++host_.counters.refused401;
  else if (status == 403) ++host_.counters.refused403;
  else ++host_.counters.refusedOther;
  response_.result(static_cast<http::status>(status));
  response_.version(11);
  response_.set(http::field::content_type, "text/plain");
  response_.keep_alive(false);
  response_.body() = std::string(http::obsolete_reason(response_.result())) + "\n";
  response_.prepare_payload();
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, size_t) {
    beast::error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->end("refused");
  });
}

void Session::onUpgraded(beast::error_code ec) {
  if (ec) {
    ++host_.counters.refusedOther;
    host_.stats.erase(id_);
    return end(ec.message());
  }
  connected_ = true;
  ++host_.counters.accepted;
  host_.stats[id_].open = true;
  host_.events.push_back(ServerEvent{ServerEvent::Kind::Connected, id_, std::nullopt, {}});
  buffer_.clear();
  readMore();
}

void Session::readMore() {
  ws_->async_read_some(buffer_, kReadChunk, [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->onRead(ec, n);
  });
}

void Session::onRead(beast::error_code ec, size_t bytes) {
  if (ec) return end(ec == websocket::error::closed ? "closed by the client" : ec.message());
  messageBytes_ += bytes;
  if (messageBytes_ > kMaxMessageBytes) oversize_ = true;
  if (oversize_) buffer_.consume(buffer_.size());  // skipped, never held
  if (ws_->is_message_done()) finishMessage();
  if (!ended_) readMore();
}

void Session::finishMessage() {
  ConnectionStats& stats = host_.stats[id_];
  stats.lastMessage = std::chrono::steady_clock::now();
  std::string error;
  if (oversize_) {
    error = "message of " + std::to_string(messageBytes_) + " bytes is over the limit of " +
            std::to_string(kMaxMessageBytes) + " bytes (1 MiB)";
  } else if (!ws_->got_text()) {
    error = "expected a text frame (one JSON message), got a binary frame";
  } else if (Result<Message> m = decodeMessage(bufferText(buffer_)); m) {
    ++stats.messages;
    host_.events.push_back(ServerEvent{ServerEvent::Kind::Message, id_, std::move(*m), {}});
  } else {
    error = m.message();
  }
  buffer_.consume(buffer_.size());
  messageBytes_ = 0;
  oversize_ = false;
  if (error.empty()) return;
  ++stats.errors;
  host_.events.push_back(ServerEvent{ServerEvent::Kind::Invalid, id_, std::nullopt, error});
  sendError(std::move(error));
}

void Session::sendError(std::string text) {
  if (queue_.size() >= host_.options.maxQueuedFrames) {
    ++host_.stats[id_].framesDropped;
    return;
  }
  queue_.push_back(errorFrame(text));
  if (!writing_) writeNext();
}

void Session::writeNext() {
  if (queue_.empty() || ended_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_->text(true);
  ws_->async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
    self->queue_.pop_front();
    if (ec) {
      self->writing_ = false;
      return;  // the read side sees the broken connection and ends it
    }
    self->writeNext();
  });
}

void Session::close() {
  if (ended_) return;
  if (!connected_) return abort();
  ws_->async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code) {});
}

void Session::abort() {
  beast::error_code ignored;
  if (ws_) beast::get_lowest_layer(*ws_).socket().close(ignored);
  else stream_.socket().close(ignored);
}

void Session::end(const std::string& why) {
  if (ended_) return;
  ended_ = true;
  if (connected_) {
    host_.stats[id_].open = false;
    host_.events.push_back(ServerEvent{ServerEvent::Kind::Disconnected, id_, std::nullopt, why});
  }
  abort();
  host_.open.erase(id_);  // the handler running this holds its own reference
}

}  // namespace si::live::detail
