// The listen server: an acceptor on 127.0.0.1 and its sessions on one polled io_context.
#include "server.hpp"

#include <thread>
#include <utility>

#include "ws_session.hpp"

namespace si::live {

using detail::net::ip::tcp;

struct Server::Impl {
  // Only ever run by one thread at a time (the listen loop, or the window's frame loop): no
  // locks in the scheduler and reactor, which took and released several per message.
  detail::net::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  tcp::acceptor acceptor{ioc};
  detail::Host host;
  uint64_t nextId = 1;
  uint16_t port = 0;
  bool stopped = false;

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != detail::net::error::operation_aborted && acceptor.is_open()) accept();
        return;
      }
      if (host.open.size() >= host.options.maxConnections) {
        ++host.counters.refusedOther;
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        const uint64_t id = nextId++;
        auto session = std::make_shared<detail::Session>(std::move(socket), id, host);
        host.open.emplace(id, session);
        session->start();
      }
      accept();
    });
  }

  // Runs ready handlers until none is left or `budget` ran; the number run.
  size_t run(size_t budget) {
    if (ioc.stopped()) ioc.restart();
    size_t n = 0;
    while (n < budget && ioc.poll_one()) ++n;
    return n;
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->host.options = options;
  impl->host.access.token = options.token.empty() ? randomToken() : options.token;
  impl->host.access.allowedOrigins = defaultAllowedOrigins();
  for (const std::string& o : options.allowOrigins) impl->host.access.allowedOrigins.push_back(o);
  const tcp::endpoint endpoint(detail::net::ip::address_v4::loopback(), options.port);
  boost::system::error_code ec;
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(detail::net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error("listen: cannot bind 127.0.0.1:" + std::to_string(options.port) + ": " +
                 ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->accept();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const { return impl_->port; }

const std::string& Server::token() const { return impl_->host.access.token; }

std::string Server::url() const {
  return "ws://127.0.0.1:" + std::to_string(impl_->port) + "/bridge?token=" + token();
}

std::vector<ServerEvent> Server::poll(size_t maxHandlers) {
  if (!impl_->stopped) impl_->run(maxHandlers);
  return std::exchange(impl_->host.events, {});
}

std::vector<ServerEvent> Server::wait(std::chrono::milliseconds max, size_t maxHandlers) {
  if (!impl_->stopped) {
    if (impl_->ioc.stopped()) impl_->ioc.restart();
    if (impl_->ioc.run_one_for(max) > 0) impl_->run(maxHandlers);
  }
  return std::exchange(impl_->host.events, {});
}

void Server::stop(std::chrono::milliseconds grace) {
  if (!impl_ || impl_->stopped) return;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  std::vector<std::shared_ptr<detail::Session>> sessions;
  for (auto& [id, s] : impl_->host.open) sessions.push_back(s);
  for (auto& s : sessions) s->close();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!impl_->host.open.empty() && std::chrono::steady_clock::now() < deadline) {
    if (impl_->run(1000) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  sessions.clear();
  for (auto& [id, s] : impl_->host.open) sessions.push_back(s);
  for (auto& s : sessions) s->abort();
  sessions.clear();
  while (impl_->run(100000) > 0) {
  }
  impl_->host.open.clear();
  impl_->stopped = true;
}

size_t Server::openConnections() const { return impl_->host.open.size(); }

const ServerCounters& Server::counters() const { return impl_->host.counters; }

const ConnectionStats* Server::stats(uint64_t connection) const {
  auto it = impl_->host.stats.find(connection);
  return it == impl_->host.stats.end() ? nullptr : &it->second;
}

const std::map<uint64_t, ConnectionStats>& Server::allStats() const { return impl_->host.stats; }

}  // namespace si::live
