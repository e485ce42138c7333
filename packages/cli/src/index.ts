// @gibbon/cli: filled by a later issue; nothing is exported yet.
export {};
