import type { Problem } from "./problems";
import { editDistance } from "./suggest";

// Pure: config the program never sees because its namespace is misspelt. Pulumi hands a program every key of the
// stack, `kubernetes:context` as well as `homelab:domain`; the program reads only `homelab:`. A key under
// `homlab:` is not an error to Pulumi, so without this rule the user would read "homelab:domain is not set"
// while the value sits one letter away.

export const namespace = "homelab";

/** `homlab`, `Homelab`, `homelabs`: a namespace two edits or fewer from `homelab`. Provider namespaces are far. */
export function isNamespaceSlip(ns: string): boolean {
    return ns !== namespace && editDistance(ns, namespace) <= 2;
}

/**
 * One problem per misspelt namespace, listing its keys, and the `homelab:` keys those were meant to be (so the
 * caller does not also say they are unset).
 */
export function namespaceProblems(fullKeys: readonly string[], stackFile: string): { problems: Problem[]; meant: Set<string> } {
    const byNamespace = new Map<string, string[]>();
    for (const fullKey of fullKeys) {
        const at = fullKey.indexOf(":");
        const ns = fullKey.slice(0, at);
        if (at < 0 || !isNamespaceSlip(ns)) continue;
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), fullKey.slice(at + 1)]);
    }
    const problems: Problem[] = [];
    const meant = new Set<string>();
    for (const [ns, keys] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
        keys.sort();
        keys.forEach((key) => meant.add(`${namespace}:${key}`));
        problems.push({
            key: `${ns}:*`,
            message: `is not the program's namespace, so ${keys.length === 1 ? "this key is" : `these ${keys.length} keys are`} ignored: ${keys.map((key) => `${ns}:${key}`).join(", ")}`,
            fix: `did you mean ${namespace}:? Rename ${keys.length === 1 ? "it" : "each"} to ${namespace}:<key> in ${stackFile}`,
        });
    }
    return { problems, meant };
}
