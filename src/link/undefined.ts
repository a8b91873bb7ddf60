// The undefined-symbol report: one diagnostic per missing name, at its first
// reference, with every referencing function and source line as notes (up to a
// limit, then a count), and a "did you mean" hint when a defined name is close.

import type { Diagnostic } from '../diag.js';
import type { UndefRef } from './deadcode.js';
import type { OS } from '../target.js';
import type { ObjectFile } from '../obj/symbol.js';

const MAX_REFS = 10;

/**
 * `compiled`: whether a symbol comes from a compiler's or another
 * assembler's object (ObjectFile.indivisible), whose calls need no
 * trampoline. `linkedStatically`: names imported (//go:cgo_import_dynamic)
 * in an internal --static link, which only an archive could define.
 */
export function undefinedDiagnostics(undefs: Map<string, UndefRef[]>, globalNames: () => string[], limit: number, compiled: (s: UndefRef['from']) => boolean, os: OS = 'linux', linkedStatically?: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  let names: string[] | null = null;
  for (const [name, refs] of undefs) {
    if (out.length >= limit) break;
    const first = refs[0];
    const notes: string[] = [];
    for (const ref of refs.slice(0, MAX_REFS)) {
      const line = ref.line || ref.from.line;
      notes.push(`${ref.from.file}${line > 0 ? `:${line}` : ''}: referenced by ${ref.from.name}+0x${ref.off.toString(16)}`);
    }
    if (refs.length > MAX_REFS) notes.push(`and ${refs.length - MAX_REFS} more references`);
    if (name === 'main.main') {
      // The runtime's C main calls it; "did you mean main?" would point at that.
      notes.push('the program has no main function: define TEXT ·main(SB) in a source of package main');
    } else {
      names ??= globalNames();
      // Never the referencing symbol itself (C++'s DW.ref.__gxx_personality_v0 refers to __gxx_personality_v0).
      const near = nearest(name, names, new Set(refs.map((r) => r.from.name)));
      if (near) notes.push(`did you mean ${near}?`);
      // A name without a package is most often a C function that assembly
      // calls directly; when only compiled code or data refers to it (a C
      // call, C++'s __gxx_personality_v0 in a table), an object, a library
      // or an import is what is missing, not a trampoline.
      if (!/[.\u00b7]/.test(name)) {
        if (linkedStatically?.has(name)) notes.push("it is imported (//go:cgo_import_dynamic), and linked statically: no archive of the link (the C library's libc.a, the -l libraries) defines it");
        else if (isLibgccName(name)) notes.push('it is in the C compiler\'s runtime library, libgcc (64-bit division on 386, long double arithmetic and outline atomics on arm64, target_clones\' CPU checks): give the link the archive $(cc -print-libgcc-file-name) (a --static link takes libgcc.a itself where the C compiler for the target has one, or from -L DIR), or -lgcc_s for its shared library');
        else if (refs.every((r) => r.from.kind !== 'text' || compiled(r.from))) {
          const lib = likelyLibrary(name, os);
          // The library can be given to the link (-l) for all its names at once: a shared library, or on darwin an SDK's stub.
          const withL = os === 'linux' ? `the shared library with -l${lib ? ` (-l :${lib})` : ' (-lc for the C library)'}` : "the library's .tbd stub from the SDK with -L and -l (-lSystem for the C library)";
          notes.push(`give the link the object or static library (.a) that defines it, or ${withL}; or import it: //go:cgo_import_dynamic ${name} ${name} "${lib ?? 'LIBRARY'}"`);
        }
        else notes.push(`to call a C function, import it (//go:cgo_import_dynamic) and call it through a trampoline that switches to the C calling convention: asmlink gen writes both`);
      }
    }
    out.push({
      file: first.from.file,
      line: first.line || first.from.line,
      col: 0,
      message: `undefined: ${name} (referenced by ${first.from.name})`,
      notes,
    });
  }
  return out;
}

/**
 * An internal --static link's undefined names: an import's local name is
 * reported as the C library's name it stands for, which no archive defined.
 */
export function staticUndefinedDiagnostics(undefs: Map<string, UndefRef[]>, objects: readonly ObjectFile[], globalNames: () => string[], limit: number): Diagnostic[] {
  const remoteOf = new Map<string, string>();
  for (const o of objects) for (const d of o.dynimports) if (d.local !== '_') remoteOf.set(d.local, d.remote);
  const byRemote = new Map<string, UndefRef[]>();
  for (const [name, refs] of undefs) {
    const remote = remoteOf.get(name) ?? name;
    byRemote.set(remote, [...(byRemote.get(remote) ?? []), ...refs]);
  }
  return undefinedDiagnostics(byRemote, globalNames, limit, (s) => !!objects[s.obj]?.indivisible, 'linux', new Set(remoteOf.values()));
}

/**
 * The helpers compiled code calls in the compiler's static runtime library
 * (libgcc.a; compiler-rt has the same names): double-word arithmetic (what
 * 386 code calls for 64-bit division), bit counts, the CPU model
 * target_clones' resolvers read, software floating point (arm64's
 * 128-bit long double: __multf3, __extenddftf2, __floatditf, __lttf2), and
 * arm64's outline atomics (__aarch64_cas4_acq, __aarch64_ldadd8_relax: what
 * glibc's libc.a calls, built with -moutline-atomics).
 */
function isLibgccName(name: string): boolean {
  return (
    /^__aarch64_(cas(1|2|4|8|16)|(swp|ldadd|ldclr|ldeor|ldset)(1|2|4|8))_(relax|acq|rel|acq_rel)$/.test(name) ||
    /^__(cpu_(indicator_init|model|features2)|u?(div|mod)[dt]i3|u?divmod[dt]i4|(ashl|ashr|lshr|mul|neg)[dt]i3|(clz|ctz|popcount|parity|ffs)[sdt]i2)$/.test(name) ||
    /^__((add|sub|mul|div|neg)[sdtx]f3|(eq|ne|lt|le|gt|ge|unord|cmp)[sdt]f2|(extend|trunc)[hsdtx]f[hsdtx]f2|floatun[dst]i[sdtx]f|float[dst]i[sdtx]f|fixuns[sdtx]f[dst]i|fix[sdtx]f[dst]i|powi[sdtx]f2)$/.test(name)
  );
}

/** C99's <math.h> functions (and their float and long double forms), which glibc and musl keep in libm, not libc. */
const MATH_FUNCTION = /^(a?(sin|cos|tan)h?|atan2|sincos|exp(2|10|m1)?|log(10|2|1p|b)?|pow|sqrt|cbrt|hypot|fmod|remainder|remquo|floor|ceil|l{0,2}round|trunc|l{0,2}rint|nearbyint|erfc?|[lt]gamma|fma|fmin|fmax|fdim|copysign|nan|scalbl?n|ilogb|nextafter|nexttoward)[fl]?$/;

/**
 * The library that defines a name of the C++ runtime's families, which
 * compiled C++ code refers to: mangled names (`_Z…`), the C++ ABI's
 * (`__cxa_…`, the personality routine; the C library has the exit-time
 * registrations) and the unwinder's (`_Unwind_…`); or of <math.h>, which C
 * code calls (libm on linux, libSystem on darwin).
 */
function likelyLibrary(name: string, os: OS): string | undefined {
  const libc = /^__cxa_(atexit|finalize|thread_atexit_impl)$/.test(name);
  const cxx = !libc && (name.startsWith('_Z') || /^__(cxa_|gxx_personality_v0$|dynamic_cast$)/.test(name));
  const unwinder = name.startsWith('_Unwind_');
  const math = MATH_FUNCTION.test(name);
  if (os === 'darwin') return cxx ? '/usr/lib/libc++.1.dylib' : libc || unwinder || math ? '/usr/lib/libSystem.B.dylib' : undefined;
  return cxx ? 'libstdc++.so.6' : unwinder ? 'libgcc_s.so.1' : libc ? 'libc.so.6' : math ? 'libm.so.6' : undefined;
}

/** Package-insensitive and case-insensitive matches first, then small edit distances. */
function nearest(name: string, names: string[], referrers: ReadonlySet<string>): string | null {
  const bare = (s: string) => s.replace(/^.*[.\u00b7]/, '').toLowerCase();
  const b = bare(name);
  const lower = name.toLowerCase();
  let best: string | null = null;
  // How far a typo can be, from the name without its package: `libc.sqrt`
  // and `libc.exit` share a prefix but are 3 edits apart in 4 letters.
  let bestD = Math.max(1, Math.min(3, Math.floor(b.length / 3)));
  for (const n of names) {
    if (n === name || referrers.has(n)) continue;
    if (n.toLowerCase() === lower) return n;
    if (Math.abs(n.length - name.length) > bestD && bare(n) !== b) continue;
    if (bare(n) === b) {
      best = n;
      bestD = 0;
      continue;
    }
    const d = editDistance(name, n, bestD);
    if (d <= bestD && (d < bestD || best === null)) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (the
 * commonest typo: prnitln), giving up (returning max+1) once it must exceed max.
 */
function editDistance(a: string, b: string, max: number): number {
  let before = new Int32Array(b.length + 1);
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const c = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + c);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}
