// DNS on port 53, read by the engine itself for every packet of the flow: responses become
// dns_answer records (for the DNS hint cache; nDPI keeps only its first answer address, and
// only while it looks at the flow), and a new A/AAAA query on a flow whose detection is over
// restarts it (netifyd's DNS flow reuse).
#include "../decode/decode_state.h"
#include "../detect/dns_response.h"
#include "../events/record_writer.h"
#include "detection_worker.h"

namespace netifyd {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;

}  // namespace

// UDP counts only when the datagram holds the whole message (not a first fragment).
DetectionWorker::DnsMessage DetectionWorker::dns_message(const PacketEntry& e) {
  if (e.key.lower_port != kDnsPort && e.key.upper_port != kDnsPort) return {};
  const bool tcp = e.key.protocol == kProtoTcp;
  if ((!tcp && e.key.protocol != kProtoUdp) || e.payload_len == 0) return {};
  const uint8_t* payload = e.payload();
  if (!payload || (!tcp && be16(payload - 4) != e.payload_len + 8u)) return {};
  DnsMessage dns;
  if (!dns_message_in_payload(payload, e.payload_len, tcp, dns.data, dns.length)) return {};
  return dns;
}

bool DetectionWorker::restarts_dns_flow(const Flow& f, const DnsMessage& dns) const {
  return ctx_.config.dns_flow_reuse && dns.data && f.has(flow_state::kDpiComplete) &&
         is_address_query(dns.data, dns.length);
}

void DetectionWorker::report_dns_answer(const Flow& f, const PacketEntry& e, const DnsMessage& dns) {
  DnsResponse response;
  if (!dns.data || !parse_dns_response(dns.data, dns.length, response)) return;
  scratch_.clear();
  write_dns_answer(scratch_, f.id, e.key.source, e.time_us, response);
  ctx_.lanes.append(index_, current_key_, scratch_.data(), scratch_.size());
}

}  // namespace netifyd
