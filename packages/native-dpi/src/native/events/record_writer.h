// Serialises flow records, tick entries, source ends and DNS answers in the layout of record.h.
#pragma once
#include <string>

#include "../detect/dns_response.h"
#include "../flow/flow.h"
#include "byte_writer.h"
#include "record.h"
#include "source_counters.h"

namespace netifyd {

// Marks the flow's detection as sent (later records omit it until it changes).
void write_flow_record(ByteWriter& w, RecordKind kind, Flow& flow, ExpireReason reason);
// One element of a tick's flow list (interval deltas and totals).
void write_tick_flow(ByteWriter& w, const Flow& flow);
void write_tick_header(ByteWriter& w, uint64_t time_ms, bool final, uint32_t flow_count);
void write_tick_source(ByteWriter& w, uint16_t source, const SourceCounters& counters);
void write_source_end(ByteWriter& w, uint16_t source, const std::string& error);
void write_dns_answer(ByteWriter& w, uint64_t flow_id, uint16_t source, uint64_t time_us,
                      const DnsResponse& response);

inline double to_ms(uint64_t us) { return static_cast<double>(us / 1000); }

}  // namespace netifyd
