/** Where secret values come from. Env vars today; the interface allows vaults later. */
export interface SecretProvider {
  get(name: string): string | undefined;
  /** Every value this provider can hand out, so they can be redacted wherever text is recorded. */
  values(): string[];
}

export const SECRET_ENV_PREFIX = "WEFT_SECRET_";

export function envSecrets(env: NodeJS.ProcessEnv = process.env): SecretProvider {
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(SECRET_ENV_PREFIX) && value) map.set(key.slice(SECRET_ENV_PREFIX.length), value);
  }
  return staticSecrets(map);
}

export function staticSecrets(values: Map<string, string> | Record<string, string>): SecretProvider {
  const map = values instanceof Map ? values : new Map(Object.entries(values));
  return {
    get: (name) => map.get(name),
    values: () => [...map.values()],
  };
}
