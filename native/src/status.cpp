#include "status.h"

namespace tf {

static thread_local std::string last_error;

tf_status fail(tf_status code, const std::string& msg) {
    try {
        last_error = msg;
    } catch (...) {
        // Out of memory while recording the message: keep the code, lose the text.
    }
    return code;
}

tf_status ok() {
    last_error.clear();
    return TF_OK;
}

}  // namespace tf

extern "C" {

TF_API const char* tf_last_error(void) { return tf::last_error.c_str(); }

TF_API const char* tf_version(void) { return "0.1.0"; }

}
