#include "pcap_source.h"

#include <poll.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "capture_error.h"
#include "link_type.h"

namespace netifyd {
namespace {
constexpr int kLiveTimeoutMs = 100;
constexpr int kLiveBufferBytes = 4 << 20;
constexpr size_t kFileBufferBytes = 1 << 20;
}  // namespace

PcapSource::PcapSource(pcap_t* handle, bool live, const std::string& what)
    : handle_(handle), live_(live) {
  set_link_layer(what);
}

PcapSource::~PcapSource() {
  if (has_offline_filter_) pcap_freecode(&offline_filter_);
  if (handle_) pcap_close(handle_);
}

void PcapSource::set_link_layer(const std::string& what) {
  const int dlt = pcap_datalink(handle_);
  first_layer_ = first_layer_for_dlt(dlt);
  link_name_ = dlt_display_name(dlt);
  if (first_layer_ == Layer::done) {
    throw CaptureError("ERR_LINKTYPE", what + ": unsupported link type " + link_name_ +
                                           " (supported: " + supported_link_types() + ")");
  }
}

void PcapSource::install_filter(const std::string& what, const std::string& filter) {
  if (filter.empty()) return;
  bpf_program prog{};
  if (pcap_compile(handle_, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    throw CaptureError("ERR_BPF", what + ": invalid capture filter '" + filter +
                                      "': " + pcap_geterr(handle_));
  }
  if (live_) {
    const int rc = pcap_setfilter(handle_, &prog);
    pcap_freecode(&prog);
    if (rc != 0)
      throw CaptureError("ERR_BPF", what + ": cannot install filter '" + filter +
                                        "': " + pcap_geterr(handle_));
  } else {
    // Files: filter in the capture thread so rejected packets can be counted.
    offline_filter_ = prog;
    has_offline_filter_ = true;
  }
}

PcapSource* PcapSource::open_file(const std::string& path, const std::string& filter) {
  char err[PCAP_ERRBUF_SIZE] = "";
  const std::string what = "capture file '" + path + "'";
  // Our own FILE with a large buffer: libpcap reads record by record, and a 4 KiB stdio
  // buffer would cost a read() per few packets.
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw CaptureError("ERR_CAPTURE_OPEN", what + " cannot be opened: " + std::strerror(errno));
  std::unique_ptr<char[]> buffer(new char[kFileBufferBytes]);
  std::setvbuf(file, buffer.get(), _IOFBF, kFileBufferBytes);  // glibc ignores the size without a buffer
  pcap_t* h = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, err);
  if (!h) {
    std::fclose(file);
    throw CaptureError("ERR_CAPTURE_OPEN", what + " cannot be opened: " + err);
  }
  PcapSource* src = nullptr;
  try {
    src = new PcapSource(h, false, what);
  } catch (...) {
    pcap_close(h);
    throw;
  }
  src->file_buffer_ = std::move(buffer);
  try {
    src->install_filter(what, filter);
  } catch (...) {
    delete src;
    throw;
  }
  return src;
}

PcapSource* PcapSource::open_live(const std::string& iface, const std::string& filter,
                                  int snaplen, bool promiscuous) {
  char err[PCAP_ERRBUF_SIZE] = "";
  const std::string what = "interface '" + iface + "'";
  pcap_t* h = pcap_create(iface.c_str(), err);
  if (!h) throw CaptureError("ERR_CAPTURE_OPEN", what + " cannot be opened: " + err);
  pcap_set_snaplen(h, snaplen);
  pcap_set_promisc(h, promiscuous ? 1 : 0);
  pcap_set_timeout(h, kLiveTimeoutMs);
  pcap_set_buffer_size(h, kLiveBufferBytes);
  const int rc = pcap_activate(h);
  if (rc < 0) {
    std::string reason = rc == PCAP_ERROR ? pcap_geterr(h) : pcap_statustostr(rc);
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE || rc == PCAP_ERROR_PERM_DENIED) {
      const char* detail = pcap_geterr(h);
      if (detail && *detail) reason += std::string(" (") + detail + ")";
    }
    pcap_close(h);
    throw CaptureError("ERR_CAPTURE_OPEN", what + " cannot be opened: " + reason);
  }
  if (pcap_setnonblock(h, 1, err) != 0) {
    pcap_close(h);
    throw CaptureError("ERR_CAPTURE_OPEN", what + " cannot be set non-blocking: " + err);
  }
  PcapSource* src = nullptr;
  try {
    src = new PcapSource(h, true, what);
  } catch (...) {
    pcap_close(h);
    throw;
  }
  try {
    src->install_filter(what, filter);
  } catch (...) {
    delete src;
    throw;
  }
  return src;
}

void PcapSource::on_pcap_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
  PcapSource* self = reinterpret_cast<PcapSource*>(user);
  if (self->has_offline_filter_ && pcap_offline_filter(&self->offline_filter_, h, bytes) == 0) {
    self->handler_->on_filtered();
    return;
  }
  RawPacket p{bytes, h->caplen, h->len,
              static_cast<uint64_t>(h->ts.tv_sec) * 1000000u + static_cast<uint64_t>(h->ts.tv_usec)};
  self->handler_->on_packet(p);
}

// Runs on the capture thread.
PcapSource::Read PcapSource::read(int max, PacketHandler& handler) {
  handler_ = &handler;
  if (live_) {
    // libpcap's read timeout does not fire on an idle link with TPACKET_V3 (the kernel only
    // retires a block that holds a packet), so wait here with a bounded poll instead: the
    // capture thread must wake to tick on the wall clock and to notice a stop.
    pollfd pfd{pcap_get_selectable_fd(handle_), POLLIN, 0};
    const int ready = poll(&pfd, 1, kLiveTimeoutMs);
    if (ready <= 0) return Read::idle;
  }
  const int n = pcap_dispatch(handle_, max, &PcapSource::on_pcap_packet, reinterpret_cast<u_char*>(this));
  if (n > 0) return Read::packets;
  if (n == 0) return live_ ? Read::idle : Read::eof;
  if (n == PCAP_ERROR_BREAK) return Read::idle;
  return Read::error;
}

void PcapSource::interrupt() { pcap_breakloop(handle_); }

std::string PcapSource::last_error() const { return pcap_geterr(handle_); }

uint64_t PcapSource::position() const {
  if (live_) return 0;
  FILE* f = pcap_file(handle_);
  if (!f) return 0;
  const long pos = std::ftell(f);
  return pos > 0 ? static_cast<uint64_t>(pos) : 0;
}

uint64_t PcapSource::dropped() const {
  if (!live_) return 0;
  pcap_stat st{};
  if (pcap_stats(handle_, &st) != 0) return 0;
  return static_cast<uint64_t>(st.ps_drop) + st.ps_ifdrop;
}

}  // namespace netifyd
