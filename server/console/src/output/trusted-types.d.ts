// TypeScript's DOM library does not declare Trusted Types yet; this is the part the console uses.
interface TrustedHTML {
  readonly brand: unique symbol;
}

interface TrustedTypePolicy {
  createHTML(input: string): TrustedHTML;
}

interface TrustedTypePolicyFactory {
  createPolicy(name: string, rules: { createHTML: (input: string) => string }): TrustedTypePolicy;
}

interface Window {
  trustedTypes?: TrustedTypePolicyFactory;
}
