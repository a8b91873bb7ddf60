// The export trie (LC_DYLD_INFO_ONLY export_off, or LC_DYLD_EXPORTS_TRIE): a
// prefix tree over exported names. Each node is: ULEB size of its terminal
// info (0 when no symbol ends here), then flags and address as ULEBs, then a
// child count byte, then per child the edge label (C string) and the ULEB
// offset of the child node from the start of the trie. Child offsets change
// the node sizes they are written in, so offsets are recomputed until they
// stop changing.

import { ByteWriter, ulebSize } from './bytes.js';

export interface Export {
  name: string;
  /** Offset from the Mach-O header. */
  address: number;
  flags: number;
}

interface Node {
  edges: { label: string; child: Node }[];
  terminal?: { flags: number; address: number };
  offset: number;
}

function newNode(): Node {
  return { edges: [], offset: 0 };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function insert(root: Node, name: string, info: { flags: number; address: number }): void {
  let node = root;
  let rest = name;
  for (;;) {
    if (rest === '') {
      node.terminal = info;
      return;
    }
    const edge = node.edges.find((e) => e.label[0] === rest[0]);
    if (!edge) {
      const leaf = newNode();
      leaf.terminal = info;
      node.edges.push({ label: rest, child: leaf });
      return;
    }
    const n = commonPrefix(edge.label, rest);
    if (n < edge.label.length) {
      // Split the edge at the common prefix.
      const mid = newNode();
      mid.edges.push({ label: edge.label.slice(n), child: edge.child });
      edge.label = edge.label.slice(0, n);
      edge.child = mid;
    }
    node = edge.child;
    rest = rest.slice(n);
  }
}

function terminalSize(n: Node): number {
  return n.terminal ? ulebSize(n.terminal.flags) + ulebSize(n.terminal.address) : 0;
}

function nodeSize(n: Node): number {
  const t = terminalSize(n);
  let size = ulebSize(t) + t + 1;
  for (const e of n.edges) size += new TextEncoder().encode(e.label).length + 1 + ulebSize(e.child.offset);
  return size;
}

export function encodeExportTrie(exports: readonly Export[]): Uint8Array {
  const root = newNode();
  const sorted = [...exports].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of sorted) insert(root, e.name, { flags: e.flags, address: e.address });
  // Preorder list of nodes: the layout order.
  const order: Node[] = [];
  const walk = (n: Node): void => {
    order.push(n);
    n.edges.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (const e of n.edges) walk(e.child);
  };
  walk(root);
  for (let changed = true; changed; ) {
    changed = false;
    let off = 0;
    for (const n of order) {
      if (n.offset !== off) {
        n.offset = off;
        changed = true;
      }
      off += nodeSize(n);
    }
  }
  const w = new ByteWriter();
  for (const n of order) {
    const t = terminalSize(n);
    w.uleb(t);
    if (n.terminal) w.uleb(n.terminal.flags).uleb(n.terminal.address);
    w.u8(n.edges.length);
    for (const e of n.edges) w.cstring(e.label).uleb(e.child.offset);
  }
  w.align(8);
  return w.finish();
}

/**
 * Reads a trie back into its exports: asmlink's own (tests), and a
 * library's (read-dylib.ts), so a damaged one is an Error, never a loop or
 * a read outside it. A re-export (flag 0x08) and a stub with a resolver
 * (0x10) are listed with address 0.
 */
export function decodeExportTrie(b: Uint8Array): Export[] {
  const out: Export[] = [];
  const bad = (m: string): never => {
    throw new Error(`export trie: ${m}`);
  };
  const uleb = (at: { p: number }): number => {
    let v = 0;
    let shift = 0;
    let byte: number;
    do {
      if (at.p >= b.length || shift > 63) bad('a number runs past its end');
      byte = b[at.p++]!;
      v += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return v;
  };
  const cstring = (at: { p: number }): string => {
    let e = at.p;
    while (e < b.length && b[e] !== 0) e++;
    if (e >= b.length) bad('a name runs past its end');
    const s = new TextDecoder().decode(b.subarray(at.p, e));
    at.p = e + 1;
    return s;
  };
  // Each node once: a trie is a tree, and a damaged one must not loop.
  const seen = new Set<number>();
  const stack: { off: number; prefix: string }[] = b.length ? [{ off: 0, prefix: '' }] : [];
  while (stack.length) {
    const { off, prefix } = stack.pop()!;
    if (off >= b.length || seen.has(off)) bad(`node at ${off} is outside the trie or reached twice`);
    seen.add(off);
    const at = { p: off };
    const tsize = uleb(at);
    if (tsize) {
      const t = { p: at.p };
      const flags = uleb(t);
      // EXPORT_SYMBOL_FLAGS_REEXPORT: a library ordinal and a name; STUB_AND_RESOLVER: two addresses.
      const address = flags & 0x08 ? 0 : uleb(t);
      out.push({ name: prefix, flags, address: flags & 0x10 ? 0 : address });
    }
    at.p += tsize;
    if (at.p >= b.length) bad('a node runs past its end');
    const n = b[at.p++]!;
    const children: { off: number; prefix: string }[] = [];
    for (let i = 0; i < n; i++) {
      const label = cstring(at);
      children.push({ off: uleb(at), prefix: prefix + label });
    }
    // In order: the first child's names come first, as a recursive walk gives them.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}
