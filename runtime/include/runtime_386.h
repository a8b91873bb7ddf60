// How 386 code finds the current g.
//
// linux: g is the executable's thread-local word runtime·tlsg (local-exec TLS,
// variant 2: just below the thread pointer, which GS addresses). The x86
// encoder turns `MOVL TLS, r` into `MOVL %gs:off, r` with an R_TLS_LE field the
// linker fills with tlsg's offset, so get_g is one load. There is no store
// form with that relocation, so set_g goes through the thread pointer itself
// (glibc keeps it at 0(GS): the TCB points to itself) plus the offset that
// initm0 measured once on the main thread (runtime·tlsoff).
//
// darwin: the TSD slot that Apple reserves for Go, 0x18(GS) (slot 6, the same
// slot as amd64's 0x30(GS), 4-byte slots on i386).
#ifdef GOOS_darwin
#define get_g(r)	MOVL 0x18(GS), r
#define set_g(r, tmp)	MOVL r, 0x18(GS)
#else
#define get_g(r)	MOVL TLS, r
#define set_g(r, tmp)	MOVL 0(GS), tmp; ADDL runtime·tlsoff(SB), tmp; MOVL r, 0(tmp)
#endif
