// JournalWriter::collect: the rows of a session's new commands and events, taken on the
// session's thread into one Batch (texts in one buffer), to be written on any thread.
#include <string>
#include <string_view>

#include "journal.hpp"
#include "options.hpp"

namespace si {
namespace {

constexpr auto kReplace = json::error_handler_t::replace;

// s as a JSON string: printable ASCII is copied, anything else goes through nlohmann (its
// escapes, and bytes that are not UTF-8 replaced), so the text is the one dump() writes.
void appendString(std::string& out, std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      out += json(std::string(s)).dump(-1, ' ', false, kReplace);
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

void appendSpan(std::string& out, Span s) {
  if (s.infinite) {
    out += "\"Infinity\"";
  } else {
    out += std::to_string(s.ms);
  }
}

// The detail of the kinds a trace is made of, written as Registry::detailJson(e).dump()
// writes it (keys in the same order); false for the other kinds.
bool appendCommonDetail(const Event& e, std::string& out) {
  out += '{';
  switch (e.kind) {
    case EventKind::InstanceCreated:
      out += "\"gcTime\":";
      appendSpan(out, e.gcTime);
      out += ",\"clientId\":";
      appendString(out, e.clientId);
      out += ",\"sessionId\":";
      appendString(out, e.sessionId);
      break;
    case EventKind::GcScheduled:
    case EventKind::GcRestarted:
    case EventKind::GcDeferred:
      out += "\"gcTime\":";
      appendSpan(out, e.gcTime);
      out += ",\"due\":";
      out += std::to_string(e.due);
      break;
    case EventKind::Disposed:
      out += "\"reason\":";
      appendString(out, toString(e.reason));
      break;
    case EventKind::LoadSucceeded:
    case EventKind::LoadAborted:
    case EventKind::ObserverAttached:
    case EventKind::ObserverDetached:
    case EventKind::ObserverOrphaned:
    case EventKind::GcCancelled: break;
    default: return false;
  }
  if (!e.rule.empty()) {
    if (out.back() != '{') out += ',';
    out += "\"rule\":";
    appendString(out, e.rule);
  }
  out += '}';
  return true;
}

}  // namespace

JournalWriter::Slice JournalWriter::Batch::add(std::string_view s) {
  Slice slice{text.size(), s.size()};
  text += s;
  return slice;
}

void appendEventDetail(const Registry& reg, const Event& e, std::string& out) {
  const size_t start = out.size();
  if (appendCommonDetail(e, out)) return;
  out.resize(start);
  out += reg.detailJson(e).dump(-1, ' ', false, kReplace);
}

JournalWriter::Batch JournalWriter::collect(const Session& s, size_t commandBegin, size_t eventBegin) {
  const auto& commands = s.commands();
  const Registry& reg = s.registry();
  const auto& events = reg.events();
  Batch b;
  b.commandBegin = commandBegin;
  b.commandEnd = std::max(commandBegin, commands.size());
  b.eventBegin = eventBegin;
  b.eventEnd = std::max(eventBegin, events.size());
  b.commands.reserve(b.commandEnd - commandBegin);
  b.events.reserve(b.eventEnd - eventBegin);
  b.text.reserve(200 * b.commands.capacity() + 120 * b.events.capacity());
  for (size_t i = commandBegin; i < commands.size(); ++i) {
    const size_t start = b.text.size();
    commands[i].dumpTo(b.text);
    b.commands.push_back(CommandRow{commands[i].t, Slice{start, b.text.size() - start}});
  }
  for (size_t i = eventBegin; i < events.size(); ++i) {
    const Event& e = events[i];
    EventRow& row = b.events.emplace_back();
    row.seq = static_cast<int64_t>(e.seq);
    row.t = e.t;
    row.kind = toString(e.kind);
    row.hasStore = e.store != kNoStore;
    if (row.hasStore) {
      row.storeId = b.add(reg.storeIdOf(e.store));
      row.generation = e.generation;
      row.from = toString(e.from);
      row.to = toString(e.to);
    }
    row.observer = b.add(e.observer);
    const size_t start = b.text.size();
    appendEventDetail(reg, e, b.text);
    row.detail = Slice{start, b.text.size() - start};
    row.registry = b.add(reg.registryNameOf(e));
  }
  return b;
}

}  // namespace si
