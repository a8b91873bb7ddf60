// Static constructors and destructors in another tool's object (ELF
// .init_array and kin, Mach-O __mod_init_func and kin: a C compiler's
// `__attribute__((constructor))`, C++ globals) would be linked as data and
// never run, since asmlink's runtime starts the program without walking
// them: both readers refuse such an object with this diagnostic.

import { DiagnosticError } from '../diag.js';

export function constructorsRefused(file: string, section: string): DiagnosticError {
  return new DiagnosticError([{ file, line: 0, col: 0, message: `${section}: static constructors and destructors are not supported (the runtime does not run them); call the initialisation from the program instead` }]);
}
