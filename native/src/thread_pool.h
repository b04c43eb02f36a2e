// A small fixed-size thread pool for data-parallel kernels.
//
// run(n_tasks, fn) calls fn(task) for every task in [0, n_tasks), spread over the workers and
// the calling thread, and returns when all are done. Calls from several threads at once are
// serialised (one kernel at a time owns all threads), which keeps every kernel's speed
// predictable when several generations share one context.
//
// A decode step runs a few hundred short jobs (each matmul, norm, rope, attention...), tens to
// hundreds of microseconds apart. Waking a sleeping thread takes tens of microseconds, so
// between jobs the workers spin for a while (kSpinMicros) on the job counter before they
// sleep, and the caller spins the same way while the workers finish; an idle pool sleeps.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tf {

class ThreadPool {
public:
    explicit ThreadPool(int n_threads);  // n_threads includes the caller; >= 1
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return n_threads_; }

    // Runs fn(task) for task in [0, n_tasks). fn must not throw.
    void run(int64_t n_tasks, const std::function<void(int64_t)>& fn);

    // How long a worker spins for the next job, and the caller for the workers to finish,
    // before sleeping.
    static constexpr int64_t kSpinMicros = 100;

private:
    void worker_loop();
    void stop_workers();  // stops and joins every started worker (destructor, failed constructor)
    void drain();  // takes tasks of the current job until none are left

    const int n_threads_;
    std::vector<std::thread> workers_;
    std::mutex run_mutex_;  // serialises run() callers

    std::mutex mutex_;  // guards the sleeps: wake_ / done_ waits and their notifications
    std::condition_variable wake_;
    std::condition_variable done_;
    std::atomic<uint64_t> generation_{0};  // bumped per job (after job_ is set); workers watch it
    std::atomic<bool> stop_{false};
    const std::function<void(int64_t)>* job_ = nullptr;
    int64_t job_tasks_ = 0;
    std::atomic<int64_t> next_task_{0};
    std::atomic<int> busy_workers_{0};  // workers still inside the current job
};

}  // namespace tf
