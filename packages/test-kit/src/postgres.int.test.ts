import { Client } from 'pg';
import { createTestDatabase } from './postgres';

describe('createTestDatabase', () => {
  it('creates an empty database that can be used and then dropped', async () => {
    const database = await createTestDatabase();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE canary (value text)');
      await client.query("INSERT INTO canary VALUES ('tweet')");
      const { rows } = await client.query<{ value: string }>('SELECT value FROM canary');
      expect(rows).toEqual([{ value: 'tweet' }]);
    } finally {
      await client.end();
    }
    await database.drop();
    const reconnect = new Client({ connectionString: database.url });
    await expect(reconnect.connect()).rejects.toThrow(/does not exist/);
    await reconnect.end().catch(() => undefined);
  });
});
