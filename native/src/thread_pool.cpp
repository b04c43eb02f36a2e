#include "thread_pool.h"

#include <chrono>
#include <string>
#include <system_error>

namespace tf {

namespace {

// Polls done() for about kSpinMicros; true if it became true. Each poll yields the CPU, so a
// spinning thread costs nothing when other threads (more threads than cores, other processes)
// are waiting to run; on an idle core the yield returns at once.
template <class Done>
bool spin_until(Done done) {
    using clock = std::chrono::steady_clock;
    const auto until = clock::now() + std::chrono::microseconds(ThreadPool::kSpinMicros);
    for (;;) {
        for (int i = 0; i < 16; ++i) {
            if (done()) return true;
            std::this_thread::yield();
        }
        if (clock::now() >= until) return done();
    }
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(n_threads < 1 ? 1 : n_threads) {
    workers_.reserve(n_threads_ - 1);
    for (int i = 1; i < n_threads_; ++i) {
        try {
            workers_.emplace_back([this] { worker_loop(); });
        } catch (const std::system_error& e) {
            // The OS refused a thread (a process or memory limit). The destructor does not run
            // for a half-built object, and destroying the vector's joinable threads would call
            // std::terminate: stop and join the workers already started, then report.
            stop_workers();
            throw std::system_error(e.code(), "cannot start worker thread " + std::to_string(i) + " of " +
                                                  std::to_string(n_threads_ - 1) + " (use fewer threads)");
        }
    }
}

ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::stop_workers() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_.store(true);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
}

void ThreadPool::drain() {
    for (;;) {
        int64_t task = next_task_.fetch_add(1, std::memory_order_relaxed);
        if (task >= job_tasks_) return;
        (*job_)(task);
    }
}

void ThreadPool::worker_loop() {
    uint64_t seen = 0;
    for (;;) {
        auto ready = [&] { return stop_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; };
        if (!spin_until(ready)) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, ready);
        }
        if (stop_.load(std::memory_order_acquire)) return;
        seen = generation_.load(std::memory_order_acquire);  // job_ and job_tasks_ were set before
        drain();
        if (busy_workers_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            // The caller may be asleep on done_: notify under the mutex so the wake is not lost.
            std::lock_guard<std::mutex> lock(mutex_);
            done_.notify_one();
        }
    }
}

void ThreadPool::run(int64_t n_tasks, const std::function<void(int64_t)>& fn) {
    if (n_tasks <= 0) return;
    if (n_threads_ == 1 || n_tasks == 1) {
        for (int64_t t = 0; t < n_tasks; ++t) fn(t);
        return;
    }
    std::lock_guard<std::mutex> serial(run_mutex_);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = &fn;
        job_tasks_ = n_tasks;
        next_task_.store(0, std::memory_order_relaxed);
        busy_workers_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);  // publishes the job to spinning workers
    }
    wake_.notify_all();
    drain();
    auto finished = [&] { return busy_workers_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(finished)) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, finished);
    }
    job_ = nullptr;
}

}  // namespace tf
