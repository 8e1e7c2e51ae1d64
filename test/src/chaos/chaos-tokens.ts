import { createHttp } from '../http.ts';

/** An app token and a provider token for the chaos app and providers, made by the admin. */
export async function createChaosTokens(url: string, adminToken: string): Promise<{ app: string; provider: string }> {
  const admin = createHttp(url, adminToken);
  const token = async (role: 'app' | 'provider', appId: string) => {
    const res = await admin.post('/v1/admin/tokens', { role, appId, name: `chaos ${role}` });
    if (res.status !== 201) throw new Error(`creating a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  return { app: await token('app', 'chaos-app'), provider: await token('provider', 'chaos-llm') };
}
