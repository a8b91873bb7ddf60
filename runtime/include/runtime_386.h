// How 386 code finds the current g.
//
// linux: g is the executable's thread-local word runtime·tlsg, local-exec
// TLS variant 2: just below the thread pointer. As in Go, `MOVL TLS, r`
// loads the thread pointer (0(GS): glibc's TCB points to itself) and
// `0(r)(TLS*1)` addresses tlsg from it, the displacement filled in by the
// linker (R_TLS_LE: tlsg's offset from the thread pointer, -8 here).
//
// darwin: the TSD slot that Apple reserves for Go, 0x18(GS) (slot 6, the same
// slot as amd64's 0x30(GS), 4-byte slots on i386).
#ifdef GOOS_darwin
#define get_g(r)	MOVL 0x18(GS), r
#define set_g(r, tmp)	MOVL r, 0x18(GS)
#else
#define get_g(r)	MOVL TLS, r; MOVL 0(r)(TLS*1), r
#define set_g(r, tmp)	MOVL TLS, tmp; MOVL r, 0(tmp)(TLS*1)
#endif
