export { durationBetween, formatDuration } from './duration';
export { formatAbsolute, formatClock, formatRelative } from './timestamp';
