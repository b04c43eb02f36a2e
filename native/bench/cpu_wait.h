// How much of a measurement this process spent waiting for a CPU (runnable but not running),
// from the scheduler's per-thread statistics (/proc/self/task/*/schedstat). On a machine
// shared with other work this says how far a row can be trusted: a row whose threads waited
// 50 % of the time measured the neighbours as much as the code.
#pragma once

namespace bench {

// Seconds all threads of this process have spent waiting on a run queue so far (0 if the
// kernel does not report it).
double runqueue_wait_seconds();

// Measures the run-queue wait over a stretch of wall time: share = wait / (wall · threads).
class WaitMeter {
public:
    WaitMeter();
    // Fraction of `threads` threads' wall time since construction spent waiting for a CPU.
    double share(int threads) const;

private:
    double wait0_, wall0_;
};

}  // namespace bench
