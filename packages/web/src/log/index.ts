export { ansiClassNames } from './ansi-classes';
export { isErrorLine } from './errors';
export { LogModel } from './model';
export { bidiReplacement } from './scanner';
export { parseLineAnchor, searchLines } from './search';
export type { LogLine, LogSection, LogSpan } from './types';
export { LineOffsets, timeAtOffset, type LogPartTime } from './line-offsets';
