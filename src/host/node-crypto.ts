// node:crypto, loaded the first time it is needed: loading it takes ~7 ms,
// more than some whole commands spend hashing. Through require, which the
// CommonJS CLI bundle has (import() there would need a module loader for
// the vm.Script that bin/asmlink.cjs runs it in).

import { createRequire } from 'node:module';

export function nodeCrypto(): typeof import('node:crypto') {
  return createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
}
