import * as pulumi from "@pulumi/pulumi";
import { configKeys, SecretKey, secretKeys } from "./schema";
import { SpecError } from "./problems";
import { requiredSecrets } from "./structure";
import { HomelabSpec, SpecSecrets } from "./types";
import { plainHttpWarnings } from "./url-rules";
import { validateConfig } from "./validate";

const namespace = "homelab";

/** The raw values of every `homelab:*` key that is set, plain keys parsed from their JSON form. */
function rawConfig(): { raw: Record<string, unknown>; present: Set<string> } {
    const raw: Record<string, unknown> = {};
    const present = new Set<string>();
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(`${namespace}:`)) continue;
        const key = fullKey.slice(namespace.length + 1);
        if ((secretKeys as readonly string[]).includes(key)) {
            // Only presence is looked at here; the value is read as a secret below.
            if (text !== "") present.add(key);
            continue;
        }
        raw[key] = key in configKeys && key !== "domain" ? parseJson(text) : text;
    }
    return { raw, present };
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
    const { raw, present } = rawConfig();
    const result = validateConfig(raw, present);
    if (!result.ok) throw new SpecError(result.problems);
    // To the CLI's diagnostics. Offline runs (the plan tool, the tests) have no engine, and the plan prints them itself.
    if (pulumi.runtime.hasEngine()) for (const warning of plainHttpWarnings(result.spec)) pulumi.log.warn(warning);
    const config = new pulumi.Config(namespace);
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of requiredSecrets(result.spec)) secrets[key] = config.requireSecret(key);
    return { ...result.spec, secrets: secrets as SpecSecrets };
}
