// The DW_AT_producer asmlink writes.
export const DWARF_PRODUCER = 'asmlink';
