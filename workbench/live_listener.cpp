#include "live_listener.hpp"

#include "driver.hpp"

namespace si::gui {

LiveListener::LiveListener() = default;
LiveListener::~LiveListener() = default;

Status LiveListener::start(const live::ServerOptions& options) {
  Result<std::unique_ptr<live::Server>> s = live::Server::start(options);
  if (!s) return s.error();
  if (server_) server_->stop();
  server_ = std::move(*s);
  stopped_ = false;
  backlog_.clear();
  backlogNext_ = 0;
  base_ = highest_;
  firstFed_ = 1;
  return success();
}

void LiveListener::stop(const Sink& sink) {
  if (!listening()) return;
  server_->stop();
  stopped_ = true;
  for (live::ServerEvent& e : server_->poll()) backlog_.push_back(std::move(e));
  for (; backlogNext_ < backlog_.size(); ++backlogNext_) feed(backlog_[backlogNext_], sink);
  backlog_.clear();
  backlogNext_ = 0;
}

std::string LiveListener::url() const { return listening() ? server_->url() : std::string(); }

void LiveListener::newSession() {
  if (!server_) return;
  // Every connection accepted so far (open or not) began in the previous session.
  uint64_t last = 0;
  for (const auto& [id, stats] : server_->allStats()) last = std::max(last, id);
  firstFed_ = last + 1;
}

size_t LiveListener::pump(const Sink& sink, size_t maxEvents) {
  if (!server_) return 0;
  if (backlogNext_ >= backlog_.size()) {
    backlog_ = server_->poll(maxEvents);
    backlogNext_ = 0;
  }
  size_t fed = 0;
  for (; backlogNext_ < backlog_.size() && fed < maxEvents; ++backlogNext_, ++fed) feed(backlog_[backlogNext_], sink);
  return fed;
}

void LiveListener::feed(live::ServerEvent& e, const Sink& sink) {
  using Kind = live::ServerEvent::Kind;
  if (e.kind == Kind::Invalid) {
    ++invalid_;
    lastInvalid_ = "connection " + std::to_string(base_ + e.connection) + ": " + e.text;
    return;
  }
  if (e.connection < firstFed_) {
    ignored_ += e.kind == Kind::Message;
    return;
  }
  const uint64_t id = base_ + e.connection;
  highest_ = std::max(highest_, id);
  if (e.kind == Kind::Message && e.message) sink(id, &*e.message);  // fed once
  if (e.kind == Kind::Disconnected) sink(id, nullptr);
}

}  // namespace si::gui
