// The baseline of bench/api.ts, in a process of its own as the platform is: a bare Fastify route
// doing one Postgres INSERT of the request body. Prints its port on stdout.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz DEFAULT now())');
const app = Fastify();
app.post('/bare', async (request) => {
  const { rows } = await pool.query('INSERT INTO bench_rows (body) VALUES ($1) RETURNING id', [request.body]);
  return { id: rows[0].id };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${app.server.address().port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
