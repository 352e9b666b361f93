// DNS on port 53, read by the engine itself for every packet of the flow: responses become
// dns_answer records (for the DNS hint cache; nDPI keeps only its first answer address, and
// only while it looks at the flow), and a new A/AAAA query on a flow whose detection is over
// restarts it (netifyd's DNS flow reuse).
#include "../detect/dns_response.h"
#include "../events/record_writer.h"
#include "detection_worker.h"

namespace netifyd {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;

uint16_t read_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// The packet's L4 payload. The decoder counted `payload_len` back from the end of the IP
// datagram, so the payload ends there; nothing when the datagram is not wholly in the copy.
bool l4_payload(const PacketEntry& e, const uint8_t*& payload) {
  const uint8_t* l3 = e.l3();
  uint32_t total = 0;
  if (e.key.ip_version == 4) {
    if (e.l3_len < 20) return false;
    total = read_be16(l3 + 2);
  } else {
    if (e.l3_len < 40) return false;
    total = 40u + read_be16(l3 + 4);
  }
  if (total > e.l3_len || e.payload_len > total) return false;
  payload = l3 + total - e.payload_len;
  return true;
}

// The DNS message of a port-53 packet, when its payload holds a whole one.
bool dns_message(const PacketEntry& e, const uint8_t*& message, size_t& length) {
  if (e.key.lower_port != kDnsPort && e.key.upper_port != kDnsPort) return false;
  const bool tcp = e.key.protocol == kProtoTcp;
  if ((!tcp && e.key.protocol != kProtoUdp) || e.payload_len == 0) return false;
  const uint8_t* payload = nullptr;
  if (!l4_payload(e, payload)) return false;
  // UDP: the datagram must hold the whole message (not a first fragment).
  if (!tcp && read_be16(payload - 4) != e.payload_len + 8u) return false;
  return dns_message_in_payload(payload, e.payload_len, tcp, message, length);
}

}  // namespace

bool DetectionWorker::restarts_dns_flow(const Flow& f, const PacketEntry& e) const {
  if (!ctx_.config.dns_flow_reuse || !f.has(flow_state::kDpiComplete)) return false;
  const uint8_t* message = nullptr;
  size_t length = 0;
  return dns_message(e, message, length) && is_address_query(message, length);
}

void DetectionWorker::report_dns_answer(const Flow& f, const PacketEntry& e) {
  const uint8_t* message = nullptr;
  size_t length = 0;
  if (!dns_message(e, message, length)) return;
  DnsResponse response;
  if (!parse_dns_response(message, length, response)) return;
  scratch_.clear();
  write_dns_answer(scratch_, f.id, e.key.source, e.time_us, response);
  ctx_.lanes.append(index_, current_key_, scratch_.data(), scratch_.size());
}

}  // namespace netifyd
