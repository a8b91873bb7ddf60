// Small helpers shared by the per-architecture emitters: a line buffer that
// aligns instructions and comments the way Go sources are formatted, and the
// comment block that documents a binding's frame layout.

import type { Binding, Slot } from './layout.js';
import { declaration, typeName } from './ctypes.js';

export class Lines {
  readonly out: string[] = [];
  /** An instruction: `\tOP\targs\t// comment`. */
  op(op: string, args = '', comment?: string): void {
    let s = args === '' ? `\t${op}` : `\t${op}\t${args}`;
    if (comment) s += `\t// ${comment}`;
    this.out.push(s);
  }
  raw(s: string): void {
    this.out.push(s);
  }
}

export function slotRef(s: Slot, delta = 0): string {
  return `${s.name}+${s.off + delta}(FP)`;
}

function cProto(b: Binding): string {
  const d = b.decl;
  const ps = d.params.map((p) => (p.name ? declaration(p.type, p.name) : typeName(p.type)));
  if (d.variadic) ps.push('...');
  // The function and its parameters are the declarator of the return type, as in C.
  return declaration(d.ret, `${d.name}(${ps.length ? ps.join(', ') : 'void'})`);
}

/** The comment above a trampoline: the C prototype, the Go-style signature and every slot's offset. */
export function layoutComment(b: Binding, kind: 'import' | 'callback'): string[] {
  const lines: string[] = [];
  const d = b.decl;
  lines.push(`// C: ${cProto(b)}${kind === 'import' && d.remote !== d.name ? ` (symbol ${d.remote})` : ''}`);
  const goArgs = b.args.map((a) => `${a.name} ${a.goType}`).join(', ');
  const results = [b.ret, b.errno].filter((s): s is Slot => s !== undefined).map((s) => `${s.name} ${s.goType}`);
  const goName = kind === 'import' ? b.symbol : b.callee;
  lines.push(`// func ${goName.replace(/^.*\u00b7/, '')}(${goArgs})${results.length ? ` (${results.join(', ')})` : ''}`);
  const offs = [...b.args, ...(b.ret ? [b.ret] : []), ...(b.errno ? [b.errno] : [])].map((s) => slotRef(s));
  if (offs.length) lines.push(`// ${offs.join(' ')}`);
  const va = b.args.filter((a) => a.variadic);
  if (va.length) lines.push(`// variadic: ${va.map((a) => a.name).join(', ')} fill C's '...' (pass all of them; unused ones are ignored)`);
  if (b.ret && !b.ret.float && b.ret.csize < b.ret.size) lines.push(`// ${b.ret.name} is the C ${b.ret.ctype} ${b.ret.signed ? 'sign' : 'zero'}-extended to ${b.ret.size * 8} bits`);
  if (b.errno) lines.push(`// ${b.errno.name} is C's errno read right after the call (meaningful when the result says the call failed)`);
  return lines;
}
