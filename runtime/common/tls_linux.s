// The executable's one thread-local word: the current g. Local-exec TLS puts
// it at -8 from the thread pointer (FS on amd64, GS on 386, TPIDR_EL0+16 on
// arm64). DUPOK: runtime_arm64.h declares it in every arm64 file too, so that
// those files load its offset from the linker as Go does.
#include "textflag.h"

GLOBL runtime·tlsg(SB), TLSBSS|DUPOK, $8
