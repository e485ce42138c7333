export { durationBetween, formatDuration } from './duration';
export { formatAbsolute, formatClock, formatRelative, formatUntil } from './timestamp';
