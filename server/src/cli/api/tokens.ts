import { adminRoutes, CreateTokenRequest, tokenRoles, type TokenInfo } from '@taskproc/spec';
import { defineApiCommand } from '../command.ts';
import { formatTime, orDash, toJson } from '../format.ts';
import { parseRowId, parseWithFlags } from '../parse-args.ts';
import { formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

/** Checks the flags of `token create` as the coordinator would, naming the flag at fault. */
export function parseCreateTokenFlags(values: { role?: string; app?: string; name?: string }) {
  if (values.role === undefined) throw new UsageError(`--role is required: ${tokenRoles.join(', ')}`);
  const request = parseWithFlags(
    CreateTokenRequest,
    { role: values.role, appId: values.app, name: values.name ?? `${values.app ? `${values.app} ` : ''}${values.role} (cli)` },
    { role: '--role', appId: '--app', name: '--name' },
  );
  if (request.role === 'admin' && values.app !== undefined) throw new UsageError('--app: admin tokens are bound to no app');
  return request;
}

/** What `token create` and `bootstrap admin-token` print: the secret, once. */
export function printCreatedToken(print: (line: string) => void, created: TokenInfo & { token: string }): void {
  const bound = created.appId ? ` for app "${created.appId}"` : '';
  print(`Created ${created.role} token ${created.id}${bound} (name "${created.name}").`);
  print('The secret is shown only this once; store it now:');
  print('');
  print(`  ${created.token}`);
  print('');
}

export const tokenCreate = defineApiCommand({
  name: 'token create',
  summary: 'Create a token and print its secret (shown only this once)',
  options: {
    role: { type: 'string', value: 'role', description: `${tokenRoles.join(', ')} (required)` },
    app: { type: 'string', value: 'appId', description: 'App id the token is bound to (required for app and provider tokens)' },
    name: { type: 'string', value: 'name', description: 'What the token is for (default "<app> <role> (cli)")' },
  },
  async run({ values, io }) {
    const request = parseCreateTokenFlags(values);
    const created = await io.api().json(adminRoutes.createToken, { json: request });
    if (values.json) io.context.print(toJson(created));
    else printCreatedToken(io.context.print, created);
  },
});

export const tokenList = defineApiCommand({
  name: 'token list',
  summary: 'List tokens, newest first, revoked ones too (never their secrets)',
  async run({ values, io }) {
    const list = await io.api().json(adminRoutes.listTokens, {});
    io.context.print(values.json ? toJson(list) : formatTokenTable(list.tokens));
  },
});

function formatTokenTable(tokens: readonly TokenInfo[]): string {
  if (tokens.length === 0) return 'No tokens.';
  return formatTable(
    [{ header: 'ID', align: 'right' }, { header: 'ROLE' }, { header: 'APP' }, { header: 'STATUS' }, { header: 'CREATED' }, { header: 'LAST USED' }, { header: 'NAME' }],
    tokens.map((t) => [
      String(t.id),
      t.role,
      orDash(t.appId),
      t.revokedAt ? 'revoked' : 'live',
      formatTime(t.createdAt),
      formatTime(t.lastUsedAt),
      t.name,
    ]),
  );
}

export const tokenRevoke = defineApiCommand({
  name: 'token revoke',
  summary: 'Revoke a token; it stops working at once, on every replica',
  positionals: [{ name: 'id', required: true, description: 'Id of the token (see token list)' }],
  async run({ values, positionals, io }) {
    const id = parseRowId(positionals[0]!, 'token');
    await io.api().send(adminRoutes.revokeToken, { params: { id } });
    // The API answers 204 without a body: with --json there is nothing to print, the exit code says it.
    if (!values.json) io.context.print(`Revoked token ${id}.`);
  },
});
