// How arm64 code finds the current g.
//
// linux: g is the executable's thread-local word runtime·tlsg, local-exec
// TLS variant 1: the thread pointer (TPIDR_EL0) is followed by glibc's 16-byte
// TCB and then the executable's TLS block, so tlsg (its only variable, 8
// bytes) is at TP+16 — the value the linker computes for R_TLS_LE. Go loads
// that offset with `MOVD runtime·tlsg(SB), R27` on a symbol the file declares
// TLSBSS (a MOVZ the linker fills); asmlink's arm64 encoder has the form but
// the assembler front end does not pass it the file's TLS symbols yet
// (AssembleContext.tlsSymbols), so the offset is written here, and initm0
// names tlsg once so that the linker keeps it and emits PT_TLS.
//
// darwin: TPIDRRO_EL0 (low 3 bits masked: they hold the CPU number) points at
// the thread's pthread TSD array; g lives in the slot of a pthread key that
// initm0 creates, at runtime·tlsoff = key*8 — what Go's runtime does on
// darwin/arm64.
//
// Both macros use R27 (REGTMP) on darwin; set_g also uses tmp.
#ifdef GOOS_darwin
// Apple Silicon pages are 16 KiB.
#undef PAGESIZE
#define PAGESIZE	16384
#define get_g(r)	MOVD runtime·tlsoff(SB), r; MRS TPIDRRO_EL0, R27; AND $~7, R27; MOVD (R27)(r), r
#define set_g(r, tmp)	MOVD runtime·tlsoff(SB), tmp; MRS TPIDRRO_EL0, R27; AND $~7, R27; MOVD r, (R27)(tmp)
#else
#define TLSG_OFFSET	16
#define get_g(r)	MRS TPIDR_EL0, r; MOVD TLSG_OFFSET(r), r
#define set_g(r, tmp)	MRS TPIDR_EL0, tmp; MOVD r, TLSG_OFFSET(tmp)
#endif
