// The capture thread of one source: reads packets, decodes them, counts, and hands each
// to the detection thread owning its flow (by key hash). Also emits the tick markers of
// this source's clock and, at the end, an end marker to every detection thread.
#pragma once
#include <cstdint>
#include <vector>

#include "../capture/packet_ring.h"
#include "../capture/wakeup.h"
#include "../decode/decode_state.h"
#include "engine_context.h"

namespace netifyd {

class CaptureWorker final : public PacketHandler {
 public:
  CaptureWorker(EngineContext& ctx, SourceState& source, std::vector<PacketRing*> rings);

  void run();  // thread body (capture thread)
  Wakeup& wakeup() { return wakeup_; }

 private:
  void on_packet(const RawPacket& packet) override;
  void on_filtered() override;
  void count_discard(Discard reason, uint32_t wire_len);
  void count_layers(const DecodeState& st);
  void enqueue_packet(const RawPacket& packet, const DecodeState& st);
  void advance_clock(uint64_t time_us);
  void check_wall_clock();
  void push_tick(uint64_t index, uint64_t time_us);
  void push_end(EndReason reason);
  void push_sync();
  void sync_idle_live_source();
  uint8_t* reserve(PacketRing& ring, uint32_t size, bool may_drop);
  void commit(PacketRing& ring, bool urgent);
  void notify_consumers();
  void pace(uint64_t time_us);
  void publish_progress();

  EngineContext& ctx_;
  SourceState& source_;
  std::vector<PacketRing*> rings_;  // one per detection thread
  Wakeup wakeup_;
  SourceCounters interval_;  // capture-side counters since the last tick marker
  const uint64_t interval_us_;
  bool have_first_ = false;
  uint64_t first_time_us_ = 0;
  uint64_t last_time_us_ = 0;
  uint64_t tick_index_ = 0;
  uint64_t replay_wall_start_us_ = 0;
  uint64_t last_dropped_ = 0;
  uint32_t unpublished_ = 0;
  uint64_t seq_ = 0;           // packets handed to the detection threads so far
  uint32_t since_sync_ = 0;    // of which after the last sync marker
  bool stop_reading_ = false;
};

}  // namespace netifyd
