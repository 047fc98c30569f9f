#include "pg/entry/guard.hpp"


namespace booking::pg {

void raise_cpp_failure(const char *function, CppFailure kind, const char *message) {
    switch (kind) {
    case CppFailure::out_of_memory:
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                        errdetail("booking function %s could not allocate memory", function)));
        break;
    case CppFailure::exception:
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("internal error in booking function %s: %s", function, message)));
        break;
    case CppFailure::unknown:
        break;
    }
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("internal error in booking function %s", function)));
    pg_unreachable();
}

}  // namespace booking::pg
