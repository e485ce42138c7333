/**
 * The commit status outbox (statuses/README.md): build status changes queue a row in their
 * own transaction (`queueCommitStatus`, called by the builds repository), and one
 * `StatusSender` per process sends the rows to GitHub in order, surviving restarts.
 */
export { queueCommitStatus, StatusOutboxRepository, type OutboxStatus } from './outbox.repository';
export { StatusSender, type StatusSenderOptions } from './status-sender';
