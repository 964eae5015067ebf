// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/net/uring_backend.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace ringkv::server::net {

namespace {

// user_data layout: the low 8 bits name the operation, the rest carry a connection id or a
// listener index. Connection ids never reach 2^56.
enum class Op : uint8_t { kAccept = 1, kRecv, kSend, kWake, kTick, kCancel };

constexpr int kBufGroup = 0;

uint64_t Tag(Op op, uint64_t id) { return (id << 8) | static_cast<uint8_t>(op); }
Op TagOp(uint64_t tag) { return static_cast<Op>(tag & 0xff); }
uint64_t TagId(uint64_t tag) { return tag >> 8; }

absl::Status Errno(int err, std::string_view what) {
  return absl::ErrnoToStatus(err, absl::StrCat(absl::string_view(what.data(), what.size())));
}

// Ring set-up flags from most to least wanted. DEFER_TASKRUN needs SINGLE_ISSUER; both need 6.1.
constexpr unsigned kFlagChoices[] = {
    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    0,
};

}  // namespace

UringBackend::UringBackend(const BackendOptions& options) : options_(options) {}

absl::StatusOr<std::unique_ptr<UringBackend>> UringBackend::Create(const BackendOptions& options) {
  std::unique_ptr<UringBackend> backend(new UringBackend(options));
  absl::Status s = backend->Init();
  if (!s.ok()) return s;
  return backend;
}

absl::Status UringBackend::Init() {
  int ret = -EINVAL;
  for (unsigned flags : kFlagChoices) {
    io_uring_params params{};
    params.flags = flags;
    ret = io_uring_queue_init_params(options_.ring_entries, &ring_, &params);
    if (ret == 0) {
      setup_flags_ = flags;
      break;
    }
    if (ret != -EINVAL) break;  // EPERM, ENOSYS, ENOMEM: io_uring is not for us here
  }
  if (ret != 0) return Errno(-ret, "io_uring_queue_init");
  ring_ready_ = true;

  io_uring_probe* probe = io_uring_get_probe_ring(&ring_);
  if (probe == nullptr) return absl::UnavailableError("io_uring probe failed");
  const int needed[] = {IORING_OP_ACCEPT, IORING_OP_RECV,    IORING_OP_SENDMSG,
                        IORING_OP_READ,   IORING_OP_TIMEOUT, IORING_OP_ASYNC_CANCEL};
  for (int op : needed) {
    if (!io_uring_opcode_supported(probe, op)) {
      io_uring_free_probe(probe);
      return absl::UnavailableError(absl::StrCat("io_uring lacks opcode ", op));
    }
  }
  io_uring_free_probe(probe);

  absl::Status s = InitBufferRing();
  if (!s.ok()) return s;
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return Errno(errno, "eventfd");
  ArmWake();
  ArmTick();
  return absl::OkStatus();
}

// liburing 2.3 lacks io_uring_setup_buf_ring: map the ring memory ourselves, register it, then
// fill it with every buffer.
absl::Status UringBackend::InitBufferRing() {
  unsigned entries = 1;
  while (entries < options_.recv_buffers) entries <<= 1;
  buf_ring_bytes_ = entries * sizeof(io_uring_buf);
  void* mem =
      mmap(nullptr, buf_ring_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return Errno(errno, "mmap buffer ring");
  buf_ring_ = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uint64_t>(buf_ring_);
  reg.ring_entries = entries;
  reg.bgid = kBufGroup;
  int ret = io_uring_register_buf_ring(&ring_, &reg, 0);
  if (ret != 0) return Errno(-ret, "io_uring_register_buf_ring");
  io_uring_buf_ring_init(buf_ring_);
  buffers_bytes_ = static_cast<size_t>(entries) * options_.recv_buffer_size;
  void* bufs =
      mmap(nullptr, buffers_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (bufs == MAP_FAILED) return Errno(errno, "mmap receive buffers");
  buffers_ = static_cast<char*>(bufs);
  if (options_.resident_buffers) MakeBuffersResident();
  buf_mask_ = io_uring_buf_ring_mask(entries);
  for (unsigned bid = 0; bid < entries; ++bid) {
    io_uring_buf_ring_add(buf_ring_,
                          buffers_ + static_cast<size_t>(bid) * options_.recv_buffer_size,
                          options_.recv_buffer_size, bid, buf_mask_, bid);
  }
  io_uring_buf_ring_advance(buf_ring_, entries);
  return absl::OkStatus();
}

UringBackend::~UringBackend() {
  if (ring_ready_) {
    if (buf_ring_ != nullptr) io_uring_unregister_buf_ring(&ring_, kBufGroup);
    io_uring_queue_exit(&ring_);
  }
  if (buf_ring_ != nullptr) munmap(buf_ring_, buf_ring_bytes_);
  if (buffers_ != nullptr) munmap(buffers_, buffers_bytes_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

// The kernel may be writing into a buffer meanwhile, so the pages are faulted in without
// changing a byte: MADV_POPULATE_WRITE (Linux 5.14+), else an atomic OR of zero per page.
void UringBackend::MakeBuffersResident() {
  if (buffers_ == nullptr) return;
  if (madvise(buffers_, buffers_bytes_, MADV_POPULATE_WRITE) == 0) return;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  for (size_t off = 0; off < buffers_bytes_; off += page) {
    std::atomic_ref<char>(buffers_[off]).fetch_or(0, std::memory_order_relaxed);
  }
}

std::string UringBackend::Describe() const {
  std::string flags;
  if (setup_flags_ & IORING_SETUP_SINGLE_ISSUER) flags += "SINGLE_ISSUER|";
  if (setup_flags_ & IORING_SETUP_DEFER_TASKRUN) flags += "DEFER_TASKRUN|";
  if (setup_flags_ & IORING_SETUP_COOP_TASKRUN) flags += "COOP_TASKRUN|";
  if (setup_flags_ & IORING_SETUP_TASKRUN_FLAG) flags += "TASKRUN_FLAG|";
  if (flags.empty()) flags = "no setup flags|";
  flags.pop_back();
  return absl::StrCat("io_uring (", flags, ", ", options_.recv_buffers, " x ",
                      options_.recv_buffer_size, " B recv buffers)");
}

io_uring_sqe* UringBackend::GetSqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  while (sqe == nullptr) {  // SQ full: push what we have to the kernel and try again
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  return sqe;
}

absl::Status UringBackend::AddListener(int listen_fd) {
  listeners_.push_back(listen_fd);
  ArmAccept(listeners_.size() - 1);
  return absl::OkStatus();
}

void UringBackend::ArmAccept(size_t listener_index) {
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_multishot_accept(sqe, listeners_[listener_index], nullptr, nullptr, SOCK_CLOEXEC);
  io_uring_sqe_set_data64(sqe, Tag(Op::kAccept, listener_index));
}

void UringBackend::ArmWake() {
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_read(sqe, wake_fd_, &wake_value_, sizeof(wake_value_), 0);
  io_uring_sqe_set_data64(sqe, Tag(Op::kWake, 0));
}

void UringBackend::ArmTick() {
  int64_t ns = 1'000'000'000LL / (options_.hz > 0 ? options_.hz : 10);
  tick_ts_.tv_sec = ns / 1'000'000'000LL;
  tick_ts_.tv_nsec = ns % 1'000'000'000LL;
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_timeout(sqe, &tick_ts_, 0, 0);
  io_uring_sqe_set_data64(sqe, Tag(Op::kTick, 0));
}

void UringBackend::StartRecv(ConnId id, int fd) {
  auto [it, inserted] = recv_.try_emplace(id, RecvState{fd, false, false, false});
  RecvState& st = it->second;
  st.paused = false;
  // While a cancel is in flight the multishot is still armed; its -ECANCELED completion re-arms.
  if (!st.armed) ArmRecv(id, st);
}

void UringBackend::ArmRecv(ConnId id, RecvState& st) {
  st.armed = true;
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_recv_multishot(sqe, st.fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufGroup;
  io_uring_sqe_set_data64(sqe, Tag(Op::kRecv, id));
}

void UringBackend::PauseRecv(ConnId id, int /*fd*/) {
  auto it = recv_.find(id);
  if (it == recv_.end() || it->second.paused) return;
  it->second.paused = true;
  if (!it->second.armed) return;  // waiting in rearm_recv_: the batch end will skip it
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_cancel64(sqe, Tag(Op::kRecv, id), 0);
  io_uring_sqe_set_data64(sqe, Tag(Op::kCancel, id));
}

void UringBackend::Send(ConnId id, int fd, struct msghdr* msg) {
  io_uring_sqe* sqe = GetSqe();
  io_uring_prep_sendmsg(sqe, fd, msg, MSG_NOSIGNAL);
  io_uring_sqe_set_data64(sqe, Tag(Op::kSend, id));
}

void UringBackend::Shutdown(ConnId id, int fd) {
  // shutdown() completes a pending multishot recv with 0 and fails a pending send, so every
  // operation on the connection ends and its buffers come home.
  ::shutdown(fd, SHUT_RDWR);
  auto it = recv_.find(id);
  if (it == recv_.end()) return;
  it->second.shut = true;
  // Nothing armed means no completion will come to end the receive side: report it ourselves.
  if (!it->second.armed) {
    recv_.erase(it);
    ended_.push_back(id);
  }
}

void UringBackend::ReturnBuffer(unsigned bid) {
  io_uring_buf_ring_add(buf_ring_, buffers_ + static_cast<size_t>(bid) * options_.recv_buffer_size,
                        options_.recv_buffer_size, bid, buf_mask_, 0);
  io_uring_buf_ring_advance(buf_ring_, 1);
}

void UringBackend::HandleRecv(ConnId id, const io_uring_cqe* cqe) {
  const bool more = cqe->flags & IORING_CQE_F_MORE;
  if (cqe->flags & IORING_CQE_F_BUFFER) {
    unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
    if (cqe->res > 0) {
      handler_->OnRecv(
          id, std::string_view(buffers_ + static_cast<size_t>(bid) * options_.recv_buffer_size,
                               static_cast<size_t>(cqe->res)));
    }
    ReturnBuffer(bid);
  }
  if (more) return;
  auto it = recv_.find(id);
  if (it == recv_.end()) return;
  RecvState& st = it->second;
  st.armed = false;
  // The multishot ended without the peer or an error ending it: data filled the CQ, every buffer
  // was lent out (ENOBUFS), or our own cancel for a pause. Keep reading unless paused.
  bool transient = cqe->res > 0 || cqe->res == -ENOBUFS || cqe->res == -ECANCELED;
  if (transient && !st.shut) {
    if (!st.paused) rearm_recv_.push_back(id);
    return;
  }
  recv_.erase(it);
  handler_->OnRecvEnded(id, cqe->res);
}

void UringBackend::HandleCqe(const io_uring_cqe* cqe) {
  uint64_t tag = io_uring_cqe_get_data64(cqe);
  switch (TagOp(tag)) {
    case Op::kAccept:
      if (cqe->res >= 0) handler_->OnAccept(cqe->res);
      // EMFILE/ENFILE and friends end the multishot; arm it again (the next accept retries).
      if (!(cqe->flags & IORING_CQE_F_MORE) && !stop_.load()) ArmAccept(TagId(tag));
      break;
    case Op::kRecv:
      HandleRecv(TagId(tag), cqe);
      break;
    case Op::kSend:
      handler_->OnSendDone(TagId(tag), cqe->res);
      break;
    case Op::kWake:
      handler_->OnWake();
      ArmWake();
      break;
    case Op::kTick:
      handler_->OnTick();
      ArmTick();
      break;
    case Op::kCancel:
      break;
  }
}

void UringBackend::Run(IoHandler* handler) {
  handler_ = handler;
  while (!stop_.load(std::memory_order_acquire)) {
    int ret = io_uring_submit_and_wait(&ring_, 1);
    if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) break;
    unsigned head;
    unsigned count = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      HandleCqe(cqe);
      ++count;
    }
    io_uring_cq_advance(&ring_, count);
    for (ConnId id : rearm_recv_) {
      auto it = recv_.find(id);
      if (it != recv_.end() && !it->second.armed && !it->second.paused) ArmRecv(id, it->second);
    }
    rearm_recv_.clear();
    for (size_t i = 0; i < ended_.size(); ++i) handler_->OnRecvEnded(ended_[i], 0);
    ended_.clear();
    handler_->OnBatchEnd();
  }
  handler_ = nullptr;
}

void UringBackend::Wake() {
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;  // EAGAIN means the counter is already non-zero: a wake-up is pending anyway
}

void UringBackend::RequestStop() {
  stop_.store(true, std::memory_order_release);
  Wake();
}

}  // namespace ringkv::server::net
