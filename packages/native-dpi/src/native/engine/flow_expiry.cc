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

// Runs on the detection thread; returns after every detection thread reached this tick.
void DetectionWorker::run_tick(bool final) {
  TickPart part;
  part.sources = interval_;
  for (SourceCounters& c : interval_) c.clear();
  for (const RingState& rs : state_)
    if (rs.now_us > part.time_us) part.time_us = rs.now_us;

  expired_.clear();
  table_.for_each([&](Flow& f) {
    ExpireReason reason = ExpireReason::none;
    const bool expire = should_expire(f, final, reason);
    // A flow still in detection is finalised (guessed) before it is purged.
    if (expire && !f.has(flow_state::kDpiComplete)) finish_detection(f);
    // Stats only for flows JS knows ('new' sent); others keep accumulating until then.
    if (f.has(flow_state::kNewEmitted)) {
      if (f.interval_packets[0] + f.interval_packets[1] > 0) {
        write_tick_flow(part.flows, f);
        ++part.flow_count;
      }
      f.interval_bytes[0] = f.interval_bytes[1] = 0;
      f.interval_packets[0] = f.interval_packets[1] = 0;
      f.interval_active_seconds[0] = f.interval_active_seconds[1] = 0;
      f.interval_tcp_resets = f.interval_tcp_retrans = f.interval_tcp_seq_errors = 0;
    }
    if (expire) {
      emit(RecordKind::expire, f, reason);
      expired_.push_back(&f);
    }
  });
  for (Flow* f : expired_) {
    detector_.discard(*f);
    table_.erase(f);
  }
  ctx_.active_flows.fetch_sub(static_cast<int64_t>(expired_.size()), std::memory_order_relaxed);
  ctx_.flows_expired.fetch_add(expired_.size(), std::memory_order_relaxed);
  expired_.clear();
  ctx_.ticks.arrive(part, final);
}

}  // namespace netifyd
