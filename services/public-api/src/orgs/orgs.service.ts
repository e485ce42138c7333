import { NotFoundError } from '@gibbon/contracts';
import type { DataKeys } from '../crypto/data-keys';
import type { Org } from '../domain';
import { nowIso } from '../ids';
import type { OrgsRepository } from './orgs.repository';
import { assertSlug } from '../validation';

export class OrgsService {
  constructor(
    private readonly orgs: OrgsRepository,
    private readonly dataKeys: DataKeys,
  ) {}

  /** Creates the org together with its data key (one transaction). */
  async create(input: { slug: string; name?: string }): Promise<Org> {
    assertSlug(input.slug, 'The organisation slug');
    const org: Org = { slug: input.slug, name: input.name ?? input.slug, createdAt: nowIso() };
    await this.orgs.insert(org, this.dataKeys.create(org.slug).wrap);
    return org;
  }

  /** Every org, or only `onlySlug` (what an org token may see). */
  list(onlySlug?: string): Promise<Org[]> {
    return this.orgs.list(onlySlug);
  }

  async get(slug: string): Promise<Org> {
    const org = await this.orgs.find(slug);
    if (!org) throw new NotFoundError(`No organisation "${slug}".`);
    return org;
  }
}
