// The executable's one thread-local word: the current g. Local-exec TLS puts
// it at -8 from the thread pointer (FS on amd64, GS on 386, TPIDR_EL0+16 on arm64).
#include "textflag.h"

GLOBL runtime·tlsg(SB), TLSBSS, $8
