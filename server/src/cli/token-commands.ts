import { defineCommand, type ArgsDef } from 'citty';
import { CreateTokenRequest, tokenRoles, type TokenInfo } from '@taskproc/spec';
import { createToken, listTokens, revokeToken } from '../auth/tokens.ts';
import { announceTokenRevoked } from '../signals/cache-invalidation.ts';
import { checkArgs } from './check-args.ts';
import { withDb, type CliContext } from './cli-context.ts';
import { CommandError, UsageError } from './usage-error.ts';

const createArgs = {
  role: { type: 'enum', options: [...tokenRoles], required: true, description: 'admin, app or provider' },
  app: { type: 'string', description: 'App id the token is bound to (required for app and provider tokens)' },
  name: { type: 'string', description: 'What the token is for (default: "<app> <role> (cli)")' },
  json: { type: 'boolean', description: 'Print the created token as JSON' },
} satisfies ArgsDef;

const listArgs = {
  json: { type: 'boolean', description: 'Print the tokens as JSON' },
} satisfies ArgsDef;

const revokeArgs = {
  id: { type: 'positional', required: true, description: 'Id of the token to revoke (see `token list`)' },
} satisfies ArgsDef;

/** Request fields named by the flag that sets them, for error messages. */
const flagOf: Record<string, string> = { role: '--role', appId: '--app', name: '--name' };

/** `token create | list | revoke`: the same operations as /v1/admin/tokens, straight on the database. */
export function createTokenCommand(context: CliContext) {
  const create = defineCommand({
    meta: { name: 'create', description: 'Create a token and print its secret (shown only this once)' },
    args: createArgs,
    async run({ args, rawArgs }) {
      checkArgs(rawArgs, createArgs);
      // citty checks an enum's value but not its presence.
      if (args.role === undefined) throw new UsageError(`--role is required: ${tokenRoles.join(', ')}`);
      const parsed = CreateTokenRequest.safeParse({
        role: args.role,
        appId: args.app,
        name: args.name ?? `${args.app ? `${args.app} ` : ''}${args.role} (cli)`,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const flag = flagOf[String(issue.path[0])] ?? String(issue.path[0]);
        throw new UsageError(`${flag}: ${issue.message}`);
      }
      if (parsed.data.role === 'admin' && args.app !== undefined) {
        throw new UsageError('--app: admin tokens are bound to no app');
      }
      const created = await withDb(context, (db) => createToken(db.db, parsed.data));
      if (args.json) {
        context.print(JSON.stringify(created));
        return;
      }
      const bound = created.appId ? ` for app "${created.appId}"` : '';
      context.print(`Created ${created.role} token ${created.id}${bound} (name "${created.name}").`);
      context.print('The secret is shown only this once; store it now:');
      context.print('');
      context.print(`  ${created.token}`);
      context.print('');
    },
  });

  const list = defineCommand({
    meta: { name: 'list', description: 'List tokens, newest first (secrets are never shown)' },
    args: listArgs,
    async run({ args, rawArgs }) {
      checkArgs(rawArgs, listArgs);
      const tokens = await withDb(context, (db) => listTokens(db.db));
      if (args.json) context.print(JSON.stringify({ tokens }));
      else context.print(formatTokenTable(tokens));
    },
  });

  const revoke = defineCommand({
    meta: { name: 'revoke', description: 'Revoke a token; it stops working at once' },
    args: revokeArgs,
    async run({ args, rawArgs }) {
      checkArgs(rawArgs, revokeArgs);
      if (!/^[1-9]\d{0,9}$/.test(args.id)) throw new UsageError(`ID: "${args.id}" is not a token id (a positive integer)`);
      const id = Number(args.id);
      const revoked = await withDb(context, async (db) => {
        const done = await revokeToken(db.db, id, context.now());
        // Running coordinators cache token lookups for a few seconds: tell them to forget it now.
        if (done) await announceTokenRevoked(db, id);
        return done;
      });
      if (!revoked) throw new CommandError(`no live token has id ${id} (unknown or already revoked)`);
      context.print(`Revoked token ${id}.`);
    },
  });

  return defineCommand({
    meta: { name: 'token', description: 'Manage API tokens' },
    subCommands: { create, list, revoke },
  });
}

/** A plain-text table for people; scripts use --json. */
export function formatTokenTable(tokens: readonly TokenInfo[]): string {
  if (tokens.length === 0) return 'No tokens.';
  const rows = [
    ['ID', 'ROLE', 'APP', 'STATUS', 'CREATED', 'LAST USED', 'NAME'],
    ...tokens.map((t) => [
      String(t.id),
      t.role,
      t.appId ?? '-',
      t.revokedAt ? 'revoked' : 'live',
      t.createdAt,
      t.lastUsedAt ?? '-',
      t.name,
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).join('\n');
}
