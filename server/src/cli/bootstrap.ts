import { CreateTokenRequest } from '@taskproc/spec';
import { printCreatedToken } from './api/tokens.ts';
import { withDb } from './cli-context.ts';
import { defineDatabaseCommand } from './command.ts';
import { toJson } from './format.ts';
import { parseWithFlags } from './parse-args.ts';

/**
 * The one command that opens the database itself: an admin token is what every other command
 * needs, so the first one (or a new one when every admin token is lost) cannot come from the API.
 */
export const bootstrapAdminToken = defineDatabaseCommand({
  name: 'bootstrap admin-token',
  summary: 'Create an admin token on the database itself (no token needed)',
  details: [
    'For the first admin token, or when every admin token is lost; everything else goes through the API.',
    'Opens the database the coordinator uses: DATABASE_URL, else the embedded PGlite in DATA_DIR (default',
    './data). PGlite allows one process: refused while a coordinator runs on DATA_DIR (stop it first).',
    'PostgreSQL works next to running coordinators.',
  ],
  options: { name: { type: 'string', value: 'name', description: 'What the token is for (default "admin (cli bootstrap)")' } },
  async run({ values, io }) {
    const request = parseWithFlags(CreateTokenRequest, { role: 'admin', name: values.name ?? 'admin (cli bootstrap)' }, { name: '--name' });
    // Loaded here, not at the top: the database layer (drizzle, the schema) would slow every API command's start.
    const { createToken } = await import('../auth/tokens.ts');
    const created = await withDb(io.context, (db) => createToken(db.db, request));
    if (values.json) io.context.print(toJson(created));
    else printCreatedToken(io.context.print, created);
  },
});
