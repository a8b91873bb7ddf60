// Headers bundled with the assembler, found by `#include` when no search path
// holds a file of that name. The flag values are Go's (cmd/internal/obj
// textflag.go), so Go-style sources that include textflag.h assemble unchanged.

const textflag = `// Flags for TEXT and GLOBL, with Go's values.
#define NOPROF	1
#define DUPOK	2
#define NOSPLIT	4
#define RODATA	8
#define NOPTR	16
#define WRAPPER 32
#define NEEDCTXT 64
#define TLSBSS	256
#define NOFRAME 512
#define REFLECTMETHOD 1024
#define TOPFRAME 2048
#define ABIWRAPPER 4096
`;

const funcdata = `// PCDATA and FUNCDATA carry garbage-collector metadata in Go; asmlink accepts
// and ignores them, so these macros expand to harmless directives.
#define PCDATA_UnsafePoint 0
#define PCDATA_StackMapIndex 1
#define PCDATA_InlTreeIndex 2
#define PCDATA_ArgLiveIndex 3
#define FUNCDATA_ArgsPointerMaps 0
#define FUNCDATA_LocalsPointerMaps 1
#define FUNCDATA_StackObjects 2
#define FUNCDATA_InlTree 3
#define FUNCDATA_OpenCodedDeferInfo 4
#define FUNCDATA_ArgInfo 5
#define FUNCDATA_ArgLiveInfo 6
#define FUNCDATA_WrapInfo 7
#define GO_ARGS	FUNCDATA $FUNCDATA_ArgsPointerMaps, go_args_stackmap(SB)
#define GO_RESULTS_INITIALIZED	PCDATA $PCDATA_StackMapIndex, $1
#define NO_LOCAL_POINTERS	FUNCDATA $FUNCDATA_LocalsPointerMaps, no_pointers_stackmap(SB)
`;

/** Flag bits the assembler itself interprets. */
export const Flag = {
  DUPOK: 2,
  NOSPLIT: 4,
  RODATA: 8,
  NOPTR: 16,
  WRAPPER: 32,
  TLSBSS: 256,
  NOFRAME: 512,
  TOPFRAME: 2048,
} as const;

/** The flag names textflag.h defines, which a source without the #include meets as unknown words. */
export const TEXTFLAG_NAMES: ReadonlySet<string> = new Set([...textflag.matchAll(/^#define\s+(\w+)/gm)].map((m) => m[1]!));

export const bundledHeaders: ReadonlyMap<string, string> = new Map([
  ['textflag.h', textflag],
  ['funcdata.h', funcdata],
]);
