export { writeElfObject } from './write-object.js';
export { readElfObject } from './read-object.js';
export { elfExecWriter } from './write-exec.js';
