import type { OrgTokenRole } from '../domain';
import type { ApiTokenOwner } from '../tokens';

/** Who is calling, as established from the bearer token. */
export type Principal =
  | { readonly kind: 'admin'; readonly tokenId: string }
  | {
      readonly kind: 'org';
      readonly tokenId: string;
      readonly org: string;
      readonly role: OrgTokenRole;
    }
  | { readonly kind: 'runner'; readonly runnerId: string }
  /** A runner registration token, valid or not: registration checks it (runners/). */
  | { readonly kind: 'runner-registration'; readonly tokenId: string }
  | {
      readonly kind: 'build';
      readonly buildId: string;
      readonly claims: Readonly<Record<string, unknown>>;
    };

/** The names used by `x-gibbon-token-kinds` in the OpenAPI documents. */
export type TokenKind =
  'admin' | 'org-admin' | 'org-read' | 'runner' | 'runner-registration' | 'build';

export const tokenKinds: readonly TokenKind[] = [
  'admin',
  'org-admin',
  'org-read',
  'runner',
  'runner-registration',
  'build',
];

export function tokenKindOf(principal: Principal): TokenKind {
  if (principal.kind === 'org') return principal.role === 'admin' ? 'org-admin' : 'org-read';
  return principal.kind;
}

/** The principal an admin or org token stands for (a bearer token, or a web session's). */
export function principalOfOwner(owner: ApiTokenOwner): Principal {
  return owner.kind === 'admin'
    ? { kind: 'admin', tokenId: owner.id }
    : { kind: 'org', tokenId: owner.id, org: owner.org, role: owner.role };
}
