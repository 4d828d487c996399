import * as pulumi from "@pulumi/pulumi";
import { configKeys, SecretKey, secretKeys } from "./schema";
import { SpecError } from "./problems";
import { requiredSecrets } from "./structure";
import { HomelabSpec, SpecSecrets } from "./types";
import { configWarnings } from "./url-rules";
import { validateConfig, Validation } from "./validate";
import { namespace } from "./namespace-rules";

/**
 * The one conversion of stack config into a spec, for the program, the tools and the tests: flat
 * `homelab:key` -> text, as the language host passes it (objects JSON-encoded). Of a secret only its
 * presence is read; its value stays in config, to be read as a secret Output. `stackFile` names the file the
 * fixes point at (`Pulumi.home.yaml`).
 */
export function specFromStackConfig(config: Readonly<Record<string, string>>, options: { stackFile?: string } = {}): Validation {
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

/**
 * Reads and validates the whole `homelab` config. Throws a SpecError naming every problem before
 * any resource exists; the secrets come back as secret Outputs only.
 */
export function loadSpec(): HomelabSpec {
    const result = specFromStackConfig(pulumi.runtime.allConfig(), { stackFile: `Pulumi.${pulumi.getStack()}.yaml` });
    if (!result.ok) throw new SpecError(result.problems, result.unchecked);
    // To the CLI's diagnostics. Offline runs (the plan tool, the tests) have no engine, and the plan prints them itself.
    if (pulumi.runtime.hasEngine()) for (const warning of configWarnings(result.spec)) pulumi.log.warn(warning);
    const config = new pulumi.Config(namespace);
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of requiredSecrets(result.spec)) secrets[key] = config.requireSecret(key);
    return { ...result.spec, secrets: secrets as SpecSecrets };
}
