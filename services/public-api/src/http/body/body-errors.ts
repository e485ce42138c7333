import { InputError } from '@gibbon/contracts';

/**
 * The body did not arrive whole within the read deadline (answered 408). The contract's error
 * codes have none of their own for it: it is the caller's input that is at fault.
 */
export class BodyTimeoutError extends InputError {}

/** A body in a content encoding or charset the service does not decode (answered 415). */
export class UnsupportedBodyError extends InputError {}
