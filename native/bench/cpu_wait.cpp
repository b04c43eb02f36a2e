#include "cpu_wait.h"

#include <dirent.h>

#include <fstream>
#include <string>

#include "bench_util.h"

namespace bench {

double runqueue_wait_seconds() {
    double total = 0;
    DIR* dir = opendir("/proc/self/task");
    if (!dir) return 0;
    while (const dirent* e = readdir(dir)) {
        if (e->d_name[0] == '.') continue;
        std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/schedstat");
        unsigned long long on_cpu = 0, waiting = 0;
        if (in >> on_cpu >> waiting) total += double(waiting) * 1e-9;
    }
    closedir(dir);
    return total;
}

WaitMeter::WaitMeter() : wait0_(runqueue_wait_seconds()), wall0_(now_seconds()) {}

double WaitMeter::share(int threads) const {
    const double wall = now_seconds() - wall0_;
    if (wall <= 0 || threads < 1) return 0;
    return (runqueue_wait_seconds() - wait0_) / (wall * threads);
}

}  // namespace bench
