export { MIN_SECRET_LENGTH, base64InnerForm, patternsOf } from './patterns';
export { MASK, Masker } from './masker';
export { MaskingStream } from './masking-stream';
export { DEFAULT_MAX_LINE_LENGTH, LineMasker, type LineMaskerOptions } from './line-masker';
