#include "detection_worker.h"

#include <pthread.h>

#include <chrono>
#include <cstring>
#include <string>

#include "../events/record_writer.h"

namespace netifyd {
namespace {
constexpr int kDrainBudget = 1024;
constexpr auto kIdleWait = std::chrono::milliseconds(20);
constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpAck = 0x10;
}  // namespace

DetectionWorker::DetectionWorker(EngineContext& ctx, uint32_t index, std::vector<PacketRing*> rings)
    : ctx_(ctx),
      index_(index),
      rings_(std::move(rings)),
      state_(rings_.size()),
      detector_(module_.get(), ctx.config.detection),
      interval_(rings_.size()),
      expiry_(rings_.size()) {
  for (PacketRing* r : rings_) r->consumer = &wakeup_;
}

DetectionWorker::~DetectionWorker() { release_all(); }

void DetectionWorker::release_all() {
  table_.for_each([this](Flow& f) { detector_.discard(f); });
}

// Runs on the detection thread once every source ended: nothing needs nDPI any more. Its
// tables are freed here, while JS still decodes the last batches, instead of by close() on
// the JS thread (several ms per module, much of it in malloc consolidating freed memory).
void DetectionWorker::release_detection() {
  release_all();
  detector_.release_spares();
  module_.release();
}

// Runs on the detection thread.
void DetectionWorker::run() {
  const std::string name = "dpi-det-" + std::to_string(index_);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  for (;;) {
    if (ctx_.aborting.load(std::memory_order_relaxed)) return;
    bool progressed = false;
    bool all_ended = true;
    uint64_t target = UINT64_MAX;
    for (size_t s = 0; s < rings_.size(); ++s) {
      progressed |= drain(s);
      if (!state_[s].ended) {
        all_ended = false;
        if (state_[s].reached < target) target = state_[s].reached;
      }
    }
    if (all_ended) {
      run_tick(true);
      release_detection();
      return;
    }
    if (target > current_tick_) {
      current_tick_ = target;
      run_tick(false);
      continue;
    }
    if (!progressed) {
      wakeup_.sleep(kIdleWait, [this] {
        if (ctx_.aborting.load(std::memory_order_relaxed)) return true;
        for (size_t s = 0; s < rings_.size(); ++s)
          if (consumable(s)) return true;
        return false;
      });
    }
  }
}

// A ring is paused at a tick marker beyond the current tick until every source got there.
bool DetectionWorker::consumable(size_t s) {
  return !state_[s].ended && state_[s].reached <= current_tick_ && rings_[s]->peek() != nullptr;
}

bool DetectionWorker::drain(size_t s) {
  PacketRing& ring = *rings_[s];
  RingState& st = state_[s];
  bool progressed = false;
  for (int budget = kDrainBudget; budget > 0 && !st.ended && st.reached <= current_tick_; --budget) {
    const uint8_t* entry = ring.peek();
    if (!entry) break;
    const RingEntryHeader* h = reinterpret_cast<const RingEntryHeader*>(entry);
    const uint32_t size = h->size;
    switch (h->type) {
      case kEntryPacket: {
        const PacketEntry& packet = *reinterpret_cast<const PacketEntry*>(entry);
        current_key_ = OrderKey{packet.time_us, packet.key.source, packet.seq};
        on_packet(packet);
        break;
      }
      case kEntrySync:
        on_sync(s, *reinterpret_cast<const SyncEntry*>(entry));
        break;
      case kEntryTick: {
        const TickEntry* t = reinterpret_cast<const TickEntry*>(entry);
        st.reached = t->index;
        st.now_us = t->time_us;
        if (index_ == 0) interval_[s].add(t->capture);
        break;
      }
      case kEntryEnd:
        on_end(s, *reinterpret_cast<const EndEntry*>(entry));
        break;
      default:
        break;
    }
    ring.pop(size);
    progressed = true;
  }
  if (progressed && ring.used() < ring.capacity() / 2) ring.producer->notify();
  return progressed;
}

void DetectionWorker::on_sync(size_t s, const SyncEntry& e) {
  state_[s].synced = OrderKey{e.time_us, static_cast<uint32_t>(s), e.seq};
  publish_watermark();
}

// This thread's records from now on come from packets after each running source's last
// sync, or from ticks.
void DetectionWorker::publish_watermark() {
  OrderKey watermark = OrderKey::before_tick();
  for (const RingState& st : state_)
    if (!st.ended && st.synced < watermark) watermark = st.synced;
  ctx_.lanes.advance(index_, watermark);
}

void DetectionWorker::on_end(size_t s, const EndEntry& e) {
  RingState& st = state_[s];
  st.ended = true;
  st.reason = e.reason;
  if (e.last_time_us > st.now_us) st.now_us = e.last_time_us;
  full_scan_due_ = true;
  if (index_ == 0) interval_[s].add(e.capture);
  SourceState& source = *ctx_.sources[s];
  if (source.workers_at_end.fetch_add(1) + 1 == static_cast<int>(ctx_.config.detection_threads)) {
    source.ended.store(true);
    scratch_.clear();
    write_source_end(scratch_, static_cast<uint16_t>(s), source.error());
    const OrderKey after_last_packet{st.now_us, static_cast<uint32_t>(s), UINT64_MAX};
    ctx_.lanes.append(index_, after_last_packet, scratch_.data(), scratch_.size());
  }
  publish_watermark();
}

Flow* DetectionWorker::create_flow(const PacketEntry& e) {
  Flow* f = table_.insert(e.key, e.hash);
  f->id = next_flow_seq_++ * ctx_.config.detection_threads + index_ + 1;
  f->first_seen_us = f->last_seen_us = e.time_us;
  f->dscp = e.dscp;
  f->tunnel = e.tunnel;
  if (e.has_macs) {
    std::memcpy(e.src_is_lower ? f->lower_mac : f->upper_mac, e.src_mac, 6);
    std::memcpy(e.src_is_lower ? f->upper_mac : f->lower_mac, e.dst_mac, 6);
  }
  // Originator (FORMATS §3.4): first sender, then the higher port, then TCP SYN / SYN+ACK.
  const uint8_t proto = e.key.protocol;
  bool origin_lower = e.src_is_lower != 0;
  if ((proto == 6 || proto == 17 || proto == 132 || proto == 136) && e.key.lower_port != e.key.upper_port)
    origin_lower = e.key.lower_port > e.key.upper_port;
  if (proto == 6 && (e.tcp_flags & kTcpSyn))
    origin_lower = (e.tcp_flags & kTcpAck) ? !e.src_is_lower : e.src_is_lower != 0;
  f->origin_lower = origin_lower;
  ctx_.flows_created.fetch_add(1, std::memory_order_relaxed);
  return f;
}

void DetectionWorker::account(Flow& f, const PacketEntry& e, int dir) {
  if (e.time_us > f.last_seen_us) f.last_seen_us = e.time_us;
  f.bytes[dir] += e.wire_len;
  ++f.packets[dir];
  f.interval_bytes[dir] += e.wire_len;
  ++f.interval_packets[dir];
  const uint64_t second = e.time_us / 1000000;
  if (second != f.last_active_second[dir]) {
    f.last_active_second[dir] = second;
    ++f.interval_active_seconds[dir];
  }
  SourceCounters& c = interval_[e.key.source];
  ++c[kIp];
  c[kIpBytes] += e.wire_len;
  c[kWireBytes] += e.wire_len + 24u;  // preamble, SFD, FCS, inter-frame gap
  if (e.key.protocol != 6) return;
  if ((e.tcp_flags & kTcpFin) && (e.tcp_flags & kTcpAck)) f.state |= flow_state::kTcpFinAck;
  if (e.tcp_flags & kTcpRst) {
    f.state |= flow_state::kTcpRst;
    ++f.interval_tcp_resets;
    ++c[kTcpResets];
  }
  switch (f.tcp.track(dir, e.tcp_seq, e.payload_len, e.tcp_flags)) {
    case TcpTracker::Result::retransmission:
      ++f.interval_tcp_retrans;
      break;
    case TcpTracker::Result::sequence_error:
      ++f.interval_tcp_seq_errors;
      ++c[kTcpSeqErrors];
      break;
    default:
      break;
  }
}

void DetectionWorker::on_packet(const PacketEntry& e) {
  const DnsMessage dns = dns_message(e);
  Flow* f = table_.find(e.key, e.hash);
  if (!f) {
    // Take a slot first: the detection threads share the max_flows budget.
    const uint64_t max = ctx_.config.max_flows;
    const int64_t before = ctx_.active_flows.fetch_add(1, std::memory_order_relaxed);
    if (max && static_cast<uint64_t>(before) >= max) {
      ctx_.active_flows.fetch_sub(1, std::memory_order_relaxed);
      SourceCounters& c = interval_[e.key.source];
      ++c[kFlowDropped];
      ++c[kDiscarded];
      c[kDiscardedBytes] += e.wire_len;
      ctx_.sources[e.key.source]->flows_refused.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    f = create_flow(e);
  } else if (restarts_dns_flow(*f, dns)) {
    restart_flow(*f);
  }
  account(*f, e, e.src_is_lower ? 0 : 1);
  if (ctx_.config.idle_expiry) expiry_[e.key.source].touch(f);
  if (!f->in_interval) {
    f->in_interval = true;
    interval_flows_.push_back(f);
  }
  if (f->has(flow_state::kDpiComplete)) {
    report_dns_answer(*f, e, dns);
    return;
  }
  const DetectStep step = detector_.process(*f, e.l3(), e.l3_len, e.time_us / 1000);
  if (step.became_known)
    emit(RecordKind::flow_new, *f);
  else if (step.updated)
    emit(RecordKind::dpi_update, *f);
  if (step.completed) emit(RecordKind::dpi_complete, *f);
  report_dns_answer(*f, e, dns);
}

// netifyd's DNS flow reuse (FORMATS §6.2): the flow starts over (counters, flags, risks and
// detection) but keeps its identity (id, key, first seen); DPI runs again on this query and a
// new new…dpi_complete sequence follows.
void DetectionWorker::restart_flow(Flow& f) {
  f.state = 0;
  for (int d = 0; d < 2; ++d) {
    f.bytes[d] = f.packets[d] = 0;
    f.interval_bytes[d] = f.interval_packets[d] = 0;
    f.interval_active_seconds[d] = 0;
    f.last_active_second[d] = UINT64_MAX;
  }
  f.interval_tcp_resets = f.interval_tcp_retrans = f.interval_tcp_seq_errors = 0;
  f.detection_packets = 0;
  f.meta_signature = 0;
  f.ssh_first_banner = 0;
  f.tcp = TcpTracker();
  f.detection = Detection();
  f.detection_sent = UINT32_MAX;
}

void DetectionWorker::emit(RecordKind kind, Flow& f, ExpireReason reason) {
  if (kind == RecordKind::flow_new) f.state |= flow_state::kNewEmitted;
  scratch_.clear();
  write_flow_record(scratch_, kind, f, reason);
  ctx_.lanes.append(index_, current_key_, scratch_.data(), scratch_.size());
}

void DetectionWorker::finish_detection(Flow& f) {
  detector_.finish(f);
  if (!f.has(flow_state::kNewEmitted)) emit(RecordKind::flow_new, f);
  emit(RecordKind::dpi_complete, f);
}

}  // namespace netifyd
