// Thread-local last-error message behind tf_last_error(), and helpers that turn
// argument checks into tf_status values. Never throw across the C ABI.
#pragma once
#include "tfree4j.h"
#include <string>

namespace tf {

// Records msg as this thread's last error and returns code.
tf_status fail(tf_status code, const std::string& msg);

// Clears the last error and returns TF_OK.
tf_status ok();

}  // namespace tf

// Early-return helpers for argument validation inside C ABI functions.
#define TF_CHECK_ARG(cond, msg) \
    do { if (!(cond)) return ::tf::fail(TF_ERR_INVALID_ARGUMENT, (msg)); } while (0)
