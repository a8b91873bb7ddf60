// How arm64 code finds the current g.
//
// linux: g is the executable's thread-local word runtime·tlsg, local-exec
// TLS variant 1: the thread pointer (TPIDR_EL0) is followed by a 16-byte TCB
// and then the executable's TLS block. As Go does, the code loads tlsg's
// offset from the thread pointer with `MOVD runtime·tlsg(SB), R27` on the
// TLSBSS symbol declared below in every file that includes this header: a
// MOVZ the linker fills (R_TLS_LE), so the offset is whatever the layout of
// the TLS block makes it (16 while tlsg is its only variable). The raw
// runtime builds each thread's block itself: TLSG_OFFSET is where it puts
// the thread pointer below the g slot, the TCB size the ABI fixes.
//
// darwin: TPIDRRO_EL0 (low 3 bits masked: they hold the CPU number) points at
// the thread's pthread TSD array; g lives in the slot of a pthread key that
// initm0 creates, at runtime·tlsoff = key*8 — what Go's runtime does on
// darwin/arm64.
//
// Both macros use R27 (REGTMP); set_g also uses tmp.
#ifdef GOOS_darwin
// Apple Silicon pages are 16 KiB.
#undef PAGESIZE
#define PAGESIZE	16384
#define get_g(r)	MOVD runtime·tlsoff(SB), r; MRS TPIDRRO_EL0, R27; AND $~7, R27; MOVD (R27)(r), r
#define set_g(r, tmp)	MOVD runtime·tlsoff(SB), tmp; MRS TPIDRRO_EL0, R27; AND $~7, R27; MOVD r, (R27)(tmp)
#else
GLOBL runtime·tlsg(SB), TLSBSS|DUPOK, $8
#define TLSG_OFFSET	16
#define get_g(r)	MOVD runtime·tlsg(SB), R27; MRS TPIDR_EL0, r; MOVD (r)(R27), r
#define set_g(r, tmp)	MOVD runtime·tlsg(SB), R27; MRS TPIDR_EL0, tmp; MOVD r, (tmp)(R27)
#endif
