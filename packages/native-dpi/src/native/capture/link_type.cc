#include "link_type.h"

#include <pcap/pcap.h>

namespace netifyd {

Layer first_layer_for_dlt(int dlt) {
  if (dlt == DLT_RAW || dlt == 12 || dlt == 14) return Layer::ip;  // raw IP (value varies by OS)
  switch (dlt) {
    case DLT_EN10MB:
      return Layer::ethernet;
    case DLT_LINUX_SLL:
      return Layer::linux_sll;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
      return Layer::linux_sll2;
#endif
    case DLT_NULL:
    case DLT_LOOP:
      return Layer::null_loop;
    case DLT_PPP:
    case DLT_PPP_SERIAL:
    case DLT_C_HDLC:
      return Layer::ppp_hdlc;
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
#ifdef DLT_IPV6
    case DLT_IPV6:
#endif
      return Layer::ip;
    default:
      return Layer::done;
  }
}

std::string dlt_display_name(int dlt) {
  const char* name = pcap_datalink_val_to_name(dlt);
  std::string out = name ? name : "DLT " + std::to_string(dlt);
  if (name) out += " (" + std::to_string(dlt) + ")";
  return out;
}

std::string supported_link_types() {
  return "EN10MB, LINUX_SLL, LINUX_SLL2, NULL, LOOP, PPP, PPP_SERIAL, C_HDLC, RAW, IPV4, IPV6";
}

}  // namespace netifyd
