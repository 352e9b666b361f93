#include "capture_worker.h"

#include <pthread.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "../decode/decoder.h"

namespace netifyd {
namespace {

constexpr int kReadBatch = 256;
constexpr uint32_t kMaxCopiedL3 = 65535;
constexpr auto kFullRingWait = std::chrono::milliseconds(10);
constexpr uint32_t kPublishEvery = 4096;
// A sync marker to every detection thread after this many packets: how far the emitter may
// have to wait for a thread that gets few of them before it can release another's records.
constexpr uint32_t kSyncEvery = 512;
// With several live sources, an idle one still vouches for "now minus this" so the records
// of the others are not held until its next packet (a later packet stamped earlier than
// that is counted at that time).
constexpr uint64_t kLiveSyncLagUs = 1000000;

uint64_t wall_clock_us() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

CaptureWorker::CaptureWorker(EngineContext& ctx, SourceState& source, std::vector<PacketRing*> rings)
    : ctx_(ctx),
      source_(source),
      rings_(std::move(rings)),
      interval_us_(ctx.config.update_interval_ms * 1000) {
  for (PacketRing* r : rings_) r->producer = &wakeup_;
}

// Runs on the capture thread.
void CaptureWorker::run() {
  const std::string name = "dpi-cap-" + std::to_string(source_.id);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  PcapSource& pcap = *source_.pcap;
  EndReason reason = EndReason::eof;
  while (!stop_reading_) {
    if (ctx_.aborting.load(std::memory_order_relaxed)) return;
    if (ctx_.stopping.load(std::memory_order_relaxed)) {
      reason = EndReason::stopped;
      break;
    }
    const PcapSource::Read r = pcap.read(kReadBatch, *this);
    // Live: wake the detection threads after every read. Files: only when a ring is 1/8
    // full or full (see commit() and reserve()), so they work in long stretches.
    if (pcap.live()) {
      check_wall_clock();
      if (since_sync_ > 0)
        push_sync();
      else if (r == PcapSource::Read::idle)
        sync_idle_live_source();
      notify_consumers();
    }
    if (r == PcapSource::Read::eof) break;
    if (r == PcapSource::Read::error) {
      reason = EndReason::error;
      source_.set_error((pcap.live() ? "interface '" : "capture file '") + source_.target + "': " + pcap.last_error());
      break;
    }
  }
  if (stop_reading_ && ctx_.stopping.load()) reason = EndReason::stopped;
  publish_progress();
  push_end(reason);
  notify_consumers();
}

void CaptureWorker::on_filtered() {
  ++interval_[kCaptureFiltered];
  ++unpublished_;
}

void CaptureWorker::count_discard(Discard reason, uint32_t wire_len) {
  ++interval_[kDiscarded];
  interval_[kDiscardedBytes] += wire_len;
  bump(source_.discards[static_cast<int>(reason)]);
}

void CaptureWorker::count_layers(const DecodeState& st) {
  if (st.flags & decode_flag::kEthernet) ++interval_[kEthernet];
  if (st.flags & decode_flag::kVlan) ++interval_[kVlan];
  if (st.flags & decode_flag::kMpls) ++interval_[kMpls];
  if (st.flags & decode_flag::kPppoe) ++interval_[kPppoe];
  if (st.flags & decode_flag::kFragment) ++interval_[kFragmented];
  if (st.ip_version != 0) {
    switch (st.protocol) {
      case 6: ++interval_[kTcp]; break;
      case 17: ++interval_[kUdp]; break;
      case 1:
      case 58: ++interval_[kIcmp]; break;
      case 2: ++interval_[kIgmp]; break;
      default: break;
    }
  }
}

// Runs on the capture thread, inside PcapSource::read().
void CaptureWorker::on_packet(const RawPacket& raw) {
  RawPacket packet = raw;
  if (packet.time_us < last_time_us_) packet.time_us = last_time_us_;  // never backwards (OrderKey)
  if (source_.replay) pace(packet.time_us);
  if (!source_.pcap->live()) advance_clock(packet.time_us);
  last_time_us_ = packet.time_us;

  ++interval_[kRaw];
  if (packet.wirelen > interval_[kLargestBytes]) interval_[kLargestBytes] = packet.wirelen;
  if (++unpublished_ >= kPublishEvery) publish_progress();

  DecodeState st;
  st.ndpi_reader_compat = ctx_.config.detection.reader_limits;
  const Frame frame{packet.data, packet.caplen, packet.wirelen};
  const Discard d = decode_frame(frame, source_.pcap->first_layer(), st);
  count_layers(st);
  if (d != Discard::none) {
    count_discard(d, packet.wirelen);
    return;
  }
  enqueue_packet(packet, st);
}

void CaptureWorker::enqueue_packet(const RawPacket& packet, const DecodeState& st) {
  const uint8_t* l3 = packet.data + st.l3_offset;
  const uint8_t* src_ip = l3 + (st.ip_version == 4 ? 12 : 8);
  const uint8_t* dst_ip = l3 + (st.ip_version == 4 ? 16 : 24);
  FlowKeyWords key;
  const bool src_lower = make_flow_key(key, source_.id, st.vlan_id, st.ip_version, st.protocol,
                                       src_ip, dst_ip, st.src_port, st.dst_port);
  const uint64_t hash = key.hash();
  // Flows spread over the detection threads by their whole key; in ndpiReader mode by host
  // pair, so nDPI's per-host caches see related flows in one module.
  const uint64_t shard = ctx_.config.detection.reader_limits ? key.hosts_hash() : hash;
  PacketRing& ring = *rings_[shard % rings_.size()];

  // nDPI gets what ndpiReader gives it: everything captured from the IP header on.
  uint32_t l3_len = packet.caplen - st.l3_offset;
  if (l3_len > kMaxCopiedL3) l3_len = kMaxCopiedL3;
  const uint32_t size = PacketRing::align(static_cast<uint32_t>(sizeof(PacketEntry)) + l3_len);
  uint8_t* slot = reserve(ring, size, !ctx_.lossless);
  if (!slot) {
    if (!ctx_.lossless) ++interval_[kQueueDropped];
    return;
  }
  PacketEntry* e = reinterpret_cast<PacketEntry*>(slot);
  e->header = RingEntryHeader{size, kEntryPacket, {0, 0, 0}};
  key.store(e->key);
  e->hash = hash;
  e->time_us = packet.time_us;
  e->seq = ++seq_;
  // ndpiReader counts captured bytes; netifyd (and the default) bytes on the wire.
  e->wire_len = ctx_.config.detection.reader_limits ? packet.caplen : packet.wirelen;
  e->l3_len = l3_len;
  e->payload_len = st.payload_len;
  e->payload_offset = st.l4_offset + (st.l4_len - st.payload_len) - st.l3_offset;
  e->tcp_seq = st.tcp_seq;
  e->tcp_flags = st.tcp_flags;
  e->src_is_lower = src_lower ? 1 : 0;
  e->dscp = st.dscp;
  e->tunnel = static_cast<uint8_t>(st.tunnel);
  e->has_macs = st.mac_offset != UINT32_MAX ? 1 : 0;
  if (e->has_macs) {
    std::memcpy(e->dst_mac, packet.data + st.mac_offset, 6);
    std::memcpy(e->src_mac, packet.data + st.mac_offset + 6, 6);
  }
  std::memcpy(slot + sizeof(PacketEntry), l3, l3_len);
  commit(ring, false);
  if (++since_sync_ >= kSyncEvery) push_sync();
}

// Never waits: a ring too full for the marker belongs to a thread with work to do, and the
// next marker will reach it.
void CaptureWorker::push_sync() {
  since_sync_ = 0;
  const uint32_t size = PacketRing::align(sizeof(SyncEntry));
  for (PacketRing* ring : rings_) {
    uint8_t* slot = ring->reserve(size);
    if (!slot) continue;
    SyncEntry* e = reinterpret_cast<SyncEntry*>(slot);
    e->header = RingEntryHeader{size, kEntrySync, {0, 0, 0}};
    e->time_us = last_time_us_;
    e->seq = seq_;
    commit(*ring, false);
  }
}

void CaptureWorker::sync_idle_live_source() {
  if (ctx_.sources.size() < 2) return;
  const uint64_t now = wall_clock_us();
  if (now < kLiveSyncLagUs || now - kLiveSyncLagUs <= last_time_us_) return;
  last_time_us_ = now - kLiveSyncLagUs;
  push_sync();
}

// Files: ticks follow the capture's own clock. Intervals without packets collapse into
// the next tick instead of producing a run of empty ticks.
void CaptureWorker::advance_clock(uint64_t time_us) {
  if (!have_first_) {
    have_first_ = true;
    first_time_us_ = time_us;
    return;
  }
  const uint64_t index = (time_us - first_time_us_) / interval_us_;
  if (index > tick_index_) push_tick(index, first_time_us_ + index * interval_us_);
}

// Live sources: ticks follow the wall clock, shared by all live sources.
void CaptureWorker::check_wall_clock() {
  const uint64_t base_us = ctx_.wall_clock_base_ms * 1000;
  const uint64_t now = wall_clock_us();
  if (now <= base_us) return;
  const uint64_t index = (now - base_us) / interval_us_;
  if (index > tick_index_) push_tick(index, base_us + index * interval_us_);
}

void CaptureWorker::push_tick(uint64_t index, uint64_t time_us) {
  tick_index_ = index;
  if (source_.pcap->live()) {
    const uint64_t dropped = source_.pcap->dropped();
    interval_[kCaptureDropped] += dropped - last_dropped_;
    last_dropped_ = dropped;
  }
  publish_progress();
  const uint32_t size = PacketRing::align(sizeof(TickEntry));
  for (PacketRing* ring : rings_) {
    uint8_t* slot = reserve(*ring, size, false);
    if (!slot) return;  // aborting
    TickEntry* t = reinterpret_cast<TickEntry*>(slot);
    t->header = RingEntryHeader{size, kEntryTick, {0, 0, 0}};
    t->index = index;
    t->time_us = time_us;
    t->capture = interval_;
    commit(*ring, source_.pcap->live());
  }
  interval_.clear();
}

void CaptureWorker::push_end(EndReason reason) {
  const uint32_t size = PacketRing::align(sizeof(EndEntry));
  for (PacketRing* ring : rings_) {
    uint8_t* slot = reserve(*ring, size, false);
    if (!slot) return;  // aborting
    EndEntry* e = reinterpret_cast<EndEntry*>(slot);
    e->header = RingEntryHeader{size, kEntryEnd, {0, 0, 0}};
    e->reason = reason;
    e->last_time_us = last_time_us_;
    e->capture = interval_;
    commit(*ring, true);
  }
  interval_.clear();
}

// A full ring: drop (live packets) or wait for the detection thread (files, markers).
uint8_t* CaptureWorker::reserve(PacketRing& ring, uint32_t size, bool may_drop) {
  for (;;) {
    uint8_t* slot = ring.reserve(size);
    if (slot) return slot;
    if (may_drop) return nullptr;
    if (ctx_.aborting.load(std::memory_order_relaxed)) return nullptr;
    // The other threads vouch for everything so far, so the records of this one's (waiting
    // to be released after theirs) can leave and it can drain its ring.
    if (since_sync_ > 0) push_sync();
    ring.consumer->notify();
    wakeup_.sleep(kFullRingWait, [&] {
      return ctx_.aborting.load(std::memory_order_relaxed) || ring.used() + size * 2 < ring.capacity();
    });
  }
}

void CaptureWorker::commit(PacketRing& ring, bool urgent) {
  ring.commit();
  if (urgent || ring.backlog_at_least(ring.capacity() / 8)) ring.consumer->notify();
}

void CaptureWorker::notify_consumers() {
  for (PacketRing* r : rings_) r->consumer->notify();
}

// Replay: sleep so packets leave at the pace they were captured (interruptible by close();
// other wake-ups of this thread just sleep again until the packet is due).
void CaptureWorker::pace(uint64_t time_us) {
  uint64_t now = wall_clock_us();
  if (replay_wall_start_us_ == 0) {
    replay_wall_start_us_ = now - (have_first_ ? time_us - first_time_us_ : 0);
  }
  const uint64_t base = have_first_ ? first_time_us_ : time_us;
  const uint64_t due = replay_wall_start_us_ + (time_us - base);
  if (due > now) {
    if (since_sync_ > 0) push_sync();  // what was handed out so far can leave meanwhile
    notify_consumers();
  }
  while (due > now) {
    const auto stopped = [&] { return ctx_.stopping.load() || ctx_.aborting.load(); };
    wakeup_.sleep(std::chrono::milliseconds((due - now) / 1000 + 1), stopped);
    if (stopped()) {
      stop_reading_ = true;
      source_.pcap->interrupt();
      return;
    }
    now = wall_clock_us();
  }
}

void CaptureWorker::publish_progress() {
  bump(source_.packets_read, unpublished_);
  unpublished_ = 0;
  source_.file_position.store(source_.pcap->position(), std::memory_order_relaxed);
}

}  // namespace netifyd
