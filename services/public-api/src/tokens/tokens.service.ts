import { NotFoundError } from '@gibbon/contracts';
import { generateOpaqueToken, hashOpaqueToken } from '../auth';
import type { OrgToken, OrgTokenRole } from '../domain';
import { newId, nowIso } from '../ids';
import type { ApiTokensRepository } from './api-tokens.repository';
import type { OrgsService } from '../orgs';
import type { AuditService } from '../audit';
import type { Principal } from '../auth';

/** Org API tokens and the admin token; secrets are returned once and stored as hashes. */
export class TokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly orgs: OrgsService,
    private readonly audit: AuditService,
  ) {}

  async createOrgToken(
    org: string,
    input: { name: string; role: OrgTokenRole },
    actor?: Principal,
  ): Promise<OrgToken & { secret: string }> {
    await this.orgs.get(org);
    const secret = generateOpaqueToken('org');
    const token: OrgToken = {
      id: newId('tok'),
      org,
      name: input.name,
      role: input.role,
      createdAt: nowIso(),
      lastUsedAt: null,
    };
    await this.tokens.insertOrgToken(token, hashOpaqueToken(secret));
    await this.audit.record(actor, {
      action: 'token.created',
      org,
      object: { type: 'token', id: token.id },
      detail: { name: token.name, role: token.role },
    });
    return { ...token, secret };
  }

  async list(org: string): Promise<OrgToken[]> {
    await this.orgs.get(org);
    return this.tokens.listOrgTokens(org);
  }

  async delete(org: string, id: string, actor?: Principal): Promise<void> {
    if (!(await this.tokens.deleteOrgToken(org, id))) {
      throw new NotFoundError(`No token "${id}" in the organisation "${org}".`);
    }
    await this.audit.record(actor, { action: 'token.deleted', org, object: { type: 'token', id } });
  }

  /**
   * Creates the admin token if the database has none; returns its secret only then
   * (the caller shows it once and writes the `admin-token` file), `undefined` otherwise.
   */
  async ensureAdminToken(): Promise<string | undefined> {
    if (await this.tokens.hasAdmin()) return undefined;
    const secret = generateOpaqueToken('admin');
    await this.tokens.insertAdmin(newId('tok'), hashOpaqueToken(secret), nowIso());
    return secret;
  }
}
