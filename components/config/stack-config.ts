import { configKeys, secretKeys } from "./schema";
import { validateConfig, Validation } from "./validate";
import { namespace } from "./namespace-rules";

/** Flat `homelab:key` -> text config, objects JSON-encoded, as the language host passes it to the program. */
export type StackConfig = Record<string, string>;

/**
 * The one conversion of stack config into a spec, for the program, the tools and the tests: flat
 * `homelab:key` -> text, as the language host passes it (objects JSON-encoded). Of a secret only its
 * presence is read; its value stays in config, to be read as a secret Output. `stackFile` names the file the
 * fixes point at (`Pulumi.home.yaml`).
 */
export function specFromStackConfig(config: Readonly<StackConfig>, options: { stackFile?: string } = {}): Validation {
    const raw: Record<string, unknown> = {};
    const present = new Set<string>();
    const otherKeys: string[] = [];
    for (const [fullKey, text] of Object.entries(config)) {
        if (!fullKey.startsWith(`${namespace}:`)) {
            otherKeys.push(fullKey);
            continue;
        }
        const key = fullKey.slice(namespace.length + 1);
        if ((secretKeys as readonly string[]).includes(key)) {
            if (text !== "") present.add(key);
            continue;
        }
        raw[key] = key in configKeys && key !== "domain" ? parseJson(text) : text;
    }
    return validateConfig(raw, present, { stackFile: options.stackFile, otherKeys });
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
