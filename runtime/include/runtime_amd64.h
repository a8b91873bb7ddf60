// How amd64 code finds the current g. On linux it is the executable's single
// thread-local word, runtime·tlsg, at -8(FS) (local-exec TLS, linked with an
// R_TLS_LE relocation). On darwin it is the TSD slot 0x30(GS) that Apple
// reserved for Go, as the seed's mstart_stub uses.
#ifdef GOOS_darwin
#define get_g(r)	MOVQ 0x30(GS), r
#define set_g(r)	MOVQ r, 0x30(GS)
#else
#define get_g(r)	MOVQ (TLS), r
#define set_g(r)	MOVQ r, (TLS)
#endif
