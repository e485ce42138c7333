/** Postgres error codes the service answers as the client's mistake, not its own. */
const clientErrors = {
  23505: { status: 409, message: 'that slug is taken' },
  23514: { status: 400, message: 'a slug is 1-40 of a-z, 0-9 and -; a url starts with http(s)://' },
  23502: { status: 400, message: 'slug and url are required' },
};

export class HttpError extends Error {
  constructor(status, message, options) {
    super(message, options);
    this.status = status;
  }
}

/** The links table; the database's constraints are the rules, turned into HttpErrors here. */
export function linkStore(pool) {
  return {
    async create({ slug, url }) {
      try {
        const { rows } = await pool.query(
          'INSERT INTO links (slug, url) VALUES ($1, $2) RETURNING slug, url, created_at',
          [slug, url],
        );
        return rows[0];
      } catch (error) {
        const known = clientErrors[error.code];
        if (known) throw new HttpError(known.status, known.message, { cause: error });
        throw error;
      }
    },
    async find(slug) {
      const { rows } = await pool.query('SELECT slug, url, created_at FROM links WHERE slug = $1', [
        slug,
      ]);
      return rows[0];
    },
  };
}
