// A context whose worker threads the OS refuses must fail with a clear error, not hang or abort
// (RELIABILITY.md): tf_context_create with 400 threads in a child process that may start none.
//
// The child lowers RLIMIT_NPROC, the limit pthread_create obeys, to 8. Root ignores that limit,
// so a root child first becomes the unprivileged user "nobody" (uid 65534), who then may start
// a few workers before the OS refuses the next: the failure comes with threads already running
// (which once ended in std::terminate). An alarm bounds the child: a hang fails the test.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "test_util.h"

namespace {

constexpr int kExitRefusedClearly = 0, kExitSetupFailed = 77, kExitWrong = 1;

int child() {
    alarm(30);  // SIGALRM kills a hanging child: the parent sees a signal, not an exit code
    if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) return kExitSetupFailed;
    const rlimit few{8, 8};
    if (setrlimit(RLIMIT_NPROC, &few) != 0) return kExitSetupFailed;
    tf_context_params p;
    tf_context_params_init(&p);
    p.n_threads = 400;
    tf_context* ctx = nullptr;
    const tf_status s = tf_context_create(&p, &ctx);
    if (s == TF_OK) {  // the limit did not bite here (some kernels or containers): nothing to check
        tf_context_free(ctx);
        return kExitSetupFailed;
    }
    const std::string msg = tf_last_error();
    std::fprintf(stderr, "tf_context_create refused: status %d: %s\n", s, msg.c_str());
    const bool clear = s == TF_ERR_OUT_OF_MEMORY && ctx == nullptr && msg.find("n_threads 400") != std::string::npos &&
                       msg.find("cannot start worker thread ") != std::string::npos &&
                       msg.find(" of 399") != std::string::npos;
    return clear ? kExitRefusedClearly : kExitWrong;
}

}  // namespace

int main() {
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("fork");
        return 1;
    }
    if (pid == 0) _exit(child());
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        std::perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(status)) {
        std::fprintf(stderr, "FAIL: the child died of signal %d (%s)\n", WTERMSIG(status),
                     WTERMSIG(status) == SIGALRM ? "it hung" : "a crash or abort");
        return 1;
    }
    const int code = WEXITSTATUS(status);
    if (code == kExitSetupFailed) {
        std::printf("SKIP: could not make thread creation fail in a child process\n");
        return 77;
    }
    if (code != kExitRefusedClearly) {
        std::fprintf(stderr, "FAIL: tf_context_create did not refuse with a clear error\n");
        return 1;
    }
    std::printf("OK: a refused worker thread is a clear error\n");
    return 0;
}
