// A detection thread: owns a shard of the flows (its own table and nDPI module), consumes
// one ring per source, updates flow counters, runs detection and produces flow records.
// At each tick it expires idle/closed flows and hands its share of the tick (interval stats,
// counters) to its record lane; it never waits for the other detection threads.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "../capture/packet_ring.h"
#include "../capture/wakeup.h"
#include "../detect/detector.h"
#include "../detect/ndpi_module.h"
#include "../events/byte_writer.h"
#include "../events/order_key.h"
#include "../events/record.h"
#include "../flow/expiry_lists.h"
#include "../flow/flow_table.h"
#include "engine_context.h"
#include "ring_entry.h"

namespace netifyd {

class DetectionWorker {
 public:
  // `rings`: this thread's ring from each source, indexed by source id.
  DetectionWorker(EngineContext& ctx, uint32_t index, std::vector<PacketRing*> rings);
  ~DetectionWorker();

  void run();  // thread body (detection thread)
  Wakeup& wakeup() { return wakeup_; }

 private:
  struct RingState {
    uint64_t reached = 0;   // last tick marker seen on this ring
    uint64_t now_us = 0;    // the source's clock at that marker / last packet
    bool ended = false;
    EndReason reason = EndReason::eof;
    OrderKey synced = OrderKey::lowest();  // the source's last sync marker
  };

  bool drain(size_t source);
  bool consumable(size_t source);
  void on_packet(const PacketEntry& e);
  // dns_answers.cc: the DNS message of a port-53 packet, located once per packet.
  struct DnsMessage {
    const uint8_t* data = nullptr;
    size_t length = 0;
  };
  static DnsMessage dns_message(const PacketEntry& e);
  bool restarts_dns_flow(const Flow& flow, const DnsMessage& dns) const;
  void report_dns_answer(const Flow& flow, const PacketEntry& e, const DnsMessage& dns);
  void restart_flow(Flow& flow);
  void on_end(size_t source, const EndEntry& e);
  void on_sync(size_t source, const SyncEntry& e);
  void publish_watermark();
  Flow* create_flow(const PacketEntry& e);
  void account(Flow& flow, const PacketEntry& e, int dir);
  void emit(RecordKind kind, Flow& flow, ExpireReason reason = ExpireReason::none);
  void finish_detection(Flow& flow);
  // flow_expiry.cc
  void run_tick(bool final);
  bool should_expire(const Flow& flow, bool final, ExpireReason& reason) const;
  void collect_idle(size_t source);
  void report_interval(TickPart& part);
  void release_all();
  void release_detection();

  EngineContext& ctx_;
  const uint32_t index_;
  std::vector<PacketRing*> rings_;
  std::vector<RingState> state_;
  Wakeup wakeup_;
  NdpiModule module_;
  Detector detector_;
  FlowTable table_;
  std::vector<SourceCounters> interval_;  // per source
  ByteWriter scratch_;
  std::vector<SourceExpiry> expiry_;      // per source
  std::vector<Flow*> interval_flows_;     // flows with packets since their last stats
  std::vector<std::pair<Flow*, ExpireReason>> expiring_;
  bool full_scan_due_ = false;            // a source ended: its flows all expire
  uint64_t current_tick_ = 0;
  uint64_t next_flow_seq_ = 0;
  OrderKey current_key_;  // of what the records emitted now belong to
};

}  // namespace netifyd
