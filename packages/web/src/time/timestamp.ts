const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** `Mar 3, 2026`, in UTC like every date the UI prints (the same on every machine). */
function formatDate(time: Date): string {
  return `${months[time.getUTCMonth()]} ${time.getUTCDate()}, ${time.getUTCFullYear()}`;
}

/**
 * How long ago, by the time passed (not calendar days, so no time zone is involved):
 * under 10 s `just now`, then `42s ago`, `5 min ago`, `3 h ago`, from 24 h `yesterday`, from
 * 48 h `4 days ago`, and from 7 days the date. A time ahead of `now` (a clock a little
 * behind the server's) is `just now`. Text that is not a date is returned as it is.
 */
export function formatRelative(iso: string, now: number): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const ago = now - time;
  if (ago < 10 * second) return 'just now';
  if (ago < minute) return `${Math.floor(ago / second)}s ago`;
  if (ago < hour) return `${Math.floor(ago / minute)} min ago`;
  if (ago < day) return `${Math.floor(ago / hour)} h ago`;
  if (ago < 2 * day) return 'yesterday';
  if (ago < 7 * day) return `${Math.floor(ago / day)} days ago`;
  return formatDate(new Date(time));
}

/**
 * How long until a future time, by the same steps as `formatRelative`: under 10 s `in a
 * moment`, then `in 42s`, `in 5 min`, `in 3 h`, from 24 h `tomorrow`, from 48 h `in 4 days`,
 * and from 7 days the date. A time already passed (the server's clock a little ahead) is
 * `in a moment`: the tick is due. Text that is not a date is returned as it is.
 */
export function formatUntil(iso: string, now: number): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const ahead = time - now;
  if (ahead < 10 * second) return 'in a moment';
  if (ahead < minute) return `in ${Math.floor(ahead / second)}s`;
  if (ahead < hour) return `in ${Math.floor(ahead / minute)} min`;
  if (ahead < day) return `in ${Math.floor(ahead / hour)} h`;
  if (ahead < 2 * day) return 'tomorrow';
  if (ahead < 7 * day) return `in ${Math.floor(ahead / day)} days`;
  return formatDate(new Date(time));
}

/** `2026-12-07 05:46:07 UTC`: always UTC, to the second. Text that is not a date is returned as it is. */
export function formatAbsolute(iso: string): string {
  const time = new Date(Date.parse(iso));
  if (Number.isNaN(time.getTime())) return iso;
  const date = `${time.getUTCFullYear()}-${twoDigits(time.getUTCMonth() + 1)}-${twoDigits(time.getUTCDate())}`;
  return `${date} ${clockOf(time)} UTC`;
}

function clockOf(time: Date): string {
  return [time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds()].map(twoDigits).join(':');
}

/** The time of day in UTC, `06:33:07`: a log line's timestamp. Unparsable input unchanged. */
export function formatClock(iso: string): string {
  const time = new Date(Date.parse(iso));
  return Number.isNaN(time.getTime()) ? iso : clockOf(time);
}
