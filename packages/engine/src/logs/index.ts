export { MemoryLogSink, type LogEntry, type LogSink, type LogStream } from './log-sink';
export { JobLog } from './job-log';
