// Static constructors and destructors that asmlink does not link: legacy ELF
// .ctors/.dtors (GCC before 4.7, or one configured without init_array; they
// run in the opposite order and need crtbegin's walker), and Mach-O
// __mod_term_func and __init_offsets. ELF .init_array, .fini_array and
// .preinit_array, and Mach-O __mod_init_func, are linked (link/init-arrays.ts).

import { DiagnosticError } from '../diag.js';

export function constructorsRefused(file: string, section: string, why: string): DiagnosticError {
  return new DiagnosticError([{ file, line: 0, col: 0, message: `${section}: ${why}; call the initialisation from the program instead` }]);
}
