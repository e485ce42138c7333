export { durationBetween, formatDuration } from './duration';
export { formatAbsolute, formatRelative } from './timestamp';
