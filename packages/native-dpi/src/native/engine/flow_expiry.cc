// Tick work of a detection thread: interval stats, expiry and purge of its flows.
#include "../events/record_writer.h"
#include "detection_worker.h"

namespace netifyd {

bool DetectionWorker::should_expire(const Flow& f, bool final, ExpireReason& reason) const {
  const RingState& rs = state_[f.key.source];
  const bool closed = f.has(flow_state::kTcpFinAck) || f.has(flow_state::kTcpRst);
  if (final || rs.ended) {
    // Its source is over: nothing more will arrive for this flow.
    reason = closed ? ExpireReason::closed
             : rs.reason == EndReason::stopped ? ExpireReason::terminated
                                               : ExpireReason::expired;
    return true;
  }
  if (!ctx_.config.idle_expiry) return false;
  if (closed) {
    reason = ExpireReason::closed;
    return true;
  }
  const bool tcp_open = f.key.protocol == 6 && !f.has(flow_state::kTcpFinAck);
  const uint64_t ttl_us = (tcp_open ? ctx_.config.tcp_idle_ttl_ms : ctx_.config.idle_ttl_ms) * 1000;
  if (f.last_seen_us + ttl_us < rs.now_us) {
    reason = ExpireReason::expired;
    return true;
  }
  return false;
}

// The flows of `source` whose idle time ran out, oldest first, plus every closed flow.
void DetectionWorker::collect_idle(size_t source) {
  const uint64_t now = state_[source].now_us;
  SourceExpiry& lists = expiry_[source];
  for (Flow* f = lists.lists[kListClosed].head(); f; f = f->lru_next)
    expiring_.emplace_back(f, ExpireReason::closed);
  const uint64_t ttl[kListCount] = {0, ctx_.config.tcp_idle_ttl_ms * 1000, ctx_.config.idle_ttl_ms * 1000, 0};
  for (uint8_t list : {kListTcpOpen, kListIdle}) {
    for (Flow* f = lists.lists[list].head(); f && f->last_seen_us + ttl[list] < now; f = f->lru_next)
      expiring_.emplace_back(f, ExpireReason::expired);
  }
}

// Interval stats of the flows JS knows ('new' sent); the others keep accumulating.
void DetectionWorker::report_interval(TickPart& part) {
  size_t kept = 0;
  for (Flow* f : interval_flows_) {
    if (!f->has(flow_state::kNewEmitted)) {
      interval_flows_[kept++] = f;
      continue;
    }
    write_tick_flow(part.flows, *f);
    ++part.flow_count;
    f->interval_bytes[0] = f->interval_bytes[1] = 0;
    f->interval_packets[0] = f->interval_packets[1] = 0;
    f->interval_active_seconds[0] = f->interval_active_seconds[1] = 0;
    f->interval_tcp_resets = f->interval_tcp_retrans = f->interval_tcp_seq_errors = 0;
    f->in_interval = false;
  }
  interval_flows_.resize(kept);
}

// Runs on the detection thread.
void DetectionWorker::run_tick(bool final) {
  current_key_ = OrderKey::at_tick();
  auto owned = std::make_unique<TickPart>();
  TickPart& part = *owned;
  part.final = final;
  part.sources = interval_;
  for (SourceCounters& c : interval_) c.clear();
  for (const RingState& rs : state_)
    if (rs.now_us > part.time_us) part.time_us = rs.now_us;

  expiring_.clear();
  if (final || full_scan_due_) {
    full_scan_due_ = false;
    table_.for_each([&](Flow& f) {
      ExpireReason reason = ExpireReason::none;
      if (should_expire(f, final, reason)) expiring_.emplace_back(&f, reason);
    });
  } else if (ctx_.config.idle_expiry) {
    for (size_t s = 0; s < state_.size(); ++s) collect_idle(s);
  }
  // A flow still in detection is finalised (guessed) before it is purged, so its stats
  // below and its expire follow a dpi_complete.
  for (auto& [f, reason] : expiring_) {
    expiry_[f->key.source].remove(f);
    if (!f->has(flow_state::kDpiComplete)) finish_detection(*f);
  }
  report_interval(part);
  for (auto& [f, reason] : expiring_) {
    emit(RecordKind::expire, *f, reason);
    detector_.discard(*f);
    table_.erase(f);
  }
  ctx_.active_flows.fetch_sub(static_cast<int64_t>(expiring_.size()), std::memory_order_relaxed);
  ctx_.flows_expired.fetch_add(expiring_.size(), std::memory_order_relaxed);
  expiring_.clear();
  ctx_.lanes.tick(index_, std::move(owned));
}

}  // namespace netifyd
