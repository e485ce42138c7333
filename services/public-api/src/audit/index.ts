export { buildObjectId, changedFields, type AuditAction, type AuditChange } from './audit-entry';
export { AuditRepository, type AuditRow } from './audit.repository';
export { auditRoutes } from './audit.routes';
export { AuditService } from './audit.service';
